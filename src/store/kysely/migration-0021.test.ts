/**
 * 0021-mailbox-extensions on a populated database, on both engines: up, every UM mailbox's
 * extensions column equals its extension rows in their order (3 out of number order, 1, none);
 * down, 0020's shape is back (extension_recipient_position and the foreign key to recipient,
 * no column) with the same rows; up again, the same. An extension row no mailbox of its dial
 * plan names stops it with nothing changed.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { setUMMailbox } from '../../services/um-mailboxes.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)('migration 0021-mailbox-extensions (%s)', (engine) => {
  let t: TestContext;
  let store: KyselyStore;
  let ids: string[];

  beforeEach(async () => {
    t = await testContext(engine);
    store = t.deps.store as unknown as KyselyStore;
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
      { alias: 'davidp', extension: '10233' },
    ]);
    ids = await Promise.all(
      ['tonysmith', 'kimakers', 'davidp'].map(async (a) => (await store.findRecipients(a))[0]!.id),
    );
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { extensions: ['10231', '10299', '10240'] });
    const david = (await store.getUmMailbox(ids[2]!))!;
    await store.transaction((tx) => tx.updateUmMailbox({ ...david, extensions: [] }));
  });
  afterEach(() => t.close());

  const raw = () => store.kysely.withoutPlugins();
  const query = async <T>(text: string): Promise<T[]> => (await sql.raw<T>(text).execute(raw())).rows;

  /** Each mailbox's column beside its rows aggregated in their order, and every row. */
  const extensions = async () => ({
    columns: await query<{ col: string; agg: string }>(
      `select m.extensions as col, coalesce((select string_agg(e.number, ',' order by e.position)
        from extension e where e.recipient_id = m.recipient_id), '') as agg from um_mailbox m order by 2`,
    ),
    rows: await rows(),
  });
  const rows = () =>
    query<{ number: string; position: number }>(
      'select number, position from extension order by dial_plan_id, number',
    ).then((r) => r.map((x) => `${x.number}@${Number(x.position)}`));

  /** The shape 0021 changes: extension's indexes and foreign keys, and whether um_mailbox has the column. */
  const shape = async () =>
    engine === 'sqlite'
      ? {
          indexes: (
            await query<{ name: string }>(
              "select name from sqlite_schema where type = 'index' and tbl_name = 'extension' and sql is not null order by 1",
            )
          ).map((r) => r.name),
          keys: (
            await query<{ t: string }>(`select "table" as t from pragma_foreign_key_list('extension') order by 1`)
          ).map((r) => r.t),
          column: (await query(`select 1 from pragma_table_info('um_mailbox') where name = 'extensions'`)).length,
        }
      : {
          indexes: (
            await query<{ name: string }>(
              "select indexname as name from pg_indexes where tablename = 'extension' and indexname <> 'extension_pk' order by 1",
            )
          ).map((r) => r.name),
          keys: (
            await query<{ t: string }>(
              "select confrelid::regclass::text as t from pg_constraint where conrelid = 'extension'::regclass and contype = 'f' order by 1",
            )
          ).map((r) => r.t),
          column: (
            await query(
              "select 1 from information_schema.columns where table_name = 'um_mailbox' and column_name = 'extensions'",
            )
          ).length,
        };
  const AT_0020 = {
    indexes: ['extension_number', 'extension_recipient_position'],
    keys: ['dial_plan', 'recipient'],
    column: 0,
  };
  const AT_0021 = { indexes: ['extension_number'], keys: ['dial_plan'], column: 1 };
  /** extension_number went in 0024 */
  const AT_LATEST = { ...AT_0021, indexes: [] };
  const ROWS = ['10231@0', '10232@0', '10240@2', '10299@1'];

  it('fills each mailbox’s column from its rows in order; down makes 0020 again with the same rows; up again the same', async () => {
    expect(await shape()).toEqual(AT_LATEST);
    const to0021 = await store.migrator().migrateTo('0021-mailbox-extensions');
    if (to0021.error) throw to0021.error;
    expect(await shape()).toEqual(AT_0021);
    const at0021 = await extensions();
    expect(at0021.rows).toEqual(ROWS);
    expect(at0021.columns).toEqual([
      { col: '', agg: '' },
      { col: '10231,10299,10240', agg: '10231,10299,10240' },
      { col: '10232', agg: '10232' },
    ]);

    const down = await store.migrator().migrateTo('0020-compact-pin-hash');
    if (down.error) throw down.error;
    // every later migration goes down first; 0021 last
    expect(down.results?.at(-1)?.migrationName).toBe('0021-mailbox-extensions');
    expect(await shape()).toEqual(AT_0020);
    expect(await rows()).toEqual(ROWS);

    await store.migrate();
    expect(await shape()).toEqual(AT_LATEST);
    expect(await extensions()).toEqual(at0021);
    expect((await store.getUmMailbox(ids[0]!))!.extensions).toEqual(['10231', '10299', '10240']);
    expect((await store.findMailboxes('davidp'))[0]!.mailbox!.extensions).toEqual([]);
  });

  it('stops at an extension row no mailbox of its dial plan names, with nothing changed', async () => {
    const down = await store.migrator().migrateTo('0020-compact-pin-hash');
    if (down.error) throw down.error;
    // a row of davidp's, whose UM mailbox is then gone: as only a hand edit could leave one
    const other = engine === 'sqlite' ? sql`unhex(${ids[2]!}, '-')` : sql`${ids[2]!}`;
    await sql`delete from um_mailbox where recipient_id = ${other}`.execute(raw());
    await sql`insert into extension (dial_plan_id, number, recipient_id, position)
      select dial_plan_id, '10777', ${other}, 0 from extension where number = '10232'`.execute(raw());
    const up = await store.migrator().migrateToLatest();
    expect(String(up.error)).toContain(
      '0021-mailbox-extensions: extension 10777 belongs to no UM mailbox of its dial plan',
    );
    expect(await shape()).toEqual(AT_0020);
    expect(await rows()).toEqual([...ROWS, '10777@0']);
  });
});
