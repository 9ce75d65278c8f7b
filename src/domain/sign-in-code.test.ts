import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatSignInCode, newSignInCode, normalizeSignInCode, SIGN_IN_CODE_ALPHABET } from './sign-in-code.js';

describe('sign-in codes', () => {
  it('are 8 letters with no digit, no vowel and no L, shown as XXXX-XXXX', () => {
    for (let i = 0; i < 200; i++) {
      const code = newSignInCode(randomInt);
      expect(code).toMatch(/^[A-Z]{8}$/);
      expect(code).not.toMatch(/[AEIOUYL0-9]/);
      expect(formatSignInCode(code)).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    }
    expect(SIGN_IN_CODE_ALPHABET).toHaveLength(19);
  });

  it('use every letter of the alphabet, evenly', () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const ch of newSignInCode(randomInt)) seen.set(ch, (seen.get(ch) ?? 0) + 1);
    expect([...seen.keys()].sort().join('')).toBe(SIGN_IN_CODE_ALPHABET);
    // 16,000 letters over 19: about 842 each; a stuck or skewed source would be far off
    for (const n of seen.values()) expect(n).toBeGreaterThan(650);
  });

  it('refuse a random source that strays out of range', () => {
    expect(() => newSignInCode(() => 19)).toThrow(RangeError);
    expect(() => newSignInCode(() => 0.5)).toThrow(RangeError);
  });

  it('are accepted in any letter case, with or without the hyphen or spaces', () => {
    for (const typed of ['BCDF-GHJK', 'bcdf-ghjk', 'bcdfghjk', 'BcDf GhJk', ' bcdf - ghjk ', 'BCDF‐GHJK', 'BCDF–GHJK'])
      expect(normalizeSignInCode(typed)).toBe('BCDFGHJK');
  });

  it('are refused when they cannot be a code', () => {
    for (const typed of [
      '',
      'BCDF-GHJ',
      'BCDF-GHJKM',
      'ABCD-EFGH',
      'BCDF-GHJ1',
      '1234-5678',
      'BCDF_GHJK',
      'x'.repeat(100),
      null,
      12345678,
      undefined,
    ]) {
      expect(normalizeSignInCode(typed)).toBeNull();
    }
  });
});
