/**
 * The brake on guessing at sign-in, counted in the store (limit counters), so every server
 * applies one count and a burst gets no more than the limit: each attempt is counted before
 * it is checked, and given back when it succeeds.
 *
 * - Mailed codes: 5 failures per identity typed, 20 per source address (with passwords),
 *   in 15 minutes.
 * - Administrators' passwords (NIST SP 800-63B, throttling without lockout): per account
 *   and address, 5 failures are free, then each further one waits longer — 1 s, 2 s, 4 s …
 *   up to 15 minutes — so one address cannot lock anyone out: the owner at another address
 *   signs in at once. Across every address, at most 100 failures an hour for one account
 *   (the ceiling throttles everyone for the rest of that hour, never longer); and the 20 per
 *   address of all sign-ins.
 *
 * Names and identities count under a keyed digest (typedKey): the table holds nothing typed.
 */
import type { Deps } from './ports/deps.js';
import type { LimitBackoff, LimitWindow } from './ports/limit-counters.js';
import { rateLimited, takeLimit, typedKey, waitOf, windowRule, type RateLimit } from './limits.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The free failures per account and address, then the delays before each further attempt (doubling, capped). */
function growingDelays(free: number, firstMs: number, maxMs: number, memoryMs: number): LimitWindow & LimitBackoff {
  const delaysMs: number[] = [];
  for (let d = firstMs; d < maxMs; d *= 2) delaysMs.push(d);
  delaysMs.push(maxMs);
  // every failure past the free ones is an offence: the count stays one short of the limit
  return { max: free, windowMs: memoryMs, delaysMs, offenceMemoryMs: memoryMs, resetTo: free - 1, keepMs: memoryMs };
}

export const SIGN_IN_LIMITS = {
  /** wrong codes per identity typed */
  perName: { max: 5, windowMs: 15 * MINUTE } as RateLimit,
  /** failed sign-ins (passwords and codes) per source address */
  perSource: { max: 20, windowMs: 15 * MINUTE } as RateLimit,
  /** wrong passwords per administrator account, from all addresses together */
  perAccount: { max: 100, windowMs: HOUR } as RateLimit,
  /** wrong passwords per account and address: 5 free, then 1 s, 2 s, 4 s … 15 minutes; remembered a day */
  perAccountAddress: growingDelays(5, 1000, 15 * MINUTE, 24 * HOUR),
} as const;

const KIND = {
  name: 'sign-in:code-identity',
  source: 'sign-in:address',
  account: 'sign-in:account',
  accountAddress: 'sign-in:account-address',
} as const;

/** Attempts that are still running are over within this: a key refused only for them tries again after it. */
const PENDING_MS = 1000;

export interface SignInAttempt {
  /** the attempt worked: its counts are given back, and the per-name (or per-account-and-address) count cleared */
  succeeded(): Promise<void>;
  /** the attempt failed: it stays counted, and may start a delay */
  failed(): Promise<void>;
}

interface Counted {
  kind: string;
  key: string;
  rule: LimitWindow;
  /** a success forgets the key (else it gives back one attempt) */
  clearOnSuccess: boolean;
  /** a failure may start a delay */
  backoff?: LimitBackoff;
}

/**
 * Counts the attempt under every key before it is checked; throws UMPIN_RATE_LIMITED when
 * one refuses, giving back what was counted under the others.
 */
async function countAttempt(deps: Deps, keys: Counted[]): Promise<SignInAttempt> {
  const now = deps.clock.now();
  const taken: Counted[] = [];
  for (const k of keys) {
    const t = await takeLimit(deps.store, k.kind, k.key, k.rule, now);
    if (!t.allowed) {
      for (const c of taken) await deps.store.returnLimit(c.kind, c.key, false);
      throw rateLimited(waitOf(t.state, k.rule, now, k.backoff ? PENDING_MS : undefined));
    }
    taken.push(k);
  }
  return {
    async succeeded() {
      for (const k of taken) await deps.store.returnLimit(k.kind, k.key, k.clearOnSuccess);
    },
    async failed() {
      for (const k of taken) if (k.backoff) await deps.store.strikeLimit(k.kind, k.key, k.backoff, deps.clock.now());
    },
  };
}

/**
 * A sign-in with a mailed code: counted against the identity as typed (so the count tells
 * nothing of whether it exists) and the source address.
 */
export function countCodeSignIn(deps: Deps, identity: string, source: string | null): Promise<SignInAttempt> {
  const keys: Counted[] = [
    {
      kind: KIND.name,
      key: typedKey(deps, 'code', identity),
      rule: windowRule(SIGN_IN_LIMITS.perName),
      clearOnSuccess: true,
    },
  ];
  if (source)
    keys.push({ kind: KIND.source, key: source, rule: windowRule(SIGN_IN_LIMITS.perSource), clearOnSuccess: false });
  return countAttempt(deps, keys);
}

/**
 * An administrator's password sign-in: counted against the source address, the account and
 * address (growing delays), and the account (the ceiling). `name` is null when it is not a
 * valid account name (then only the address counts).
 */
export function countPasswordSignIn(deps: Deps, name: string | null, source: string | null): Promise<SignInAttempt> {
  const keys: Counted[] = [];
  if (source)
    keys.push({ kind: KIND.source, key: source, rule: windowRule(SIGN_IN_LIMITS.perSource), clearOnSuccess: false });
  if (name !== null) {
    const account = typedKey(deps, 'admin', name);
    const pair = SIGN_IN_LIMITS.perAccountAddress;
    keys.push(
      { kind: KIND.accountAddress, key: `${account}|${source ?? ''}`, rule: pair, clearOnSuccess: true, backoff: pair },
      { kind: KIND.account, key: account, rule: windowRule(SIGN_IN_LIMITS.perAccount), clearOnSuccess: false },
    );
  }
  return countAttempt(deps, keys);
}
