/**
 * The send clock of a call: frame n is due at start + n · 20 ms on the monotonic clock, and
 * each timer is set for the next frame's absolute due time, so a late timer delays one
 * frame without shifting the ones after it. When a timer fires late, every frame due by
 * then is sent at once (their RTP timestamps stay on the 20 ms grid); beyond `maxBurst`
 * frames behind (the process was stopped, the machine starved), the oldest are skipped
 * rather than sent in a flood the peer's jitter buffer would discard anyway.
 */
import { performance } from 'node:perf_hooks';

export const FRAME_MS = 20;

export interface FrameTick {
  /** frames since the clock started */
  readonly index: number;
  /** how late this frame goes out, ms after its due time */
  readonly lateMs: number;
  /** false for a frame skipped in catching up: consume its audio, send nothing */
  readonly send: boolean;
}

export class FrameClock {
  readonly #onFrame: (tick: FrameTick) => void;
  readonly #maxBurst: number;
  readonly #now: () => number;
  #start = 0;
  #next = 0;
  #timer: NodeJS.Timeout | null = null;
  #running = false;

  constructor(onFrame: (tick: FrameTick) => void, options: { maxBurst?: number; now?: () => number } = {}) {
    this.#onFrame = onFrame;
    this.#maxBurst = options.maxBurst ?? 10;
    this.#now = options.now ?? (() => performance.now());
  }

  /** ms since start on the monotonic clock: the session's clock */
  elapsedMs(): number {
    return this.#now() - this.#start;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#start = this.#now();
    this.#next = 0;
    this.#tick();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #tick = (): void => {
    this.#timer = null;
    if (!this.#running) return;
    const now = this.#now();
    const due = Math.floor((now - this.#start) / FRAME_MS);
    while (this.#next <= due && this.#running) {
      const lateMs = now - (this.#start + this.#next * FRAME_MS);
      this.#onFrame({ index: this.#next, lateMs, send: due - this.#next < this.#maxBurst });
      this.#next++;
    }
    if (!this.#running) return;
    const wait = this.#start + this.#next * FRAME_MS - this.#now();
    this.#timer = setTimeout(this.#tick, Math.max(0, wait));
  };
}
