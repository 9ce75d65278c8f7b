/**
 * UM mailbox policy settings (Set-UMMailboxPolicy): the PIN rules and mail texts of a
 * policy. Ranges and defaults are Exchange's so administrators recognise them; null
 * stands for Exchange's "Unlimited".
 */
import type { Issue } from './errors.js';
import { MAX_PIN_LENGTH, PIN_COMPLEXITY_LEVELS, type PinPolicy } from './pin-policy.js';

/**
 * PINDelivery (a umpin addition): how a PIN mail gives the PIN. Mail puts it in the mail, as
 * Exchange does; Link puts a one-time link to a page that shows it once, so a mailbox that is
 * read by others, forwarded or archived never holds it in clear.
 */
export const PIN_DELIVERY_METHODS = ['Mail', 'Link'] as const;
export type PinDelivery = (typeof PIN_DELIVERY_METHODS)[number];
import { checkSafeText } from './text-safety.js';

export interface MailboxPolicySettings extends PinPolicy {
  /** ResetPINText: added to the PIN reset e-mail. */
  resetPinText: string | null;
  /** UMEnabledText: added to the welcome e-mail. */
  umEnabledText: string | null;
  allowPinlessVoiceMailAccess: boolean;
  allowSubscriberAccess: boolean;
  /** PINDelivery: 'Mail' (the default, Exchange's) or 'Link' (a one-time link instead of the PIN). */
  pinDelivery: PinDelivery;
  /** PINLinkValidity: hours a PIN link stays valid, 1..168 (default 24). */
  pinLinkValidityHours: number;
  /** PINLinkRequiresSignIn: the link shows the PIN only to its user signed in to the self-service page (default $false). */
  pinLinkRequiresSignIn: boolean;
}

/** A UM mailbox policy as kept: its settings, its name, the dial plan it belongs to. */
export interface MailboxPolicy extends MailboxPolicySettings {
  id: string;
  name: string;
  dialPlanId: string;
  createdAt: number;
  updatedAt: number;
}

export const DEFAULT_MAILBOX_POLICY: Readonly<MailboxPolicySettings> = Object.freeze({
  minPinLength: 6,
  pinLifetimeDays: 60,
  pinHistoryCount: 5,
  allowCommonPatterns: false,
  pinComplexity: 'Exchange',
  logonFailuresBeforePinReset: 5,
  maxLogonAttempts: 15,
  lockoutDurationMinutes: null,
  progressiveLockout: false,
  resetPinText: null,
  umEnabledText: null,
  allowPinlessVoiceMailAccess: false,
  allowSubscriberAccess: true,
  pinDelivery: 'Mail',
  pinLinkValidityHours: 24,
  pinLinkRequiresSignIn: false,
});

/** An integer setting; `unlimited` says whether null (Exchange's "Unlimited") is allowed. */
export interface NumberLimit {
  readonly kind: 'number';
  readonly field: string;
  readonly min: number;
  readonly max: number;
  readonly unlimited: boolean;
}
/** A text setting; null (no text) is always allowed. */
export interface TextLimit {
  readonly kind: 'text';
  readonly field: string;
  readonly maxLength: number;
}
export interface FlagLimit {
  readonly kind: 'flag';
  readonly field: string;
}
/** One of a few named values (a PowerShell enum): matched in any letter case, kept as listed. */
export interface ChoiceLimit {
  readonly kind: 'choice';
  readonly field: string;
  readonly values: readonly string[];
}
export type SettingLimit = NumberLimit | TextLimit | FlagLimit | ChoiceLimit;

/**
 * Every setting with its Exchange parameter name and allowed values, in Exchange's order,
 * as data so the shell and the admin center can show (and map) them.
 */
export const POLICY_LIMITS = {
  minPinLength: { kind: 'number', field: 'MinPINLength', min: 4, max: MAX_PIN_LENGTH, unlimited: false },
  pinLifetimeDays: { kind: 'number', field: 'PINLifetime', min: 1, max: 999, unlimited: true },
  pinHistoryCount: { kind: 'number', field: 'PINHistoryCount', min: 1, max: 20, unlimited: false },
  allowCommonPatterns: { kind: 'flag', field: 'AllowCommonPatterns' },
  pinComplexity: { kind: 'choice', field: 'PINComplexity', values: PIN_COMPLEXITY_LEVELS },
  logonFailuresBeforePinReset: {
    kind: 'number',
    field: 'LogonFailuresBeforePINReset',
    min: 1,
    max: 999,
    unlimited: true,
  },
  maxLogonAttempts: { kind: 'number', field: 'MaxLogonAttempts', min: 1, max: 999, unlimited: true },
  lockoutDurationMinutes: { kind: 'number', field: 'LockoutDuration', min: 1, max: 525_600, unlimited: true },
  progressiveLockout: { kind: 'flag', field: 'ProgressiveLockout' },
  resetPinText: { kind: 'text', field: 'ResetPINText', maxLength: 512 },
  umEnabledText: { kind: 'text', field: 'UMEnabledText', maxLength: 512 },
  allowPinlessVoiceMailAccess: { kind: 'flag', field: 'AllowPinlessVoiceMailAccess' },
  allowSubscriberAccess: { kind: 'flag', field: 'AllowSubscriberAccess' },
  pinDelivery: { kind: 'choice', field: 'PINDelivery', values: PIN_DELIVERY_METHODS },
  pinLinkValidityHours: { kind: 'number', field: 'PINLinkValidity', min: 1, max: 168, unlimited: false },
  pinLinkRequiresSignIn: { kind: 'flag', field: 'PINLinkRequiresSignIn' },
} as const satisfies Record<keyof MailboxPolicySettings, SettingLimit>;

