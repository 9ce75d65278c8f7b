import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { messageFor } from './errors.js';
import {
  checkDialPlan,
  checkExtension,
  checkPolicyName,
  defaultPolicyName,
  DIAL_PLAN_DEFAULTS,
  DIAL_PLAN_NAME_MAX_LENGTH,
  POLICY_NAME_MAX_LENGTH,
  type DialPlanSettings,
} from './dial-plan.js';

const plan = (over: Partial<DialPlanSettings> = {}): DialPlanSettings => ({
  name: 'Contoso',
  numberOfDigitsInExtension: 5,
  countryOrRegionCode: '1',
  logonFailuresBeforeDisconnect: DIAL_PLAN_DEFAULTS.logonFailuresBeforeDisconnect,
  defaultLanguage: DIAL_PLAN_DEFAULTS.defaultLanguage,
  voiceAccessNumbers: ['+14255550100'],
  ...over,
});
const fieldsOf = (s: DialPlanSettings) => checkDialPlan(s).map((i) => i.field);

describe('checkDialPlan', () => {
  it('accepts a typical dial plan, with Exchange defaults', () => {
    expect(DIAL_PLAN_DEFAULTS.logonFailuresBeforeDisconnect).toBe(3);
    expect(checkDialPlan(plan())).toEqual([]);
    expect(
      checkDialPlan(plan({ countryOrRegionCode: '886', defaultLanguage: 'zh-TW', voiceAccessNumbers: [] })),
    ).toEqual([]);
  });

  describe('Name', () => {
    it('is required', () => {
      expect(checkDialPlan(plan({ name: '' }))).toEqual([
        { code: 'UMPIN_VALUE_REQUIRED', field: 'Name', params: { field: 'Name' } },
      ]);
      expect(fieldsOf(plan({ name: '   ' }))).toEqual(['Name']);
    });

    it('takes at most 49 characters, so "<name> Default Policy" fits the 64 of a policy name', () => {
      expect(DIAL_PLAN_NAME_MAX_LENGTH).toBe(49);
      const longest = 'D'.repeat(49);
      expect(checkDialPlan(plan({ name: longest }))).toEqual([]);
      expect(defaultPolicyName(longest)).toHaveLength(POLICY_NAME_MAX_LENGTH);
      const [issue] = checkDialPlan(plan({ name: 'D'.repeat(50) }));
      expect(messageFor(issue!)).toBe('Name must be at most 49 characters long.');
    });

    it('may not begin or end with a space, or hold control characters', () => {
      expect(messageFor(checkDialPlan(plan({ name: ' Contoso' }))[0]!)).toBe(
        'Name is not valid: it must not begin or end with a space.',
      );
      expect(fieldsOf(plan({ name: 'Contoso ' }))).toEqual(['Name']);
      expect(fieldsOf(plan({ name: 'Con\ntoso' }))).toEqual(['Name']);
      expect(checkDialPlan(plan({ name: 'Contoso Europe (Zürich)' }))).toEqual([]);
    });
  });

  it('takes 1 to 20 digits in an extension and 1 to 20 failures before disconnecting', () => {
    expect(checkDialPlan(plan({ numberOfDigitsInExtension: 1, logonFailuresBeforeDisconnect: 20 }))).toEqual([]);
    expect(checkDialPlan(plan({ numberOfDigitsInExtension: 21, logonFailuresBeforeDisconnect: 0 }))).toEqual([
      {
        code: 'UMPIN_VALUE_OUT_OF_RANGE',
        field: 'NumberOfDigitsInExtension',
        params: { field: 'NumberOfDigitsInExtension', min: 1, max: 20, unlimited: false },
      },
      {
        code: 'UMPIN_VALUE_OUT_OF_RANGE',
        field: 'LogonFailuresBeforeDisconnect',
        params: { field: 'LogonFailuresBeforeDisconnect', min: 1, max: 20, unlimited: false },
      },
    ]);
    expect(fieldsOf(plan({ numberOfDigitsInExtension: 4.5 }))).toEqual(['NumberOfDigitsInExtension']);
  });

  it('takes a country or region code of 1 to 4 digits', () => {
    for (const ok of ['1', '44', '886', '1242']) expect(checkDialPlan(plan({ countryOrRegionCode: ok }))).toEqual([]);
    for (const bad of ['+1', '12345', 'UK', '4 4']) {
      const issues = checkDialPlan(plan({ countryOrRegionCode: bad }));
      expect(issues.map((i) => i.code)).toEqual(['UMPIN_VALUE_INVALID']);
      expect(messageFor(issues[0]!)).toBe(
        'CountryOrRegionCode is not valid: it must be 1 to 4 digits, such as 1, 44 or 886.',
      );
    }
    expect(checkDialPlan(plan({ countryOrRegionCode: '' })).map((i) => i.code)).toEqual(['UMPIN_VALUE_REQUIRED']);
  });

  it('takes a language tag as the default language', () => {
    for (const ok of ['en-US', 'zh-TW', 'fr', 'zh-Hant-TW', 'es-419', 'en-us'])
      expect(checkDialPlan(plan({ defaultLanguage: ok }))).toEqual([]);
    for (const bad of ['English', 'en_US', 'en-', 'e'])
      expect(fieldsOf(plan({ defaultLanguage: bad }))).toEqual(['DefaultLanguage']);
  });

  it('names the voice access number that is wrong or listed twice', () => {
    const issues = checkDialPlan(plan({ voiceAccessNumbers: ['+14255550100', '425 555 0100', '12', '+14255550100'] }));
    expect(issues.map((i) => [i.code, i.field])).toEqual([
      ['UMPIN_VALUE_INVALID', 'AccessTelephoneNumbers'],
      ['UMPIN_VALUE_INVALID', 'AccessTelephoneNumbers'],
      ['UMPIN_VALUE_INVALID', 'AccessTelephoneNumbers'],
    ]);
    expect(issues.map(messageFor)).toEqual([
      'AccessTelephoneNumbers is not valid: "425 555 0100" is not a telephone number (3 to 20 digits, optionally after a +).',
      'AccessTelephoneNumbers is not valid: "12" is not a telephone number (3 to 20 digits, optionally after a +).',
      'AccessTelephoneNumbers is not valid: "+14255550100" is listed more than once.',
    ]);
    expect(checkDialPlan(plan({ voiceAccessNumbers: ['5000', `+${'9'.repeat(20)}`] }))).toEqual([]);
    expect(fieldsOf(plan({ voiceAccessNumbers: ['9'.repeat(21)] }))).toEqual(['AccessTelephoneNumbers']);
  });

  it('reports every wrong setting at once, in field order', () => {
    const bad = plan({
      name: '',
      numberOfDigitsInExtension: 0,
      countryOrRegionCode: 'x',
      logonFailuresBeforeDisconnect: 99,
      defaultLanguage: '',
      voiceAccessNumbers: ['x'],
    });
    expect(fieldsOf(bad)).toEqual([
      'Name',
      'NumberOfDigitsInExtension',
      'CountryOrRegionCode',
      'LogonFailuresBeforeDisconnect',
      'DefaultLanguage',
      'AccessTelephoneNumbers',
    ]);
  });
});

