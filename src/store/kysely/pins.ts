/** PIN state, PIN history and expiry-reminder rows of UM mailboxes. */
import { type RawBuilder, type Selectable, sql, type Updateable } from 'kysely';
import type { LockPlan } from '../../domain/progressive-lockout.js';
import type { PinHistoryEntry, PinRecord } from '../../domain/pin-record.js';
import type { FailureFacts, PinReads, PinRepository, PinWrite } from '../../services/ports/pins.js';
import { prepared } from './prepared.js';
import { flag, Rows } from './rows.js';
import type { PinStateTable } from './schema.js';

/** Largest count a SQL integer comparison needs when MaxLogonAttempts is Unlimited. */
const NO_LIMIT = 2_147_483_647;

/** A PIN state row as read; the columns of migration 0015 may be missing from a join that predates them. */
type PinStateRow = Omit<Selectable<PinStateTable>, 'lock_count' | 'last_locked_at'> & {
  lock_count?: number | string | null;
  last_locked_at?: number | string | null;
};

export function toPin(r: PinStateRow): PinRecord {
  return {
    recipientId: r.recipient_id,
    pinHash: r.pin_hash,
    pinSetAt: Number(r.pin_set_at),
    pinExpired: r.pin_expired === 1,
    firstTimeUser: r.first_time_user === 1,
    lockedOut: r.locked_out === 1,
    lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
    failedAttempts: r.failed_attempts,
    version: r.version,
    lastFailureAt: r.last_failure_at === null || r.last_failure_at === undefined ? null : Number(r.last_failure_at),
    lastFailureCaller: r.last_failure_caller ?? null,
    lockCount: Number(r.lock_count ?? 0),
    lastLockedAt: r.last_locked_at === null || r.last_locked_at === undefined ? null : Number(r.last_locked_at),
  };
}

/** The row of a PIN just set: no failures, no timed lock, first version. */
export function newPinStateRow(
  p: Pick<PinWrite, 'recipientId' | 'pinHash' | 'pinSetAt' | 'pinExpired' | 'firstTimeUser' | 'lockedOut'>,
) {
  return {
    recipient_id: p.recipientId,
    pin_hash: p.pinHash,
    pin_set_at: p.pinSetAt,
    pin_expired: flag(p.pinExpired),
    first_time_user: flag(p.firstTimeUser),
    locked_out: flag(p.lockedOut),
    locked_until: null,
    failed_attempts: 0,
    version: 1,
    last_failure_at: null,
    last_failure_caller: null,
    lock_count: 0,
    last_locked_at: null,
  };
}

// read on every telephone logon, compiled once (prepared.ts)
const pinOf = prepared(
  (db, recipientId: string) => db.selectFrom('pin_state').selectAll().where('recipient_id', '=', recipientId),
  { named: true },
);

export class PinReadRows extends Rows implements PinReads {
  async getPin(recipientId: string): Promise<PinRecord | null> {
    const [r] = await pinOf(this.db, recipientId);
    return r ? toPin(r) : null;
  }

  async getPins(recipientIds: readonly string[]): Promise<PinRecord[]> {
    if (recipientIds.length === 0) return [];
    const rows = await this.db.selectFrom('pin_state').selectAll().where('recipient_id', 'in', recipientIds).execute();
    return rows.map(toPin);
  }

