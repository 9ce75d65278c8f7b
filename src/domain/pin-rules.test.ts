import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { messageFor } from './errors.js';
import { MAX_PIN_LENGTH } from './pin-policy.js';
import { checkPin, isCommonPattern, type PinContext } from './pin-rules.js';
import type { PinPolicy } from './pin-policy.js';
import { DEFAULT_MAILBOX_POLICY } from './policy.js';

const ctx = (policy: Partial<PinPolicy> = {}, extensions: string[] = []): PinContext => ({
  policy: { ...DEFAULT_MAILBOX_POLICY, ...policy },
  extensions,
});
const codes = (pin: string, c: PinContext) => checkPin(pin, c).map((i) => i.code);
const digitString = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

describe('checkPin: digits and length', () => {
  it('accepts a PIN of MinPINLength to 24 digits, leading zeros included', () => {
    expect(checkPin('1985848', ctx())).toEqual([]); // Microsoft's Set-UMMailboxPIN example
    expect(checkPin('052961', ctx())).toEqual([]);
    expect(checkPin('5'.repeat(12) + '6'.repeat(12), ctx())).toEqual([]);
  });

  it('refuses anything but the digits 0-9, and says only that', () => {
    for (const bad of ['12a456', '12345#', '*12345', ' 198584', '１９８５８４８', '١٩٨٥٨٤٨', `${'1'.repeat(30)}x`]) {
      expect(checkPin(bad, ctx({}, ['1']))).toEqual([{ code: 'UMPIN_PIN_NOT_DIGITS', field: 'Pin' }]);
    }
  });

  it('refuses a PIN shorter than MinPINLength or longer than 24 digits', () => {
    expect(checkPin('19858', ctx())).toEqual([{ code: 'UMPIN_PIN_TOO_SHORT', field: 'Pin', params: { min: 6 } }]);
    expect(checkPin('', ctx())).toEqual([{ code: 'UMPIN_PIN_TOO_SHORT', field: 'Pin', params: { min: 6 } }]);
    expect(checkPin('19858', ctx({ minPinLength: 4 }))).toEqual([]);
    expect(MAX_PIN_LENGTH).toBe(24);
    expect(checkPin('1985848'.repeat(4), ctx())).toEqual([
      { code: 'UMPIN_PIN_TOO_LONG', field: 'Pin', params: { max: 24 } },
    ]);
    expect(messageFor(checkPin('19858', ctx())[0]!)).toBe(
      'The PIN must be at least 6 digits long (MinPINLength of the UM mailbox policy).',
    );
  });
});

describe('isCommonPattern', () => {
  it('finds one digit repeated and straight runs up or down', () => {
    expect(isCommonPattern('111111')).toBe('repeated');
    expect(isCommonPattern('123456')).toBe('ascending');
    expect(isCommonPattern('987654')).toBe('descending');
    expect(isCommonPattern('1234')).toBe('ascending');
    expect(isCommonPattern('65432')).toBe('descending');
  });

  it('counts runs that wrap around 9 and 0 too: the keypad puts 0 after 9, so they are one sweep', () => {
    expect(isCommonPattern('7890123')).toBe('ascending');
    expect(isCommonPattern('3210987')).toBe('descending');
    expect(isCommonPattern('01234567890')).toBe('ascending');
  });

  it('leaves other PINs alone', () => {
    for (const pin of ['1985848', '112233', '121212', '123455', '135790', '123123', '246802'])
      expect(isCommonPattern(pin)).toBeNull();
  });
});

describe('checkPin: common patterns (AllowCommonPatterns)', () => {
  it('refuses them by default, naming the kind of pattern', () => {
    expect(checkPin('111111', ctx())).toEqual([
      { code: 'UMPIN_PIN_COMMON_PATTERN', field: 'Pin', params: { pattern: 'repeated' } },
    ]);
    expect(checkPin('123456', ctx())).toEqual([
      { code: 'UMPIN_PIN_COMMON_PATTERN', field: 'Pin', params: { pattern: 'ascending' } },
    ]);
    expect(checkPin('987654', ctx())).toEqual([
      { code: 'UMPIN_PIN_COMMON_PATTERN', field: 'Pin', params: { pattern: 'descending' } },
    ]);
  });

  it('refuses wrap-around runs such as 7890123 and 3210987 too (umpin decision)', () => {
    expect(codes('7890123', ctx())).toEqual(['UMPIN_PIN_COMMON_PATTERN']);
    expect(codes('3210987', ctx())).toEqual(['UMPIN_PIN_COMMON_PATTERN']);
  });

  it('accepts them when the policy allows common patterns', () => {
    for (const pin of ['111111', '123456', '987654', '7890123'])
      expect(checkPin(pin, ctx({ allowCommonPatterns: true }))).toEqual([]);
  });
});

