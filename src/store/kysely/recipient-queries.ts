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
import {
  sql,
  type Compilable,
  type CompiledQuery,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  type Transaction,
} from 'kysely';
import { badCursor, decodeCursor, encodeCursor } from '../../domain/cursor.js';
import type { WildcardPart } from '../../domain/opath-filter.js';
import type {
  RecipientCondition,
  RecipientField,
  RecipientQuery,
  RecipientSort,
  RecipientSortField,
} from '../../services/ports/recipients.js';
import type { EngineAdapter, SqlFragments } from './engine-adapter.js';
import { KeptCompilations } from './kept-compilations.js';
import { pinViewColumns } from './pin-view-row.js';
import { prepared } from './prepared.js';
import type { Database, RecipientRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;
type Eb = ExpressionBuilder<Database, 'recipient'>;

export interface RecipientPageSpec {
  /** lower-cased prefix; empty = no search */
  prefix: string;
  umEnabled?: boolean;
  policyId?: string;
  filter?: RecipientCondition;
  /** when the filter judges time-dependent PIN states */
  now?: number;
  /** many PINs are expired (pinExpiredIsCommon): a PinExpired filter walks the page order instead of gathering them all */
  manyPinsExpired?: boolean;
  /** the policies each UMMailboxPolicy / UMDialPlan comparison of the filter names (policiesNamed), read before the page */
  policies?: ReadonlyMap<RecipientCondition, readonly string[]>;
  /** absent: by display name (the lists' own index order) */
  sort?: RecipientSort;
  /** the last row of the previous page: (display_name_key, id), or with a sort (sort key, display_name_key, id) */
  after: ReadonlyArray<string | number> | null;
  /** what a search derives from its prefix, given when the prefix is a placeholder (a page compiled once) */
  searchShape?: SearchShape;
  limit: number;
}

/**
 * What a page reads of each recipient: what a Recipient shows, and the display-name key its
 * cursor carries. Not the other keys and counts, which only its indexes need: reading every
 * column of a row made a page of 100 about half as dear again on SQLite.
 */
const PAGE_COLUMNS = [
  'recipient.alias',
  'recipient.primary_smtp_address',
  'recipient.user_principal_name',
  'recipient.display_name',
  'recipient.display_name_key',
  'recipient.language',
  'recipient.created_at',
  'recipient.updated_at',
] as const;

/** PAGE_COLUMNS and the recipient's GUID, read as the engine reads GUIDs in a hot read (SqlFragments.guidColumn). */
const pageColumns = (engine: EngineAdapter) => [engine.sql.guidColumn('recipient.id', 'id'), ...PAGE_COLUMNS];

export type RecipientPageRow = Pick<
  RecipientRow,
  | 'id'
  | 'alias'
  | 'primary_smtp_address'
  | 'user_principal_name'
  | 'display_name'
  | 'display_name_key'
  | 'language'
  | 'created_at'
  | 'updated_at'
>;

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
export function sharedLeads(
  r: Pick<RecipientRow, 'display_name_key' | 'alias_key' | 'smtp_key'>,
): Pick<RecipientRow, 'alias_shared' | 'smtp_shared'> {
  return {
    alias_shared: commonLead(r.alias_key, r.display_name_key),
    smtp_shared: Math.max(commonLead(r.smtp_key, r.display_name_key), commonLead(r.smtp_key, r.alias_key)),
  };
}

/**
 * smtp_shared of a recipient whose address is its alias at a domain (`alias@…`, Exchange's
 * default address policy): a prefix of the address is a prefix of the alias, or goes past the
 * alias into `@`, so its search needs no address entry (migration 0024: the address index is
 * partial, `smtp_shared >= 0`). Past the `@`, the alias's own name finds it (searchPage).
 */
export const ADDRESS_OF_ALIAS = -1;

/** What a recipient's row holds to be searched (the shared leads, an address of its alias marked as such). */
export function searchLeads(
  r: Pick<RecipientRow, 'display_name_key' | 'alias_key' | 'smtp_key'>,
): Pick<RecipientRow, 'alias_shared' | 'smtp_shared'> {
  const shared = sharedLeads(r);
  return r.smtp_key.startsWith(`${r.alias_key}@`) ? { ...shared, smtp_shared: ADDRESS_OF_ALIAS } : shared;
}

/** The condition recipient_smtp_search's entries meet (0024), as the index states it: the planner matches the text. */
export const SMTP_SEARCH_ENTRIES = sql<SqlBool>`${sql.ref('recipient.smtp_shared')} >= 0`;

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
  return after
    ? q.where((eb) =>
        eb(
          eb.refTuple('recipient.display_name_key', 'recipient.id'),
          '>',
          eb.tuple(String(after[0]), String(after[1])),
        ),
      )
    : q;
}

/** The alias of the PIN state a filter's flag joins (filtered), whose row a list page reads too (um-mailbox-page-query.ts). */
export const PIN_STATE_JOIN = 'ps';

/**
 * The spec's filter, when it has one. A PIN-state flag the filter requires is a join with
 * pin_state rather than a condition (pinStateJoin), so the planner can choose by the size of
 * the flag's partial index whether to read those few mailboxes and sort them, or walk the page
 * order and keep those that have it.
 */
function filtered<O>(
  engine: EngineAdapter,
  q: SelectQueryBuilder<Database, 'recipient', O>,
  spec: RecipientPageSpec,
  sortName?: RecipientSortField,
) {
  if (!spec.filter) return q;
  const now = spec.now ?? Date.now();
  const joined = requiredFlag(spec.filter, spec.manyPinsExpired === true);
  const where = condition({ frags: engine.sql, now, joined, policies: spec.policies, sortName }, spec.filter);
  if (joined === null) return q.where(where);
  return q
    .innerJoin('pin_state as ps', (j) =>
      j.onRef('ps.recipient_id', '=', 'recipient.id').on(pinStateJoin(joined.field as PinFlag, now)),
    )
    .where(where) as unknown as SelectQueryBuilder<Database, 'recipient', O>;
}

/**
 * The query of one page (limit + 1 rows, to tell whether more follow). The limit is written into
 * the SQL, not bound: a page size is part of a compiled page's shape anyway, and a plan made for
 * any values (a named statement's generic plan) that does not know it expects a tenth of the
 * table; at 1,000,000 mailboxes PostgreSQL then planned parallel workers for a page of 101 rows.
 */
