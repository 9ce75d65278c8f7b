/**
 * A new PIN nobody knows: what Set-UMMailboxPIN and Enable-UMMailbox make when no PIN is
 * given, and what an automatic reset mails.
 */
import { checkPin, type PinContext } from './pin-rules.js';
import { POLICY_LIMITS } from './policy.js';

/** A uniform integer in [0, maxExclusive); the caller passes node:crypto's randomInt. */
export type RandomInt = (maxExclusive: number) => number;

/** Real contexts refuse a small share of PINs; 10,000 refusals in a row means none can pass. */
export const MAX_GENERATION_ATTEMPTS = 10_000;

/**
 * A PIN of exactly MinPINLength digits (leading zeros allowed), uniform over the PINs of
 * that length that pass checkPin at the policy's PINComplexity: every digit is drawn uniformly and a PIN that breaks a
 * rule is thrown away whole. Redrawing only the offending digit would skew the result.
 */
export function generatePin(ctx: PinContext, randomInt: RandomInt): string {
  const length = ctx.policy.minPinLength;
  const { min, max } = POLICY_LIMITS.minPinLength;
  if (!Number.isInteger(length) || length < min || length > max) {
    throw new RangeError(
      `Cannot generate a PIN: MinPINLength must be an integer from ${min} to ${max}, not ${length}.`,
    );
  }
  for (let attempt = 0; attempt < MAX_GENERATION_ATTEMPTS; attempt++) {
    let pin = '';
    for (let i = 0; i < length; i++) pin += String(drawDigit(randomInt));
    if (checkPin(pin, ctx).length === 0) return pin;
  }
  // Only a broken context gets here, e.g. extensions covering every digit; never loop forever.
  throw new Error(
    `Cannot generate a PIN: ${MAX_GENERATION_ATTEMPTS} random ${length}-digit PINs all broke the PIN rules; ` +
      `check the user's extensions and the UM mailbox policy.`,
  );
}

function drawDigit(randomInt: RandomInt): number {
  const d = randomInt(10);
  // A bad source would silently make PINs of the wrong length or a biased alphabet.
  if (!Number.isInteger(d) || d < 0 || d > 9)
    throw new RangeError('Cannot generate a PIN: the random source returned a value outside 0..9.');
  return d;
}
