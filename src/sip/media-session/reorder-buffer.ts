/**
 * Puts one RTP stream's packets back in sequence order for the in-band DTMF detector, which
 * needs its audio in order (a frame out of place is a 20 ms splice in the middle of a tone).
 * It holds at most `depth` packets waiting for a missing one (3 frames = 60 ms of delay);
 * when more are waiting, the missing packet is declared lost and the caller fills the gap.
 * A packet older than the next one due is late and dropped; a duplicate is dropped. When
 * the stream goes quiet (silence suppression) with packets held, the session flushes them.
 */
export type Reordered<T> = { readonly lost: false; readonly item: T } | { readonly lost: true };

export type ReorderPush<T> =
  | { readonly accepted: true; readonly released: readonly Reordered<T>[] }
  | { readonly accepted: false; readonly reason: 'late' | 'duplicate' };

/** A jump of more lost packets than this (a sender restarting its numbering) is not filled. */
const MAX_FILLED_GAP = 3;

export class ReorderBuffer<T> {
  readonly #depth: number;
  readonly #held = new Map<number, T>();
  #next: number | null = null;

  constructor(depth = 3) {
    this.#depth = depth;
  }

  /** index: the packet's extended sequence number. */
  push(index: number, item: T): ReorderPush<T> {
    if (this.#next === null) this.#next = index;
    if (index < this.#next) return { accepted: false, reason: 'late' };
    if (this.#held.has(index)) return { accepted: false, reason: 'duplicate' };
    this.#held.set(index, item);
    const released: Reordered<T>[] = [];
    this.#drain(released);
    while (this.#held.size > this.#depth) {
      const nextHeld = Math.min(...this.#held.keys());
      const gap = nextHeld - this.#next;
      for (let i = 0; i < Math.min(gap, MAX_FILLED_GAP); i++) released.push({ lost: true });
      this.#next = nextHeld;
      this.#drain(released);
    }
    return { accepted: true, released };
  }

  get holding(): boolean {
    return this.#held.size > 0;
  }

  /** Gives up on every missing packet: all held ones out, in order, gaps declared lost. */
  flush(): Reordered<T>[] {
    const released: Reordered<T>[] = [];
    while (this.#held.size > 0) {
      const nextHeld = Math.min(...this.#held.keys());
      for (let i = 0; i < Math.min(nextHeld - this.#next!, MAX_FILLED_GAP); i++) released.push({ lost: true });
      this.#next = nextHeld;
      this.#drain(released);
    }
    return released;
  }

  #drain(out: Reordered<T>[]): void {
    for (let item = this.#held.get(this.#next!); item !== undefined; item = this.#held.get(this.#next!)) {
      this.#held.delete(this.#next!);
      out.push({ lost: false, item });
      this.#next! += 1;
    }
  }
}
