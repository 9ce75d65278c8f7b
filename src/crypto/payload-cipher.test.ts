import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesGcmPayloadCipher } from './payload-cipher.js';

describe('outbox payload cipher (AES-256-GCM)', () => {
  const cipher = new AesGcmPayloadCipher(randomBytes(32));
  const rowId = randomUUID();
  const payload = JSON.stringify({
    pin: '1985848',
    displayName: 'Tony Smith',
    extensions: ['10231'],
    policyText: 'Привет, 你好',
  });

  it('opens what it sealed, with the same row id', () => {
    expect(cipher.open(cipher.seal(payload, rowId), rowId)).toBe(payload);
    expect(cipher.open(cipher.seal('', rowId), rowId)).toBe('');
  });

  it('the sealed text shows neither the PIN nor the plain text, and differs every time', () => {
    const a = cipher.seal(payload, rowId);
    const b = cipher.seal(payload, rowId);
    expect(a).not.toBe(b);
    for (const s of [a, b]) {
      expect(s).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/);
      expect(s).not.toContain('1985848');
      expect(Buffer.from(s.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('1985848');
    }
  });

  it('will not open under another row id: a sealed PIN cannot be moved to another row', () => {
    const sealed = cipher.seal(payload, rowId);
    expect(() => cipher.open(sealed, randomUUID())).toThrow();
    expect(() => cipher.open(sealed, '')).toThrow();
  });

  it('detects any change to the ciphertext, the tag or the IV', () => {
    const sealed = cipher.seal(payload, rowId);
    const [v, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flip = (b64: string): string => {
      const buf = Buffer.from(b64, 'base64url');
      buf[0] = buf[0]! ^ 0x01;
      return buf.toString('base64url');
    };
    for (const tampered of [
      [v, iv, tag, flip(body)],
      [v, iv, flip(tag), body],
      [v, flip(iv), tag, body],
      [v, iv, tag, body.slice(0, -4)],
    ]) {
      expect(() => cipher.open(tampered.join('.'), rowId)).toThrow();
    }
  });

  it('will not open with another key', () => {
    const sealed = cipher.seal(payload, rowId);
    expect(() => new AesGcmPayloadCipher(randomBytes(32)).open(sealed, rowId)).toThrow();
  });

  it('refuses unknown formats and keys of the wrong size', () => {
    expect(() => cipher.open('v2.a.b.c', rowId)).toThrow(/unknown format/);
    expect(() => cipher.open('garbage', rowId)).toThrow(/unknown format/);
    expect(() => new AesGcmPayloadCipher(randomBytes(16))).toThrow(RangeError);
  });
});
