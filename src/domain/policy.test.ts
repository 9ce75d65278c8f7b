import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { messageFor } from './errors.js';
import { MAX_PIN_LENGTH } from './pin-policy.js';
import {
  checkPolicy,
  DEFAULT_MAILBOX_POLICY,
  normalizePolicyInput,
  POLICY_LIMITS,
  type MailboxPolicySettings,
} from './policy.js';

const policy = (over: Partial<MailboxPolicySettings> = {}): MailboxPolicySettings => ({
  ...DEFAULT_MAILBOX_POLICY,
  ...over,
});

describe('DEFAULT_MAILBOX_POLICY', () => {
  it("has Exchange's defaults and passes its own check", () => {
    expect(DEFAULT_MAILBOX_POLICY).toEqual({
      minPinLength: 6,
      pinLifetimeDays: 60,
      pinHistoryCount: 5,
      allowCommonPatterns: false,
      pinComplexity: 'Exchange', // umpin's Strict rules are asked for, never imposed
      logonFailuresBeforePinReset: 5,
      maxLogonAttempts: 15,
      lockoutDurationMinutes: null, // locked until an administrator unlocks, as in Exchange
      progressiveLockout: false,
      resetPinText: null,
      umEnabledText: null,
      allowPinlessVoiceMailAccess: false,
      allowSubscriberAccess: true,
      pinDelivery: 'Mail', // PINs in the mail, as Exchange sends them, until a link is asked for
      pinLinkValidityHours: 24,
      pinLinkRequiresSignIn: false,
    });
    expect(checkPolicy(DEFAULT_MAILBOX_POLICY)).toEqual([]);
  });

  it('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_MAILBOX_POLICY)).toBe(true);
  });
});

describe('POLICY_LIMITS', () => {
  it('lists every setting under its Exchange parameter name', () => {
    expect(Object.keys(POLICY_LIMITS).sort()).toEqual(Object.keys(DEFAULT_MAILBOX_POLICY).sort());
    expect(Object.values(POLICY_LIMITS).map((l) => l.field)).toEqual([
      'MinPINLength',
      'PINLifetime',
      'PINHistoryCount',
      'AllowCommonPatterns',
      'PINComplexity',
      'LogonFailuresBeforePINReset',
      'MaxLogonAttempts',
      'LockoutDuration',
      'ProgressiveLockout',
      'ResetPINText',
      'UMEnabledText',
      'AllowPinlessVoiceMailAccess',
      'AllowSubscriberAccess',
      'PINDelivery',
      'PINLinkValidity',
      'PINLinkRequiresSignIn',
    ]);
  });

  it('cannot ask for PINs longer than a PIN may be', () => {
    expect(POLICY_LIMITS.minPinLength.max).toBe(MAX_PIN_LENGTH);
  });
});

describe('checkPolicy: ranges', () => {
  const cases: [Partial<MailboxPolicySettings>, string, number, number, boolean][] = [
    [{ minPinLength: 3 }, 'MinPINLength', 4, 24, false],
    [{ minPinLength: 25 }, 'MinPINLength', 4, 24, false],
    [{ pinLifetimeDays: 0 }, 'PINLifetime', 1, 999, true],
    [{ pinLifetimeDays: 1000 }, 'PINLifetime', 1, 999, true],
    [{ pinHistoryCount: 0 }, 'PINHistoryCount', 1, 20, false],
    [{ pinHistoryCount: 21 }, 'PINHistoryCount', 1, 20, false],
    [{ logonFailuresBeforePinReset: 0, maxLogonAttempts: null }, 'LogonFailuresBeforePINReset', 1, 999, true],
    [{ maxLogonAttempts: 1000 }, 'MaxLogonAttempts', 1, 999, true],
    [{ lockoutDurationMinutes: 0 }, 'LockoutDuration', 1, 525600, true],
    [{ lockoutDurationMinutes: 525601 }, 'LockoutDuration', 1, 525600, true],
  ];
  it.each(cases)('%o is refused for %s', (over, field, min, max, unlimited) => {
    expect(checkPolicy(policy(over))).toEqual([
      { code: 'UMPIN_VALUE_OUT_OF_RANGE', field, params: { field, min, max, unlimited } },
    ]);
  });

  it('accepts the edges of every range', () => {
    expect(
      checkPolicy(
        policy({
          minPinLength: 4,
          pinLifetimeDays: 1,
          pinHistoryCount: 1,
          logonFailuresBeforePinReset: 1,
          maxLogonAttempts: 2,
          lockoutDurationMinutes: 1,
        }),
      ),
    ).toEqual([]);
    expect(
      checkPolicy(
        policy({
          minPinLength: 24,
          pinLifetimeDays: 999,
          pinHistoryCount: 20,
          logonFailuresBeforePinReset: 998,
          maxLogonAttempts: 999,
          lockoutDurationMinutes: 525600,
        }),
      ),
    ).toEqual([]);
  });

  it('accepts Unlimited (null) only where Exchange offers it', () => {
    expect(
      checkPolicy(
        policy({
          pinLifetimeDays: null,
          logonFailuresBeforePinReset: null,
          maxLogonAttempts: null,
          lockoutDurationMinutes: null,
        }),
      ),
    ).toEqual([]);
    const issues = checkPolicy(
      policy({ minPinLength: null as unknown as number, pinHistoryCount: null as unknown as number }),
    );
    expect(issues.map((i) => i.field)).toEqual(['MinPINLength', 'PINHistoryCount']);
  });

  it('tells the administrator the range, and says when Unlimited is allowed', () => {
    const [lifetime] = checkPolicy(policy({ pinLifetimeDays: 1000 }));
    const [minLength] = checkPolicy(policy({ minPinLength: 2 }));
    expect(messageFor(lifetime!)).toBe('PINLifetime must be between 1 and 999, or Unlimited.');
    expect(messageFor(minLength!)).toBe('MinPINLength must be between 4 and 24.');
  });

  it('takes whole numbers only', () => {
    for (const bad of [6.5, Number.NaN, Number.POSITIVE_INFINITY, '6' as unknown as number]) {
      expect(checkPolicy(policy({ minPinLength: bad })).map((i) => i.code)).toEqual(['UMPIN_VALUE_OUT_OF_RANGE']);
    }
  });
});

