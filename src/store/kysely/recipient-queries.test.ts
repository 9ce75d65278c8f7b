/**
 * Lists and look-ups stay index-backed: at 20,000 mailboxes (the synthetic demo), the
 * plans of a first page, a continuation page, prefix searches, identity look-ups and the
 * -Filter cases an administrator runs most (LockedOut -eq $true among a few locked out, a
 * prefix sorted by its key) read no table from end to end and sort no more than a page;
 * and pages read through cursors give exactly the rows a brute-force filter and sort give.
 */
import BetterSqlite3 from 'better-sqlite3';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { initLargeDemo, syntheticAddress } from '../../services/demo-large.js';
import { newMailboxPolicy } from '../../services/mailbox-policies.js';
import {
  MAILBOX_CATALOG,
  recipientFilter,
  recipientSort,
  UM_MAILBOX_CATALOG,
} from '../../services/recipient-properties.js';
import { setRecipient } from '../../services/recipients.js';
import { disableUMMailbox, setUMMailbox } from '../../services/um-mailboxes.js';
import type { EngineAdapter } from './engine-adapter.js';
import type { KyselyStore } from './kysely-store.js';
import {
  extensionOwnersQuery,
  identityQuery,
  mailboxesNamedQuery,
  pinExpiredIsCommon,
  policiesNamed,
  prefixUpperBound,
  recipientPageQuery,
  SHARED_CAP,
  type RecipientPageSpec,
} from './recipient-queries.js';
import type { Database, RecipientRow } from './schema.js';
import { type PlanNode, postgresPlanTree, queryPlan } from './query-plan.js';
import { withMailboxes } from './um-mailbox-page-query.js';
import { deleteExtensionsQuery } from './mailbox-extensions.js';

const N = 20_000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TABLES = 'recipient|um_mailbox|extension|pin_state';

