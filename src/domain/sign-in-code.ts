/**
 * The one-time code an end user gets by mail to sign in to the self-service page: 8 letters
 * shown as BCDF-GHJK. No digits, so it never looks like a PIN (nor is mistaken for one in a
 * mail that holds both kinds of message); no vowels (Y included), so it never spells a word;
 * no L, which reads as I or 1. 19^8 ≈ 1.7·10^10 codes (34 bits): with a code void after 5
 * wrong tries and at most 3 codes a mailbox per 15 minutes, guessing is hopeless.
 */
import type { RandomInt } from './pin-generator.js';

export const SIGN_IN_CODE_ALPHABET = 'BCDFGHJKMNPQRSTVWXZ';
export const SIGN_IN_CODE_LENGTH = 8;

const CODE = new RegExp(`^[${SIGN_IN_CODE_ALPHABET}]{${SIGN_IN_CODE_LENGTH}}$`);

/** A new code, uniform over the alphabet, in its canonical form (capitals, no hyphen). */
export function newSignInCode(randomInt: RandomInt): string {
  let code = '';
  for (let i = 0; i < SIGN_IN_CODE_LENGTH; i++) {
    const n = randomInt(SIGN_IN_CODE_ALPHABET.length);
    // a bad source would silently shrink the alphabet
    if (!Number.isInteger(n) || n < 0 || n >= SIGN_IN_CODE_ALPHABET.length)
      throw new RangeError('Cannot make a sign-in code: the random source returned a value out of range.');
    code += SIGN_IN_CODE_ALPHABET[n];
  }
  return code;
}

/** How the mail shows it: two groups of four, easy to read out and type. */
export function formatSignInCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What the user typed, in canonical form: any letter case, with or without the hyphen, with
 * stray spaces (a code pasted from the mail); null when it cannot be a code at all.
 */
export function normalizeSignInCode(typed: unknown): string | null {
  if (typeof typed !== 'string' || typed.length > 64) return null;
  const code = typed.replace(/[\s\-\u2010-\u2015\u2212]/g, '').toUpperCase();
  return CODE.test(code) ? code : null;
}
