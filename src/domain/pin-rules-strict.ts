/**
 * PINComplexity Strict (a umpin addition): the guessable PINs Exchange let through, each
 * refused by a rule of its own so the caller hears which one. Toll fraud through voice mail
 * starts by guessing PINs, and attackers try these shapes first. The rules judge the whole
 * PIN, never a part of it, except the reversed extension (as the extension rule does).
 */
import { isCommonPin } from './common-pins.js';
import type { Issue } from './errors.js';

/** Fewest different digits a Strict PIN uses. */
export const MIN_DIFFERENT_DIGITS = 3;
/** Most times one digit may follow itself in a row (28883 has three 8s: refused). */
export const MAX_SAME_DIGIT_IN_A_ROW = 2;
/** Extensions longer than this are also refused reversed by their last this-many digits. */
const EXTENSION_SUFFIX_LENGTH = 4;

/**
 * The straight lines of a telephone keypad, key by key (Cisco Unity Connection's rule):
 * rows, columns (the middle one runs on to 0) and the two diagonals.
 *   1 2 3
 *   4 5 6
 *   7 8 9
 *     0
 */
const KEYPAD_LINES = ['123', '456', '789', '147', '2580', '369', '159', '357'] as const;

/**
 * Keys of one line, each the neighbour on that line of the one before: 2580, 0852, 753, and
 * their extensions that turn back at an end (258085, 15951). Three keys at least.
 */
export function isKeypadLine(pin: string): boolean {
  if (pin.length < 3) return false;
  return KEYPAD_LINES.some((line) => {
    for (let i = 0; i < pin.length; i++) {
      const at = line.indexOf(pin[i]!);
      if (at < 0) return false;
      if (i > 0 && Math.abs(at - line.indexOf(pin[i - 1]!)) !== 1) return false;
    }
    return true;
  });
}

/**
 * A group of two or more digits said at least twice, the last time perhaps cut short:
 * 1212, 408408, 123123, 12121. (One digit repeated is the other rules' business.)
 */
export function isRepeatedGroup(pin: string): boolean {
  for (let period = 2; period * 2 <= pin.length; period++) {
    let repeats = true;
    for (let i = period; i < pin.length && repeats; i++) repeats = pin[i] === pin[i - period];
    if (repeats) return true;
  }
  return false;
}

export function differentDigits(pin: string): number {
  return new Set(pin).size;
}

/** The longest run of one digit in a row. */
export function longestSameDigitRun(pin: string): number {
  let longest = pin.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < pin.length; i++) {
    run = pin[i] === pin[i - 1] ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  return longest;
}

const reverse = (s: string): string => [...s].reverse().join('');

/**
 * Which part of an extension the PIN holds reversed, or null. A reversal that reads the
 * same as the extension (a palindrome) is the extension rule's, not this one's.
 */
export function reversedExtensionPart(pin: string, extensions: readonly string[]): 'whole' | 'suffix' | null {
  let found: 'whole' | 'suffix' | null = null;
  for (const extension of extensions) {
    if (extension.length < 2) continue;
    const whole = reverse(extension);
    if (whole !== extension && pin.includes(whole)) return 'whole';
    if (extension.length > EXTENSION_SUFFIX_LENGTH) {
      const suffix = extension.slice(-EXTENSION_SUFFIX_LENGTH);
      if (reverse(suffix) !== suffix && pin.includes(reverse(suffix))) found = 'suffix';
    }
  }
  return found;
}

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Whether day/month is a day of that year; with no year known, 29 February counts. */
function isDay(day: number, month: number, year: number | null): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year === null || isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

const num = (pin: string, from: number, length: number): number => Number(pin.slice(from, from + length));
const plausibleYear = (year: number): boolean => year >= 1900 && year <= 2099;

/** A two-digit year may be of the 1900s or the 2000s: the day counts if it exists in either. */
const isDayOfYy = (day: number, month: number, yy: number): boolean =>
  isDay(day, month, 1900 + yy) || isDay(day, month, 2000 + yy);

/**
 * A year (19xx, 20xx) or a date in one of the shapes people key: DDMM, MMDD, DDMMYY,
 * MMDDYY, YYYYMMDD (years 1900 to 2099). Other lengths are no date.
 */
export function dateKind(pin: string): 'date' | 'year' | null {
  switch (pin.length) {
    case 4:
      if (plausibleYear(num(pin, 0, 4))) return 'year';
      return isDay(num(pin, 0, 2), num(pin, 2, 2), null) || isDay(num(pin, 2, 2), num(pin, 0, 2), null) ? 'date' : null;
    case 6: {
      const yy = num(pin, 4, 2);
      return isDayOfYy(num(pin, 0, 2), num(pin, 2, 2), yy) || isDayOfYy(num(pin, 2, 2), num(pin, 0, 2), yy)
        ? 'date'
        : null;
    }
    case 8: {
      const year = num(pin, 0, 4);
      return plausibleYear(year) && isDay(num(pin, 6, 2), num(pin, 4, 2), year) ? 'date' : null;
    }
    default:
      return null;
  }
}

/** The new PIN is the old one plus or minus one, as numbers (20185 → 20186, 0999 → 1000). */
export function isNextToPrevious(pin: string, previousPin: string): boolean {
  if (!/^[0-9]+$/.test(previousPin) || pin === '') return false;
  const diff = BigInt(pin) - BigInt(previousPin);
  return diff === 1n || diff === -1n;
}

/**
 * Every Strict rule the PIN (digits only) breaks, in a fixed order. previousPin is the clear
 * PIN the user typed to change it, never one read from storage (there is none to read).
 */
export function checkStrictPin(pin: string, extensions: readonly string[], previousPin?: string): Issue[] {
  const issues: Issue[] = [];
  if (isKeypadLine(pin)) issues.push({ code: 'UMPIN_PIN_KEYPAD_LINE', field: 'Pin' });
  if (isRepeatedGroup(pin)) issues.push({ code: 'UMPIN_PIN_REPEATED_GROUP', field: 'Pin' });
  if (differentDigits(pin) < MIN_DIFFERENT_DIGITS)
    issues.push({ code: 'UMPIN_PIN_FEW_DIGITS', field: 'Pin', params: { min: MIN_DIFFERENT_DIGITS } });
  if (longestSameDigitRun(pin) > MAX_SAME_DIGIT_IN_A_ROW)
    issues.push({ code: 'UMPIN_PIN_DIGIT_RUN', field: 'Pin', params: { max: MAX_SAME_DIGIT_IN_A_ROW } });
  const reversed = reversedExtensionPart(pin, extensions);
  if (reversed) issues.push({ code: 'UMPIN_PIN_EXTENSION_REVERSED', field: 'Pin', params: { part: reversed } });
  const date = dateKind(pin);
  if (date) issues.push({ code: 'UMPIN_PIN_DATE', field: 'Pin', params: { kind: date } });
  if (isCommonPin(pin)) issues.push({ code: 'UMPIN_PIN_COMMON', field: 'Pin' });
  if (previousPin !== undefined && isNextToPrevious(pin, previousPin))
    issues.push({ code: 'UMPIN_PIN_NEAR_PREVIOUS', field: 'Pin' });
  return issues;
}
