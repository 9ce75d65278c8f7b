import { UmpinError } from '../domain/errors.js';
import { generatePin } from '../domain/pin-generator.js';
import { checkPin } from '../domain/pin-rules.js';
import { throwIfAny } from '../domain/errors.js';
import type { Deps } from './ports/deps.js';
import type { ResolvedMailbox } from './resolve.js';

/** A PIN chosen by a person, checked against the policy, the extension rule and the history. */
export async function checkChosenPin(
  deps: Deps,
  m: ResolvedMailbox,
  pin: string,
  current: { pinHash: string } | null,
): Promise<void> {
  throwIfAny(checkPin(pin, { policy: m.policy, extensions: m.mailbox.extensions }));
  // PINHistoryCount counts the current PIN: compare with it and the count−1 before it.
  const previous = current ? await deps.store.getPinHistory(m.recipient.id, m.policy.pinHistoryCount - 1) : [];
  const hashes = [...(current ? [current.pinHash] : []), ...previous.map((h) => h.pinHash)];
  const matches = await Promise.all(hashes.map((h) => deps.hasher.verify(h, pin)));
  if (matches.some(Boolean))
    throw new UmpinError({ code: 'UMPIN_PIN_IN_HISTORY', field: 'Pin', params: { count: m.policy.pinHistoryCount } });
}

/**
 * A generated PIN: uniformly random among the policy-compliant PINs of MinPINLength digits.
 * It is not compared with the history: the history rule stops people from cycling back to a
 * favourite PIN, and a random PIN repeats one of ≤20 old ones by chance only (≤ 20 in ~9,000
 * at 4 digits, ≤ 20 in ~10^6 at the default 6); checking would cost one KDF run per entry.
 */
export function newRandomPin(deps: Deps, m: ResolvedMailbox): string {
  return generatePin({ policy: m.policy, extensions: m.mailbox.extensions }, deps.randomInt);
}
