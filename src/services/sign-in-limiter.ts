/**
 * The brake on guessing at sign-in, for administrators' passwords and end users' mailed
 * codes alike: failures are counted per name (the account name, or the identity a user
 * typed) and per source address, and past either limit the attempt is refused until the
 * window moves on. Per store (that is, per server process): see rate-limiter.ts on why in
 * memory is enough.
 */
import { UmpinError } from '../domain/errors.js';
import type { Store } from './ports/store.js';
import type { Deps } from './ports/deps.js';
import { FailureLimiter } from './rate-limiter.js';

/** 5 failures for one name, or 20 from one address (password and code sign-ins together), within 15 minutes. */
export const SIGN_IN_LIMITS = {
  perName: { max: 5, windowMs: 15 * 60_000 },
  perSource: { max: 20, windowMs: 15 * 60_000 },
} as const;

const limiters = new WeakMap<Store, { perName: FailureLimiter; perSource: FailureLimiter }>();

function limitersOf(deps: Deps) {
  let l = limiters.get(deps.store);
  if (!l) {
    l = {
      perName: new FailureLimiter(SIGN_IN_LIMITS.perName),
      perSource: new FailureLimiter(SIGN_IN_LIMITS.perSource),
    };
    limiters.set(deps.store, l);
  }
  return l;
}

export interface SignInAttempt {
  /** the attempt worked: the name's count is cleared, and its own count against the address taken back */
  succeeded(): void;
}

/**
 * Counts an attempt as a failure before it is checked, so parallel guesses cannot all slip
 * under the limit; throws UMPIN_RATE_LIMITED when the name or the address is over its limit.
 * `name` is namespaced by the caller ('admin:…', 'code:…'); null when there is none to count.
 */
export function countSignInAttempt(deps: Deps, name: string | null, source: string | null): SignInAttempt {
  const l = limitersOf(deps);
  const now = deps.clock.now();
  const retryAfter = Math.max(
    name ? l.perName.retryAfter(name, now) : 0,
    source ? l.perSource.retryAfter(source, now) : 0,
  );
  if (retryAfter > 0) throw new UmpinError({ code: 'UMPIN_RATE_LIMITED', params: { retryAfter } });
  if (name) l.perName.fail(name, now);
  if (source) l.perSource.fail(source, now);
  return {
    succeeded() {
      if (name) l.perName.clear(name);
      if (source) l.perSource.forgive(source, now);
    },
  };
}
