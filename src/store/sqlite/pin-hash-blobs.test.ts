/**
 * PIN hashes as compact blobs on SQLite (pin-hash-blobs.ts): the codec gives back exactly the
 * PHC string it was given, or declines it; the store's edge writes the blob on every path that
 * writes a hash, reads it back as the string, and keeps what the codec declines as text.
 */
import { hash } from '@node-rs/argon2';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contoso } from '../../../test/fixtures.js';
import { testContext, type TestContext } from '../../../test/harness.js';
import { Argon2PinHasher } from '../../crypto/argon2-pin-hasher.js';
import { DEFAULT_KDF } from '../../crypto/kdf-params.js';
import type { KyselyStore } from '../kysely/kysely-store.js';
import BetterSqlite3 from 'better-sqlite3';
import { rowReader } from './row-reader.js';
import { pinHashBlob, pinHashText, storedPinHashText, UNREADABLE_PIN_HASH } from './pin-hash-blobs.js';

const ARGON2ID = 2;
const pepper = randomBytes(32);

/** The string back from its blob; the blob's length beside it. */
const roundTrip = (phc: string) => {
  const blob = pinHashBlob(phc);
  expect(blob, phc).not.toBeNull();
  return { text: pinHashText(blob!), length: blob!.length };
};

describe('the PIN hash codec', () => {
  it('gives back byte for byte what the hasher writes, at the configured cost in 56 bytes instead of 97', async () => {
    const hasher = new Argon2PinHasher(pepper, DEFAULT_KDF, 1);
    const phc = await hasher.hash('1985848');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=47104,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(roundTrip(phc)).toEqual({ text: phc, length: 56 });
    // the string read back from the blob verifies the PIN, and only it
    const back = pinHashText(pinHashBlob(phc)!)!;
    expect(await hasher.verify(back, '1985848')).toBe(true);
    expect(await hasher.verify(back, '1985849')).toBe(false);
  });

  it('round-trips other costs, versions, salt and digest lengths', async () => {
    const cases = [
      { memoryCost: 8, timeCost: 1, parallelism: 1 },
      { memoryCost: 64, timeCost: 3, parallelism: 2 },
      { memoryCost: 127, timeCost: 128, parallelism: 1 },
      { memoryCost: 16384, timeCost: 1, parallelism: 4, outputLen: 64 },
      { memoryCost: 64, timeCost: 1, parallelism: 1, salt: randomBytes(8), outputLen: 4 },
      { memoryCost: 64, timeCost: 1, parallelism: 1, salt: randomBytes(33), outputLen: 17 },
      { memoryCost: 64, timeCost: 1, parallelism: 1, version: 0 },
    ];
    for (const c of cases) {
      for (let i = 0; i < 5; i++) {
        const phc = await hash(`${i}7${i}`, { algorithm: ARGON2ID, secret: pepper, ...c });
        expect(roundTrip(phc).text).toBe(phc);
      }
    }
    // the largest numbers the PHC string allows
    const big = `$argon2id$v=19$m=4294967295,t=4294967295,p=255$${'A'.repeat(22)}$${'B'.repeat(42)}A`;
    expect(roundTrip(big).text).toBe(big);
  });

  it('declines what it could not give back exactly: those stay text', () => {
    const salt = 'DfrlCnJJDzbE83W9TqfVbQ';
    const digest = 'M1ZSRMiBN7v3ircbbnLXu7GnFVxfIe66V5wvo8k6uTk';
    const good = `$argon2id$v=19$m=8,t=1,p=1$${salt}$${digest}`;
    expect(pinHashBlob(good)).not.toBeNull();
    for (const phc of [
      '',
      'h2',
      `$argon2i$v=19$m=8,t=1,p=1$${salt}$${digest}`,
      `$argon2d$v=19$m=8,t=1,p=1$${salt}$${digest}`,
      `$argon2id$m=8,t=1,p=1$${salt}$${digest}`,
      `$argon2id$v=19$m=08,t=1,p=1$${salt}$${digest}`,
      `$argon2id$v=19$t=1,m=8,p=1$${salt}$${digest}`,
      `$argon2id$v=19$m=8,t=1,p=1,keyid=Zm9v$${salt}$${digest}`,
      `$argon2id$v=19$m=8,t=1,p=1,data=Zm9v$${salt}$${digest}`,
      `$argon2id$v=19$m=4294967296,t=1,p=1$${salt}$${digest}`,
      `$argon2id$v=19$m=8,t=1,p=1$${salt}==$${digest}`,
      // stray bits in the last character: base64 that decodes to the same bytes as another string
      `$argon2id$v=19$m=8,t=1,p=1$${salt.slice(0, -1)}R$${digest}`,
      `$argon2id$v=19$m=8,t=1,p=1$${salt}$${digest.slice(0, -1)}l`,
      `$argon2id$v=19$m=8,t=1,p=1$${salt.replace('r', '-')}$${digest}`,
      `$argon2id$v=19$m=8,t=1,p=1$${salt}`,
      `$argon2id$v=19$m=8,t=1,p=1$${salt}$${digest}$`,
      ` ${good}`,
      `${good}\n`,
      '$2b$10$abcdefghijklmnopqrstuuKLMNOPQRSTUVWXYZabcdefghijklmnopq',
    ])
      expect(pinHashBlob(phc), phc).toBeNull();
  });

  it('reads no blob it did not write as a hash', () => {
    const blob = pinHashBlob(`$argon2id$v=19$m=8,t=1,p=1$${'A'.repeat(22)}$${'B'.repeat(42)}A`)!;
    expect(pinHashText(Buffer.from([2, ...blob.subarray(1)]))).toBeNull();
    expect(pinHashText(blob.subarray(0, 3))).toBeNull();
    expect(pinHashText(blob.subarray(0, 1 + 5 + 16))).toBeNull();
    expect(pinHashText(Buffer.from([1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 1, 1, 1, 1, 1]))).toBeNull();
    expect(pinHashText(Buffer.alloc(0))).toBeNull();
    // a damaged row reads as a malformed hash (it verifies nothing), never as a GUID
    expect(storedPinHashText(Buffer.from([9, 9, 9]))).toBe(UNREADABLE_PIN_HASH);
    expect(storedPinHashText('h2')).toBe('h2');
  });

  it('decodes a blob read under the name pin_hash as a hash, a GUID column as a GUID', () => {
    const phc = `$argon2id$v=19$m=8,t=1,p=1$${'A'.repeat(22)}$${'B'.repeat(42)}A`;
    const id = randomUUID();
    const guid = Buffer.from(id.replaceAll('-', ''), 'hex');
    const db = new BetterSqlite3(':memory:');
    try {
      db.exec('create table h (recipient_id blob primary key, pin_hash text, version integer) without rowid');
      db.prepare('insert into h values (?, ?, 1)').run(guid, pinHashBlob(phc));
      expect(rowReader(db.prepare('select recipient_id, pin_hash, version from h')).all([])).toEqual([
        { recipient_id: id, pin_hash: phc, version: 1 },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('PIN hashes at the SQLite store edge', () => {
  let t: TestContext;
  let store: KyselyStore;
  let id: string;
  const stored = async (table: 'pin_state' | 'pin_history') =>
    (
      await sql<{
        t: string;
        n: number;
      }>`select typeof(pin_hash) as t, length(pin_hash) as n from ${sql.table(table)} order by 1, 2`.execute(
        store.kysely.withoutPlugins(),
      )
    ).rows;

  beforeEach(async () => {
    t = await testContext('sqlite');
    store = t.deps.store as unknown as KyselyStore;
    await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: '1985848' }]);
    id = (await store.findRecipients('tonysmith'))[0]!.id;
  });
  afterEach(() => t.close());

  const pin = (pinHash: string) => ({
    recipientId: id,
    pinHash,
    pinSetAt: t.clock.now(),
    pinExpired: false,
    firstTimeUser: false,
    lockedOut: false,
    keepHistory: 4,
  });

  it('stores each write path as a blob and reads back the PHC string, which verifies the PIN', async () => {
    const { hasher } = t.deps;
    // Enable-UMMailbox wrote it: 54 bytes at the tests' cost (m=64)
    expect(await stored('pin_state')).toEqual([{ t: 'blob', n: 54 }]);
    const first = (await store.getPin(id))!.pinHash;
    expect(first).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    expect(await hasher.verify(first, '1985848')).toBe(true);
    expect((await store.findMailboxes('tonysmith'))[0]!.pin!.pinHash).toBe(first);

    // replaced: the old hash moves to the history (read back as text, written again through the plugin)
    const second = await hasher.hash('2468013');
    expect(await store.transaction((tx) => tx.replacePin(pin(second)))).toBe(true);
    expect(await stored('pin_history')).toEqual([{ t: 'blob', n: 54 }]);
    expect((await store.getPinHistory(id, 5)).map((h) => h.pinHash)).toEqual([first]);
    const now = (await store.getPin(id))!;
    expect(now.pinHash).toBe(second);
    expect(await hasher.verify(now.pinHash, '2468013')).toBe(true);

    // a logon's upgraded hash, through a statement compiled once (prepared.ts) with the hash bound later
    const upgraded = await hasher.hash('2468013', { m: 47104, t: 1, p: 1 });
    expect(await store.recordSuccess(id, now.version, upgraded)).toBe(true);
    expect(await stored('pin_state')).toEqual([{ t: 'blob', n: 56 }]);
    expect((await store.getPins([id]))[0]!.pinHash).toBe(upgraded);
    expect(await hasher.verify(upgraded, '2468013')).toBe(true);
  });

  it('converts a hash compared with the column too, through a table alias, in the statement itself', async () => {
    const phc = (await store.getPin(id))!.pinHash;
    const q = store.kysely.selectFrom('pin_state as s').select('s.recipient_id').where('s.pin_hash', '=', phc);
    expect(q.compile().sql).toContain('"s"."pin_hash" = umpin_pin_hash_blob(?)');
    expect(await q.execute()).toEqual([{ recipient_id: id }]);
    // the other columns are not wrapped: a flag compared, a GUID converted as a GUID
    const other = store.kysely.selectFrom('pin_state').select('pin_hash').where('recipient_id', '=', id);
    expect(other.compile().sql).not.toContain('umpin_pin_hash_blob');
    expect(await other.execute()).toEqual([{ pin_hash: phc }]);
  });

  it('keeps a hash the codec declines as text, beside blobs, and reads both', async () => {
    expect(await store.transaction((tx) => tx.replacePin(pin('h1')))).toBe(true);
    expect(await stored('pin_state')).toEqual([{ t: 'text', n: 2 }]);
    expect((await store.findMailboxes('tonysmith'))[0]!.pin!.pinHash).toBe('h1');
    const phc = await t.deps.hasher.hash('1985848');
    expect(await store.transaction((tx) => tx.replacePin(pin(phc)))).toBe(true);
    expect(await stored('pin_history')).toEqual([
      { t: 'blob', n: 54 },
      { t: 'text', n: 2 },
    ]);
    expect((await store.getPinHistory(id, 5)).map((h) => h.pinHash.slice(0, 3))).toEqual(['h1', '$ar']);
    expect((await store.getPin(id))!.pinHash).toBe(phc);
  });
});