/** Byte order of UTF-8, as SQLite's BINARY and PostgreSQL's "C" compare. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const rowOrder = (a: RecipientRow, b: RecipientRow): number =>
  byteOrder(a.display_name_key, b.display_name_key) || byteOrder(a.id, b.id);

describe('prefixUpperBound', () => {
  it('is the least string above every string with the prefix', () => {
    expect(prefixUpperBound('ja')).toBe('jb');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{10FFFF}')).toBeNull();
    expect(prefixUpperBound('\u{D7FF}')).toBe('\u{E000}');
    expect(prefixUpperBound('林')).toBe('枘');
  });
});

for (const engine of ENGINES) {
  describe(`recipient queries at ${N.toLocaleString('en-US')} mailboxes (${engine})`, () => {
    let t: TestContext;
    let db: Kysely<Database>;
    let adapter: EngineAdapter;
    let all: RecipientRow[];
    let contosoPolicy: string;
    let smallPolicy: string;
    const small = new Set<string>();
    /** a few mailboxes locked out among 20,000, as after a guessing attempt */
    const locked = new Set<string>();

    beforeAll(async () => {
      t = await testContext(engine);
      await initLargeDemo(t.deps, ADMIN, { mailboxes: N + 20 });
      db = (t.deps.store as KyselyStore).kysely;
      adapter = (t.deps.store as KyselyStore).engineAdapter;
      // a policy only 12 mailboxes have: a walk of the whole display-name index would pass ~1,700 rows for each
      smallPolicy = (await newMailboxPolicy(t.deps, ADMIN, { name: 'Executives', umDialPlan: 'Contoso' })).id;
      for (let i = 0; i < N; i += Math.floor(N / 12)) {
        await setUMMailbox(t.deps, ADMIN, syntheticAddress(i), { umMailboxPolicy: 'Executives' });
        small.add(syntheticAddress(i));
      }
      // addresses other than the alias's, which the address index holds (the others' it leaves out since 0024)
      for (let i = 3; i < N; i += 100)
        await setRecipient(t.deps, ADMIN, syntheticAddress(i), {
          primarySmtpAddress: `x.${syntheticAddress(i).split('@')[0]}@fabrikam.com`,
        });
      contosoPolicy = (await t.deps.store.findPolicies('Contoso Default Policy'))[0]!.id;
      await t.deps.store.transaction(async (tx) => {
        for (let i = 7; i < N; i += Math.floor(N / 6)) {
          const [r] = await tx.findRecipients(syntheticAddress(i));
          await tx.setLock(r!.id, true);
          locked.add(r!.id);
        }
      });
      await t.deps.store.bulkLoad(async () => undefined); // fresh statistics after those changes
      all = (await db.selectFrom('recipient').selectAll().execute()).sort(rowOrder);
    }, 600_000);
    afterAll(() => t?.close());

    const plan = (q: { compile(): CompiledQuery }): Promise<string[]> => queryPlan(db, engine, q);

    // better-sqlite3 makes a Buffer of every blob it returns, which cost more than the text a
    // GUID's hex digits make (SqlFragments.guidColumn): a list page's statement returns no blob
    if (engine === 'sqlite')
      it("reads a list page's GUIDs as hex digits, not blobs, and gives them back as GUIDs", async () => {
        const raw = new BetterSqlite3(t.db.url, { readonly: true });
        try {
          const ja = all.find((r) => r.display_name_key.startsWith('ja'))!;
          for (const s of [
            spec({}),
            spec({ prefix: 'ja' }),
            spec({ prefix: 'ja', after: [ja.display_name_key, ja.id] }),
          ]) {
            const compiled = withMailboxes(recipientPageQuery(db, adapter, s), true, adapter).compile();
            const rows = raw
              .prepare(compiled.sql)
              .raw(true)
              .all(...compiled.parameters) as unknown[][];
            expect(rows.length).toBeGreaterThan(0);
            expect(rows.flat().filter((v) => v instanceof Uint8Array)).toEqual([]);
            const read = await db.executeQuery<{ id: string; mailbox_policy_id: string; mailbox_dial_plan_id: string }>(
              compiled,
            );
            expect(
              read.rows.every(
                (r) => GUID.test(r.id) && GUID.test(r.mailbox_policy_id) && GUID.test(r.mailbox_dial_plan_id),
              ),
            ).toBe(true);
          }
        } finally {
          raw.close();
        }
      });

    /** No table read from end to end. */
    function expectNoFullScan(lines: string[]): void {
      const full = engine === 'sqlite' ? new RegExp(`^SCAN (${TABLES})$`) : new RegExp(`Seq Scan on (${TABLES})\\b`);
      expect(
        lines.filter((l) => full.test(l)),
        lines.join('\n'),
      ).toEqual([]);
    }

    /** The rows come in index order: nothing sorted, so the LIMIT stops the walk. */
    function expectNoSort(lines: string[]): void {
      const sort = engine === 'sqlite' ? /TEMP B-TREE/ : /^(->\s+)?(Incremental )?Sort\b/;
      expect(
        lines.filter((l) => sort.test(l)),
        lines.join('\n'),
      ).toEqual([]);
    }

    const spec = (s: Partial<RecipientPageSpec>): RecipientPageSpec => ({
      prefix: '',
      umEnabled: true,
      after: null,
      limit: 50,
      ...s,
    });
    const middle = () => all[Math.floor(all.length / 2)]!;
    const firstWith = (p: string) => all.find((r) => r.display_name_key.startsWith(p))!;

    // PostgreSQL's own: index-only scans read the heap for a page its visibility map does not mark
    if (engine === 'postgres')
      it('after the bulk load every page of the loaded tables is marked all-visible: index-only scans read no heap', async () => {
        const { rows } = await sql<{ relname: string; pages: number; marked: number }>`
          select relname, relpages as pages, relallvisible as marked from pg_class
          where relname in ('recipient', 'recipient_name', 'um_mailbox', 'extension', 'pin_state') order by relname`.execute(
          db,
        );
        expect(rows).toHaveLength(5);
        for (const r of rows) expect(r.marked, r.relname).toBeGreaterThanOrEqual(Math.floor(r.pages * 0.99));
      });

    it('first page: walks the display-name index of UM mailboxes from its start', async () => {
      const lines = await plan(recipientPageQuery(db, adapter, spec({})));
      expectNoFullScan(lines);
      expectNoSort(lines);
      // one display-name index for all recipients and the UM-enabled ones (0023): it holds um_policy_id
      expect(lines.join('\n')).toMatch(/recipient_display_name/);
      // all recipients: the display-name index of them all
      expect((await plan(recipientPageQuery(db, adapter, spec({ umEnabled: undefined })))).join('\n')).toMatch(
        /recipient_display_name/,
      );
    });

    it('continuation page: seeks to the cursor in the display-name index', async () => {
      const m = middle();
      const lines = await plan(recipientPageQuery(db, adapter, spec({ after: [m.display_name_key, m.id] })));
      expectNoFullScan(lines);
      expectNoSort(lines);
      expect(lines.join('\n')).toMatch(
        engine === 'sqlite'
          ? /SEARCH recipient USING INDEX recipient_display_name \(\(display_name_key,id\)>\(\?,\?\)\)/
          : /Index Cond: \(+ROW\(display_name_key, id\) > ROW\(/,
      );
    });

    it("a page of one policy, large or small, walks that policy's part of an index in page order", async () => {
      const m = middle();
      for (const policyId of [contosoPolicy, smallPolicy]) {
        for (const after of [null, [m.display_name_key, m.id] as const]) {
          const lines = await plan(recipientPageQuery(db, adapter, spec({ policyId, after })));
          expectNoFullScan(lines);
          expectNoSort(lines);
          expect(lines.join('\n')).toMatch(/recipient_policy_display/);
        }
      }
    });

    it('prefix searches read ranges of the key indexes, first page and continuation', async () => {
      const ja = firstWith('ja');
      for (const s of [
        spec({ prefix: 'ja' }),
        spec({ prefix: 'ja', after: [ja.display_name_key, ja.id] }),
        spec({ prefix: 'kai-ting.' }),
        spec({ prefix: 'lin chih' }),
        spec({ prefix: 'ja', umEnabled: undefined }),
        spec({ prefix: `${middle().alias_key}@contoso.c` }),
      ]) {
        const lines = await plan(recipientPageQuery(db, adapter, s));
        expectNoFullScan(lines);
        const text = lines.join('\n');
        // past an alias's `@`: its unique name, for the address of the alias that the address index leaves out (0024)
        if (s.prefix.includes('@'))
          expect(text, text).toMatch(
            engine === 'sqlite'
              ? /SEARCH recipient_name USING PRIMARY KEY \(name_key=\?\)/
              : /Index (Only )?Scan using recipient_name_pk on recipient_name/,
          );
        if (engine === 'sqlite') {
          // the three ranges: display names, then aliases and addresses from their covering indexes
          // (a prefix longer than the shared leads count compares the earlier keys in the rows too)
          const covering = s.prefix.length <= SHARED_CAP ? 'COVERING ' : '';
          for (const index of [
            /recipient_display_name/,
            new RegExp(`${covering}INDEX recipient_alias_search`),
            new RegExp(
              `${covering}INDEX recipient_smtp_search \\(smtp_shared=\\? AND smtp_key>\\? AND smtp_key<\\?\\)`,
            ),
          ])
            expect(text, text).toMatch(index);
          expect(
            lines.filter((l) => /^SCAN recipient/.test(l)),
            text,
          ).toEqual([]);
        } else {
          // PostgreSQL picks among the indexes on each key by its estimates; every range is an index range
          for (const k of ['display_name_key', 'alias_key', 'smtp_key'])
            expect(
              lines.some((l) => l.startsWith('Index Cond:') && l.includes(k)),
              `${k}\n${text}`,
            ).toBe(true);
        }
      }
    });

    it('identity look-ups by alias, address, UPN, GUID and display name, and extension look-ups, are index seeks', async () => {
      const r = middle();
      for (const k of [r.alias_key, r.smtp_key, r.user_principal_name.toLowerCase(), r.id, r.display_name_key]) {
        const lines = await plan(identityQuery(db, k));
        expectNoFullScan(lines);
        expectNoSort(lines);
        // one statement, whatever kind of name k is: the recipient's key, the unique names' key, the display-name index
        const text = lines.join('\n');
        for (const seek of engine === 'sqlite'
          ? [
              /SEARCH by_id USING PRIMARY KEY \(id=\?\)/,
              /SEARCH recipient_name USING PRIMARY KEY \(name_key=\?\)/,
              /SEARCH by_display USING COVERING INDEX recipient_display_name \(display_name_key=\?\)/,
              /SEARCH recipient USING PRIMARY KEY \(id=\?\)/,
            ]
          : [
              /Index (Only )?Scan using recipient_pkey on recipient by_id/,
              /Index (Only )?Scan using recipient_name_pk on recipient_name/,
              /Index (Only )?Scan using recipient_(um_)?display\S* on recipient by_display/,
              /Index Scan using recipient_pkey on recipient\b(?! by_)/,
            ])
          expect(text, text).toMatch(seek);
        if (engine === 'sqlite')
          expect(
            lines.filter((l) => /^SCAN /.test(l)),
            text,
          ).toEqual([]);
        else
          expect(
            lines.filter((l) => /Seq Scan/.test(l)),
            text,
          ).toEqual([]);
        // the look-up behind PIN status and resets: the same seeks, its joins by key (the extensions are the mailbox's column)
        expectNoFullScan(await plan(mailboxesNamedQuery(db, k)));
      }
      expectNoFullScan(await plan(db.selectFrom('pin_state').selectAll().where('recipient_id', '=', r.id)));
      const dialPlanId = (await t.deps.store.findDialPlans('Contoso'))[0]!.id;
      // an extension's owners: a seek of the key in each dial plan (no extension_number since 0024)
      const owners = await plan(extensionOwnersQuery(db, '20005', dialPlanId));
      expectNoFullScan(owners);
      expect(owners.join('\n')).toMatch(
        engine === 'sqlite'
          ? /SEARCH extension USING PRIMARY KEY \(dial_plan_id=\? AND number=\?\)/
          : /Index Scan using extension_pk on extension/,
      );
      // a mailbox's extension rows are deleted by their key (no index leads with recipient_id since 0021)
      const deleting = await plan(deleteExtensionsQuery(db, r.id, dialPlanId, ['20005', '20006', '20007']));
      expectNoFullScan(deleting);
      expect(deleting.join('\n')).toMatch(
        engine === 'sqlite'
          ? /SEARCH extension USING PRIMARY KEY \(dial_plan_id=\? AND number=\?\)/
          : /Index Scan using extension_pk on extension/,
      );
    });

    const now = Date.UTC(2026, 10, 25);
    const filter = (text: string) => recipientFilter(text, UM_MAILBOX_CATALOG);

    // the pages compiledPage keeps run as named statements: PostgreSQL plans each once per
    // connection and then runs its generic plan, which must be the plan any values get
    if (engine === 'postgres')
      it("a list page's generic plan (a named statement's, for any values) reads the same indexes and sorts nothing more than a page", async () => {
        const m = middle();
        const ja = firstWith('ja');
        const long = all.find((r) => r.alias_key.length > SHARED_CAP + 2)!;
        const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
        const indexes = (n: PlanNode) =>
          nodes(n)
            .flatMap((x) => x['Index Name'] ?? [])
            .sort();
        // a sort whose rows come through a Limit sorts a page at most; the others sort candidates
        const bounded = (n: PlanNode): boolean =>
          n['Node Type'] === 'Limit' || ((n.Plans ?? []).length > 0 && (n.Plans ?? []).every(bounded));
        const sortsOfCandidates = (n: PlanNode) =>
          nodes(n).filter((x) => x['Node Type'] === 'Sort' && !(x.Plans ?? []).every(bounded)).length;
        for (const s of [
          spec({}),
          spec({ after: [m.display_name_key, m.id] }),
          spec({ policyId: smallPolicy, after: [m.display_name_key, m.id] }),
          spec({ prefix: 'h' }),
          spec({ prefix: 'ja' }),
          spec({ prefix: 'ja', after: [ja.display_name_key, ja.id] }),
          spec({ prefix: 'kai-ting.lu@' }),
          spec({ prefix: long.alias_key }),
        ]) {
          const page = withMailboxes(recipientPageQuery(db, adapter, s), true, adapter);
          // the page's limit is in its SQL: a generic plan that did not know it planned for a tenth of
          // the table (at 1,000,000 mailboxes, parallel workers for a page of 101 rows)
          expect(page.compile().sql).not.toMatch(/\blimit (\$\d+|\?)/i);
          const given = await postgresPlanTree(db, page, false);
          const generic = await postgresPlanTree(db, page, true);
          const text = JSON.stringify(generic);
          expect(
            nodes(generic)
              .filter((x) => x['Node Type'] === 'Seq Scan')
              .map((x) => x['Relation Name']),
            text,
          ).toEqual([]);
          expect(indexes(generic), text).toEqual(indexes(given));
          expect(
            nodes(generic).filter((x) => x['Node Type'].startsWith('Gather')),
            text,
          ).toEqual([]);
          expect(sortsOfCandidates(generic), text).toBe(sortsOfCandidates(given));
        }
      });

    it("a list page's one statement (umMailboxPage) keeps the page's plan and joins each row's mailbox and PIN state by key, or reads the PIN state its filter joined; its extensions come in the mailbox's row", async () => {
      const m = middle();
      const ja = firstWith('ja');
      const sorts = (lines: string[]) =>
        lines.filter((l) => (engine === 'sqlite' ? /TEMP B-TREE/ : /^(->\s+)?(Incremental )?Sort\b/).test(l)).length;
      for (const s of [
        spec({}),
        spec({ after: [m.display_name_key, m.id] }),
        spec({ policyId: smallPolicy, after: [m.display_name_key, m.id] }),
        spec({ prefix: 'ja' }),
        spec({ prefix: 'ja', after: [ja.display_name_key, ja.id] }),
        spec({ filter: filter('{LockedOut -eq $true}'), now }),
      ]) {
        const page = recipientPageQuery(db, adapter, s);
        const alone = await plan(page);
        for (const pins of [false, true]) {
          const lines = await plan(withMailboxes(page, pins, adapter));
          const text = lines.join('\n');
          expectNoFullScan(lines);
          // no more sorting than the page alone: no ordered aggregate, no re-sort of the joined rows
          expect(sorts(lines), text).toBe(sorts(alone));
          // a page whose filter joined the PIN state for its flag reads that row, not the same row again
          const flagJoined = s.filter !== undefined;
          if (pins && flagJoined) {
            expect(text).not.toMatch(/\bpage_pin\b/);
            const ps = (l: string[]) => l.filter((x) => /\bps\b/.test(x)).length;
            expect(ps(lines), text).toBe(ps(alone));
          }
          const joined = ['page_mailbox', ...(pins && !flagJoined ? ['page_pin'] : [])];
          for (const alias of joined) {
            const reads = lines.filter((l) => new RegExp(`\\b${alias}\\b`).test(l));
            expect(reads.length, `${alias}\n${text}`).toBeGreaterThan(0);
            // SQLite names the alias on the line that reads it; PostgreSQL on its scan's line
            for (const l of reads)
              expect(l, `${alias}\n${text}`).toMatch(
                engine === 'sqlite'
                  ? /^SEARCH \S+ USING (COVERING )?(INDEX \S+|PRIMARY KEY) \(recipient_id=\?\)/
                  : /^(->\s+)?Index (Only )?Scan using \S+ on \S+ \S+/,
              );
          }
        }
      }
    });

    it('LockedOut -eq $true reads the partial index of locked-out mailboxes, first page and continuation, never every mailbox', async () => {
      const m = middle();
      for (const after of [null, [m.display_name_key, m.id] as const]) {
        const lines = await plan(
          recipientPageQuery(db, adapter, spec({ filter: filter('{LockedOut -eq $true}'), now, after })),
        );
        expectNoFullScan(lines);
        expect(lines.join('\n')).toMatch(/pin_state_locked_out/);
      }
      const lines = await plan(
        recipientPageQuery(
          db,
          adapter,
          spec({ filter: filter('FirstTimeUser -eq $true -and LockedOut -eq $true'), now }),
        ),
      );
      expectNoFullScan(lines);
      expect(lines.join('\n')).toMatch(/pin_state_locked_out/);
    });

    it('FirstTimeUser and PinExpired, which nearly every mailbox has here, walk the page order: no gathering, no sort', async () => {
      const m = middle();
      for (const [text, many] of [
        ['FirstTimeUser -eq $true', false],
        ['PinExpired -eq $true', true],
        ["FirstTimeUser -eq $true -and UMDialPlan -eq 'Contoso'", false],
      ] as const) {
        expect(await pinExpiredIsCommon(db, now)).toBe(true);
        for (const after of [null, [m.display_name_key, m.id] as const]) {
          const lines = await plan(
            recipientPageQuery(db, adapter, spec({ filter: filter(text), now, after, manyPinsExpired: many })),
          );
          expectNoFullScan(lines);
          // PostgreSQL guesses a dial plan's flagged mailboxes at a few and may sort them
          if (engine === 'sqlite' || !text.includes('UMDialPlan')) {
            expectNoSort(lines);
            expect(lines.join('\n'), text).toMatch(/recipient_(um_)?display/);
          }
        }
      }
    });

    it("UMDialPlan and UMMailboxPolicy read their policies' part of the list index, not the mailbox of each row", async () => {
      for (const text of ["UMDialPlan -eq 'Contoso'", "UMMailboxPolicy -eq 'Contoso Default Policy'"]) {
        const f = filter(text);
        // as the policy ids the store reads first (recipientListPage; as a subquery PostgreSQL guesses badly)
        for (const policies of [await policiesNamed(db, adapter.sql, f)]) {
          const lines = await plan(recipientPageQuery(db, adapter, spec({ filter: f, now, policies })));
          expectNoFullScan(lines);
          expect(lines.join('\n'), text).toMatch(/recipient_(um_|policy_)?display/);
          expect(lines.join('\n'), text).not.toMatch(/um_mailbox/);
        }
      }
      // one policy: that policy's range of its index, in page order
      const executives = filter("UMMailboxPolicy -eq 'Executives'");
      const one = await policiesNamed(db, adapter.sql, executives);
      expect([...one!.values()]).toEqual([[smallPolicy]]);
      const lines = await plan(recipientPageQuery(db, adapter, spec({ filter: executives, now, policies: one })));
      expectNoSort(lines);
      expect(lines.join('\n')).toMatch(/recipient_policy_display/);
    });

    it('a prefix filter sorted by its own key reads that key range of its index, no table read whole', async () => {
      const ja = all.find((r) => r.alias_key.startsWith('ja'))!;
      for (const [text, sortBy, key, after] of [
        ["Alias -like 'ja*'", 'Alias', 'alias_key', null],
        ["Alias -like 'ja*'", 'Alias', 'alias_key', [ja.alias_key, ja.display_name_key, ja.id]],
        ["Name -like 'lin*' -and UMMailboxPolicy -eq 'Contoso Default Policy'", 'Name', 'display_name_key', null],
      ] as const) {
        const lines = await plan(
          recipientPageQuery(
            db,
            adapter,
            spec({ filter: filter(text), sort: recipientSort(sortBy, UM_MAILBOX_CATALOG), now, after }),
          ),
        );
        expectNoFullScan(lines);
        // an alias is read in the unique names' key order (migration 0019), a display name in its index's
        const [table, column] = key === 'alias_key' ? ['sort_name', 'name_key'] : ['recipient', key];
        const range =
          engine === 'sqlite'
            ? new RegExp(`^SEARCH ${table} USING (INDEX \\S+|PRIMARY KEY) \\(${column}>\\? AND ${column}<\\?\\)`)
            : new RegExp(`^Index Cond: .*\\b${column} >= '`);
        expect(
          lines.some((l) => range.test(l)),
          lines.join('\n'),
        ).toBe(true);
        // SQLite reads the range in key order; PostgreSQL may rather sort the range's few rows
        if (engine === 'sqlite') expectNoSort(lines);
      }
    });

    it('-Filter on an alias, address or UPN seeks the unique names; -SortBy on them walks their key in order', async () => {
      const m = middle();
      for (const text of [
        `Alias -eq '${m.alias}'`,
        `PrimarySmtpAddress -eq '${m.primary_smtp_address.toUpperCase()}'`,
        `UserPrincipalName -eq '${m.user_principal_name}'`,
        `UserPrincipalName -like '${m.user_principal_name.slice(0, 4)}*'`,
      ]) {
        const q = recipientPageQuery(db, adapter, spec({ filter: recipientFilter(text, MAILBOX_CATALOG), now }));
        const lines = await plan(q);
        expectNoFullScan(lines);
        expect(lines.join('\n'), text).toMatch(
          engine === 'sqlite'
            ? /SEARCH rn USING PRIMARY KEY \(name_key[=>]\?/
            : /Index (Only )?Scan (using|on) recipient_name_pk\b/,
        );
        const found = (await q.execute()).map((r) => r.id);
        expect(found, text).toContain(m.id);
      }
      for (const field of ['userPrincipalName', 'primarySmtpAddress', 'alias'] as const)
        for (const after of [null, [m.smtp_key, m.display_name_key, m.id]]) {
          const lines = await plan(
            recipientPageQuery(db, adapter, spec({ sort: { field, descending: after === null }, now, after })),
          );
          expectNoFullScan(lines);
          // the names' key in order (each row of the page by its key), stopping at the page: nothing sorted
          expectNoSort(lines);
          expect(lines.join('\n')).toMatch(
            engine === 'sqlite'
              ? /^(SCAN sort_name|SEARCH sort_name USING PRIMARY KEY \(name_key>\?\))$/m
              : /Index Scan (Backward )?using recipient_name_pk on recipient_name sort_name/,
          );
        }
      // a search sorted by a unique name: its display-name, alias and address matches, in that name's order
      const ja = all
        .filter(
          (r) =>
            r.um_policy_id !== null && [r.display_name_key, r.alias_key, r.smtp_key].some((k) => k.startsWith('ja')),
        )
        .sort((a, b) => byteOrder(a.smtp_key, b.smtp_key))
        .map((r) => r.id);
      const searched: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await t.deps.store.listRecipients({
          umEnabled: true,
          search: 'ja',
          sort: { field: 'primarySmtpAddress', descending: false },
          limit: 200,
          cursor,
        });
        searched.push(...page.items.map((r) => r.id));
        cursor = page.next;
      } while (cursor);
      expect(searched).toEqual(ja);
      // SQLite reads the candidates by key; PostgreSQL, at this size, may rather hash the whole table
      const searchPlan = await plan(
        recipientPageQuery(db, adapter, spec({ prefix: 'ja', sort: { field: 'alias', descending: false } })),
      );
      if (process.env.SHOW_PLANS) console.log(searchPlan.join('\n'));
      if (engine === 'sqlite') expectNoFullScan(searchPlan);
      // the pages come in the order of the key, each recipient once
      const byUpn = all.filter((r) => r.um_policy_id !== null).map((r) => [r.user_principal_name.toLowerCase(), r.id]);
      byUpn.sort((a, b) => byteOrder(a[0]!, b[0]!));
      const first = await t.deps.store.listRecipients({
        umEnabled: true,
        sort: { field: 'userPrincipalName', descending: false },
        limit: 30,
      });
      const next = await t.deps.store.listRecipients({
        umEnabled: true,
        sort: { field: 'userPrincipalName', descending: false },
        limit: 30,
        cursor: first.next,
      });
      expect([...first.items, ...next.items].map((r) => r.id)).toEqual(byUpn.slice(0, 60).map((x) => x[1]));
    });

    /** Every page through the store's own API, as a client pages. */
    async function pages(
      q: { search?: string; policyId?: string; umEnabled?: boolean },
      limit: number,
    ): Promise<string[]> {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await t.deps.store.listRecipients({ ...q, cursor, limit });
        out.push(...page.items.map((x) => x.id));
        cursor = page.next;
      } while (cursor);
      return out;
    }

    it('pages through searches exactly as a brute-force filter and sort would', async () => {
      const ids = (rows: RecipientRow[]) => rows.map((r) => r.id);
      const matching = (p: string) =>
        all.filter((r) => [r.display_name_key, r.alias_key, r.smtp_key].some((k) => k.startsWith(p)));
      // display-name matches; alias-only matches (zh-TW names are shown family name first); address-only matches
      // and prefixes longer than SHARED_CAP: an address past a long alias, a long alias itself
      const long = all.find((r) => r.alias_key.length > SHARED_CAP + 2 && r.alias_key.includes('.'))!;
      // and addresses other than the alias's, whole and in part
      const other = all.find((r) => r.smtp_key.startsWith('x.'))!;
      // a few display names and, after the last of them, recipients found by alias: a page does not
      // end where the display names do (PostgreSQL bounds the alias candidates by the display-name branch)
      const fewNamesFirst = (() => {
        for (const r of all.filter((_, i) => i % 97 === 0))
          for (const len of [2, 3, 4]) {
            const p = r.alias_key.slice(0, len);
            const m = matching(p);
            const names = m.filter((x) => x.display_name_key.startsWith(p));
            const last = names.at(-1);
            if (
              names.length > 0 &&
              names.length < 7 &&
              m.some((x) => byteOrder(x.display_name_key, last!.display_name_key) > 0)
            )
              return p;
          }
        return undefined;
      })();
      expect(fewNamesFirst).toBeDefined();
      for (const p of [
        fewNamesFirst!,
        'jam',
        'kai-ting',
        'lu kai',
        'kai-ting.lu@',
        `${long.alias_key}@`,
        'x.',
        `x.${other.alias_key.slice(0, 3)}`,
        `x.${other.alias_key}@f`,
        long.alias_key,
        long.display_name_key.slice(0, SHARED_CAP + 2),
      ]) {
        const expected = ids(matching(p));
        expect(expected.length, p).toBeGreaterThan(0);
        expect(await pages({ search: p, umEnabled: true }, 7), p).toEqual(expected);
      }
      expect(await pages({ search: 'zzz' }, 10)).toEqual([]);
    });

    it('pages through filtered and sorted lists exactly as a brute-force filter and sort would', async () => {
      const ids = async (q: Parameters<typeof t.deps.store.listRecipients>[0]) => {
        const out: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await t.deps.store.listRecipients({ ...q, cursor });
          out.push(...page.items.map((x) => x.id));
          cursor = page.next;
        } while (cursor);
        return out;
      };
      expect(await ids({ umEnabled: true, filter: filter('LockedOut -eq $true'), now, limit: 2 })).toEqual(
        all.filter((r) => locked.has(r.id)).map((r) => r.id),
      );
      const ja = all.filter((r) => r.alias_key.startsWith('ja') && r.um_policy_id !== null);
      const byAlias = [...ja].sort((a, b) => byteOrder(b.alias_key, a.alias_key)).map((r) => r.id);
      expect(
        await ids({
          umEnabled: true,
          filter: filter("Alias -like 'ja*'"),
          sort: { field: 'alias', descending: true },
          now,
          limit: 7,
        }),
      ).toEqual(byAlias);
    });

    it('follows Disable-UMMailbox: the recipient leaves the UM lists and joins the others', async () => {
      const address = syntheticAddress(N - 1);
      const id = (await t.deps.store.findRecipients(address))[0]!.id;
      await disableUMMailbox(t.deps, ADMIN, address);
      expect(await pages({ umEnabled: false }, 100)).toEqual([id]);
      expect(await pages({ search: address, umEnabled: true }, 10)).toEqual([]);
      expect(await pages({ search: address }, 10)).toEqual([id]);
    });

    it('pages through a small policy and a large one exactly', async () => {
      const smallIds = all.filter((r) => small.has(r.primary_smtp_address)).map((r) => r.id);
      expect(smallIds).toHaveLength(small.size);
      expect(await pages({ policyId: smallPolicy }, 5)).toEqual(smallIds);
      const largeIds = await pages({ policyId: contosoPolicy }, 1000);
      const inLarge = new Set(
        await db
          .selectFrom('um_mailbox')
          .select('recipient_id')
          .where('policy_id', '=', contosoPolicy)
          .execute()
          .then((r) => r.map((x) => x.recipient_id)),
      );
      expect(largeIds).toEqual(all.filter((r) => inLarge.has(r.id)).map((r) => r.id));
    });
  });
}
