/**
 * UM dial plan settings (New-UMDialPlan / Set-UMDialPlan), the extension rule of a dial
 * plan, and the names of its policies.
 */
import type { Issue } from './errors.js';
import { checkSetting, type NumberLimit } from './policy.js';
import { checkSafeText } from './text-safety.js';
import { checkVoiceMailUri } from './voice-mail-uri.js';

export interface DialPlanSettings {
  name: string;
  /** NumberOfDigitsInExtension: 1..20; every extension in the plan has exactly this many. */
  numberOfDigitsInExtension: number;
  /** CountryOrRegionCode: 1-4 digits, e.g. "1", "44", "886". */
  countryOrRegionCode: string;
  /** LogonFailuresBeforeDisconnect: 1..20; wrong PINs in one call before hanging up. */
  logonFailuresBeforeDisconnect: number;
  /** DefaultLanguage: a language tag such as "en-US" or "zh-TW" (any letter case). */
  defaultLanguage: string;
  /** AccessTelephoneNumbers: optional '+', then 3..20 digits, no spacing. */
  voiceAccessNumbers: string[];
  /** OperatorExtension: 1..20 digits where 0 transfers a caller whose mailbox has no OperatorNumber; null: none */
  operatorExtension?: string | null;
  /** VoiceMailUri (a umpin addition): the PBX's voice mail a signed-in caller is transferred to, `{extension}` filled in; null: none */
  voiceMailUri?: string | null;
}

/** A dial plan as kept: its settings, its GUID and when it was made and last changed (epoch ms). */
export interface DialPlan extends DialPlanSettings {
  operatorExtension: string | null;
  voiceMailUri: string | null;
  id: string;
  createdAt: number;
  updatedAt: number;
}

/** New-UMMailboxPolicy -Name takes at most 64 characters. */
export const POLICY_NAME_MAX_LENGTH = 64;
const DEFAULT_POLICY_SUFFIX = ' Default Policy';
/** 49: a longer dial-plan name would make its "<name> Default Policy" too long. */
export const DIAL_PLAN_NAME_MAX_LENGTH = POLICY_NAME_MAX_LENGTH - DEFAULT_POLICY_SUFFIX.length;

export const DIAL_PLAN_DEFAULTS = Object.freeze({
  logonFailuresBeforeDisconnect: 3,
  defaultLanguage: 'en-US',
});

interface DigitsLimit {
  readonly field: string;
  readonly minDigits: number;
  readonly maxDigits: number;
}
interface DialPlanLimits {
  readonly name: { readonly field: string; readonly maxLength: number };
  readonly numberOfDigitsInExtension: NumberLimit;
  readonly countryOrRegionCode: DigitsLimit;
  readonly logonFailuresBeforeDisconnect: NumberLimit;
  readonly defaultLanguage: { readonly field: string };
  readonly voiceAccessNumbers: DigitsLimit;
}

/** The dial plan's limits and Exchange parameter names as data, for the shell and the admin center. */
export const DIAL_PLAN_LIMITS = {
  name: { field: 'Name', maxLength: DIAL_PLAN_NAME_MAX_LENGTH },
  numberOfDigitsInExtension: { kind: 'number', field: 'NumberOfDigitsInExtension', min: 1, max: 20, unlimited: false },
  countryOrRegionCode: { field: 'CountryOrRegionCode', minDigits: 1, maxDigits: 4 },
  logonFailuresBeforeDisconnect: {
    kind: 'number',
    field: 'LogonFailuresBeforeDisconnect',
    min: 1,
    max: 20,
    unlimited: false,
  },
  defaultLanguage: { field: 'DefaultLanguage' },
  voiceAccessNumbers: { field: 'AccessTelephoneNumbers', minDigits: 3, maxDigits: 20 },
} as const satisfies DialPlanLimits;

const digitsPattern = (l: DigitsLimit, plus = ''): RegExp =>
  new RegExp(`^${plus}[0-9]{${l.minDigits},${l.maxDigits}}$`);
const COUNTRY_CODE = digitsPattern(DIAL_PLAN_LIMITS.countryOrRegionCode);
const ACCESS_NUMBER = digitsPattern(DIAL_PLAN_LIMITS.voiceAccessNumbers, '\\+?');
// language[-Script][-REGION]: the shape of Exchange's culture names (en-US, zh-Hant-TW, es-419).
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?$/i;

