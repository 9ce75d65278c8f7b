import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limiter.js';

const MIN = 60_000;

describe('FailureLimiter', () => {
  it('allows max failures in the window, then refuses until the oldest leaves it', () => {
    const l = new FailureLimiter({ max: 3, windowMs: 15 * MIN });
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfter('alice', t0 + i * MIN)).toBe(0);
      l.fail('alice', t0 + i * MIN);
    }
    expect(l.retryAfter('alice', t0 + 3 * MIN)).toBe(12 * 60);
    expect(l.retryAfter('alice', t0 + 15 * MIN - 1)).toBe(1);
    // the first failure has left the window: one more attempt
    expect(l.retryAfter('alice', t0 + 15 * MIN)).toBe(0);
    expect(l.retryAfter('bob', t0)).toBe(0);
  });

  it('a cleared key starts again', () => {
    const l = new FailureLimiter({ max: 2, windowMs: MIN });
    l.fail('k', 0);
    l.fail('k', 1);
    expect(l.retryAfter('k', 2)).toBeGreaterThan(0);
    l.clear('k');
    expect(l.retryAfter('k', 2)).toBe(0);
  });

  it('keeps at most maxKeys keys, forgetting the stalest', () => {
    const l = new FailureLimiter({ max: 1, windowMs: MIN }, 100);
    for (let i = 0; i < 1000; i++) l.fail(`name${i}`, i);
    expect(l.size).toBe(100);
    expect(l.retryAfter('name999', 1000)).toBeGreaterThan(0);
    expect(l.retryAfter('name0', 1000)).toBe(0);
  });

  it('forgets keys whose failures are all out of the window', () => {
    const l = new FailureLimiter({ max: 5, windowMs: MIN });
    l.fail('k', 0);
    expect(l.retryAfter('k', 2 * MIN)).toBe(0);
    expect(l.size).toBe(0);
  });
});

describe('FailureLimiter.forgive', () => {
  it('takes back one failure counted up front', () => {
    const l = new FailureLimiter({ max: 2, windowMs: MIN });
    l.fail('k', 10);
    l.fail('k', 20);
    expect(l.retryAfter('k', 30)).toBeGreaterThan(0);
    l.forgive('k', 20);
    expect(l.retryAfter('k', 30)).toBe(0);
    l.forgive('k', 10);
    expect(l.size).toBe(0);
    l.forgive('nobody', 10);
  });
});