export function recipientPageQuery(
  db: Db,
  engine: EngineAdapter,
  spec: RecipientPageSpec,
): SelectQueryBuilder<Database, 'recipient', RecipientPageRow & { sort_key?: string | number }> {
  const n = spec.limit + 1;
  if (sortTag(spec.sort) !== null) return sortedPage(db, engine, spec, spec.sort!, n);
  if (spec.prefix === '') {
    const q = filtered(
      engine,
      db
        .selectFrom('recipient')
        .select(pageColumns(engine))
        .$if(filtersMailboxes(spec), (s) => s.where((eb) => umCondition(eb, spec))),
      spec,
    );
    return afterCursor(q, spec.after).orderBy('recipient.display_name_key').orderBy('recipient.id').limit(sql.lit(n));
  }
  return searchPage(db, engine, spec, n);
}

/** What a search page's query depends on beyond the values it binds. */
interface SearchShape {
  /** the prefix's length, exactly up to SHARED_CAP + 1: what the shared-lead conditions depend on */
  length: number;
  /** prefixUpperBound(prefix) */
  upper: string | null;
  /** a continuation whose cursor is at or past the prefix: the display names are read from the cursor */
  continues: boolean;
  /**
   * what comes before an `@` after the prefix's first character, or null: the one alias whose
   * address (ADDRESS_OF_ALIAS) the prefix may go on into
   */
  alias: string | null;
}

function searchShape(p: string, after: RecipientPageSpec['after']): SearchShape {
  const at = p.indexOf('@');
  return {
    length: Math.min(p.length, SHARED_CAP + 1),
    upper: prefixUpperBound(p),
    continues: after !== null && String(after[0]) >= p,
    alias: at > 0 ? p.slice(0, at) : null,
  };
}

function searchPage(
  db: Db,
  engine: EngineAdapter,
  spec: RecipientPageSpec,
  n: number,
): SelectQueryBuilder<Database, 'recipient', RecipientPageRow> {
  const p = spec.prefix;
  const shape = spec.searchShape ?? searchShape(p, spec.after);
  const upper = shape.upper;
  const filters = filtersMailboxes(spec);
  // display names: the index is in page order; a continuation starts at the cursor, not at the prefix again
  const continues = shape.continues;
  const byName = afterCursor(
    filtered(
      engine,
      db
        .selectFrom('recipient')
        .select(['recipient.display_name_key as k', 'recipient.id'])
        .$if(!continues, (q) => q.where((eb) => inRange(eb, 'display_name_key', p, upper)))
        .$if(continues && upper !== null, (q) => q.where('display_name_key', '<', upper!))
        .$if(filters, (q) => q.where((eb) => umCondition(eb, spec))),
      spec,
    ),
    spec.after,
  )
    .orderBy('recipient.display_name_key')
    .orderBy('recipient.id')
    .limit(sql.lit(n));
  // aliases, then addresses, that start with the prefix where no earlier key does
  const fenced = engine.searchSortsFenced;
  const byOther = (col: 'alias_key' | 'smtp_key', shared: 'alias_shared' | 'smtp_shared', earlier: KeyColumn[]) => {
    const candidates = afterCursor(
      filtered(
        engine,
        db
          .selectFrom('recipient')
          .select(['recipient.display_name_key as k', 'recipient.id'])
          // sharing fewer than |p| leading characters with the earlier keys = not matched by them,
          // exactly up to SHARED_CAP; a longer prefix also compares the earlier keys themselves
          .where(shared, 'in', fewerShared(shape.length))
          .$if(col === 'smtp_key', (q) => q.where(SMTP_SEARCH_ENTRIES))
          .where((eb) => inRange(eb, col, p, upper))
          .$if(shape.length > SHARED_CAP, (q) =>
            q.where((eb) => eb.and(earlier.map((e) => eb.not(inRange(eb, e, p, upper))))),
          )
          .$if(filters, (q) => q.where((eb) => umCondition(eb, spec)))
          // a page of n from the display names ends at their nth row: no candidate after it is on the page
          .$if(fenced, (q) =>
            q.where(
              'recipient.display_name_key',
              '<=',
              sql<string>`coalesce((select max(${sql.ref('bound.k')}) from (${byName}) as ${sql.id('bound')} having count(*) >= ${sql.lit(n)}), ${sql.ref('recipient.display_name_key')})`,
            ),
          ),
        spec,
      ),
      spec.after,
    );
    if (fenced)
      return db
        .selectFrom(candidates.offset(sql.lit(0)).as('fence'))
        .select(['fence.k', 'fence.id'])
        .orderBy('fence.k')
        .orderBy('fence.id')
        .limit(sql.lit(n)) as unknown as typeof candidates;
    // sorted as an expression, not the column: no index can give this order, so the planner
    // reads the candidates through the range above and sorts them, never walking a whole
    // display-name index in the hope of meeting a few of them early (PostgreSQL did)
    return candidates
      .orderBy(sql`${sql.ref('recipient.display_name_key')} || ''`)
      .orderBy('recipient.id')
      .limit(sql.lit(n)) as unknown as typeof candidates;
  };
  // addresses of their alias (no entry of their own in the address index): past the `@`, the
  // one recipient whose alias the prefix names, by that unique name
  const alias = shape.alias;
  const byAliasAddress = (a: string) =>
    afterCursor(
      filtered(
        engine,
        db
          .selectFrom('recipient')
          .select(['recipient.display_name_key as k', 'recipient.id'])
          .where('recipient.id', 'in', db.selectFrom('recipient_name').select('recipient_id').where('name_key', '=', a))
          .where('recipient.smtp_shared', '=', ADDRESS_OF_ALIAS)
          .where((eb) => inRange(eb, 'smtp_key', p, upper))
          .where((eb) => eb.not(inRange(eb, 'display_name_key', p, upper)))
          .$if(filters, (q) => q.where((eb) => umCondition(eb, spec))),
        spec,
      ),
      spec.after,
    ).limit(sql.lit(n));
  const union = db
    .selectFrom(byName.as('a'))
    .select(['a.k', 'a.id'])
    .unionAll(db.selectFrom(byOther('alias_key', 'alias_shared', ['display_name_key']).as('b')).select(['b.k', 'b.id']))
    .unionAll(
      db
        .selectFrom(byOther('smtp_key', 'smtp_shared', ['display_name_key', 'alias_key']).as('c'))
        .select(['c.k', 'c.id']),
    )
    .$if(alias !== null, (q) => q.unionAll(db.selectFrom(byAliasAddress(alias!).as('d')).select(['d.k', 'd.id'])));
  const page = db.selectFrom(union.as('u')).select('u.id').orderBy('u.k').orderBy('u.id').limit(sql.lit(n));
  return db
    .selectFrom('recipient')
    .select(pageColumns(engine))
    .where('recipient.id', 'in', page)
    .orderBy('recipient.display_name_key')
    .orderBy('recipient.id');
}