/** Naming rules shared by dial plans and policies: required, bounded, no stray spaces. */
function checkName(name: unknown, maxLength: number, field = 'Name'): Issue[] {
  if (typeof name !== 'string' || name.trim() === '')
    return [{ code: 'UMPIN_VALUE_REQUIRED', field, params: { field } }];
  const issues: Issue[] = [];
  if (name.length > maxLength) issues.push({ code: 'UMPIN_VALUE_TOO_LONG', field, params: { field, max: maxLength } });
  // Names are identities typed in the shell and shown in mail; hidden spaces make look-alikes.
  if (name !== name.trim())
    issues.push({
      code: 'UMPIN_VALUE_INVALID',
      field,
      params: { field, rule: 'it must not begin or end with a space' },
    });
  const unsafe = checkSafeText(field, name, 'name');
  if (unsafe) issues.push(unsafe);
  return issues;
}

/** Every issue with the dial plan settings, in field order. */
export function checkDialPlan(s: DialPlanSettings): Issue[] {
  const L = DIAL_PLAN_LIMITS;
  const issues: Issue[] = [...checkName(s.name, L.name.maxLength, L.name.field)];

  const digits = checkSetting(s.numberOfDigitsInExtension, L.numberOfDigitsInExtension);
  if (digits) issues.push(digits);

  const cc = L.countryOrRegionCode.field;
  if (typeof s.countryOrRegionCode !== 'string' || s.countryOrRegionCode === '') {
    issues.push({ code: 'UMPIN_VALUE_REQUIRED', field: cc, params: { field: cc } });
  } else if (!COUNTRY_CODE.test(s.countryOrRegionCode)) {
    issues.push({
      code: 'UMPIN_VALUE_INVALID',
      field: cc,
      params: {
        field: cc,
        rule: `it must be ${L.countryOrRegionCode.minDigits} to ${L.countryOrRegionCode.maxDigits} digits, such as 1, 44 or 886`,
      },
    });
  }

  const disconnect = checkSetting(s.logonFailuresBeforeDisconnect, L.logonFailuresBeforeDisconnect);
  if (disconnect) issues.push(disconnect);

  const lang = L.defaultLanguage.field;
  if (typeof s.defaultLanguage !== 'string' || s.defaultLanguage === '') {
    issues.push({ code: 'UMPIN_VALUE_REQUIRED', field: lang, params: { field: lang } });
  } else if (!LANGUAGE_TAG.test(s.defaultLanguage)) {
    issues.push({
      code: 'UMPIN_VALUE_INVALID',
      field: lang,
      params: { field: lang, rule: 'it must be a language tag such as en-US or zh-TW' },
    });
  }

  issues.push(...checkAccessNumbers(s.voiceAccessNumbers));
  if (s.operatorExtension !== undefined && s.operatorExtension !== null && !OPERATOR.test(s.operatorExtension))
    issues.push({
      code: 'UMPIN_VALUE_INVALID',
      field: 'OperatorExtension',
      params: { field: 'OperatorExtension', rule: 'it must be 1 to 20 digits' },
    });
  issues.push(...checkVoiceMailUri(s.voiceMailUri));
  return issues;
}

const OPERATOR = /^[0-9]{1,20}$/;

function checkAccessNumbers(numbers: unknown): Issue[] {
  const { field, minDigits, maxDigits } = DIAL_PLAN_LIMITS.voiceAccessNumbers;
  if (!Array.isArray(numbers))
    return [{ code: 'UMPIN_VALUE_INVALID', field, params: { field, rule: 'it must be a list of telephone numbers' } }];
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const n of numbers as unknown[]) {
    // The rule names the number: with several numbers the admin must know which one is wrong.
    const shown = JSON.stringify(typeof n === 'string' && n.length > 40 ? `${n.slice(0, 40)}…` : n);
    if (typeof n !== 'string' || !ACCESS_NUMBER.test(n)) {
      issues.push({
        code: 'UMPIN_VALUE_INVALID',
        field,
        params: {
          field,
          rule: `${shown} is not a telephone number (${minDigits} to ${maxDigits} digits, optionally after a +)`,
        },
      });
    } else if (seen.has(n)) {
      issues.push({ code: 'UMPIN_VALUE_INVALID', field, params: { field, rule: `${shown} is listed more than once` } });
    }
    if (typeof n === 'string') seen.add(n);
  }
  return issues;
}

/** An extension of the dial plan is exactly NumberOfDigitsInExtension ASCII digits. */
export function checkExtension(extension: string, digits: number, dialPlanName: string): Issue[] {
  if (typeof extension === 'string' && extension.length === digits && /^[0-9]+$/.test(extension)) return [];
  return [{ code: 'UMPIN_EXTENSION_INVALID', field: 'Extensions', params: { digits, dialPlan: dialPlanName } }];
}

/** The policy New-UMDialPlan creates with the plan. */
export function defaultPolicyName(dialPlanName: string): string {
  return `${dialPlanName}${DEFAULT_POLICY_SUFFIX}`;
}

/** A UM mailbox policy's name follows the dial plan naming rules, up to 64 characters. */
export function checkPolicyName(name: string): Issue[] {
  return checkName(name, POLICY_NAME_MAX_LENGTH);
}