  async getPinHistory(recipientId: string, limit: number): Promise<PinHistoryEntry[]> {
    if (limit <= 0) return [];
    const rows = await this.db
      .selectFrom('pin_history')
      .selectAll()
      .where('recipient_id', '=', recipientId)
      .orderBy('version', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      recipientId: r.recipient_id,
      version: r.version,
      pinHash: r.pin_hash,
      retiredAt: Number(r.retired_at),
    }));
  }

  async pinsDueForReminder(
    policyId: string,
    setFrom: number,
    setTo: number,
    daysBefore: number,
    limit: number,
  ): Promise<PinRecord[]> {
    const rows = await this.db
      .selectFrom('pin_state')
      .innerJoin('um_mailbox', 'um_mailbox.recipient_id', 'pin_state.recipient_id')
      .selectAll('pin_state')
      .where('um_mailbox.policy_id', '=', policyId)
      // PinChangeAllowed $false: the user could not act on a reminder, and the PIN is never forced to change
      .where('um_mailbox.pin_change_allowed', '=', 1)
      .where('pin_state.pin_expired', '=', 0)
      .where('pin_state.pin_set_at', '>=', setFrom)
      .where('pin_state.pin_set_at', '<', setTo)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('pin_reminder')
              .select('pin_reminder.recipient_id')
              .whereRef('pin_reminder.recipient_id', '=', 'pin_state.recipient_id')
              .whereRef('pin_reminder.pin_version', '=', 'pin_state.version')
              .where('pin_reminder.days_before', '<=', daysBefore),
          ),
        ),
      )
      .limit(limit)
      .execute();
    return rows.map(toPin);
  }
}

/**
 * The lock's columns as the failure's UPDATE sets them, all read from the row as it is then:
 * its end (fixed, or by its rank among the locks in a row), that rank and its time.
 */
function lockColumns(
  locking: RawBuilder<unknown>,
  lock: LockPlan,
): {
  locked_until: RawBuilder<number | null>;
  lock_count: RawBuilder<number>;
  last_locked_at: RawBuilder<number | null>;
} {
  const now = sql`cast(${lock.now} as bigint)`;
  const inRow = sql`(last_locked_at is not null and last_locked_at >= cast(${lock.windowStart} as bigint))`;
  const rank = sql`case when ${inRow} then lock_count + 1 else 1 end`;
  let until = sql`cast(${lock.lockedUntil} as bigint)`;
  if (lock.durationsMs !== null && lock.durationsMs.length > 0) {
    // the durations are whole numbers the domain computed, written into the statement as literals
    const ds = lock.durationsMs;
    const byRank = sql.join(
      ds.slice(0, -1).map((d, i) => sql`when ${sql.lit(i + 1)} then ${sql.lit(d)}`),
      sql` `,
    );
    const duration = ds.length > 1 ? sql`case ${rank} ${byRank} else ${sql.lit(ds.at(-1)!)} end` : sql.lit(ds[0]!);
    until = sql`${now} + ${duration}`;
  }
  return {
    locked_until: sql<number | null>`case when ${locking} then ${until} else null end`,
    lock_count: sql<number>`case when ${locking} then ${rank} else lock_count end`,
    last_locked_at: sql<number | null>`case when ${locking} then ${now} else last_locked_at end`,
  };
}

/**
 * A logon's success, on every correct PIN: compiled once (prepared.ts), the row it changed
 * returned so that the count needs no engine-specific result. Unchanged when the PIN moved on
 * (another version) or a lock came first.
 */
const success = prepared(
  (db, recipientId: string, version: number) =>
    db
      .updateTable('pin_state')
      .set({ failed_attempts: 0 })
      .where('recipient_id', '=', recipientId)
      .where('version', '=', version)
      .where('locked_out', '=', 0)
      .returning('recipient_id'),
  { named: true },
);
/** The same, storing the PIN's hash re-derived under the current KDF. */
const successUpgrading = prepared(
  (db, recipientId: string, version: number, pinHash: string) =>
    db
      .updateTable('pin_state')
      .set({ failed_attempts: 0, pin_hash: pinHash })
      .where('recipient_id', '=', recipientId)
      .where('version', '=', version)
      .where('locked_out', '=', 0)
      .returning('recipient_id'),
  { named: true },
);

// The write methods also run on the database itself, not only in a transaction: a single
// conditional statement is atomic without BEGIN/COMMIT (Store.recordSuccess).
export class PinRows extends PinReadRows implements PinRepository {
  async insertPin(p: PinWrite): Promise<void> {
    await this.db.insertInto('pin_state').values(newPinStateRow(p)).execute();
  }