/**
 * The issue with one setting's value, or null. Typed `unknown` because settings arrive
 * from JSON, CSV and the shell; a non-integer number is "out of range", as Exchange says.
 */
export function checkSetting(value: unknown, limit: SettingLimit): Issue | null {
  const { field } = limit;
  switch (limit.kind) {
    case 'number': {
      if (value === null && limit.unlimited) return null;
      if (typeof value === 'number' && Number.isInteger(value) && value >= limit.min && value <= limit.max) return null;
      return {
        code: 'UMPIN_VALUE_OUT_OF_RANGE',
        field,
        params: { field, min: limit.min, max: limit.max, unlimited: limit.unlimited },
      };
    }
    case 'text': {
      if (value === null) return null;
      if (typeof value !== 'string')
        return { code: 'UMPIN_VALUE_INVALID', field, params: { field, rule: 'it must be text' } };
      // .length counts UTF-16 units, as .NET's string length did in Exchange.
      if (value.length > limit.maxLength)
        return { code: 'UMPIN_VALUE_TOO_LONG', field, params: { field, max: limit.maxLength } };
      return checkSafeText(field, value, 'text');
    }
    case 'flag':
      return typeof value === 'boolean'
        ? null
        : { code: 'UMPIN_VALUE_INVALID', field, params: { field, rule: 'it must be $true or $false' } };
    case 'choice':
      return typeof value === 'string' && limit.values.includes(value)
        ? null
        : { code: 'UMPIN_VALUE_INVALID', field, params: { field, rule: `it must be ${limit.values.join(' or ')}` } };
  }
}

/** Every issue with the settings, not just the first, in POLICY_LIMITS order, cross-checks last. */
export function checkPolicy(s: MailboxPolicySettings): Issue[] {
  const issues: Issue[] = [];
  for (const key of Object.keys(POLICY_LIMITS) as (keyof MailboxPolicySettings)[]) {
    const issue = checkSetting(s[key], POLICY_LIMITS[key]);
    if (issue) issues.push(issue);
  }
  // A reset at or after the lock would never happen; Exchange refuses such a policy.
  // Compared only when both are valid numbers, so one bad value is not reported twice.
  const reset = s.logonFailuresBeforePinReset;
  const max = s.maxLogonAttempts;
  const valid = (key: 'logonFailuresBeforePinReset' | 'maxLogonAttempts'): boolean =>
    checkSetting(s[key], POLICY_LIMITS[key]) === null;
  if (
    typeof reset === 'number' &&
    typeof max === 'number' &&
    reset >= max &&
    valid('logonFailuresBeforePinReset') &&
    valid('maxLogonAttempts')
  ) {
    issues.push({
      code: 'UMPIN_POLICY_RESET_NOT_BELOW_MAX',
      field: 'LogonFailuresBeforePINReset',
      params: { reset, max },
    });
  }
  // a progressive lock doubles LockoutDuration: a lock until an administrator acts has nothing to double
  if (s.progressiveLockout === true && s.lockoutDurationMinutes === null) {
    issues.push({
      code: 'UMPIN_VALUE_INVALID',
      field: 'ProgressiveLockout',
      params: {
        field: 'ProgressiveLockout',
        rule: 'it needs a LockoutDuration in minutes to start from, not Unlimited',
      },
    });
  }
  return issues;
}

/**
 * Exchange's admin center takes 0 for PINLifetime and LogonFailuresBeforePINReset to mean
 * never; umpin stores that as null (Unlimited). Other zeros stay and fail checkPolicy.
 * Returns a copy; the input is not changed.
 */
export function normalizePolicyInput(input: MailboxPolicySettings): MailboxPolicySettings;
export function normalizePolicyInput(input: Partial<MailboxPolicySettings>): Partial<MailboxPolicySettings>;
export function normalizePolicyInput(input: Partial<MailboxPolicySettings>): Partial<MailboxPolicySettings> {
  const out = { ...input };
  // PowerShell enums match in any letter case: "strict" is Strict
  const level = out.pinComplexity as unknown;
  if (typeof level === 'string') {
    const known = PIN_COMPLEXITY_LEVELS.find((v) => v.toLowerCase() === level.trim().toLowerCase());
    if (known) out.pinComplexity = known;
  }
  const delivery = out.pinDelivery as unknown;
  if (typeof delivery === 'string') {
    const known = PIN_DELIVERY_METHODS.find((v) => v.toLowerCase() === delivery.trim().toLowerCase());
    if (known) out.pinDelivery = known;
  }
  if (out.pinLifetimeDays === 0) out.pinLifetimeDays = null;
  if (out.logonFailuresBeforePinReset === 0) out.logonFailuresBeforePinReset = null;
  return out;
}
