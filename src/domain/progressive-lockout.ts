/**
 * ProgressiveLockout (a umpin addition, after Cisco Unity Express): the first lock lasts
 * LockoutDuration, each further lock within a day of the one before lasts twice the last, up
 * to a day (or LockoutDuration, if longer). Failures while locked are never counted (logon.ts),
 * so guessing during a lock neither lengthens it nor brings the next one nearer; a guesser who
 * waits each lock out waits longer each time.
 *
 * The store applies the plan in the one conditional UPDATE that counts the failure: which lock
 * in a row this is depends on the row as it is then, not as it was read.
 */
import type { PinPolicy } from './pin-policy.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A lock within this long of the previous one is "further": it doubles. */
export const PROGRESSIVE_LOCKOUT_WINDOW_MS = DAY_MS;
/** The longest a progressive lock lasts, unless LockoutDuration alone is longer. */
export const PROGRESSIVE_LOCKOUT_CEILING_MS = DAY_MS;

/**
 * What the store does should the failure it counts set the lock: the lock's end, and its place
 * among the locks in a row (kept for every lock, so ProgressiveLockout can count on it).
 */
export interface LockPlan {
  /** when the failure is counted: the time of the lock */
  now: number;
  /** a previous lock at or after this instant makes this one the next in a row */
  windowStart: number;
  /** the lock's end when not progressive; null = until an administrator unlocks */
  lockedUntil: number | null;
  /** progressive: durationsMs[i] is how long the (i+1)-th lock in a row lasts, the last for every one after */
  durationsMs: readonly number[] | null;
}

/** The lengths of the 1st, 2nd, ... lock in a row, doubling from the base to the ceiling, which ends the list. */
export function progressiveDurations(baseMinutes: number): number[] {
  const base = baseMinutes * MINUTE_MS;
  const ceiling = Math.max(base, PROGRESSIVE_LOCKOUT_CEILING_MS);
  const out: number[] = [];
  for (let d = base; d < ceiling; d *= 2) out.push(d);
  out.push(ceiling);
  return out;
}

/** A lock with a fixed end (null: until an administrator unlocks), counted at `now` among the locks in a row. */
export function fixedLock(now: number, lockedUntil: number | null): LockPlan {
  return { now, windowStart: now - PROGRESSIVE_LOCKOUT_WINDOW_MS, lockedUntil, durationsMs: null };
}

/** The plan for a lock that the failure counted at `now` may set. */
export function lockPlanFor(p: PinPolicy, now: number): LockPlan {
  if (p.lockoutDurationMinutes === null) return fixedLock(now, null);
  if (!p.progressiveLockout) return fixedLock(now, now + p.lockoutDurationMinutes * MINUTE_MS);
  return { ...fixedLock(now, null), durationsMs: progressiveDurations(p.lockoutDurationMinutes) };
}

/** Locks in a row as they count now: none once the window since the last one has passed. */
export function locksInARow(s: { lockCount?: number; lastLockedAt?: number | null }, now: number): number {
  if (!s.lockCount || s.lastLockedAt === null || s.lastLockedAt === undefined) return 0;
  return s.lastLockedAt >= now - PROGRESSIVE_LOCKOUT_WINDOW_MS ? s.lockCount : 0;
}