  async replacePin(p: PinWrite, expectedVersion?: number): Promise<boolean> {
    // Lock the row first (an UPDATE does, on both engines), then read what it replaces.
    let lock = this.db
      .updateTable('pin_state')
      .set({ version: sql`version` })
      .where('recipient_id', '=', p.recipientId);
    if (expectedVersion !== undefined) lock = lock.where('version', '=', expectedVersion);
    const locked = await lock.returning(['version', 'pin_hash']).executeTakeFirst();
    if (!locked) return false;
    await this.db
      .insertInto('pin_history')
      .values({
        recipient_id: p.recipientId,
        version: locked.version,
        pin_hash: locked.pin_hash,
        retired_at: p.pinSetAt,
      })
      .execute();
    await this.db
      .updateTable('pin_state')
      .set({
        pin_hash: p.pinHash,
        pin_set_at: p.pinSetAt,
        pin_expired: flag(p.pinExpired),
        first_time_user: flag(p.firstTimeUser),
        locked_out: flag(p.lockedOut),
        locked_until: null,
        failed_attempts: p.failedAttempts ?? 0,
        version: locked.version + 1,
      })
      .where('recipient_id', '=', p.recipientId)
      .execute();
    await this.db
      .deleteFrom('pin_history')
      .where('recipient_id', '=', p.recipientId)
      .where('version', '<=', locked.version - Math.max(0, p.keepHistory))
      .execute();
    return true;
  }

  async recordFailure(
    recipientId: string,
    maxAttempts: number | null,
    lock: LockPlan,
    failure?: FailureFacts,
  ): Promise<number | null> {
    const max = maxAttempts ?? NO_LIMIT;
    const locking = sql`failed_attempts + 1 >= ${max}`;
    const row = await this.db
      .updateTable('pin_state')
      .set({
        failed_attempts: sql`failed_attempts + 1`,
        locked_out: sql`case when ${locking} then 1 else 0 end`,
        ...lockColumns(locking, lock),
        // in the same statement as the count, so they describe exactly the failure counted
        ...(failure ? { last_failure_at: failure.at, last_failure_caller: failure.caller } : {}),
      })
      .where('recipient_id', '=', recipientId)
      .where('locked_out', '=', 0)
      .returning('failed_attempts')
      .executeTakeFirst();
    return row ? row.failed_attempts : null;
  }

  async recordSuccess(recipientId: string, version: number, upgradedHash: string | null): Promise<boolean> {
    const rows = upgradedHash
      ? await successUpgrading(this.db, recipientId, version, upgradedHash)
      : await success(this.db, recipientId, version);
    return rows.length === 1;
  }

  async liftLapsedLock(recipientId: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('pin_state')
      .set({ locked_out: 0, locked_until: null, failed_attempts: 0 })
      .where('recipient_id', '=', recipientId)
      .where('locked_out', '=', 1)
      .where('locked_until', 'is not', null)
      .where('locked_until', '<=', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async setLock(recipientId: string, locked: boolean): Promise<void> {
    await this.db
      .updateTable('pin_state')
      .set(locked ? { locked_out: 1, locked_until: null } : { locked_out: 0, locked_until: null, failed_attempts: 0 })
      .where('recipient_id', '=', recipientId)
      .execute();
  }

  async setPinFlags(recipientId: string, flags: { pinExpired?: boolean; firstTimeUser?: boolean }): Promise<void> {
    const set: Updateable<PinStateTable> = {};
    if (flags.pinExpired !== undefined) set.pin_expired = flag(flags.pinExpired);
    if (flags.firstTimeUser !== undefined) set.first_time_user = flag(flags.firstTimeUser);
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('pin_state').set(set).where('recipient_id', '=', recipientId).execute();
  }

  async recordReminder(recipientId: string, pinVersion: number, daysBefore: number, sentAt: number): Promise<boolean> {
    const r = await this.db
      .insertInto('pin_reminder')
      .values({ recipient_id: recipientId, pin_version: pinVersion, days_before: daysBefore, sent_at: sentAt })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}
