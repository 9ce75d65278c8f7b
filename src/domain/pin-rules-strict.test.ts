import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { COMMON_PINS, isCommonPin } from './common-pins.js';
import { messageFor, renderError } from './errors.js';
import type { PinPolicy } from './pin-policy.js';
import { checkPin, type PinContext } from './pin-rules.js';
import { dateKind, isKeypadLine, isNextToPrevious, isRepeatedGroup } from './pin-rules-strict.js';
import { DEFAULT_MAILBOX_POLICY } from './policy.js';

const strict = (extensions: string[] = [], previousPin?: string, policy: Partial<PinPolicy> = {}): PinContext => ({
  policy: { ...DEFAULT_MAILBOX_POLICY, minPinLength: 4, pinComplexity: 'Strict', ...policy },
  extensions,
  ...(previousPin !== undefined ? { previousPin } : {}),
});
const codes = (pin: string, c: PinContext = strict()) => checkPin(pin, c).map((i) => i.code);
const digitString = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** Each rule's edge cases: what it refuses, and its near misses, which it must accept. */
const TABLE: Array<{ code: string; refused: string[]; accepted: string[] }> = [
  {
    code: 'UMPIN_PIN_KEYPAD_LINE',
    // columns, rows and diagonals, reversed, and walked on past an end and back
    refused: ['2580', '0852', '15951', '7535', '1474', '3696', '258085', '25852', '7898', '95159', '4565'],
    // 2 and 8 are not neighbours; 0 is no diagonal's key; a turn leaves the line
    accepted: ['2850', '1597', '7530', '1478', '2589', '8521'],
  },
  {
    code: 'UMPIN_PIN_REPEATED_GROUP',
    refused: ['1212', '408408', '123123', '12121', '740174017', '9090'],
    // a group said once and a bit, or the two halves differ
    accepted: ['40840', '123124', '1213', '780178'],
  },
  {
    code: 'UMPIN_PIN_FEW_DIGITS',
    refused: ['1122', '9449', '898989', '090909', '000100'],
    accepted: ['1123', '908070'],
  },
  {
    code: 'UMPIN_PIN_DIGIT_RUN',
    refused: ['28883', '5550', '0777', '1000234'],
    accepted: ['288183', '5505', '1002034'],
  },
  {
    code: 'UMPIN_PIN_DATE',
    // DDMM, MMDD, 29 February, 19xx and 20xx years; DDMMYY, MMDDYY; YYYYMMDD
    refused: ['3112', '1231', '2902', '0229', '1974', '2026', '140385', '031485', '290200', '19850314', '20001231'],
    // no 32nd, no 13th month, no 30 February; 2100 is no year here; 29 February of 2001;
    // YYYYMMDD outside 1900-2099 or with a day that does not exist
    accepted: ['3213', '1332', '3002', '2100', '1899', '290201', '321399', '21000101', '19990230', '19990631'],
  },
  {
    code: 'UMPIN_PIN_COMMON',
    refused: ['1004', '5683', '8675309', '520520', '7758521'],
    accepted: ['1005', '5684', '8675308'],
  },
];

