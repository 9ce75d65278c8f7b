/**
 * Limit counters (migration 0013): each step a single statement, atomic on both engines —
 * an upsert whose update applies only while the key may still try, a conditional update for
 * an offence — so parallel attempts in any number of processes are counted exactly.
 */
import { sql, type RawBuilder } from 'kysely';
import type {
  LimitBackoff,
  LimitCounters,
  LimitState,
  LimitTake,
  LimitWindow,
} from '../../services/ports/limit-counters.js';
import { prepared } from './prepared.js';
import { Rows } from './rows.js';

/** Parameters typed as bigint, so PostgreSQL compares and adds them with the bigint columns. */
const bigint = (n: number): RawBuilder<number> => sql<number>`cast(${n} as bigint)`;
const big = (n: number): RawBuilder<number> => bigint(Math.round(n));
const col = (name: string): RawBuilder<number> => sql<number>`${sql.ref(`limit_counter.${name}`)}`;

function toState(r: { attempts: number; window_start: number; blocked_until: number }): LimitState {
  return {
    attempts: Number(r.attempts),
    windowStart: Number(r.window_start),
    blockedUntil: Number(r.blocked_until),
  };
}

/** The later of the row's expiry and now + keep: a row is never swept while a rule still needs it. */
const keptUntil = (now: number, keepMs: number) =>
  sql<number>`case when ${col('expires_at')} > ${big(now + keepMs)} then ${col('expires_at')} else ${big(now + keepMs)} end`;

/**
 * A take, compiled once (prepared.ts): every telephone PIN check and every rate-limited request
 * counts one. The rule's numbers arrive as values (the window's start before which it has
 * lapsed, the expiry to keep), so the SQL text is the same for every rule and instant.
 */
const take = prepared(
  (db, kind: string, key: string, now: number, lapsedBefore: number, keepUntil: number, max: number) => {
    const expired = sql`${col('window_start')} <= ${bigint(lapsedBefore)}`;
    return db
      .insertInto('limit_counter')
      .values({
        kind,
        key,
        attempts: 1,
        window_start: now,
        blocked_until: 0,
        offences: 0,
        last_offence_at: 0,
        expires_at: keepUntil,
      })
      .onConflict((oc) =>
        oc
          .columns(['kind', 'key'])
          .doUpdateSet({
            attempts: sql<number>`case when ${expired} then 1 else ${col('attempts')} + 1 end`,
            window_start: sql<number>`case when ${expired} then ${bigint(now)} else ${col('window_start')} end`,
            expires_at: sql<number>`case when ${col('expires_at')} > ${bigint(keepUntil)} then ${col('expires_at')} else ${bigint(keepUntil)} end`,
          })
          .where(
            sql<boolean>`${col('blocked_until')} <= ${bigint(now)} and (${expired} or ${col('attempts')} < ${max})`,
          ),
      )
      .returning(['attempts', 'window_start', 'blocked_until']);
  },
  { named: true },
);

/** Gives back one attempt of a check that was forgiven (also once per telephone PIN check). */
const giveBack = prepared(
  (db, kind: string, key: string) =>
    db
      .updateTable('limit_counter')
      .set({ attempts: sql<number>`${col('attempts')} - 1` })
      .where('kind', '=', kind)
      .where('key', '=', key)
      .where('attempts', '>', 0),
  { named: true },
);

export class LimitCounterRows extends Rows implements LimitCounters {
  async takeLimit(kind: string, key: string, rule: LimitWindow, now: number): Promise<LimitTake> {
    const t = Math.round(now);
    const [row] = await take(
      this.db,
      kind,
      key,
      t,
      t - Math.round(rule.windowMs),
      t + Math.round(rule.keepMs),
      rule.max,
    );
    if (row) return { allowed: rule.max >= 1, state: toState(row) };
    return { allowed: false, state: await this.readLimit(kind, key) };
  }

  async strikeLimit(kind: string, key: string, rule: LimitBackoff, now: number): Promise<number | null> {
    const delays = rule.delaysMs.length > 0 ? rule.delaysMs : [0];
    const recent = sql`${col('last_offence_at')} + ${big(rule.offenceMemoryMs)} > ${big(now)}`;
    // the delay of the next offence: by the offences remembered, the last one repeating
    const last = big(delays.at(-1)!);
    const next =
      delays.length > 1
        ? sql`case ${col('offences')} ${sql.join(
            delays.slice(0, -1).map((d, i) => sql`when ${i} then ${big(d)}`),
            sql` `,
          )} else ${last} end`
        : last;
    const row = await this.db
      .updateTable('limit_counter')
      .set({
        blocked_until: sql<number>`${big(now)} + case when ${recent} then ${next} else ${big(delays[0]!)} end`,
        offences: sql<number>`case when ${recent} then ${col('offences')} + 1 else 1 end`,
        last_offence_at: now,
        attempts: rule.resetTo,
        window_start: now,
        expires_at: keptUntil(now, rule.keepMs),
      })
      .where('kind', '=', kind)
      .where('key', '=', key)
      .where('attempts', '>=', rule.max)
      .where('blocked_until', '<=', now)
      .returning('blocked_until')
      .executeTakeFirst();
    return row ? Number(row.blocked_until) : null;
  }

  async returnLimit(kind: string, key: string, clear: boolean): Promise<void> {
    if (!clear) {
      await giveBack(this.db, kind, key);
      return;
    }
    await this.db
      .updateTable('limit_counter')
      .where('kind', '=', kind)
      .where('key', '=', key)
      .set({ attempts: 0, blocked_until: 0, offences: 0, last_offence_at: 0 })
      .execute();
  }

  async readLimit(kind: string, key: string): Promise<LimitState | null> {
    const row = await this.db
      .selectFrom('limit_counter')
      .select(['attempts', 'window_start', 'blocked_until'])
      .where('kind', '=', kind)
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? toState(row) : null;
  }

  async sweepLimits(kind: string, now: number, max: number): Promise<number> {
    // a bounded batch through the (kind, expires_at) index: the cost of a sweep never grows with the table
    const stale = this.db
      .selectFrom('limit_counter')
      .select('key')
      .where('kind', '=', kind)
      .where('expires_at', '<=', now)
      .limit(max);
    const r = await this.db
      .deleteFrom('limit_counter')
      .where('kind', '=', kind)
      .where('key', 'in', stale)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