describe('checkExtension', () => {
  it('takes exactly NumberOfDigitsInExtension digits', () => {
    expect(checkExtension('36697', 5, 'Contoso')).toEqual([]);
    expect(checkExtension('00042', 5, 'Contoso')).toEqual([]); // leading zeros are digits like any other
  });

  it('refuses other lengths and non-digits, naming the dial plan and its length', () => {
    for (const bad of ['3669', '366970', '3669a', '36 97', '', '３６６９７']) {
      const issues = checkExtension(bad, 5, 'Contoso');
      expect(issues).toEqual([
        { code: 'UMPIN_EXTENSION_INVALID', field: 'Extensions', params: { digits: 5, dialPlan: 'Contoso' } },
      ]);
    }
    expect(messageFor(checkExtension('1', 4, 'Contoso')[0]!)).toBe(
      'The extension must be exactly 4 digits (NumberOfDigitsInExtension of dial plan Contoso).',
    );
  });

  it('accepts every digit string of the right length (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 20 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n })),
          ),
        ([n, ext]) => {
          expect(checkExtension(ext, n, 'P')).toEqual([]);
        },
      ),
    );
  });
});

describe('policy names', () => {
  it('names the default policy after the dial plan, as New-UMDialPlan does', () => {
    expect(defaultPolicyName('Contoso')).toBe('Contoso Default Policy');
  });

  it('allows policy names up to 64 characters, under the same rules as dial plan names', () => {
    expect(checkPolicyName('P'.repeat(64))).toEqual([]);
    expect(checkPolicyName('P'.repeat(65))).toEqual([
      { code: 'UMPIN_VALUE_TOO_LONG', field: 'Name', params: { field: 'Name', max: 64 } },
    ]);
    expect(checkPolicyName(' Sales').map((i) => i.code)).toEqual(['UMPIN_VALUE_INVALID']);
    expect(checkPolicyName('').map((i) => i.code)).toEqual(['UMPIN_VALUE_REQUIRED']);
  });
});