describe('checkPolicy: texts and switches', () => {
  it('allows mail texts up to 512 characters, or none', () => {
    expect(checkPolicy(policy({ resetPinText: 'x'.repeat(512), umEnabledText: null }))).toEqual([]);
    expect(checkPolicy(policy({ resetPinText: 'x'.repeat(513), umEnabledText: 'y'.repeat(600) }))).toEqual([
      { code: 'UMPIN_VALUE_TOO_LONG', field: 'ResetPINText', params: { field: 'ResetPINText', max: 512 } },
      { code: 'UMPIN_VALUE_TOO_LONG', field: 'UMEnabledText', params: { field: 'UMEnabledText', max: 512 } },
    ]);
  });

  it('refuses a switch that is not $true or $false (settings arrive from JSON and CSV)', () => {
    const [issue] = checkPolicy(policy({ allowCommonPatterns: 'yes' as unknown as boolean }));
    expect(issue).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'AllowCommonPatterns' });
    expect(messageFor(issue!)).toBe('AllowCommonPatterns is not valid: it must be $true or $false.');
  });
});

describe('checkPolicy: reset must come before the lock', () => {
  it('refuses LogonFailuresBeforePINReset at or above MaxLogonAttempts', () => {
    for (const reset of [15, 16]) {
      const issues = checkPolicy(policy({ logonFailuresBeforePinReset: reset, maxLogonAttempts: 15 }));
      expect(issues).toEqual([
        { code: 'UMPIN_POLICY_RESET_NOT_BELOW_MAX', field: 'LogonFailuresBeforePINReset', params: { reset, max: 15 } },
      ]);
      expect(messageFor(issues[0]!)).toBe(
        `LogonFailuresBeforePINReset (${reset}) must be less than MaxLogonAttempts (15), or Unlimited.`,
      );
    }
  });

  it('does not repeat a value that is already out of range', () => {
    expect(checkPolicy(policy({ logonFailuresBeforePinReset: 5, maxLogonAttempts: 0 })).map((i) => i.code)).toEqual([
      'UMPIN_VALUE_OUT_OF_RANGE',
    ]);
    expect(checkPolicy(policy({ logonFailuresBeforePinReset: 1000, maxLogonAttempts: 15 })).map((i) => i.code)).toEqual(
      ['UMPIN_VALUE_OUT_OF_RANGE'],
    );
  });

  it('has nothing to compare when either is Unlimited', () => {
    expect(checkPolicy(policy({ logonFailuresBeforePinReset: 500, maxLogonAttempts: null }))).toEqual([]);
    expect(checkPolicy(policy({ logonFailuresBeforePinReset: null, maxLogonAttempts: 1 }))).toEqual([]);
  });
});

