/**
 * The PIN state as the views read it (no hash), under one set of column names: the PIN-status
 * read (pin-status-query.ts) and the list pages (um-mailbox-page-query.ts) select these and
 * turn them into a PinState here, once.
 */
import type { PinState } from '../../domain/logon.js';

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
