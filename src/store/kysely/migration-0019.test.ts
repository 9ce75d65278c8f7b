/**
 * 0019-unique-names: recipient_name holds each recipient's alias, address and UPN, keyed by the
 * name alone, and is the one uniqueness constraint of the three; recipient loses its unique
 * keys and upn_key. A populated database reads back the same after going down to 0018's shape
 * and up again, on both engines; a database where two recipients share a name stops the
 * migration with nothing changed; a write that would share a name is refused as in use.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../../test/fixtures.js';
import { type Engine, ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { newRecipient } from '../../services/recipients.js';
import type { KyselyStore } from './kysely-store.js';
import { recipientNames } from './recipient-names.js';

function populated(engine: Engine) {
  const state = {} as { t: TestContext; store: KyselyStore };
  beforeEach(async () => {
    const t = await testContext(engine);
    state.t = t;
    state.store = t.deps.store as unknown as KyselyStore;
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
    ]);
    // two people called the same, one with a UPN of its own; one whose display name is its alias
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'chris.lee@contoso.com', displayName: 'Chris Lee' });
    await newRecipient(t.deps, ADMIN, {
      primarySmtpAddress: 'clee@fabrikam.com',
      displayName: 'Chris Lee',
      userPrincipalName: 'CLee@corp.fabrikam.com',
    });
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'pat@contoso.com', displayName: 'pat' });
  });
  afterEach(() => state.t.close());
  return state;
}

const tableNames = async (store: KyselyStore) => (await store.kysely.introspection.getTables()).map((x) => x.name);

describe.each(ENGINES)('migration 0019-unique-names (%s)', (engine) => {
  const state = populated(engine);

  const names = async () =>
    (await state.store.kysely.selectFrom('recipient_name').select(['name_key', 'recipient_id']).execute())
      .map((r) => `${r.name_key} ${r.recipient_id}`)
      .sort();
  const expected = async () =>
    (await state.store.kysely.selectFrom('recipient').selectAll().execute())
      .flatMap((r) => recipientNames(r).map((n) => `${n} ${r.id}`))
      .sort();
  const aliases = async (identity: string) => (await state.store.findRecipients(identity)).map((r) => r.alias).sort();

  /** What the store reads through the names: look-ups of every kind, and lists sorted and filtered by them. */
  const snapshot = async () => {
    const { store } = state;
    const tony = (await store.findRecipients('tonysmith'))[0]!;
    const identities = ['TonySmith', 'kimakers@contoso.com', 'clee@corp.fabrikam.com', 'chris lee', 'pat', tony.id];
    return {
      found: await Promise.all(identities.map(aliases)),
      status: await store.pinStatusByIdentity('tonysmith@contoso.com'),
      mailboxes: await store.findMailboxes('CONTOSO\\kimakers'),
      byUpn: (await store.listRecipients({ limit: 100, sort: { field: 'userPrincipalName', descending: true } })).items,
      byAlias: (await store.listRecipients({ limit: 2, sort: { field: 'alias', descending: false } })).items,
    };
  };

  it('keeps the alias, address and UPN of each recipient once, and reads back the same down to 0018 and up again', async () => {
    const { store } = state;
    expect(await names()).toEqual(await expected());
    // five recipients: alias and address each, and one UPN of its own
    expect(await names()).toHaveLength(11);
    const before = await snapshot();
    expect(before.found).toEqual([
      ['tonysmith'],
      ['kimakers'],
      ['clee'],
      ['chris.lee', 'clee'],
      ['pat'],
      ['tonysmith'],
    ]);
    expect(before.byUpn.map((r) => r.alias)).toEqual(['tonysmith', 'pat', 'kimakers', 'clee', 'chris.lee']);
    expect(before.status).toHaveLength(1);
    // a GUID is its text form, on both engines: its digits without the dashes name nobody
    expect(await aliases(before.byAlias[0]!.id.replaceAll('-', ''))).toEqual([]);
    expect(await state.store.pinStatusByIdentity(before.byAlias[0]!.id.replaceAll('-', ''))).toEqual([]);
    expect(await state.store.pinStatusByIdentity(before.byAlias[0]!.id.toUpperCase())).toHaveLength(1);

    const down = await store.migrator().migrateTo('0018-guid-blobs');
    if (down.error) throw down.error;
    // the later migrations go down first
    expect(down.results?.map((r) => r.migrationName).at(-1)).toBe('0019-unique-names');
    // 0018's identity key: GUID, alias, address, UPN and display name, each once a recipient
    const raw = store.kysely.withoutPlugins();
    const text = store.engineAdapter.sql.guidText;
    const old = await sql<{
      name_key: string;
      id: string;
    }>`select name_key, ${text(sql.ref('recipient_id'))} as id from recipient_name`.execute(raw);
    const rows = await sql<{
      id: string;
      alias_key: string;
      smtp_key: string;
      upn_key: string;
      display_name_key: string;
    }>`select ${text(sql.ref('id'))} as id, alias_key, smtp_key, upn_key, display_name_key from recipient`.execute(raw);
    expect(old.rows.map((r) => `${r.name_key} ${r.id}`).sort()).toEqual(
      rows.rows
        .flatMap((r) =>
          [...new Set([r.id, r.alias_key, r.smtp_key, r.upn_key, r.display_name_key])].map((n) => `${n} ${r.id}`),
        )
        .sort(),
    );
    expect(rows.rows.map((r) => r.upn_key)).toContain('clee@corp.fabrikam.com');

    await store.migrate();
    expect(await names()).toEqual(await expected());
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a write whose alias, address or UPN another recipient has, naming the field, as the service does', async () => {
    const { store } = state;
    const kim = (await store.findRecipients('kimakers'))[0]!;
    const count = async () => (await store.listRecipients({ limit: 100 })).items.length;
    const n = await count();
    const recipient = (over: Partial<typeof kim>) => ({
      ...kim,
      id: '00000000-0000-4000-8000-000000000001',
      alias: 'someone',
      primarySmtpAddress: 'someone@contoso.com',
      userPrincipalName: 'someone@contoso.com',
      ...over,
    });
    // written straight to the store, past the service's own check: as a writer that checked before another committed
    for (const [over, field] of [
      [{ alias: 'KimAkers' }, 'Alias'],
      [{ primarySmtpAddress: 'tonysmith@contoso.com' }, 'PrimarySmtpAddress'],
      [{ userPrincipalName: 'kimakers@contoso.com' }, 'UserPrincipalName'],
      [{ primarySmtpAddress: 'CLEE@corp.fabrikam.com' }, 'PrimarySmtpAddress'],
    ] as const) {
      const err = await failure(store.transaction(async (tx) => tx.insertRecipient(recipient(over))));
      expect([err.code, err.field], field).toEqual(['UMPIN_RECIPIENT_ADDRESS_IN_USE', field]);
    }
    const tony = (await store.findRecipients('tonysmith'))[0]!;
    const err = await failure(
      store.transaction(async (tx) => tx.updateRecipient({ ...tony, userPrincipalName: 'chris.lee@contoso.com' })),
    );
    expect([err.code, err.field]).toEqual(['UMPIN_RECIPIENT_ADDRESS_IN_USE', 'UserPrincipalName']);
    expect(await count()).toBe(n);
    expect(await names()).toEqual(await expected());
    // its own names stay its own: a change of letter case, and a UPN made its address, are no clash
    const renamed = { ...tony, alias: 'TonySmith', userPrincipalName: 'x@contoso.com' };
    await store.transaction(async (tx) => tx.updateRecipient(renamed));
    await store.transaction(async (tx) =>
      tx.updateRecipient({ ...renamed, userPrincipalName: tony.primarySmtpAddress }),
    );
    expect(await aliases('x@contoso.com')).toEqual([]);
    expect(await aliases('tonysmith')).toEqual(['TonySmith']);
    expect(await names()).toEqual(await expected());
  });

  it('stops with nothing changed, naming the name, where two recipients share one', async () => {
    const { store } = state;
    const down = await store.migrator().migrateTo('0018-guid-blobs');
    if (down.error) throw down.error;
    const raw = store.kysely.withoutPlugins();
    // 0018's three unique indexes let one recipient's UPN be another's address (the service never did)
    await sql`update recipient set user_principal_name = 'clee@fabrikam.com', upn_key = 'clee@fabrikam.com' where alias = 'tonysmith'`.execute(
      raw,
    );
    const count = async () =>
      Number((await sql<{ n: number }>`select count(*) as n from recipient_name`.execute(raw)).rows[0]!.n);
    const rows = await count();
    await expect(store.migrate()).rejects.toThrow('"clee@fabrikam.com" is the alias, address or UPN of two recipients');
    expect(await count()).toBe(rows);
    expect(await tableNames(store)).toContain('recipient_name');
    const columns = (await store.kysely.introspection.getTables()).find((x) => x.name === 'recipient')!.columns;
    expect(columns.map((c) => c.name)).toContain('upn_key');
  });
});

describe('migration 0019-unique-names on SQLite', () => {
  const state = populated('sqlite');

  it('keys recipient_name by the name alone, and leaves recipient in key order with no unique index and no upn_key', async () => {
    const schema = (
      await sql<{
        type: string;
        name: string;
        sql: string | null;
      }>`select type, name, sql from sqlite_schema where tbl_name in ('recipient', 'recipient_name')`.execute(
        state.store.kysely,
      )
    ).rows;
    const table = (name: string) => schema.find((x) => x.type === 'table' && x.name === name)!.sql!;
    expect(table('recipient_name')).toMatch(
      /"name_key" text not null primary key, "recipient_id" blob not null\) without rowid$/,
    );
    expect(table('recipient')).toMatch(/without rowid$/);
    expect(table('recipient')).not.toMatch(/unique|upn_key/i);
    expect(
      schema
        .filter((x) => x.type === 'index')
        .map((x) => x.name)
        .sort(),
    ).toEqual([
      'recipient_alias_search',
      // since 0023 also the UM lists' (recipient_um_display is gone)
      'recipient_display_name',
      'recipient_policy_display',
      'recipient_smtp_search',
    ]);
  });
});
