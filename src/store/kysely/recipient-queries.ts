/**
 * The recipient reads that must stay fast at 1,000,000: identity look-ups and pages.
 *
 * One page of recipients in (display name, id) order, index-backed at any size: no OFFSET,
 * no scan of the table, no sort of more than the matches of a search's alias or address
 * range (migration 0004-scale has the indexes).
 *
 * - A plain list walks an index in (display_name_key, id) order from the cursor and stops
 *   after the page: all recipients, the UM-enabled ones (a partial index), or one policy's
 *   (led by um_policy_id, the copy of the mailbox's policy kept on the recipient).
 * - A search for a prefix reads three ranges [prefix, next prefix) of lower-cased keys:
 *   display names (in page order already), then the aliases whose display name does not
 *   match, then the addresses whose display name and alias do not (so a row comes once),
 *   those two from covering indexes led by a count of shared leading characters, so that
 *   rows an earlier range has are not even read; only what they add is sorted. Each range
 *   gives at most a page; the page is the first of their union.
 */
import { PostgresAdapter, sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Database, RecipientRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;
type Eb = ExpressionBuilder<Database, 'recipient'>;

export interface RecipientPageSpec {
  /** lower-cased prefix; empty = no search */
  prefix: string;
  umEnabled?: boolean;
  policyId?: string;
  /** the last row of the previous page: (display_name_key, id) */
  after: readonly [string, string] | null;
  limit: number;
}

/**
 * The least string above every string that starts with p, in code point order (= UTF-8
 * byte order: SQLite's BINARY, PostgreSQL's "C"); null when there is none.
 */
export function prefixUpperBound(p: string): string | null {
  const cps = Array.from(p);
  while (cps.length > 0) {
    const last = cps.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1; // surrogates are not characters
      return cps.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}

type KeyColumn = 'display_name_key' | 'alias_key' | 'smtp_key';

/** How far the shared leading characters are counted; a key sharing more counts as sharing this many. */
export const SHARED_CAP = 16;

function commonLead(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && i < SHARED_CAP && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * For each row: how many leading characters its alias key shares with its display-name key,
 * and its address key with either. A search for a prefix of length L finds, among the rows
 * whose alias starts with it, those whose display name does not as the ones sharing fewer
 * than L characters: an index on (alias_shared, alias_key) reads just them (migration 0004).
 */
export function sharedLeads(r: Pick<RecipientRow, 'display_name_key' | 'alias_key' | 'smtp_key'>): Pick<RecipientRow, 'alias_shared' | 'smtp_shared'> {
  return {
    alias_shared: commonLead(r.alias_key, r.display_name_key),
    smtp_shared: Math.max(commonLead(r.smtp_key, r.display_name_key), commonLead(r.smtp_key, r.alias_key)),
  };
}

/** The alias_shared / smtp_shared values that can mean "shares fewer than L characters". */
function fewerShared(length: number): number[] {
  return Array.from({ length: Math.min(length - 1, SHARED_CAP) + 1 }, (_, i) => i);
}

function inRange(eb: Eb, col: KeyColumn, p: string, upper: string | null) {
  return upper === null ? eb(col, '>=', p) : eb.and([eb(col, '>=', p), eb(col, '<', upper)]);
}

/** The UM filter as a condition on the recipient row (um_policy_id), which the list indexes hold. */
function umCondition(eb: Eb, spec: RecipientPageSpec) {
  if (spec.umEnabled === false) return eb('recipient.um_policy_id', 'is', null);
  if (spec.policyId) return eb('recipient.um_policy_id', '=', spec.policyId);
  return eb('recipient.um_policy_id', 'is not', null);
}

const filtersMailboxes = (spec: RecipientPageSpec): boolean => spec.umEnabled !== undefined || Boolean(spec.policyId);

function afterCursor<O>(q: SelectQueryBuilder<Database, 'recipient', O>, after: RecipientPageSpec['after']) {
  return after ? q.where((eb) => eb(eb.refTuple('recipient.display_name_key', 'recipient.id'), '>', eb.tuple(after[0], after[1]))) : q;
}

export async function recipientPage(db: Db, spec: RecipientPageSpec): Promise<RecipientRow[]> {
  return recipientPageQuery(db, spec).execute();
}

/** The query of one page (limit + 1 rows, to tell whether more follow). */
export function recipientPageQuery(db: Db, spec: RecipientPageSpec): SelectQueryBuilder<Database, 'recipient', RecipientRow> {
  const n = spec.limit + 1;
  if (spec.prefix === '') {
    const q = db.selectFrom('recipient').selectAll('recipient').$if(filtersMailboxes(spec), (s) => s.where((eb) => umCondition(eb, spec)));
    return afterCursor(q, spec.after).orderBy('recipient.display_name_key').orderBy('recipient.id').limit(n);
  }
  return searchPage(db, spec, n);
}

function searchPage(db: Db, spec: RecipientPageSpec, n: number): SelectQueryBuilder<Database, 'recipient', RecipientRow> {
  const p = spec.prefix;
  const upper = prefixUpperBound(p);
  const filters = filtersMailboxes(spec);
  // display names: the index is in page order; a continuation starts at the cursor, not at the prefix again
  const continues = spec.after !== null && spec.after[0] >= p;
  const byName = afterCursor(
    db
      .selectFrom('recipient')
      .select(['recipient.display_name_key as k', 'recipient.id'])
      .$if(!continues, (q) => q.where((eb) => inRange(eb, 'display_name_key', p, upper)))
      .$if(continues && upper !== null, (q) => q.where('display_name_key', '<', upper!))
      .$if(filters, (q) => q.where((eb) => umCondition(eb, spec))),
    spec.after,
  )
    .orderBy('recipient.display_name_key')
    .orderBy('recipient.id')
    .limit(n);
  // aliases, then addresses, that start with the prefix where no earlier key does
  const byOther = (col: 'alias_key' | 'smtp_key', shared: 'alias_shared' | 'smtp_shared', earlier: KeyColumn[]) =>
    afterCursor(
      db
        .selectFrom('recipient')
        .select(['recipient.display_name_key as k', 'recipient.id'])
        // sharing fewer than |p| leading characters with the earlier keys = not matched by them,
        // exactly up to SHARED_CAP; a longer prefix also compares the earlier keys themselves
        .where(shared, 'in', fewerShared(p.length))
        .where((eb) => inRange(eb, col, p, upper))
        .$if(p.length > SHARED_CAP, (q) => q.where((eb) => eb.and(earlier.map((e) => eb.not(inRange(eb, e, p, upper))))))
        .$if(filters, (q) => q.where((eb) => umCondition(eb, spec))),
      spec.after,
    )
      // sorted as an expression, not the column: no index can give this order, so the planner
      // reads the candidates through the range above and sorts them, never walking a whole
      // display-name index in the hope of meeting a few of them early (PostgreSQL did)
      .orderBy(sql`${sql.ref('recipient.display_name_key')} || ''`)
      .orderBy('recipient.id')
      .limit(n);
  const union = db
    .selectFrom(byName.as('a'))
    .select(['a.k', 'a.id'])
    .unionAll(db.selectFrom(byOther('alias_key', 'alias_shared', ['display_name_key']).as('b')).select(['b.k', 'b.id']))
    .unionAll(db.selectFrom(byOther('smtp_key', 'smtp_shared', ['display_name_key', 'alias_key']).as('c')).select(['c.k', 'c.id']));
  const page = db.selectFrom(union.as('u')).select('u.id').orderBy('u.k').orderBy('u.id').limit(n);
  return db.selectFrom('recipient').selectAll('recipient').where('recipient.id', 'in', page).orderBy('recipient.display_name_key').orderBy('recipient.id');
}

/** Enough to tell one match from several (an ambiguous identity names the count it saw). */
const IDENTITY_MATCHES_READ = 20;

/** Recipients an identity names: GUID, alias, address, UPN or display name (each an indexed equality). */
export function identityQuery(db: Db, k: string): SelectQueryBuilder<Database, 'recipient', RecipientRow> {
  return db
    .selectFrom('recipient')
    .selectAll('recipient')
    .where((eb) =>
      eb.or([eb('recipient.id', '=', k), eb('recipient.alias_key', '=', k), eb('recipient.smtp_key', '=', k), eb('recipient.upn_key', '=', k), eb('recipient.display_name_key', '=', k)]),
    )
    // a literal: with `limit ?` SQLite runs this OR of five index look-ups four times slower
    .limit(sql.lit(IDENTITY_MATCHES_READ));
}

/**
 * The recipients an identity names, each with its UM mailbox, its extensions in order (digits
 * joined by commas) and its PIN state, in one query: the columns of the joined rows are null
 * for a recipient that is not UM-enabled. The read behind every look-up of a mailbox by
 * identity (PIN status, resets): one round trip to PostgreSQL instead of four.
 */
export function mailboxesNamedQuery(db: Db, k: string) {
  const joined = db.getExecutor().adapter instanceof PostgresAdapter ? sql.raw('string_agg') : sql.raw('group_concat');
  return identityQuery(db, k)
    .leftJoin('um_mailbox', 'um_mailbox.recipient_id', 'recipient.id')
    .leftJoin('pin_state', 'pin_state.recipient_id', 'recipient.id')
    .select([
      'um_mailbox.policy_id as mailbox_policy_id',
      'um_mailbox.dial_plan_id as mailbox_dial_plan_id',
      'um_mailbox.sip_resource_identifier as mailbox_sip_resource_identifier',
      'um_mailbox.enabled_at as mailbox_enabled_at',
      'pin_state.pin_hash as pin_hash',
      'pin_state.pin_set_at as pin_set_at',
      'pin_state.pin_expired as pin_expired',
      'pin_state.first_time_user as pin_first_time_user',
      'pin_state.locked_out as pin_locked_out',
      'pin_state.locked_until as pin_locked_until',
      'pin_state.failed_attempts as pin_failed_attempts',
      'pin_state.version as pin_version',
    ])
    .select((eb) =>
      eb
        .selectFrom('extension')
        .select(sql<string | null>`${joined}(${sql.ref('extension.number')}, ',' order by ${sql.ref('extension.position')})`.as('numbers'))
        .whereRef('extension.recipient_id', '=', 'recipient.id')
        .as('mailbox_extensions'),
    );
}

/** Owners of an extension, in one dial plan (the primary key) or in any (extension_number). */
export function extensionOwnersQuery(db: Db, extension: string, dialPlanId?: string) {
  return db
    .selectFrom('extension')
    .select('recipient_id')
    .where('number', '=', extension)
    .$if(dialPlanId !== undefined, (q) => q.where('dial_plan_id', '=', dialPlanId!));
}
