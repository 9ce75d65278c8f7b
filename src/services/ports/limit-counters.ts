/**
 * Counters of attempts, shared by every server on the database: the sign-in limits, the
 * HTTP request limits and the toll-fraud back-off per calling number. Each step is one
 * atomic statement, so a limit of N allows N across any number of processes and any burst:
 * an attempt is counted (reserved) before its costly work, and given back if it should not
 * count. Keys never hold a secret: a calling number or an address as it is, anything typed
 * (a name, an identity) only as a keyed digest.
 */

/** How many attempts a key may have in one window (the window starts at its first attempt). */
export interface LimitWindow {
  max: number;
  windowMs: number;
  /** how long the row must outlive its last write (at least the window and any back-off and its memory) */
  keepMs: number;
}

/** A back-off started by a failure once the key has `max` attempts: the delay grows with each offence remembered. */
export interface LimitBackoff {
  max: number;
  /** the delay of the 1st, 2nd, … offence; the last one repeats */
  delaysMs: readonly number[];
  /** how long an offence counts towards a longer delay */
  offenceMemoryMs: number;
  /** attempts left on the count after an offence (0: a fresh allowance; max − 1: every further failure is an offence) */
  resetTo: number;
  keepMs: number;
}

export interface LimitState {
  /** attempts in the current window, those still running included */
  attempts: number;
  windowStart: number;
  /** epoch ms; 0 or past: not blocked */
  blockedUntil: number;
}

export interface LimitTake {
  allowed: boolean;
  /** the key's state after this attempt (allowed), or as it refused it; null if it went meanwhile */
  state: LimitState | null;
}

export interface LimitCounters {
  /**
   * One atomic step: counts an attempt unless the key is blocked or already has `max`
   * attempts in its live window (an expired window starts afresh).
   */
  takeLimit(kind: string, key: string, rule: LimitWindow, now: number): Promise<LimitTake>;
  /**
   * After a failure, one atomic step: when the key has at least `max` attempts and is not
   * blocked, blocks it for the next offence's delay. Returns the end of the block it started, or null.
   */
  strikeLimit(kind: string, key: string, rule: LimitBackoff, now: number): Promise<number | null>;
  /** Gives back one counted attempt (it succeeded, or did not count); `clear` forgets the key altogether. */
  returnLimit(kind: string, key: string, clear: boolean): Promise<void>;
  readLimit(kind: string, key: string): Promise<LimitState | null>;
  /** Deletes at most `max` rows of this kind that no longer matter; returns how many. */
  sweepLimits(kind: string, now: number, max: number): Promise<number>;
}
