/**
 * 0020-compact-pin-hash: on SQLite the PIN hashes of a populated database become compact blobs
 * (a hash with no exact compact form stays text), telephone logons still verify after the
 * migration, after going down and after coming up again, and the store reads the same hashes
 * throughout, on both engines (PostgreSQL keeps its text).
 */
import { hash } from '@node-rs/argon2';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { deriveSecrets } from '../../crypto/secrets.js';
import type { Actor } from '../../services/actor.js';
import { verifyLogon } from '../../services/voice-logon.js';
import { compactPinHashes, textPinHashes } from '../sqlite/pin-hash-blob-migration.js';
import type { KyselyStore } from './kysely-store.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'], source: '127.0.0.1' };
const ARGON2I = 1;

describe.each(ENGINES)('migration 0020-compact-pin-hash (%s)', (engine) => {
  let t: TestContext;
  let store: KyselyStore;
  let ids: string[];

  beforeEach(async () => {
    t = await testContext(engine);
    store = t.deps.store as unknown as KyselyStore;
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231', pin: '1985848' },
      { alias: 'kimakers', extension: '10232', pin: '5643892' },
      { alias: 'davidp', extension: '10233', pin: '7305186' },
    ]);
    ids = await Promise.all(
      ['tonysmith', 'kimakers', 'davidp'].map(async (a) => (await store.findRecipients(a))[0]!.id),
    );
    const replace = (recipientId: string, pinHash: string) =>
      store.transaction((tx) =>
        tx.replacePin({
          recipientId,
          pinHash,
          pinSetAt: t.clock.now(),
          pinExpired: false,
          firstTimeUser: false,
          lockedOut: false,
          keepHistory: 4,
        }),
      );
    // kimakers's PIN changed once: a hash in the history
    await replace(ids[1]!, await t.deps.hasher.hash('2580147'));
    // davidp's hash has no compact form (argon2i, with the server's pepper): it verifies, and stays text
    const { pepper } = deriveSecrets(Buffer.from(t.db.masterKey, 'base64'));
    await replace(ids[2]!, await hash('9517530', { algorithm: ARGON2I, memoryCost: 64, timeCost: 1, secret: pepper }));
  });
  afterEach(() => t.close());

  /** The storage class of each stored hash, both tables (PostgreSQL: always text). */
  const forms = async () => {
    const q = (table: string) =>
      engine === 'sqlite'
        ? sql<{ t: string }>`select typeof(pin_hash) as t from ${sql.table(table)} order by 1`
        : sql<{ t: string }>`select pg_typeof(pin_hash)::text as t from ${sql.table(table)}`;
    const raw = store.kysely.withoutPlugins();
    return {
      state: (await q('pin_state').execute(raw)).rows.map((r) => r.t),
      history: (await q('pin_history').execute(raw)).rows.map((r) => r.t),
    };
  };

  const hashes = async () => ({
    pins: (await store.getPins(ids)).map((p) => p.pinHash).sort(),
    history: (await store.getPinHistory(ids[1]!, 5)).map((h) => h.pinHash),
  });

  /** Logons with the right PIN of each mailbox named, then a wrong one (tonysmith's first logon: must change it). */
  const logons = async (...aliases: Array<'tonysmith' | 'kimakers' | 'davidp'>) => {
    const right = { tonysmith: ['10231', '1985848'], kimakers: ['10232', '2580147'], davidp: ['10233', '9517530'] };
    const outcome = async ([extension, pin]: readonly string[]) =>
      (await verifyLogon(t.deps, GATEWAY, { extension: extension!, pin: pin! })).outcome;
    const out: string[] = [];
    for (const a of aliases) out.push(await outcome(right[a]));
    out.push(await outcome(['10231', '1985849']));
    return out;
  };

  it('logons verify after it, after going down to 0018 and after coming up again', async () => {
    const blob = engine === 'sqlite' ? 'blob' : 'text';
    expect(await forms()).toEqual({ state: [blob, blob, 'text'], history: [blob, blob] });
    const before = await hashes();
    expect(before.pins.filter((h) => h.startsWith('$argon2id$v=19$m=64,t=1,p=1$'))).toHaveLength(2);
    expect(before.pins.filter((h) => h.startsWith('$argon2i$'))).toHaveLength(1);
    expect(await logons('tonysmith', 'kimakers')).toEqual(['must-change', 'ok', 'wrong']);

    const down = await store.migrator().migrateTo('0018-guid-blobs');
    if (down.error) throw down.error;
    expect(down.results?.map((r) => r.migrationName)).toContain('0020-compact-pin-hash');
    expect(await forms()).toEqual({ state: ['text', 'text', 'text'], history: ['text', 'text'] });
    // read as 0018 wrote them: the same strings
    expect(await hashes()).toEqual(before);
    expect(await logons('tonysmith', 'kimakers')).toEqual(['must-change', 'ok', 'wrong']);

    // up again, on a database of text hashes: the migration converts them, all but the one with no compact form
    await store.migrate();
    expect(await forms()).toEqual({ state: [blob, blob, 'text'], history: [blob, blob] });
    expect(await hashes()).toEqual(before);
    expect(await logons('tonysmith', 'kimakers', 'davidp')).toEqual(['must-change', 'ok', 'ok', 'wrong']);
    // davidp's right logon re-derived the hash under the configured KDF: argon2id, compact
    expect(await forms()).toEqual({ state: [blob, blob, blob], history: [blob, blob] });
    expect((await store.getPin(ids[2]!))!.pinHash).toMatch(/^\$argon2id\$/);
  });
});

