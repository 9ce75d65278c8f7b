/**
 * 0018-guid-blobs: on SQLite every GUID column holds 16 bytes and the mailbox tables are stored
 * in key order; what a populated database held reads back the same after the migration, after
 * going down and after coming up again, on both engines (PostgreSQL keeps its text).
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { type Engine, ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { newRecipient } from '../../services/recipients.js';
import { disableUMMailbox, setUMMailbox } from '../../services/um-mailboxes.js';
import type { KyselyStore } from './kysely-store.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A populated organisation for each test: mailboxes with PINs and extensions, one disabled with its settings kept. */
function populated(engine: Engine) {
  const state = {} as { t: TestContext; store: KyselyStore };
  beforeEach(async () => {
    const t = await testContext(engine);
    state.t = t;
    state.store = t.deps.store as unknown as KyselyStore;
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
      { alias: 'davidp', extension: '10233' },
    ]);
    // a display name that looks like a GUID is a name, not a GUID: it stays text
    await newRecipient(t.deps, ADMIN, {
      primarySmtpAddress: 'odd@contoso.com',
      displayName: '00000000-0000-4000-8000-000000000000',
    });
    await setUMMailbox(t.deps, ADMIN, 'kimakers', { operatorNumber: '10200' });
    await disableUMMailbox(t.deps, ADMIN, 'davidp');
  });
  afterEach(() => state.t.close());
  return state;
}

/** The storage class SQLite gives a recipient's id (PostgreSQL: the column's type). */
async function idType(engine: Engine, store: KyselyStore): Promise<string[]> {
  const q =
    engine === 'sqlite'
      ? sql<{ t: string }>`select distinct typeof(id) as t from recipient`
      : sql<{
          t: string;
        }>`select data_type as t from information_schema.columns where table_name = 'recipient' and column_name = 'id'`;
  return (await q.execute(store.kysely)).rows.map((r) => r.t);
}

describe.each(ENGINES)('migration 0018-guid-blobs (%s)', (engine) => {
  const state = populated(engine);

  /** What the store reads of everything the migration rewrites, through its own queries. */
  const snapshot = async () => {
    const { store } = state;
    const recipients = (await store.listRecipients({ limit: 100 })).items;
    const ids = recipients.map((r) => r.id);
    return {
      recipients,
      mailboxes: await Promise.all(ids.map((id) => store.findMailboxes(id))),
      pins: await store.getPins(ids),
      kept: await Promise.all(ids.map((id) => store.getKeptUmProperties(id))),
      status: await store.pinStatusByIdentity('tonysmith'),
      enabled: (await store.listRecipients({ limit: 100, umEnabled: true })).items.map((r) => r.alias),
    };
  };

  it('reads back what the database held, down to 0017 and up again', async () => {
    const { store } = state;
    const before = await snapshot();
    expect(before.recipients.length).toBe(4);
    expect(before.recipients.every((r) => GUID.test(r.id))).toBe(true);
    expect(before.recipients.map((r) => r.displayName)).toContain('00000000-0000-4000-8000-000000000000');
    expect(before.kept.filter((k) => k !== null)).toHaveLength(1);
    expect(before.enabled).toHaveLength(2);
    expect(await idType(engine, store)).toEqual([engine === 'sqlite' ? 'blob' : 'text']);

    const down = await store.migrator().migrateTo('0017-identity-key');
    if (down.error) throw down.error;
    // the later migrations go down first
    expect(down.results?.map((r) => r.migrationName).at(-1)).toBe('0018-guid-blobs');
    expect(await idType(engine, store)).toEqual(['text']);

    await store.migrate();
    expect(await idType(engine, store)).toEqual([engine === 'sqlite' ? 'blob' : 'text']);
    expect(await snapshot()).toEqual(before);
    const tony = before.recipients.find((r) => r.alias === 'tonysmith')!;
    // a GUID names its recipient; a GUID nobody has, and a text that is no GUID, name none
    expect((await store.findRecipients(tony.id)).map((r) => r.alias)).toEqual(['tonysmith']);
    expect(await store.findRecipients('00000000-0000-4000-8000-00000000ffff')).toEqual([]);
    expect(await store.findRecipients('not-a-guid')).toEqual([]);
  });
});

describe('migration 0018-guid-blobs on SQLite', () => {
  const state = populated('sqlite');

  it('stores the mailbox tables in key order, with no index of their own key', async () => {
    const { store } = state;
    const tables = (
      await sql<{
        name: string;
        sql: string;
      }>`select name, sql from sqlite_schema where type = 'table' and name in ('recipient', 'um_mailbox', 'pin_state', 'extension', 'pin_history', 'recipient_name')`.execute(
        store.kysely,
      )
    ).rows;
    expect(tables).toHaveLength(6);
    for (const table of tables) expect(table.sql, table.name).toMatch(/without rowid$/i);
    const keyIndexes =
      await sql`select name from sqlite_schema where type = 'index' and name in ('sqlite_autoindex_recipient_1', 'sqlite_autoindex_um_mailbox_1', 'sqlite_autoindex_pin_state_1')`.execute(
        store.kysely,
      );
    expect(keyIndexes.rows).toEqual([]);
  });

  it('refuses a database whose GUID column holds a value that is no GUID, and changes nothing', async () => {
    const { store } = state;
    const down = await store.migrator().migrateTo('0017-identity-key');
    if (down.error) throw down.error;
    const raw = store.kysely.withoutPlugins();
    await sql`update outbox set recipient_id = 'not a guid' where rowid = (select min(rowid) from outbox)`.execute(raw);
    await expect(store.migrate()).rejects.toThrow('outbox.recipient_id holds a value that is no GUID (1 rows)');
    // the tables converted before it are back as they were
    expect(await idType('sqlite', store)).toEqual(['text']);
    expect((await sql<{ t: string }>`select distinct typeof(id) as t from dial_plan`.execute(raw)).rows).toEqual([
      { t: 'text' },
    ]);
  });
});