/** Enough to tell one match from several (an ambiguous identity names the count it saw). */
const IDENTITY_MATCHES_READ = 20;

const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The identity as the GUID seek of identityQuery binds it: itself when it is a GUID's text form,
 * else '', which no key is. Decided here, so that both engines match the same identities
 * (SQLite's unhex would also read 32 hex digits without dashes as a GUID); a value rather than
 * null, which PostgreSQL would fold away and plan the rest differently.
 */
export const guidOf = (k: string): string => (GUID_TEXT.test(k) ? k : '');

/**
 * Recipients an identity names: GUID, alias, address, UPN or display name, in one statement of
 * three index seeks: recipient's own key for a GUID (`guid`: guidOf(k), bound apart so that the
 * statement is one shape), the unique names (recipient_name, migration 0019) for an alias,
 * address or UPN, and the display-name index, which several recipients may share. A recipient
 * two of them find (its display name is its alias) comes once: the union is a set of ids, each
 * row read by its key.
 */
export function identityQuery(
  db: Db,
  k: string,
  guid: string = guidOf(k),
): SelectQueryBuilder<Database, 'recipient', RecipientRow> {
  const ids = db
    .selectFrom('recipient as by_id')
    .select('by_id.id')
    .where('by_id.id', '=', guid)
    .unionAll(
      db
        .selectFrom('recipient_name')
        .select('recipient_name.recipient_id as id')
        .where('recipient_name.name_key', '=', k),
    )
    .unionAll(
      db.selectFrom('recipient as by_display').select('by_display.id').where('by_display.display_name_key', '=', k),
    )
    // a literal: the planner knows the bound, and the statement stays one text
    .limit(sql.lit(IDENTITY_MATCHES_READ));
  return db
    .selectFrom('recipient')
    .selectAll('recipient')
    .where('recipient.id', 'in', ids)
    .limit(sql.lit(IDENTITY_MATCHES_READ));
}

/**
 * The recipients an identity names, each with its UM mailbox (its extensions in their column,
 * extension-list.ts) and its PIN state, in one query: the columns of the joined rows are null
 * for a recipient that is not UM-enabled. The read behind every look-up of a mailbox by
 * identity (PIN status, resets): one round trip to PostgreSQL instead of four.
 */
export function mailboxesNamedQuery(db: Db, k: string, guid: string = guidOf(k)) {
  return identityQuery(db, k, guid)
    .leftJoin('um_mailbox', 'um_mailbox.recipient_id', 'recipient.id')
    .leftJoin('pin_state', 'pin_state.recipient_id', 'recipient.id')
    .select([
      'um_mailbox.policy_id as mailbox_policy_id',
      'um_mailbox.dial_plan_id as mailbox_dial_plan_id',
      'um_mailbox.extensions as mailbox_extensions',
      'um_mailbox.sip_resource_identifier as mailbox_sip_resource_identifier',
      'um_mailbox.enabled_at as mailbox_enabled_at',
      'um_mailbox.subscriber_access_enabled as mailbox_subscriber_access_enabled',
      'um_mailbox.pinless_access_enabled as mailbox_pinless_access_enabled',
      'um_mailbox.operator_number as mailbox_operator_number',
      'um_mailbox.pin_change_allowed as mailbox_pin_change_allowed',
      'pin_state.pin_hash as pin_hash',
      'pin_state.version as pin_version',
    ])
    .select(pinViewColumns('pin_state'));
}

/**
 * Owners of an extension in a dial plan: a seek of extension's key. A number's owners in any
 * dial plan are this a dial plan (voice-logon.ts, over the cached dial plans), of which an
 * organisation has few: extension_number, an index led by the number, went in 0024. (One
 * statement joining the dial plans would leave PostgreSQL to judge that table's size, which
 * autovacuum never measures when it holds a few rows: it read all of extension instead.)
 */
export function extensionOwnersQuery(db: Db, extension: string, dialPlanId: string) {
  return db
    .selectFrom('extension')
    .select('recipient_id')
    .where('dial_plan_id', '=', dialPlanId)
    .where('number', '=', extension);
}

// ---------------------------------------------------------------------------------------
// Filters and sorts: a RecipientCondition compiled into the page's WHERE, a RecipientSort
// into its ORDER BY, the cursor being the last row's sort key and id (keyset paging).

type Cond = RawBuilder<SqlBool>;
const TRUE: Cond = sql<SqlBool>`1 = 1`;
const FALSE: Cond = sql<SqlBool>`1 = 0`;

/** Text as the key columns hold it (kysely-store's key()): comparisons are case-insensitive. */
const textKey = (s: string): string => s.trim().toLowerCase();

const OPERATORS = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/** A -like pattern as SQL LIKE, lower-cased, with \ escaping LIKE's own wildcards. */
function likePattern(parts: readonly WildcardPart[]): string {
  return parts
    .map((p) => (p.kind === 'any' ? '%' : p.kind === 'one' ? '_' : textKey(p.text).replace(/[\\%_]/g, '\\$&')))
    .join('');
}

type Leaf = Extract<RecipientCondition, { kind: 'compare' | 'like' }>;

/**
 * A comparison of a text expression. On the recipient's key columns (`indexed`) a pattern
 * that starts with literal text also reads as the key range of that prefix, which their
 * indexes serve (SQLite's LIKE uses no index on its own).
 */
function text(frags: SqlFragments, e: RawBuilder<unknown>, c: Leaf, indexed = false): Cond {
  // in code point order on both engines: the key columns are (migration 0004), others may follow the database's locale
  const x = indexed ? e : frags.bytewise(e);
  if (c.kind === 'like') {
    const like = sql<SqlBool>`${x} like ${likePattern(c.pattern)} escape '\\'`;
    const first = c.pattern[0];
    if (!indexed || first?.kind !== 'text') return like;
    const prefix = textKey(first.text);
    const upper = prefixUpperBound(prefix);
    return and([sql<SqlBool>`${x} >= ${prefix}`, ...(upper === null ? [] : [sql<SqlBool>`${x} < ${upper}`]), like]);
  }
  return sql<SqlBool>`${x} ${sql.raw(OPERATORS[c.operator])} ${textKey(String(c.value))}`;
}

function time(e: RawBuilder<unknown>, c: Leaf): Cond {
  // the service gives times as numbers and never -like
  return c.kind === 'compare' ? sql<SqlBool>`${e} ${sql.raw(OPERATORS[c.operator])} ${Number(c.value)}` : FALSE;
}

const and = (cs: Cond[]): Cond => (cs.length === 0 ? TRUE : sql<SqlBool>`(${sql.join(cs, sql` and `)})`);
const or = (cs: Cond[]): Cond => (cs.length === 0 ? FALSE : sql<SqlBool>`(${sql.join(cs, sql` or `)})`);
const exists = (from: RawBuilder<unknown>, where: Cond): Cond =>
  sql<SqlBool>`exists (select 1 from ${from} where ${where})`;

const r = (column: string) => sql.ref(`recipient.${column}`);
const MAILBOX = sql`um_mailbox m`;
const OF_MAILBOX = sql<SqlBool>`m.recipient_id = ${r('id')}`;

interface Compiling {
  frags: SqlFragments;
  now: number;
  /** the flag comparison the page joins on (filtered): true wherever the join lets a row through */
  joined?: Leaf | null;
  policies?: ReadonlyMap<RecipientCondition, readonly string[]>;
  /** the unique-name field a sorted page reads in sort_name's order (sortedPage): its key is sort_name.name_key */
  sortName?: RecipientSortField;
}

/** The comparisons that name policies: by name, by dial plan name or by dial plan id. */
const POLICY_FIELDS: ReadonlySet<RecipientField> = new Set<RecipientField>([
  'umMailboxPolicy',
  'umDialPlan',
  'umDialPlanId',
]);

/** The policies a policy comparison names, as a query of the (small) policy table. */
function namedPolicies(frags: SqlFragments, c: Leaf) {
  switch (c.field) {
    case 'umMailboxPolicy':
      return sql<{
        id: string;
      }>`select p.id from mailbox_policy p where ${text(frags, sql.ref('p.name_key'), c)} order by p.id`;
    case 'umDialPlan':
      return sql<{ id: string }>`select p.id from mailbox_policy p join dial_plan d on d.id = p.dial_plan_id
        where ${text(frags, sql.ref('d.name_key'), c)} order by p.id`;
    default:
      return sql<{
        id: string;
      }>`select p.id from mailbox_policy p where ${text(frags, frags.guidText(sql.ref('p.dial_plan_id')), c)} order by p.id`;
  }
}

/**
 * The policy ids of each policy comparison in the filter, read before the page: the page then
 * compares the recipient's policy id with values, which the planner can weigh (PostgreSQL
 * guessed a subquery's policies at a few hundred mailboxes and sorted 80,000 of 100,000 to
 * find a page) and which, for one policy, is a range of its list index in page order.
 */
export async function policiesNamed(
  db: Db,
  frags: SqlFragments,
  filter: RecipientCondition | undefined,
): Promise<Map<RecipientCondition, string[]> | undefined> {
  const found = new Map<RecipientCondition, string[]>();
  const visit = async (c: RecipientCondition): Promise<void> => {
    if (c.kind === 'and' || c.kind === 'or') for (const o of c.operands) await visit(o);
    else if (c.kind === 'not') await visit(c.operand);
    else if ((c.kind === 'compare' || c.kind === 'like') && POLICY_FIELDS.has(c.field))
      found.set(
        c,
        (await namedPolicies(frags, c).execute(db)).rows.map((r) => r.id),
      );
  };
  if (filter) await visit(filter);
  return found.size > 0 ? found : undefined;
}

/** The recipient's policy is one of these (none: no row); never null, so that -not means not. */
function policyIn(frags: SqlFragments, ids: readonly string[]): Cond {
  if (ids.length === 0) return FALSE;
  const set = sql`${r('um_policy_id')} is not null`;
  if (ids.length === 1) return sql<SqlBool>`(${set} and ${r('um_policy_id')} = ${frags.guid(ids[0]!)})`;
  return sql<SqlBool>`(${set} and ${r('um_policy_id')} in (${sql.join(ids.map(frags.guid))}))`;
}

type PinFlag = 'lockedOut' | 'pinExpired' | 'firstTimeUser';
const PIN_FLAGS: ReadonlySet<RecipientField> = new Set<RecipientField>(['lockedOut', 'pinExpired', 'firstTimeUser']);

/**
 * A "<flag> -eq $true" the whole filter requires (the filter itself, or an operand of its top
 * -and), for the page to join on. PinExpired only when many are: its condition is an OR (the flag,
 * or a PIN older than its policy's lifetime) that no single index serves, so with few of them
 * their gathered ids (pinState) are cheaper than a walk.
 */
function requiredFlag(c: RecipientCondition, manyPinsExpired: boolean): Leaf | null {
  const isFlag = (x: RecipientCondition): x is Leaf =>
    x.kind === 'compare' && PIN_FLAGS.has(x.field) && x.value === true && (x.field !== 'pinExpired' || manyPinsExpired);
  if (isFlag(c)) return c;
  return c.kind === 'and' ? (c.operands.find(isFlag) ?? null) : null;
}

/** The joined PIN state's condition for a flag, as pinState judges it; the flag as a literal, which its partial index needs. */
function pinStateJoin(flag: PinFlag, now: number): Cond {
  switch (flag) {
    case 'lockedOut':
      return sql<SqlBool>`ps.locked_out = ${sql.lit(1)} and (ps.locked_until is null or ps.locked_until > ${now})`;
    case 'firstTimeUser':
      return sql<SqlBool>`ps.first_time_user = ${sql.lit(1)}`;
    case 'pinExpired':
      return sql<SqlBool>`(ps.pin_expired = ${sql.lit(1)} or exists (select 1 from mailbox_policy p where p.id = ${r('um_policy_id')}
        and p.pin_lifetime_days is not null and ps.pin_set_at <= ${now} - p.pin_lifetime_days * cast(${sql.lit(DAY_MS)} as bigint)))`;
  }
}

/** Expired PINs counted up to this many tell a PinExpired filter to walk the page order (pinExpiredIsCommon). */
const MANY_EXPIRED = 4000;

/**
 * Whether at least MANY_EXPIRED PINs are expired at `now`: flagged, or set before the latest
 * lifetime cut-off of any policy (an upper bound of those past their own policy's). Two index
 * ranges read up to that many entries each.
 */
export async function pinExpiredIsCommon(db: Db, now: number): Promise<boolean> {
  const flagged = sql<{
    n: number | string;
  }>`select count(*) as n from (select 1 from pin_state s where s.pin_expired = ${sql.lit(1)} limit ${sql.lit(MANY_EXPIRED)}) x`;
  if (Number((await flagged.execute(db)).rows[0]?.n ?? 0) >= MANY_EXPIRED) return true;
  const old = sql<{ n: number | string }>`select count(*) as n from (select 1 from pin_state s where s.pin_set_at <= (
      select max(${now} - p.pin_lifetime_days * cast(${sql.lit(DAY_MS)} as bigint)) from mailbox_policy p where p.pin_lifetime_days is not null)
      limit ${sql.lit(MANY_EXPIRED)}) x`;
  return Number((await old.execute(db)).rows[0]?.n ?? 0) >= MANY_EXPIRED;
}

/** How long one count of expired PINs chooses the PinExpired plan: a choice of plan, not of rows, so a stale one is only slower. */
const PLAN_CHOICE_MS = 10_000;

/** The last count's answer per database (its executor's adapter), and the time it was counted for. */
const expiredCounts = new WeakMap<object, { common: boolean; now: number }>();

/**
 * pinExpiredIsCommon, counted at most once every PLAN_CHOICE_MS per database: the count reads up
 * to 2 × MANY_EXPIRED index entries, about as much as the page it chooses the plan of. Either
 * plan finds the same rows; only their cost differs, and the share of expired PINs moves slowly.
 */
async function pinExpiredIsCommonLately(db: Db, now: number): Promise<boolean> {
  const key = db.getExecutor().adapter;
  const last = expiredCounts.get(key);
  if (last !== undefined && Math.abs(now - last.now) < PLAN_CHOICE_MS) return last.common;
  const common = await pinExpiredIsCommon(db, now);
  expiredCounts.set(key, { common, now });
  return common;
}

/** Whether the filter requires PinExpired -eq $true (the only flag whose plan pinExpiredIsCommon decides). */
function requiresPinExpired(c: RecipientCondition | undefined): boolean {
  return c !== undefined && requiredFlag(c, true)?.field === 'pinExpired';
}

/** One condition as SQL: true or false for every row, never null. */
function condition(ctx: Compiling, c: RecipientCondition): Cond {
  switch (c.kind) {
    case 'and':
      return and(c.operands.map((o) => condition(ctx, o)));
    case 'or':
      return or(c.operands.map((o) => condition(ctx, o)));
    case 'not':
      return sql<SqlBool>`not ${condition(ctx, c.operand)}`;
    case 'constant':
      return c.value ? TRUE : FALSE;
    case 'empty':
      return empty(c.field);
    default:
      return leaf(ctx, c);
  }
}

function empty(field: RecipientField): Cond {
  switch (field) {
    case 'language':
      return sql<SqlBool>`${r('language')} is null`;
    case 'umMailboxPolicy':
      return sql<SqlBool>`${r('um_policy_id')} is null`;
    case 'umDialPlan':
    case 'umDialPlanId':
    case 'umEnabledAt':
      return sql<SqlBool>`not ${exists(MAILBOX, OF_MAILBOX)}`;
    case 'sipResourceIdentifier':
      return sql<SqlBool>`not ${exists(MAILBOX, and([OF_MAILBOX, sql<SqlBool>`m.sip_resource_identifier is not null`]))}`;
    case 'extensions':
      return sql<SqlBool>`not ${exists(MAILBOX, and([OF_MAILBOX, sql<SqlBool>`m.extensions <> ''`]))}`;
    case 'lockedOut':
    case 'pinExpired':
    case 'firstTimeUser':
      return sql<SqlBool>`not ${exists(sql`pin_state s`, sql<SqlBool>`s.recipient_id = ${r('id')}`)}`;
    default:
      // names, addresses, times and UMEnabled always have a value
      return FALSE;
  }
}

/** The UPN as compared (key() in rows.ts): no column since 0019; an address's form, ASCII, lower-cased as such. */
const upnKey = (frags: SqlFragments) => sql`lower(${frags.bytewise(r('user_principal_name'))})`;

/** The unique names' fields (recipient_name, migration 0019), as RecipientField and RecipientSortField name them. */
type UniqueNameField = 'alias' | 'primarySmtpAddress' | 'userPrincipalName';

function uniqueNameKey(frags: SqlFragments, field: UniqueNameField): RawBuilder<unknown> {
  if (field === 'alias') return r('alias_key');
  if (field === 'primarySmtpAddress') return r('smtp_key');
  return upnKey(frags);
}

/**
 * A comparison of an alias, address or UPN. Equality and a pattern that starts with literal
 * text seek those names in recipient_name (its key since 0019, where the three unique indexes
 * on recipient were before); the recipient's own name is compared too, since the names there
 * are of all three kinds. Other comparisons read the rows the rest of the page's plan reads.
 * A page sorted by the field reads it as sort_name's key, in that key's order.
 */
function uniqueName({ frags, sortName }: Compiling, c: Leaf & { field: UniqueNameField }): Cond {
  if (sortName === c.field) return text(frags, sql.ref('sort_name.name_key'), c, true);
  const own = text(frags, uniqueNameKey(frags, c.field), c, true);
  const seeks = c.kind === 'compare' ? c.operator === 'eq' : c.pattern[0]?.kind === 'text';
  if (!seeks) return own;
  return and([
    sql<SqlBool>`${r('id')} in (select rn.recipient_id from recipient_name rn where ${text(frags, sql.ref('rn.name_key'), c, true)})`,
    own,
  ]);
}

function leaf(ctx: Compiling, c: Leaf): Cond {
  const { frags, now, joined, policies } = ctx;
  if (c === joined) return TRUE;
  const named = policies?.get(c);
  if (named) return policyIn(frags, named);
  switch (c.field) {
    case 'id':
      // a GUID is one key seek; other comparisons read the GUID as text (a blob on SQLite, 0018)
      if (c.kind === 'compare' && c.operator === 'eq')
        return sql<SqlBool>`${r('id')} = ${frags.guid(textKey(String(c.value)))}`;
      return text(frags, frags.guidText(r('id')), c, true);
    case 'displayName':
      return text(frags, r('display_name_key'), c, true);
    case 'alias':
    case 'primarySmtpAddress':
    case 'userPrincipalName':
      return uniqueName(ctx, c as Leaf & { field: UniqueNameField });
    case 'language':
      return and([sql<SqlBool>`${r('language')} is not null`, text(frags, sql`lower(${r('language')})`, c)]);
    case 'createdAt':
      return time(r('created_at'), c);
    case 'updatedAt':
      return time(r('updated_at'), c);
    case 'umEnabled':
      return sql<SqlBool>`${r('um_policy_id')} ${sql.raw(c.kind === 'compare' && c.value === true ? 'is not null' : 'is null')}`;
    case 'umMailboxPolicy':
      // through the copy of the policy id on the recipient, which the list indexes lead with
      return and([
        sql<SqlBool>`${r('um_policy_id')} is not null`,
        sql<SqlBool>`${r('um_policy_id')} in (select p.id from mailbox_policy p where ${text(frags, sql.ref('p.name_key'), c)})`,
      ]);
    // A mailbox's dial plan is its policy's (a policy in use keeps its dial plan): through the
    // copy of the policy id on the recipient, as UMMailboxPolicy, not a look-up of um_mailbox a row
    case 'umDialPlan':
      return and([
        sql<SqlBool>`${r('um_policy_id')} is not null`,
        sql<SqlBool>`${r('um_policy_id')} in (select p.id from mailbox_policy p join dial_plan d on d.id = p.dial_plan_id where ${text(frags, sql.ref('d.name_key'), c)})`,
      ]);
    case 'umDialPlanId':
      return and([
        sql<SqlBool>`${r('um_policy_id')} is not null`,
        sql<SqlBool>`${r('um_policy_id')} in (select p.id from mailbox_policy p where ${text(frags, sql.ref('p.dial_plan_id'), c)})`,
      ]);
    case 'sipResourceIdentifier':
      return exists(
        MAILBOX,
        and([
          OF_MAILBOX,
          sql<SqlBool>`m.sip_resource_identifier is not null`,
          text(frags, sql`lower(m.sip_resource_identifier)`, c),
        ]),
      );
    case 'umEnabledAt':
      return exists(MAILBOX, and([OF_MAILBOX, time(sql.ref('m.enabled_at'), c)]));
    case 'extensions':
      // each of the mailbox's extensions, as its row holds them (migration 0021)
      return exists(
        sql`${MAILBOX}, ${frags.listItems(sql.ref('m.extensions'), 'e')}`,
        and([OF_MAILBOX, text(frags, sql.ref('e.value'), c)]),
      );
    case 'emailAddresses': {
      const eum = sql`'eum:' || e.value || ';phone-context=' || d.name_key || '.' || ${frags.addressDomain(r('smtp_key'))}`;
      return or([
        text(frags, sql`'smtp:' || ${r('smtp_key')}`, c),
        exists(
          sql`${MAILBOX} join dial_plan d on d.id = m.dial_plan_id, ${frags.listItems(sql.ref('m.extensions'), 'e')}`,
          and([OF_MAILBOX, text(frags, eum, c)]),
        ),
      ]);
    }
    case 'lockedOut':
    case 'pinExpired':
    case 'firstTimeUser': {
      const holds = pinState(c.field, now);
      if (c.kind === 'compare' && c.value === true) return holds;
      return and([exists(sql`pin_state s`, sql<SqlBool>`s.recipient_id = ${r('id')}`), sql<SqlBool>`not ${holds}`]);
    }
  }
}

const DAY_MS = 86_400_000;

/**
 * The mailboxes whose PIN state is locked out, expired or first-time, as Get-UMMailboxPIN
 * judges it at `now`. Each starts from the partial index of its flag (migration 0008), the
 * flag written as a literal so that both engines match that index; a PIN past its policy's
 * PINLifetime is read through the index of pin_set_at, policy by policy.
 */
function pinState(flag: 'lockedOut' | 'pinExpired' | 'firstTimeUser', now: number): Cond {
  const flagged = (column: string, more: Cond = TRUE) =>
    sql<SqlBool>`${r('id')} in (select s.recipient_id from pin_state s where ${sql.ref(`s.${column}`)} = ${sql.lit(1)} and ${more})`;
  switch (flag) {
    case 'lockedOut':
      // a timed lock (LockoutDuration) ends at locked_until, before the store clears it
      return flagged('locked_out', sql<SqlBool>`(s.locked_until is null or s.locked_until > ${now})`);
    case 'firstTimeUser':
      return flagged('first_time_user');
    case 'pinExpired':
      return or([
        flagged('pin_expired'),
        sql<SqlBool>`${r('id')} in (select s.recipient_id from mailbox_policy p join um_mailbox m on m.policy_id = p.id join pin_state s on s.recipient_id = m.recipient_id
          where p.pin_lifetime_days is not null and s.pin_set_at <= ${now} - p.pin_lifetime_days * cast(${sql.lit(DAY_MS)} as bigint))`,
      ]);
  }
}

interface SortKey {
  expr: RawBuilder<unknown>;
  /** unique per row: the key alone orders and seeks, and its index serves both */
  unique: boolean;
  time: boolean;
  /** a unique name: the page joins its recipient_name row (as sort_name, whose key is expr) where it equals this */
  name?: RawBuilder<unknown>;
}

/** Each sort field's key: text lower-cased, a missing value first (as '' or 0), a multi-valued field by its first value. */
function sortKey(frags: SqlFragments, field: RecipientSortField): SortKey {
  const column = (c: string, unique: boolean, t = false): SortKey => ({ expr: r(c), unique, time: t });
  const derived = (e: RawBuilder<unknown>): SortKey => ({
    expr: frags.bytewise(sql`coalesce((${e}), '')`),
    unique: false,
    time: false,
  });
  switch (field) {
    case 'displayName':
      return column('display_name_key', false);
    // in recipient_name's key order (migration 0019: no index of recipient's own leads with these)
    case 'alias':
    case 'primarySmtpAddress':
    case 'userPrincipalName':
      return { expr: sql.ref('sort_name.name_key'), unique: true, time: false, name: uniqueNameKey(frags, field) };
    case 'id':
      return column('id', true);
    case 'createdAt':
      return column('created_at', false, true);
    case 'updatedAt':
      return column('updated_at', false, true);
    case 'umMailboxPolicy':
      return derived(sql`select p.name_key from mailbox_policy p where p.id = ${r('um_policy_id')}`);
    case 'umDialPlan':
      return derived(
        sql`select d.name_key from um_mailbox m join dial_plan d on d.id = m.dial_plan_id where ${OF_MAILBOX}`,
      );
    case 'extensions':
      return derived(sql`select ${frags.firstListItem(sql.ref('m.extensions'))} from um_mailbox m where ${OF_MAILBOX}`);
    case 'sipResourceIdentifier':
      return derived(sql`select lower(m.sip_resource_identifier) from um_mailbox m where ${OF_MAILBOX}`);
    case 'umEnabledAt':
      return {
        expr: sql`coalesce((select m.enabled_at from um_mailbox m where ${OF_MAILBOX}), 0)`,
        unique: false,
        time: true,
      };
  }
}

/**
 * The search as one condition (any of the three key ranges), for orders no key index gives: the
 * candidates are the display-name index's range and the unique names' (which holds UPNs too),
 * each read by its key, and each candidate's own keys are compared.
 */
function searchCondition(p: string): Cond {
  const upper = prefixUpperBound(p);
  const range = (e: RawBuilder<unknown>) =>
    and([sql<SqlBool>`${e} >= ${p}`, ...(upper === null ? [] : [sql<SqlBool>`${e} < ${upper}`])]);
  return and([
    sql<SqlBool>`${r('id')} in (select d.id from recipient d where ${range(sql.ref('d.display_name_key'))}
      union all select rn.recipient_id from recipient_name rn where ${range(sql.ref('rn.name_key'))})`,
    or([range(r('display_name_key')), range(r('alias_key')), range(r('smtp_key'))]),
  ]);
}

type SortedRow = RecipientPageRow & { sort_key: string | number };

function sortedPage(
  db: Db,
  engine: EngineAdapter,
  spec: RecipientPageSpec,
  sort: RecipientSort,
  n: number,
): SelectQueryBuilder<Database, 'recipient', SortedRow> {
  const k = sortKey(engine.sql, sort.field);
  const dir = sort.descending ? 'desc' : 'asc';
  const past = sort.descending ? '<' : '>';
  const after = spec.after;
  let q = db
    .selectFrom('recipient')
    .$if(k.name !== undefined, (s) =>
      s.innerJoin('recipient_name as sort_name', (j) =>
        j
          .onRef('sort_name.recipient_id', '=', 'recipient.id')
          // equal, written as a range: as an equality PostgreSQL took it for a second key of the join, guessed
          // one row joined, and sorted both tables whole rather than walk the names' key to a page
          .on(sql<SqlBool>`${sql.ref('sort_name.name_key')} >= ${k.name!}`)
          .on(sql<SqlBool>`${sql.ref('sort_name.name_key')} <= ${k.name!}`),
      ),
    )
    .select(pageColumns(engine))
    .select(k.expr.as('sort_key'))
    .$if(filtersMailboxes(spec), (s) => s.where((eb) => umCondition(eb, spec)))
    .$if(spec.prefix !== '', (s) => s.where(searchCondition(spec.prefix))) as SelectQueryBuilder<
    Database,
    'recipient',
    RecipientPageRow & { sort_key: unknown }
  >;
  q = filtered(engine, q, spec, k.name !== undefined ? sort.field : undefined);
  // rows with the same key keep the lists' own order: by display name, then id
  const byName = sort.field === 'displayName';
  const ties = byName ? [r('id')] : [r('display_name_key'), r('id')];
  if (after) {
    // the cursor's GUID (last; first too when sorting by it) compared as the column holds it
    const guid = (v: string | number | undefined) => engine.sql.guid(String(v));
    const values = byName ? [after[0]!, after[2]!] : after;
    const bound = values.map((v, i) => (i === values.length - 1 ? guid(v) : v));
    q = q.where(
      k.unique
        ? sql<SqlBool>`${k.expr} ${sql.raw(past)} ${sort.field === 'id' ? guid(after[0]) : after[0]}`
        : sql<SqlBool>`(${sql.join([k.expr, ...ties])}) ${sql.raw(past)} (${sql.join(bound)})`,
    );
  }
  q = q.orderBy(k.expr, dir);
  if (!k.unique) for (const t of ties) q = q.orderBy(t, dir);
  return q.limit(sql.lit(n)) as SelectQueryBuilder<Database, 'recipient', SortedRow>;
}

/** The sort a cursor was made for: display name ascending is the lists' own order, whose cursors stay as they were. */
const sortTag = (sort: RecipientSort | undefined): string | null =>
  !sort || (sort.field === 'displayName' && !sort.descending) ? null : `${sort.descending ? '-' : ''}${sort.field}`;

/**
 * The key a cursor carries (domain/cursor.ts, the project's one format): [display_name_key, id]
 * in the lists' own order; sorted, [sort key, display_name_key, id, the sort], so a cursor of
 * one sort is refused by another. A time sort key travels as its decimal text.
 */
function cursorKey(c: string, tag: string | null, time: boolean): Array<string | number> {
  if (tag === null) return decodeCursor(c, 2);
  const [sortKey, name, id, madeFor] = decodeCursor(c, 4) as [string, string, string, string];
  if (madeFor !== tag || (time && !/^-?\d+$/.test(sortKey))) throw badCursor();
  return [time ? Number(sortKey) : sortKey, name, id];
}

type PageQuery = SelectQueryBuilder<Database, 'recipient', RecipientPageRow & { sort_key?: string | number }>;

/** What a list adds to its page's query (um-mailbox-page-query.ts), named: its plain pages are compiled once per name. */
export interface PageWidening<R> {
  name: string;
  widen(page: PageQuery, engine: EngineAdapter): Compilable<R> & { execute(): Promise<R[]> };
}

/**
 * The pages most requests ask for (no filter or sort: a first page, the next one from a
 * cursor, a search and its next pages), compiled once per shape (prepared.ts): building and
 * compiling the query in Kysely cost about a third of what SQLite took to run it. A shape is
 * everything but the values bound: the prefix and its upper bound, the policy id, the
 * cursor's key. The number kept is bounded (any page size makes a shape); past it, pages are
 * built as the others are.
 */
type PageRun = (db: Db, ...args: string[]) => Promise<unknown[]>;
/** by engine: what a shape compiles to follows the engine's SQL fragments (one engine a process, but the tests run both) */
const compiledPages = new WeakMap<EngineAdapter, Map<string, PageRun>>();
const COMPILED_SHAPES_KEPT = 256;
/**
 * How many of them run as named statements. Each pooled PostgreSQL connection keeps a named
 * statement's plan, about 300 KB for a search's: the first 32 shapes a server meets (the
 * admin center's pages and searches use a handful) take at most about 10 MB a connection;
 * shapes past them are planned on each call.
 */
const NAMED_SHAPES = 32;

function compiledPage(
  db: Db,
  engine: EngineAdapter,
  q: RecipientQuery,
  widening: PageWidening<unknown> | undefined,
): Promise<unknown[]> | null {
  if (q.filter || sortTag(q.sort) !== null) return null;
  const prefix = q.search ? textKey(q.search) : '';
  const after = q.cursor ? cursorKey(q.cursor, null, false).map(String) : null;
  // umCondition reads the policy id only when UM-enabled recipients are asked for
  const byPolicy = q.umEnabled !== false && Boolean(q.policyId);
  const search = prefix === '' ? null : searchShape(prefix, after);
  const key = `${widening?.name ?? ''}|${q.umEnabled}|${byPolicy}|${after !== null}|${q.limit}|${
    search ? `${search.length}|${search.upper === null}|${search.continues}|${search.alias !== null}` : ''
  }`;
  let kept = compiledPages.get(engine);
  if (kept === undefined) {
    kept = new Map();
    compiledPages.set(engine, kept);
  }
  let run = kept.get(key);
  if (run === undefined) {
    if (kept.size >= COMPILED_SHAPES_KEPT) return null;
    const { umEnabled, limit } = q;
    const named = kept.size < NAMED_SHAPES;
    run = prepared(
      (d: Db, ...args: string[]) => {
        const next = (() => {
          let i = 0;
          return () => args[i++]!;
        })();
        const policyId = byPolicy ? next() : undefined;
        const p = search ? next() : '';
        const upper = search && search.upper !== null ? next() : null;
        const alias = search && search.alias !== null ? next() : null;
        const page = recipientPageQuery(d, engine, {
          prefix: p,
          umEnabled,
          policyId,
          after: after === null ? null : [next(), next()],
          limit,
          ...(search ? { searchShape: { ...search, upper, alias } } : {}),
        });
        return widening ? widening.widen(page, engine) : page;
      },
      // named: PostgreSQL plans such a page once per connection instead of on every request (the
      // planning of a search's four branches took 0.9-1.8 ms, more than running it); its generic
      // plan is the plan any values get, each branch held to its index (the plan tests check it)
      { named },
    );
    kept.set(key, run);
  }
  return run(
    db,
    ...(byPolicy ? [q.policyId!] : []),
    ...(search
      ? [prefix, ...(search.upper !== null ? [search.upper] : []), ...(search.alias !== null ? [search.alias] : [])]
      : []),
    ...(after ?? []),
  );
}

/** Filtered pages in display-name order, compiled once per database and filter (kept-compilations.ts). */
const filteredPages = new WeakMap<object, KeptCompilations>();

/**
 * A filtered page in display-name order as compiled before for the same filter, with this call's
 * instant and cursor bound: the key holds everything else the query's shape follows, the
 * filter's values and the policies it names included, and what a search derives from the cursor.
 */
function filteredPageCompiled(
  db: Db,
  spec: RecipientPageSpec,
  wideningName: string,
  page: (spec: RecipientPageSpec) => Compilable<unknown>,
): CompiledQuery<unknown> {
  const adapter = db.getExecutor().adapter;
  let kept = filteredPages.get(adapter);
  if (kept === undefined) {
    kept = new KeptCompilations();
    filteredPages.set(adapter, kept);
  }
  const search = spec.prefix === '' ? null : searchShape(spec.prefix, spec.after);
  const key = JSON.stringify([
    wideningName,
    spec.prefix,
    search,
    spec.umEnabled ?? null,
    spec.policyId ?? null,
    spec.filter ?? null,
    spec.manyPinsExpired === true,
    spec.policies ? [...spec.policies.values()] : null,
    spec.after !== null,
    spec.limit,
  ]);
  const after = spec.after ?? [];
  return kept.compiled(key, [spec.now ?? Date.now(), ...after], ([now, ...cursor]) =>
    page({
      ...spec,
      now: now as number,
      after: spec.after === null ? null : cursor,
      ...(search ? { searchShape: search } : {}),
    }).compile(),
  );
}

/**
 * One page of RecipientQuery: its rows, and the cursor of the next page (null at the end).
 * `widening` adds columns to the page's outermost select (joins by key), so that one statement
 * reads what a list shows; the rows keep the page's order and limit.
 */
export async function recipientListPage<R extends RecipientPageRow = RecipientPageRow>(
  db: Db,
  engine: EngineAdapter,
  q: RecipientQuery,
  widening?: PageWidening<R>,
): Promise<{ rows: R[]; next: string | null }> {
  const tag = sortTag(q.sort);
  const time = q.sort !== undefined && tag !== null && sortKey(engine.sql, q.sort.field).time;
  const compiled = compiledPage(db, engine, q, widening as PageWidening<unknown> | undefined);
  const rows = (
    compiled !== null
      ? await compiled
      : await (async () => {
          const now = q.now ?? Date.now();
          const spec: RecipientPageSpec = {
            prefix: q.search ? textKey(q.search) : '',
            umEnabled: q.umEnabled,
            policyId: q.policyId,
            filter: q.filter,
            now,
            manyPinsExpired: requiresPinExpired(q.filter) && (await pinExpiredIsCommonLately(db, now)),
            policies: await policiesNamed(db, engine.sql, q.filter),
            sort: q.sort,
            after: q.cursor ? cursorKey(q.cursor, tag, time) : null,
            limit: q.limit,
          };
          const page = (s: RecipientPageSpec) => {
            const query: PageQuery = recipientPageQuery(db, engine, s);
            return widening ? widening.widen(query, engine) : query;
          };
          if (tag !== null) return page(spec).execute();
          return (await db.executeQuery(filteredPageCompiled(db, spec, widening?.name ?? '', page))).rows;
        })()
  ) as Array<R & { sort_key?: string | number }>;
  const more = rows.length > q.limit;
  if (more) rows.length = q.limit;
  const last = rows[rows.length - 1];
  const next =
    !more || !last
      ? null
      : tag === null
        ? encodeCursor([last.display_name_key, last.id])
        : encodeCursor([String(last.sort_key), last.display_name_key, last.id, tag]);
  // a sorted page's rows keep their sort_key: the callers map the columns they show
  return { rows, next };
}