describe('checkPolicy: reports everything at once', () => {
  it('lists every wrong setting, in Exchange order, cross-check last', () => {
    const issues = checkPolicy(
      policy({
        minPinLength: 30,
        pinHistoryCount: 0,
        logonFailuresBeforePinReset: 20,
        maxLogonAttempts: 10,
        umEnabledText: 'z'.repeat(513),
      }),
    );
    expect(issues.map((i) => [i.code, i.field])).toEqual([
      ['UMPIN_VALUE_OUT_OF_RANGE', 'MinPINLength'],
      ['UMPIN_VALUE_OUT_OF_RANGE', 'PINHistoryCount'],
      ['UMPIN_VALUE_TOO_LONG', 'UMEnabledText'],
      ['UMPIN_POLICY_RESET_NOT_BELOW_MAX', 'LogonFailuresBeforePINReset'],
    ]);
  });

  it('accepts any policy within the limits (property)', () => {
    const orNull = (a: fc.Arbitrary<number>) => fc.option(a, { nil: null });
    const settings = fc
      .record({
        minPinLength: fc.integer({ min: 4, max: 24 }),
        pinLifetimeDays: orNull(fc.integer({ min: 1, max: 999 })),
        pinHistoryCount: fc.integer({ min: 1, max: 20 }),
        allowCommonPatterns: fc.boolean(),
        pinComplexity: fc.constantFrom('Exchange' as const, 'Strict' as const),
        logonFailuresBeforePinReset: orNull(fc.integer({ min: 1, max: 999 })),
        maxLogonAttempts: orNull(fc.integer({ min: 1, max: 999 })),
        lockoutDurationMinutes: orNull(fc.integer({ min: 1, max: 525600 })),
        progressiveLockout: fc.boolean(),
        resetPinText: fc.option(fc.string({ maxLength: 512 }), { nil: null }),
        umEnabledText: fc.option(fc.string({ maxLength: 512 }), { nil: null }),
        allowPinlessVoiceMailAccess: fc.boolean(),
        allowSubscriberAccess: fc.boolean(),
        pinDelivery: fc.constantFrom('Mail' as const, 'Link' as const),
        pinLinkValidityHours: fc.integer({ min: 1, max: 168 }),
        pinLinkRequiresSignIn: fc.boolean(),
      })
      .filter(
        (s) =>
          (s.logonFailuresBeforePinReset === null ||
            s.maxLogonAttempts === null ||
            s.logonFailuresBeforePinReset < s.maxLogonAttempts) &&
          !(s.progressiveLockout && s.lockoutDurationMinutes === null),
      );
    fc.assert(fc.property(settings, (s) => checkPolicy(s).length === 0));
  });
});

describe('PINComplexity', () => {
  it('is Exchange or Strict, in any letter case as PowerShell enums are, and nothing else', () => {
    expect(normalizePolicyInput({ pinComplexity: 'strict' as never })).toEqual({ pinComplexity: 'Strict' });
    expect(normalizePolicyInput({ pinComplexity: ' EXCHANGE ' as never })).toEqual({ pinComplexity: 'Exchange' });
    expect(checkPolicy(policy({ pinComplexity: 'Strict' }))).toEqual([]);
    for (const bad of ['Strong', '', null, 1, true]) {
      const issues = checkPolicy(policy(normalizePolicyInput({ pinComplexity: bad as never })));
      expect(issues).toEqual([
        {
          code: 'UMPIN_VALUE_INVALID',
          field: 'PINComplexity',
          params: { field: 'PINComplexity', rule: 'it must be Exchange or Strict' },
        },
      ]);
      expect(messageFor(issues[0]!)).toBe('PINComplexity is not valid: it must be Exchange or Strict.');
    }
  });
});

describe('normalizePolicyInput', () => {
  it('reads 0 as never/Unlimited for PINLifetime and LogonFailuresBeforePINReset, as the admin center did', () => {
    const input = { pinLifetimeDays: 0, logonFailuresBeforePinReset: 0, minPinLength: 8 };
    expect(normalizePolicyInput(input)).toEqual({
      pinLifetimeDays: null,
      logonFailuresBeforePinReset: null,
      minPinLength: 8,
    });
    expect(input.pinLifetimeDays).toBe(0); // a copy, the input is untouched
  });

  it('leaves other zeros to be refused', () => {
    const normalized = normalizePolicyInput(policy({ maxLogonAttempts: 0, lockoutDurationMinutes: 0 }));
    expect(checkPolicy(normalized).map((i) => i.field)).toEqual(['MaxLogonAttempts', 'LockoutDuration']);
  });

  it('does not add settings that were not given', () => {
    expect(normalizePolicyInput({ minPinLength: 7 })).toEqual({ minPinLength: 7 });
  });
});

describe('PINDelivery', () => {
  it('is Mail or Link, in any letter case, and nothing else', () => {
    expect(normalizePolicyInput({ pinDelivery: 'link' as never })).toEqual({ pinDelivery: 'Link' });
    expect(normalizePolicyInput({ pinDelivery: ' MAIL ' as never })).toEqual({ pinDelivery: 'Mail' });
    expect(checkPolicy(policy({ pinDelivery: 'Link' }))).toEqual([]);
    for (const bad of ['Url', '', null, 1]) {
      expect(checkPolicy(policy(normalizePolicyInput({ pinDelivery: bad as never })))).toEqual([
        {
          code: 'UMPIN_VALUE_INVALID',
          field: 'PINDelivery',
          params: { field: 'PINDelivery', rule: 'it must be Mail or Link' },
        },
      ]);
    }
  });

  it('keeps a link valid 1 to 168 hours (a week)', () => {
    expect(checkPolicy(policy({ pinLinkValidityHours: 168 }))).toEqual([]);
    for (const bad of [0, 169, 1.5, null]) {
      expect(checkPolicy(policy({ pinLinkValidityHours: bad as never }))).toEqual([
        {
          code: 'UMPIN_VALUE_OUT_OF_RANGE',
          field: 'PINLinkValidity',
          params: { field: 'PINLinkValidity', min: 1, max: 168, unlimited: false },
        },
      ]);
    }
  });
});
