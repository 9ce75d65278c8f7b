/**
 * The PIN state as the views read it (no hash), under one set of column names: the PIN-status
 * read (pin-status-query.ts) and the list pages (um-mailbox-page-query.ts) select these and
 * turn them into a PinState here, once.
 */
import { type Selectable, sql } from 'kysely';
import type { PinState } from '../../domain/logon.js';
import type { PinStateTable } from './schema.js';

type Num = number | string | null;

export interface PinViewRow {
  pin_set_at?: Num;
  pin_expired?: Num;
  pin_first_time_user?: Num;
  pin_locked_out?: Num;
  pin_locked_until?: Num;
  pin_failed_attempts?: Num;
  pin_last_failure_at?: Num;
  pin_last_failure_caller?: string | null;
  pin_lock_count?: Num;
  pin_last_locked_at?: Num;
}

/** A PIN-state column of the table joined as `table`, under the name a PinViewRow gives it, typed as the schema has it. */
function column<C extends keyof PinStateTable, A extends string>(table: string, name: C, as: A) {
  return sql<Selectable<PinStateTable>[C] | null>`${sql.ref(`${table}.${name}`)}`.as(as);
}

/** The PIN state's columns a view shows, of the table joined as `table`, for a select. */
export const pinViewColumns = (table: string) =>
  [
    column(table, 'pin_set_at', 'pin_set_at'),
    column(table, 'pin_expired', 'pin_expired'),
    column(table, 'first_time_user', 'pin_first_time_user'),
    column(table, 'locked_out', 'pin_locked_out'),
    column(table, 'locked_until', 'pin_locked_until'),
    column(table, 'failed_attempts', 'pin_failed_attempts'),
    column(table, 'last_failure_at', 'pin_last_failure_at'),
    column(table, 'last_failure_caller', 'pin_last_failure_caller'),
    column(table, 'lock_count', 'pin_lock_count'),
    column(table, 'last_locked_at', 'pin_last_locked_at'),
  ] as const;

/** A number as either engine hands it back (PostgreSQL's bigint as text). */
export const num = (v: Num | undefined): number | null => (v === null || v === undefined ? null : Number(v));

/** null when the row has no PIN state (or was read without it). */
export function pinStateOf(r: PinViewRow): PinState | null {
  if (r.pin_set_at === null || r.pin_set_at === undefined) return null;
  return {
    pinSetAt: Number(r.pin_set_at),
    pinExpired: Number(r.pin_expired) === 1,
    firstTimeUser: Number(r.pin_first_time_user) === 1,
    lockedOut: Number(r.pin_locked_out) === 1,
    lockedUntil: num(r.pin_locked_until),
    failedAttempts: Number(r.pin_failed_attempts),
    lastFailureAt: num(r.pin_last_failure_at),
    lastFailureCaller: r.pin_last_failure_caller ?? null,
    lockCount: Number(r.pin_lock_count ?? 0),
    lastLockedAt: num(r.pin_last_locked_at),
  };
}