describe('migration 0020-compact-pin-hash on SQLite', () => {
  let t: TestContext;
  afterEach(() => t.close());

  it('converts in batches across both keys, and a second run changes nothing', async () => {
    t = await testContext('sqlite');
    const store = t.deps.store as unknown as KyselyStore;
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231', pin: '1985848' },
      { alias: 'kimakers', extension: '10232', pin: '5643892' },
      { alias: 'davidp', extension: '10233', pin: '7305186' },
    ]);
    for (const alias of ['tonysmith', 'tonysmith', 'kimakers', 'tonysmith']) {
      const [r] = await store.findRecipients(alias);
      const pinHash = await t.deps.hasher.hash('2580147');
      const pin = { recipientId: r!.id, pinHash, pinSetAt: t.clock.now(), pinExpired: false, firstTimeUser: false };
      await store.transaction((tx) => tx.replacePin({ ...pin, lockedOut: false, keepHistory: 4 }));
    }
    const raw = store.kysely.withoutPlugins();
    // as migrations see the database: no types of its tables
    const migrating = raw as unknown as Kysely<unknown>;
    const forms = async () =>
      (
        await sql<{
          t: string;
          n: number;
        }>`select typeof(pin_hash) as t, count(*) as n from pin_state group by 1 union all select 'history ' || typeof(pin_hash), count(*) from pin_history group by 1`.execute(
          raw,
        )
      ).rows;
    const read = async () => {
      const ids = (await store.listRecipients({ limit: 10 })).items.map((r) => r.id);
      return {
        pins: await store.getPins(ids),
        history: await Promise.all(ids.map((id) => store.getPinHistory(id, 5))),
      };
    };
    const before = await read();
    expect(before.history.flat()).toHaveLength(4);
    const down = await store.migrator().migrateTo('0018-guid-blobs');
    if (down.error) throw down.error;
    expect(await forms()).toEqual([
      { t: 'text', n: 3 },
      { t: 'history text', n: 4 },
    ]);
    // two rows a batch: pin_state in two batches, pin_history (keyed by recipient and version) in three
    await compactPinHashes(migrating, 2);
    expect(await forms()).toEqual([
      { t: 'blob', n: 3 },
      { t: 'history blob', n: 4 },
    ]);
    expect(await read()).toEqual(before);
    await compactPinHashes(migrating, 2);
    expect(await read()).toEqual(before);
    await textPinHashes(migrating, 3);
    expect(await forms()).toEqual([
      { t: 'text', n: 3 },
      { t: 'history text', n: 4 },
    ]);
    expect(await read()).toEqual(before);
  });
});
