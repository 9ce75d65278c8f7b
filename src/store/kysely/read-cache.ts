/**
 * Rows that change rarely but are read on every request (the organisation, dial plans, UM
 * mailbox policies, API tokens), kept in this process between requests.
 *
 * A cached row is never stale past a change that the process could know of:
 * - this process's own writes clear the cache when their transaction commits;
 * - other processes' writes are reported by the engine's change signal, read on every
 *   look-up: SQLite's `PRAGMA data_version` (it moves whenever another connection commits;
 *   read at most once per turn of the event loop, oncePerTick below),
 *   PostgreSQL's NOTIFY from triggers on those tables. While the signal cannot be trusted
 *   (PostgreSQL's listening connection is down) the cache is bypassed, not trusted.
 * A row loaded while a change was signalled is returned but not kept, so a read that began
 * before another process's commit cannot put the old row back after the cache was cleared.
 * Entries also expire after maxAgeMs, a bound should a signal ever be lost.
 */

/** The engine's view of changes made elsewhere: a number that moves on every change, or null when it is unknown. */
export interface ChangeSignal {
  version(): number | null;
  close(): Promise<void>;
}

/**
 * A signal read at most once per turn of the event loop. For a signal that costs a query
 * (SQLite's data_version, 2–3 µs and a read transaction), when one request's reads all
 * happen in one turn: a change that commits during the turn is seen on the next one, as if
 * it had committed a moment later. Kept rows are never older than the turn's start: an
 * entry read in a turn is dropped on the first later turn that sees the version move.
 */
export function oncePerTick(signal: ChangeSignal): ChangeSignal {
  let read = false;
  let last: number | null = null;
  const forget = () => {
    read = false;
  };
  return {
    version: () => {
      if (!read) {
        last = signal.version();
        read = true;
        setImmediate(forget);
      }
      return last;
    },
    close: () => signal.close(),
  };
}

export interface ReadCacheOptions {
  signal: ChangeSignal;
  /** the longest an entry is trusted without a re-read (default 60 s) */
  maxAgeMs?: number;
  /** the most entries held; past it the cache starts afresh (default 10,000) */
  maxEntries?: number;
  now?: () => number;
}

export class ReadCache {
  readonly #signal: ChangeSignal;
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { value: unknown; at: number }>();
  /** the signal's version the entries were read under */
  #seen: number | null = null;
  /** bumped by this process's own changes */
  #local = 0;

  constructor(o: ReadCacheOptions) {
    this.#signal = o.signal;
    this.#maxAgeMs = o.maxAgeMs ?? 60_000;
    this.#maxEntries = o.maxEntries ?? 10_000;
    this.#now = o.now ?? Date.now;
  }

  /**
   * The cached value for key, else load() (kept when it is not null and nothing changed
   * meanwhile). Values are frozen: callers share them.
   */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const version = this.#signal.version();
    if (version === null) return load();
    if (version !== this.#seen) {
      this.#entries.clear();
      this.#seen = version;
    }
    const hit = this.#entries.get(key);
    const now = this.#now();
    if (hit !== undefined && now - hit.at < this.#maxAgeMs) return hit.value as T;
    const local = this.#local;
    const value = await load();
    if (value !== null && this.#local === local && this.#signal.version() === version) {
      if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
      this.#entries.set(key, { value: deepFreeze(value), at: now });
    }
    return value;
  }

  /** This process changed a cached table (or may have): forget everything. */
  invalidate(): void {
    this.#local++;
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  close(): Promise<void> {
    this.#entries.clear();
    return this.#signal.close();
  }
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