describe('checkPin: the extension is refused whatever the policy', () => {
  // Microsoft's examples for extension 36697 refuse both 3669712 and 6697.
  it('refuses a PIN containing the whole extension', () => {
    expect(checkPin('3669712', ctx({}, ['36697']))).toEqual([
      { code: 'UMPIN_PIN_CONTAINS_EXTENSION', field: 'Pin', params: { part: 'whole' } },
    ]);
  });

  it("refuses a PIN containing the extension's last 4 digits", () => {
    expect(checkPin('6697', ctx({ minPinLength: 4 }, ['36697']))).toEqual([
      { code: 'UMPIN_PIN_CONTAINS_EXTENSION', field: 'Pin', params: { part: 'suffix' } },
    ]);
    expect(checkPin('106697', ctx({}, ['36697']))).toEqual([
      { code: 'UMPIN_PIN_CONTAINS_EXTENSION', field: 'Pin', params: { part: 'suffix' } },
    ]);
    expect(messageFor(checkPin('106697', ctx({}, ['36697']))[0]!)).toBe(
      "The PIN must not contain the last 4 digits of the user's extension.",
    );
  });

  it('still refuses it when common patterns are allowed', () => {
    expect(codes('3669712', ctx({ allowCommonPatterns: true }, ['36697']))).toEqual(['UMPIN_PIN_CONTAINS_EXTENSION']);
  });

  it('checks every extension of the user', () => {
    expect(checkPin('552345', ctx({}, ['36697', '2345']))).toEqual([
      { code: 'UMPIN_PIN_CONTAINS_EXTENSION', field: 'Pin', params: { part: 'whole' } },
    ]);
    expect(checkPin('669755', ctx({}, ['123', '36697']))).toEqual([
      { code: 'UMPIN_PIN_CONTAINS_EXTENSION', field: 'Pin', params: { part: 'suffix' } },
    ]);
  });

  it('uses only the whole-extension rule for short extensions', () => {
    expect(codes('912345', ctx({}, ['123']))).toEqual(['UMPIN_PIN_CONTAINS_EXTENSION']);
    expect(checkPin('912945', ctx({}, ['123']))).toEqual([]);
    expect(checkPin('981234', ctx({}, ['1234']))).toEqual([
      { code: 'UMPIN_PIN_CONTAINS_EXTENSION', field: 'Pin', params: { part: 'whole' } },
    ]);
  });

  it('ignores an empty extension', () => {
    expect(checkPin('1985848', ctx({}, ['']))).toEqual([]);
  });
});

describe('checkPin: every issue, in a stable order', () => {
  it('lists length, then pattern, then extension issues', () => {
    expect(checkPin('1234', ctx({}, ['91234']))).toEqual([
      { code: 'UMPIN_PIN_TOO_SHORT', field: 'Pin', params: { min: 6 } },
      { code: 'UMPIN_PIN_COMMON_PATTERN', field: 'Pin', params: { pattern: 'ascending' } },
      { code: 'UMPIN_PIN_CONTAINS_EXTENSION', field: 'Pin', params: { part: 'suffix' } },
    ]);
    expect(codes('5555555555555555555555555', ctx({}, ['555', '95555']))).toEqual([
      'UMPIN_PIN_TOO_LONG',
      'UMPIN_PIN_COMMON_PATTERN',
      'UMPIN_PIN_CONTAINS_EXTENSION',
      'UMPIN_PIN_CONTAINS_EXTENSION',
    ]);
  });
});

describe('checkPin never gives the PIN away (property)', () => {
  const contexts = fc.record({
    policy: fc.record({
      minPinLength: fc.integer({ min: 4, max: 24 }),
      pinLifetimeDays: fc.constant(60),
      pinHistoryCount: fc.constant(5),
      allowCommonPatterns: fc.boolean(),
      pinComplexity: fc.constantFrom('Exchange' as const, 'Strict' as const),
      logonFailuresBeforePinReset: fc.constant(5),
      maxLogonAttempts: fc.constant(15),
      lockoutDurationMinutes: fc.constant(null),
      progressiveLockout: fc.boolean(),
    }),
    extensions: fc.array(digitString(1, 8), { maxLength: 3 }),
  });

  it('no message contains a PIN of 3 or more digits', () => {
    // Shorter PINs could collide with limits such as "6" or "24" in the messages.
    fc.assert(
      fc.property(digitString(3, 30), contexts, (pin, c) => {
        for (const issue of checkPin(pin, c)) expect(messageFor(issue)).not.toContain(pin);
      }),
    );
  });

  it('params hold only limits and rule names', () => {
    fc.assert(
      fc.property(fc.oneof(digitString(0, 30), fc.string({ maxLength: 30 })), contexts, (pin, c) => {
        for (const { code, params = {} } of checkPin(pin, c)) {
          for (const [key, value] of Object.entries(params)) {
            if (code === 'UMPIN_PIN_FEW_DIGITS') expect([key, value]).toEqual(['min', 3]);
            else if (code === 'UMPIN_PIN_DIGIT_RUN') expect([key, value]).toEqual(['max', 2]);
            else if (code === 'UMPIN_PIN_DATE') expect(['date', 'year']).toContain(value);
            else if (key === 'min') expect(value).toBe(c.policy.minPinLength);
            else if (key === 'max') expect(value).toBe(MAX_PIN_LENGTH);
            else if (key === 'pattern') expect(['repeated', 'ascending', 'descending']).toContain(value);
            else if (key === 'part') expect(['whole', 'suffix']).toContain(value);
            else throw new Error(`unexpected param ${key}`);
          }
        }
      }),
    );
  });

  it('refuses exactly the PINs that contain an extension or its last 4 digits', () => {
    fc.assert(
      fc.property(digitString(4, 12), digitString(1, 8), (pin, ext) => {
        const bad = pin.includes(ext) || (ext.length > 4 && pin.includes(ext.slice(-4)));
        const found = checkPin(pin, ctx({ minPinLength: 4, allowCommonPatterns: true }, [ext])).some(
          (i) => i.code === 'UMPIN_PIN_CONTAINS_EXTENSION',
        );
        expect(found).toBe(bad);
      }),
    );
  });
});