describe('PINComplexity Strict: every rule, its cases and near misses', () => {
  for (const { code, refused, accepted } of TABLE) {
    it(`${code} refuses ${refused.join(', ')}`, () => {
      for (const pin of refused) expect(codes(pin), pin).toContain(code);
    });
    it(`${code} accepts ${accepted.join(', ')}`, () => {
      for (const pin of accepted) expect(codes(pin), pin).not.toContain(code);
    });
  }

  it('refuses the extension reversed, whole or its last 4 digits', () => {
    expect(checkPin('179663', strict(['36697']))).toContainEqual({
      code: 'UMPIN_PIN_EXTENSION_REVERSED',
      field: 'Pin',
      params: { part: 'whole' },
    });
    expect(checkPin('479661', strict(['36697']))).toContainEqual({
      code: 'UMPIN_PIN_EXTENSION_REVERSED',
      field: 'Pin',
      params: { part: 'suffix' },
    });
    // the extension itself is Exchange's rule; a palindrome reversed is the extension again
    expect(codes('136697', strict(['36697']))).not.toContain('UMPIN_PIN_EXTENSION_REVERSED');
    expect(checkPin('912321', strict(['12321']))).not.toContainEqual({
      code: 'UMPIN_PIN_EXTENSION_REVERSED',
      field: 'Pin',
      params: { part: 'whole' },
    });
    expect(codes('947916', strict(['36697']))).not.toContain('UMPIN_PIN_EXTENSION_REVERSED');
  });

  it('refuses the previous PIN plus or minus one, only when the previous PIN is given', () => {
    expect(codes('20186', strict([], '20185'))).toEqual(['UMPIN_PIN_NEAR_PREVIOUS']);
    expect(codes('20184', strict([], '20185'))).toEqual(['UMPIN_PIN_NEAR_PREVIOUS']);
    expect(codes('1000', strict([], '0999'))).toContain('UMPIN_PIN_NEAR_PREVIOUS');
    expect(codes('20187', strict([], '20185'))).toEqual([]);
    expect(codes('20186')).toEqual([]);
    expect(isNextToPrevious('20186', '20185')).toBe(true);
    expect(isNextToPrevious('20185', '20185')).toBe(false);
    expect(isNextToPrevious('20185', 'abc')).toBe(false);
  });

  it('accepts ordinary PINs', () => {
    for (const pin of ['1985848', '058961', '7403', '38196', '62947051']) expect(checkPin(pin, strict())).toEqual([]);
  });

  it('applies only under Strict: the same PINs pass at Exchange level', () => {
    const exchange = strict([], '20185', { pinComplexity: 'Exchange' });
    for (const pin of ['2580', '1212', '1122', '28883', '3112', '1004', '20186', '179663'])
      expect(checkPin(pin, { ...exchange, extensions: ['36697'] }), pin).toEqual([]);
  });

  it('lists every rule broken, in a fixed order, after Exchange’s', () => {
    expect(codes('1111', strict([], '1112'))).toEqual([
      'UMPIN_PIN_COMMON_PATTERN',
      'UMPIN_PIN_REPEATED_GROUP',
      'UMPIN_PIN_FEW_DIGITS',
      'UMPIN_PIN_DIGIT_RUN',
      'UMPIN_PIN_DATE',
      'UMPIN_PIN_COMMON',
      'UMPIN_PIN_NEAR_PREVIOUS',
    ]);
    expect(codes('2580')).toEqual(['UMPIN_PIN_KEYPAD_LINE', 'UMPIN_PIN_COMMON']);
  });

  it('names the rule in both languages and never the PIN', () => {
    const [line] = checkPin('2580', strict());
    expect(messageFor(line!)).toMatch(/straight line on the telephone keypad.*PINComplexity is Strict/);
    expect(renderError(line!, 'zh-TW')).toMatch(/電話按鍵.*PINComplexity 為 Strict/);
    const [year] = checkPin('1974', strict());
    expect(messageFor(year!)).toBe(
      'The PIN must not be a year (19xx or 20xx) (PINComplexity is Strict in the UM mailbox policy).',
    );
    expect(renderError(year!, 'zh-TW')).toBe(
      'PIN 碼不可是年份（19xx 或 20xx）（UM 信箱原則的 PINComplexity 為 Strict）。',
    );
  });
});

describe('the rules agree with their plain definitions (property)', () => {
  it('few digits, digit runs and repeated groups', () => {
    fc.assert(
      fc.property(digitString(4, 12), (pin) => {
        const found = codes(pin);
        expect(found.includes('UMPIN_PIN_FEW_DIGITS')).toBe(new Set(pin).size < 3);
        expect(found.includes('UMPIN_PIN_DIGIT_RUN')).toBe(/([0-9])\1\1/.test(pin));
        // some group of 2 or more digits, said at least twice, makes the whole PIN
        let group = false;
        for (let p = 2; p * 2 <= pin.length; p++)
          group ||= pin.slice(0, p).repeat(pin.length).slice(0, pin.length) === pin;
        expect(isRepeatedGroup(pin)).toBe(group);
        expect(found.includes('UMPIN_PIN_REPEATED_GROUP')).toBe(group);
      }),
      { numRuns: 300 },
    );
  });

  it('a keypad line is a walk of neighbours along one line', () => {
    const lines = ['123', '456', '789', '147', '2580', '369', '159', '357'];
    // every walk of 3 to 8 keys along every line, built from the lines themselves
    const walks = fc.constantFrom(...lines).chain((line) =>
      fc
        .tuple(fc.nat({ max: line.length - 1 }), fc.array(fc.boolean(), { minLength: 2, maxLength: 7 }))
        .map(([start, steps]) => {
          let at = start;
          let pin = line[at]!;
          for (const up of steps) {
            at = up ? (at + 1 < line.length ? at + 1 : at - 1) : at - 1 >= 0 ? at - 1 : at + 1;
            pin += line[at]!;
          }
          return pin;
        }),
    );
    fc.assert(
      fc.property(walks, (pin) => {
        expect(isKeypadLine(pin), pin).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a 4-digit date is a real day and month in either order, or a year of 1900-2099', () => {
    const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    const real = (d: number, m: number) => m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1]!;
    for (let n = 0; n < 10_000; n++) {
      const pin = String(n).padStart(4, '0');
      const a = Number(pin.slice(0, 2));
      const b = Number(pin.slice(2));
      const expected = n >= 1900 && n <= 2099 ? 'year' : real(a, b) || real(b, a) ? 'date' : null;
      expect(dateKind(pin), pin).toBe(expected);
    }
  });
});

describe('the common PIN list', () => {
  it('holds 4- to 8-digit PINs, each once', () => {
    for (const pin of COMMON_PINS) expect(pin).toMatch(/^[0-9]{4,8}$/);
    expect(new Set(COMMON_PINS).size).toBe(COMMON_PINS.length);
  });

  it('is refused whole under Strict, and only whole', () => {
    for (const pin of COMMON_PINS) expect(codes(pin), pin).toContain('UMPIN_PIN_COMMON');
    expect(isCommonPin('91004')).toBe(false);
  });
});
