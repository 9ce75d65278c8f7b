import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_KDF } from '../../test/harness.js';
import { Argon2PinHasher } from './argon2-pin-hasher.js';
import { DEFAULT_KDF, paramsOfHash } from './kdf-params.js';

describe('argon2id PIN hasher', () => {
  const pepper = randomBytes(32);
  const hasher = new Argon2PinHasher(pepper, TEST_KDF);

  it('verifies the right PIN and rejects a wrong one', async () => {
    const h = await hasher.hash('1985848');
    expect(await hasher.verify(h, '1985848')).toBe(true);
    for (const wrong of ['1985849', '198584', '19858480', '', '0001985848'])
      expect(await hasher.verify(h, wrong)).toBe(false);
  });

  it('the hash is a PHC string carrying its cost, salted, and without the PIN', async () => {
    const a = await hasher.hash('1985848');
    const b = await hasher.hash('1985848');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(paramsOfHash(a)).toEqual(TEST_KDF);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(a).not.toContain('1985848');
    expect(a).not.toContain(Buffer.from('1985848').toString('base64').replace(/=+$/, ''));
  });

  it('a malformed stored hash is a mismatch, not an error', async () => {
    for (const bad of [
      '',
      'garbage',
      '$argon2id$v=19$m=64,t=1,p=1$bad',
      '$2b$10$abcdefghijklmnopqrstuu',
      (await hasher.hash('1985848')).slice(0, -5),
    ]) {
      expect(await hasher.verify(bad, '1985848')).toBe(false);
    }
  });

  it('the pepper matters: another server secret cannot verify the hash', async () => {
    const h = await hasher.hash('1985848');
    expect(await new Argon2PinHasher(randomBytes(32), TEST_KDF).verify(h, '1985848')).toBe(false);
    // the same pepper in another instance can
    expect(await new Argon2PinHasher(Buffer.from(pepper), TEST_KDF).verify(h, '1985848')).toBe(true);
  });

  it('a hash made at a lower cost needs rehashing; the same or a higher cost does not', async () => {
    const cheap = await hasher.hash('1985848');
    for (const wanted of [
      { m: 128, t: 1, p: 1 },
      { m: 64, t: 2, p: 1 },
      { m: 64, t: 1, p: 2 },
    ]) {
      const stronger = new Argon2PinHasher(pepper, wanted);
      expect(stronger.needsRehash(cheap)).toBe(true);
      // an old hash still verifies after the cost was raised
      expect(await stronger.verify(cheap, '1985848')).toBe(true);
    }
    expect(hasher.needsRehash(cheap)).toBe(false);
    expect(new Argon2PinHasher(pepper, { m: 32, t: 1, p: 1 }).needsRehash(cheap)).toBe(false);
    expect(hasher.needsRehash('not a hash')).toBe(true);
  });

  it('many hashes at once all come out right, with one in flight at a time', async () => {
    const one = new Argon2PinHasher(pepper, TEST_KDF, 1);
    const pins = Array.from({ length: 20 }, (_, i) => String(100000 + i * 7919));
    const hashes = await Promise.all(pins.map((p) => one.hash(p)));
    const checks = await Promise.all(hashes.map((h, i) => one.verify(h, pins[i]!)));
    expect(checks.every(Boolean)).toBe(true);
    expect(await one.verify(hashes[0]!, pins[1]!)).toBe(false);
  });

  it('works end to end at the default cost', async () => {
    const real = new Argon2PinHasher(pepper, DEFAULT_KDF);
    const h = await real.hash('1985848');
    expect(paramsOfHash(h)).toEqual(DEFAULT_KDF);
    expect(await real.verify(h, '1985848')).toBe(true);
    expect(await real.verify(h, '1985849')).toBe(false);
    expect(real.needsRehash(h)).toBe(false);
    expect(real.params).toEqual(DEFAULT_KDF);
  });
});
