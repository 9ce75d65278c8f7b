/**
 * Counting attempts against limits every server shares (the store's limit counters,
 * ports/limit-counters.ts): the sign-in limits, the HTTP request limits, the PIN-check
 * limit and the toll-fraud back-off all take their attempts here (it names the ports it
 * uses, not Deps, which holds the toll-fraud guard that uses it). The counters keep
 * themselves small: now and then a take sweeps a bounded batch of its kind's stale rows.
 */
import { UmpinError } from '../domain/errors.js';
import type { LimitCounters, LimitState, LimitTake, LimitWindow } from './ports/limit-counters.js';
import type { SecretDigest } from './ports/secret-digest.js';

/** N attempts a window; the window starts with a key's first attempt. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** Every SWEEP_EVERY-th take of a kind (in a process) deletes up to SWEEP_BATCH rows of it that expired. */
const SWEEP_EVERY = 64;
const SWEEP_BATCH = 256;
const takes = new WeakMap<LimitCounters, Map<string, number>>();

/** A plain window: the row matters as long as the window lasts. */
export const windowRule = (limit: RateLimit): LimitWindow => ({ ...limit, keepMs: limit.windowMs });

/** Counts one attempt (limit-counters.ts has the rule); sweeps the kind's stale rows now and then. */
export async function takeLimit(
  counters: LimitCounters,
  kind: string,
  key: string,
  rule: LimitWindow,
  now: number,
): Promise<LimitTake> {
  let byKind = takes.get(counters);
  if (!byKind) {
    byKind = new Map();
    takes.set(counters, byKind);
  }
  const n = (byKind.get(kind) ?? 0) + 1;
  byKind.set(kind, n % SWEEP_EVERY);
  if (n % SWEEP_EVERY === 1) {
    // housekeeping: a busy database must not turn it into a refused attempt
    await counters.sweepLimits(kind, now, SWEEP_BATCH).catch(() => 0);
  }
  return counters.takeLimit(kind, key, rule, now);
}

/**
 * How long a refused key waits, in ms: to the end of its block, or of its window; with
 * `pendingMs`, a key refused only because attempts counted are still running waits that long
 * (they end within it, and a failure among them starts the block).
 */
export function waitOf(state: LimitState | null, rule: LimitWindow, now: number, pendingMs?: number): number {
  if (!state) return 1000;
  if (state.blockedUntil > now) return state.blockedUntil - now;
  if (pendingMs !== undefined) return pendingMs;
  return Math.max(1000, state.windowStart + rule.windowMs - now);
}

/** UMPIN_RATE_LIMITED with the wait in whole seconds (at least 1). */
export function rateLimited(waitMs: number): UmpinError {
  return new UmpinError({ code: 'UMPIN_RATE_LIMITED', params: { retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) } });
}

/** Counts one attempt, or throws UMPIN_RATE_LIMITED when the key has had its `max` in the window. */
export async function takeOrThrow(
  counters: LimitCounters,
  kind: string,
  key: string,
  limit: RateLimit,
  now: number,
): Promise<void> {
  const rule = windowRule(limit);
  const t = await takeLimit(counters, kind, key, rule, now);
  if (!t.allowed) throw rateLimited(waitOf(t.state, rule, now));
}

/**
 * A request to a rate-limited group of HTTP routes (sign-in, PIN changes), counted per client
 * address across every server; `now` is the door's clock (HTTP's is the wall clock).
 */
export function countRequest(
  deps: { store: LimitCounters },
  group: string,
  address: string,
  limit: RateLimit,
  now: number,
): Promise<void> {
  return takeOrThrow(deps.store, `http:${group}`, address, limit, now);
}

/** The key a typed name or identity is counted under: a keyed digest, so the table holds nothing typed (it might be a password in the wrong box). */
export function typedKey(deps: { digest: SecretDigest }, purpose: string, typed: string): string {
  return deps.digest(`limit:${purpose}:${typed.trim().toLowerCase()}`);
}
