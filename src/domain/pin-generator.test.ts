import { randomInt } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { generatePin, MAX_GENERATION_ATTEMPTS, type RandomInt } from './pin-generator.js';
import { checkPin, type PinContext } from './pin-rules.js';
import type { PinPolicy } from './pin-policy.js';
import { DEFAULT_MAILBOX_POLICY } from './policy.js';

const ctx = (policy: Partial<PinPolicy> = {}, extensions: string[] = []): PinContext => ({
  policy: { ...DEFAULT_MAILBOX_POLICY, ...policy },
  extensions,
});

/** A deterministic RandomInt (mulberry32), so failures can be replayed. */
function seeded(seed: number): RandomInt {
  let a = seed >>> 0;
  return (maxExclusive) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * maxExclusive);
  };
}

/** Hands out the given digits in order, then fails the test if asked for more. */
function scripted(digits: string): RandomInt & { calls: number[] } {
  let i = 0;
  const calls: number[] = [];
  const f = (maxExclusive: number) => {
    calls.push(maxExclusive);
    if (i >= digits.length) throw new Error('script exhausted');
    return Number(digits[i++]);
  };
  return Object.assign(f, { calls });
}

describe('generatePin', () => {
  it('makes a PIN of exactly MinPINLength digits', () => {
    const rnd = seeded(1);
    for (const minPinLength of [4, 6, 9, 24]) {
      const pin = generatePin(ctx({ minPinLength }), rnd);
      expect(pin).toMatch(new RegExp(`^[0-9]{${minPinLength}}$`));
    }
  });

  it('draws every digit from the random source, one randomInt(10) each', () => {
    const rnd = scripted('905172');
    expect(generatePin(ctx(), rnd)).toBe('905172');
    expect(rnd.calls).toEqual([10, 10, 10, 10, 10, 10]);
  });

  it('keeps leading zeros', () => {
    expect(generatePin(ctx(), scripted('004715'))).toBe('004715');
  });

  it('throws a refused PIN away whole and draws a new one', () => {
    // 123456 is a run, 890123 a wrap-around run, 166971 holds 6697, the end of extension 36697
    const rnd = scripted('123456' + '890123' + '166971' + '528061');
    expect(generatePin(ctx({}, ['36697']), rnd)).toBe('528061');
    expect(rnd.calls).toHaveLength(24);
  });

  it('gives the same PIN for the same random stream, and different PINs for different ones', () => {
    expect(generatePin(ctx(), seeded(42))).toBe(generatePin(ctx(), seeded(42)));
    const pins = new Set(Array.from({ length: 50 }, (_, i) => generatePin(ctx(), seeded(i))));
    expect(pins.size).toBeGreaterThan(45);
  });

  it('only ever makes PINs that pass checkPin and avoid the extension (property)', () => {
    const contexts = fc.record({
      policy: fc.record({
        minPinLength: fc.integer({ min: 4, max: 10 }),
        pinLifetimeDays: fc.constant(60),
        pinHistoryCount: fc.constant(5),
        allowCommonPatterns: fc.boolean(),
        pinComplexity: fc.constantFrom('Exchange' as const, 'Strict' as const),
        logonFailuresBeforePinReset: fc.constant(5),
        maxLogonAttempts: fc.constant(15),
        lockoutDurationMinutes: fc.constant(null),
        progressiveLockout: fc.boolean(),
      }),
      extensions: fc.array(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 2, maxLength: 8 }), {
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(contexts, fc.integer(), (c, seed) => {
        const pin = generatePin(c, seeded(seed));
        expect(checkPin(pin, c)).toEqual([]);
        for (const ext of c.extensions) expect(pin).not.toContain(ext);
      }),
    );
  });

  it('never contains the extension or its last 4 digits, with the real CSPRNG', () => {
    const c = ctx({ minPinLength: 4 }, ['36697']);
    for (let i = 0; i < 2000; i++) {
      const pin = generatePin(c, randomInt);
      expect(pin).not.toContain('6697');
      expect(checkPin(pin, c)).toEqual([]);
    }
  });

  it('is uniform in every digit position, with the real CSPRNG (chi-square)', () => {
    // Wrap-around runs keep the refused set symmetric under "add k to every digit", so
    // each position is exactly uniform over the compliant PINs. df = 9; 50 has p ≈ 1e-7
    // per position, so this does not flake, yet a missing or doubled digit shows at once.
    const draws = 20_000;
    const counts = Array.from({ length: 4 }, () => new Array<number>(10).fill(0));
    const c = ctx({ minPinLength: 4 });
    for (let i = 0; i < draws; i++) {
      const pin = generatePin(c, randomInt);
      for (let p = 0; p < 4; p++) counts[p]![Number(pin[p])]!++;
    }
    const expected = draws / 10;
    for (const position of counts) {
      const chiSquare = position.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
      expect(chiSquare).toBeLessThan(50);
    }
  });

  it('under PINComplexity Strict, never makes a PIN a Strict rule refuses (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 8 }),
        fc.array(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 3, maxLength: 6 }), { maxLength: 2 }),
        fc.integer(),
        (minPinLength, extensions, seed) => {
          const c = ctx({ minPinLength, pinComplexity: 'Strict' }, extensions);
          expect(checkPin(generatePin(c, seeded(seed)), c)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('under Strict, is uniform among the 4-digit PINs Strict accepts, with the real CSPRNG (chi-square)', () => {
    // The refused set is not symmetric under Strict, so each position's expected counts come
    // from the accepted PINs themselves, enumerated; rejection sampling must match them.
    const c = ctx({ minPinLength: 4, pinComplexity: 'Strict' });
    const accepted: string[] = [];
    for (let n = 0; n < 10_000; n++) {
      const pin = String(n).padStart(4, '0');
      if (checkPin(pin, c).length === 0) accepted.push(pin);
    }
    expect(accepted.length).toBeGreaterThan(7_000); // Strict refuses a sixth or so of all 4-digit PINs
    const draws = 20_000;
    const observed = Array.from({ length: 4 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < draws; i++) {
      const pin = generatePin(c, randomInt);
      for (let p = 0; p < 4; p++) observed[p]![Number(pin[p])]!++;
    }
    for (let p = 0; p < 4; p++) {
      const share = new Array<number>(10).fill(0);
      for (const pin of accepted) share[Number(pin[p])]!++;
      const chiSquare = share.reduce((sum, n, digit) => {
        const expected = (draws * n) / accepted.length;
        return sum + (observed[p]![digit]! - expected) ** 2 / expected;
      }, 0);
      expect(chiSquare).toBeLessThan(50); // df = 9, as above
    }
  });

  it('gives up with a clear error rather than loop forever when no PIN can pass', () => {
    // Ten one-digit extensions leave no digit free.
    const impossible = ctx({ minPinLength: 4 }, [...'0123456789']);
    expect(() => generatePin(impossible, seeded(7))).toThrow(
      `Cannot generate a PIN: ${MAX_GENERATION_ATTEMPTS} random 4-digit PINs all broke the PIN rules`,
    );
  });

  it('refuses a MinPINLength outside 4..24 instead of making a weak or impossible PIN', () => {
    expect(() => generatePin(ctx({ minPinLength: 3 }), seeded(1))).toThrow(RangeError);
    expect(() => generatePin(ctx({ minPinLength: 25 }), seeded(1))).toThrow(RangeError);
  });

  it('refuses a random source that returns something other than a digit', () => {
    expect(() => generatePin(ctx(), () => 10)).toThrow(RangeError);
    expect(() => generatePin(ctx(), () => 0.5)).toThrow(RangeError);
  });
});
