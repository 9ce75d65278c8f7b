import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameClock, type FrameTick } from './frame-clock.js';

/** The clock's time source is Date.now under fake timers, so the test moves time itself. */
function clock(maxBurst = 10) {
  const ticks: FrameTick[] = [];
  const c = new FrameClock((t) => ticks.push(t), { maxBurst, now: () => Date.now() });
  return { c, ticks };
}

describe('the 20 ms send clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends frame 0 at once and one frame per 20 ms after it', () => {
    const { c, ticks } = clock();
    c.start();
    vi.advanceTimersByTime(100);
    expect(ticks.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks.every((t) => t.lateMs === 0 && t.send)).toBe(true);
    c.stop();
  });

  it('after a late timer sends every frame due, and the next one stays on its schedule', () => {
    const { c, ticks } = clock();
    c.start();
    vi.advanceTimersByTime(20);
    // the loop is busy for 45 ms more than the timer for frame 2 waits: it fires at 85 ms, not 40
    vi.setSystemTime(Date.now() + 45);
    vi.advanceTimersByTime(20);
    expect(ticks.slice(2).map((t) => [t.index, t.lateMs])).toEqual([
      [2, 45],
      [3, 25],
      [4, 5],
    ]);
    vi.advanceTimersByTime(15);
    expect(ticks.at(-1)).toEqual({ index: 5, lateMs: 0, send: true });
    c.stop();
  });

  it('skips frames beyond its burst limit when far behind, still counting them', () => {
    const { c, ticks } = clock(3);
    c.start();
    // stopped for 200 ms: the timer for frame 1 fires at 220 ms, when frame 11 is due
    vi.setSystemTime(Date.now() + 200);
    vi.advanceTimersByTime(20);
    expect(ticks.map((t) => [t.index, t.send])).toEqual([
      [0, true],
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => [i, false]),
      [9, true],
      [10, true],
      [11, true],
    ]);
    c.stop();
    vi.advanceTimersByTime(100);
    expect(ticks.length).toBe(12);
  });
});
