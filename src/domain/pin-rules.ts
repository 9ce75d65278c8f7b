/**
 * Is this PIN acceptable? The rules of a UM mailbox policy plus the extension rule that
 * holds whatever the policy says. History (PINHistoryCount) needs the stored hashes, so
 * the services check it, not this file.
 */
import type { Issue } from './errors.js';
import { MAX_PIN_LENGTH, type PinPolicy } from './pin-policy.js';
import { checkStrictPin } from './pin-rules-strict.js';

/** Extensions longer than this are also refused by their last this-many digits. */
const EXTENSION_SUFFIX_LENGTH = 4;

// ASCII digits only: PINs are keyed as DTMF, and \d could grow to other scripts' digits.
const DIGITS_ONLY = /^[0-9]*$/;

export interface PinContext {
  policy: PinPolicy;
  /** The user's extensions in the dial plan (digits). */
  extensions: readonly string[];
  /**
   * The PIN being replaced, as the user typed it to change it (phone), for the Strict rule
   * "not the previous PIN plus or minus one". Never read from storage: only hashes are kept.
   */
  previousPin?: string;
}

export type CommonPattern = 'repeated' | 'ascending' | 'descending';

/**
 * The guessable shape of a whole PIN, or null. A run may wrap around 9→0 (7890123) or
 * 0→9 (3210987): on a telephone keypad 0 sits after 9 and people key such a PIN as one
 * sweep, so it is as guessable as 123456. This also keeps the refused set the same under
 * "add k to every digit", so generated PINs stay uniform in every position.
 */
export function isCommonPattern(pin: string): CommonPattern | null {
  if (pin.length < 2 || !DIGITS_ONLY.test(pin)) return null;
  const stepAt = (i: number): number => (pin.charCodeAt(i) - pin.charCodeAt(i - 1) + 10) % 10;
  const step = stepAt(1);
  if (step !== 0 && step !== 1 && step !== 9) return null;
  for (let i = 2; i < pin.length; i++) if (stepAt(i) !== step) return null;
  return step === 0 ? 'repeated' : step === 1 ? 'ascending' : 'descending';
}

/**
 * Every rule the PIN breaks, in a fixed order: length, common pattern, whole extension,
 * extension suffix, then under PINComplexity Strict the rules of pin-rules-strict.ts. A PIN that is not all digits gets only that issue, since the other
 * rules mean nothing for it. Params name rules and limits, never the PIN or part of it.
 */
export function checkPin(pin: string, ctx: PinContext): Issue[] {
  if (typeof pin !== 'string' || !DIGITS_ONLY.test(pin)) return [{ code: 'UMPIN_PIN_NOT_DIGITS', field: 'Pin' }];

  const { policy } = ctx;
  const issues: Issue[] = [];
  if (pin.length < policy.minPinLength) {
    issues.push({ code: 'UMPIN_PIN_TOO_SHORT', field: 'Pin', params: { min: policy.minPinLength } });
  }
  if (pin.length > MAX_PIN_LENGTH) {
    issues.push({ code: 'UMPIN_PIN_TOO_LONG', field: 'Pin', params: { max: MAX_PIN_LENGTH } });
  }
  if (!policy.allowCommonPatterns) {
    const pattern = isCommonPattern(pin);
    if (pattern) issues.push({ code: 'UMPIN_PIN_COMMON_PATTERN', field: 'Pin', params: { pattern } });
  }

  // Always applied (AllowCommonPatterns $true keeps this rule in Exchange too). One issue
  // per kind, not per extension: the message is the same and names no extension.
  let whole = false;
  let suffix = false;
  for (const extension of ctx.extensions) {
    if (extension.length === 0) continue; // "" is in every string; an empty extension is no extension
    if (pin.includes(extension)) whole = true;
    else if (extension.length > EXTENSION_SUFFIX_LENGTH && pin.includes(extension.slice(-EXTENSION_SUFFIX_LENGTH)))
      suffix = true;
  }
  if (whole) issues.push({ code: 'UMPIN_PIN_CONTAINS_EXTENSION', field: 'Pin', params: { part: 'whole' } });
  if (suffix) issues.push({ code: 'UMPIN_PIN_CONTAINS_EXTENSION', field: 'Pin', params: { part: 'suffix' } });
  if (policy.pinComplexity === 'Strict') issues.push(...checkStrictPin(pin, ctx.extensions, ctx.previousPin));
  return issues;
}
