/**
 * Counts failures per key in a sliding window and says when a key has had too many.
 * In memory, per process: several umpin servers each allow the limit (still a small,
 * fixed multiple), and a restart forgets; the memory-hard KDF stays the real brake.
 * The number of keys is bounded, so a flood of made-up names cannot exhaust memory.
 */
export interface RateLimit {
  /** failures allowed within the window; the next attempt is refused */
  max: number;
  windowMs: number;
}

export class FailureLimiter {
  readonly #limit: RateLimit;
  readonly #maxKeys: number;
  /** key → failure times, oldest first; a Map keeps insertion order, so the first keys are the stalest */
  readonly #failures = new Map<string, number[]>();

  constructor(limit: RateLimit, maxKeys = 10_000) {
    this.#limit = limit;
    this.#maxKeys = maxKeys;
  }

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string, now: number): number {
    const times = this.#live(key, now);
    if (times.length < this.#limit.max) return 0;
    // the attempt becomes possible when enough failures have left the window
    const freeAt = times[times.length - this.#limit.max]! + this.#limit.windowMs;
    return Math.max(1, Math.ceil((freeAt - now) / 1000));
  }

  fail(key: string, now: number): void {
    const times = this.#live(key, now);
    times.push(now);
    if (times.length > this.#limit.max) times.splice(0, times.length - this.#limit.max);
    // re-insert so this key is the freshest
    this.#failures.delete(key);
    this.#failures.set(key, times);
    while (this.#failures.size > this.#maxKeys) this.#failures.delete(this.#failures.keys().next().value as string);
  }

  /** Takes back one failure counted at `at` (an attempt counted up front that then succeeded). */
  forgive(key: string, at: number): void {
    const times = this.#failures.get(key);
    const i = times ? times.lastIndexOf(at) : -1;
    if (i >= 0) times!.splice(i, 1);
    if (times && times.length === 0) this.#failures.delete(key);
  }

  clear(key: string): void {
    this.#failures.delete(key);
  }

  get size(): number {
    return this.#failures.size;
  }

  #live(key: string, now: number): number[] {
    const times = this.#failures.get(key);
    if (!times) return [];
    const from = now - this.#limit.windowMs;
    while (times.length > 0 && times[0]! <= from) times.shift();
    if (times.length === 0) this.#failures.delete(key);
    return times;
  }
}
