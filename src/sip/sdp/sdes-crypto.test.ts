import { describe, expect, it } from 'vitest';
import { formatEventRanges, parseEventRanges } from './event-ranges.js';
import { formatSdesCrypto, parseSdesCrypto } from './sdes-crypto.js';

const KEY_SALT = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd';

describe('SDES crypto attributes (RFC 4568)', () => {
  it('splits the inline value into a 16-byte key and a 14-byte salt, with lifetime and MKI', () => {
    const r = parseSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}|2^20|1:4`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.crypto.key).toEqual(Buffer.from(Array.from({ length: 16 }, (_, i) => i)));
    expect(r.crypto.salt).toEqual(Buffer.from(Array.from({ length: 14 }, (_, i) => i + 16)));
    expect(r.crypto.lifetime).toBe(2 ** 20);
    expect(r.crypto.mki).toEqual({ value: 1, length: 4 });
    expect(parseSdesCrypto('7', 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}|1048576`)).toMatchObject({
      ok: true,
      crypto: { tag: 7, lifetime: 1048576, mki: null },
    });
    expect(parseSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}`, 'KDR=0')).toMatchObject({
      crypto: { sessionParams: ['KDR=0'] },
    });
  });

  it('refuses malformed lines cleanly, naming the fault', () => {
    const cases: [unknown[], string][] = [
      [[1, 'AES_CM_128_HMAC_SHA1_32', `inline:${KEY_SALT}`], 'suite'],
      [['x', 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}`], 'tag'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `uri:${KEY_SALT}`], 'key-method'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT};inline:${KEY_SALT}`], 'several-keys'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', 'inline:c2hvcnQ='], 'key-length'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}AAAA`], 'key-length'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT.replace('A', '!')}`], 'key-encoding'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}|2^99`], 'lifetime'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}|0`], 'lifetime'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}|1:0`], 'mki'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}|256:1`], 'mki'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}|1:4|2^20`], 'lifetime'],
      [[1, 'AES_CM_128_HMAC_SHA1_80', `inline:${KEY_SALT}|2^20|1:4|x`], 'mki'],
    ];
    for (const [args, failure] of cases) {
      const [tag, suite, params] = args as [number, string, string];
      expect(parseSdesCrypto(tag, suite, params), `${params} → ${failure}`).toEqual({ ok: false, failure });
    }
  });

  it('writes our own line, which parses back', () => {
    const line = formatSdesCrypto(3, Buffer.alloc(16, 1), Buffer.alloc(14, 2));
    const [tag, suite, params] = line.split(' ') as [string, string, string];
    expect(parseSdesCrypto(tag, suite, params)).toMatchObject({
      ok: true,
      crypto: { tag: 3, key: Buffer.alloc(16, 1), salt: Buffer.alloc(14, 2) },
    });
  });
});

describe('telephone-event ranges (RFC 4733 §7.1.1)', () => {
  it('reads ranges and single codes, and writes them back', () => {
    expect([...parseEventRanges('0-15')!]).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(parseEventRanges('0-16')!.has(16)).toBe(true);
    expect(formatEventRanges(parseEventRanges('0-11, 16,12-15, 32')!)).toBe('0-16,32');
  });

  it('refuses malformed lists', () => {
    for (const bad of ['', '15-0', '0-256', 'a', '1,,2', '0-', '-5']) expect(parseEventRanges(bad), bad).toBeNull();
  });
});
