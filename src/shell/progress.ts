/**
 * The progress bar a pipeline shows while a cmdlet works through many objects: count,
 * rate and time left. Small pipelines stay quiet.
 */
import type { Host } from './host.js';

/** "More than a few dozen objects". */
export const PROGRESS_THRESHOLD = 36;

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export class Progress {
  private done = 0;
  private readonly started: number;
  private lastDraw = 0;
  private readonly active: boolean;

  constructor(
    private readonly host: Host,
    private readonly activity: string,
    private readonly total: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.active = total > PROGRESS_THRESHOLD;
  }

  get count(): number {
    return this.done;
  }

  tick(): void {
    this.done++;
    if (!this.active) return;
    const t = this.now();
    if (t - this.lastDraw < 100 && this.done < this.total) return;
    this.lastDraw = t;
    this.host.progress(this.line(t));
  }

  line(t = this.now()): string {
    const elapsed = (t - this.started) / 1000;
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    const eta = rate > 0 ? clock((this.total - this.done) / rate) : '?';
    return `${this.activity} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ${Math.floor((this.done / this.total) * 100)}%  ${rate.toFixed(1)}/s  ETA ${eta}`;
  }

  finish(): void {
    if (!this.active) return;
    const elapsed = (this.now() - this.started) / 1000;
    this.host.progress(
      `Completed ${this.activity}: ${this.done} of ${this.total} objects in ${elapsed.toFixed(1)} s (${(this.done / Math.max(elapsed, 1e-9)).toFixed(1)}/s)`,
    );
    this.host.progress(null);
  }
}
