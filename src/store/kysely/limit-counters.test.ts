/**
 * The limit counters on both engines: a take counts and tells whether it is allowed in one
 * step, an offence blocks with a growing delay, a given-back attempt frees its place, and
 * the sweep removes only rows nobody needs, a bounded batch at a time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testContext, togetherOn, type TestContext } from '../../../test/harness.js';
import type { LimitBackoff, LimitWindow } from '../../services/ports/limit-counters.js';
import type { KyselyStore } from './kysely-store.js';

const MIN = 60_000;
const WINDOW: LimitWindow = { max: 3, windowMs: 10 * MIN, keepMs: 10 * MIN };
const BACKOFF: LimitBackoff = {
  max: 3,
  delaysMs: [MIN, 2 * MIN, 4 * MIN],
  offenceMemoryMs: 60 * MIN,
  resetTo: 0,
  keepMs: 60 * MIN,
};

describe.each(ENGINES)('limit counters (%s)', (engine) => {
  let t: TestContext;
  let store: KyselyStore;
  let now: number;
  beforeEach(async () => {
    t = await testContext(engine);
    store = t.deps.store as unknown as KyselyStore;
    now = 1_800_000_000_000;
  });
  afterEach(() => t.close());

  const take = (key = 'k', rule = WINDOW) => store.takeLimit('test', key, rule, now);

  it('allows max attempts in a window, refuses the next without counting it, and starts afresh after the window', async () => {
    expect((await take()).state).toEqual({ attempts: 1, windowStart: now, blockedUntil: 0 });
    now += 1000;
    await take();
    expect((await take()).allowed).toBe(true);
    const refused = await take();
    expect(refused).toEqual({ allowed: false, state: { attempts: 3, windowStart: now - 1000, blockedUntil: 0 } });
    // other keys and other kinds count apart
    expect((await take('other')).allowed).toBe(true);
    expect((await store.takeLimit('another-kind', 'k', WINDOW, now)).allowed).toBe(true);
    now += 10 * MIN;
    expect((await take()).state).toMatchObject({ attempts: 1, windowStart: now });
  });

  it('gives back one attempt, or forgets the key', async () => {
    for (let i = 0; i < 3; i++) await take();
    await store.returnLimit('test', 'k', false);
    expect((await take()).allowed).toBe(true);
    expect((await take()).allowed).toBe(false);
    await store.returnLimit('test', 'k', true);
    expect((await store.readLimit('test', 'k'))?.attempts).toBe(0);
    // giving back never goes below nothing
    await store.returnLimit('test', 'k', false);
    await store.returnLimit('test', 'nobody', false);
    expect((await store.readLimit('test', 'k'))?.attempts).toBe(0);
  });

  it('an offence at max attempts blocks for a delay that grows with each offence remembered', async () => {
    const offend = async () => {
      for (let i = 0; i < 3; i++) expect((await take('c', WINDOW)).allowed).toBe(true);
      return store.strikeLimit('test', 'c', BACKOFF, now);
    };
    // below max, a failure starts nothing
    await take('c');
    expect(await store.strikeLimit('test', 'c', BACKOFF, now)).toBeNull();
    await store.returnLimit('test', 'c', true);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const until = await offend();
      expect(until).not.toBeNull();
      delays.push(until! - now);
      expect((await take('c')).allowed).toBe(false);
      // a second failure of the same burst starts no second offence
      expect(await store.strikeLimit('test', 'c', BACKOFF, now)).toBeNull();
      now = until!;
    }
    expect(delays).toEqual([MIN, 2 * MIN, 4 * MIN, 4 * MIN]);
    // an hour after the last offence, they are forgotten
    now += 60 * MIN;
    expect((await offend())! - now).toBe(MIN);
  });

  it('with resetTo max − 1, every failure past the free ones is an offence', async () => {
    const delays = { ...BACKOFF, resetTo: 2 };
    for (let i = 0; i < 3; i++) await take('p');
    let until = await store.strikeLimit('test', 'p', delays, now);
    expect(until! - now).toBe(MIN);
    now = until!;
    expect((await take('p')).allowed).toBe(true);
    expect((await take('p')).allowed).toBe(false);
    until = await store.strikeLimit('test', 'p', delays, now);
    expect(until! - now).toBe(2 * MIN);
  });

  it(`counts exactly under attempts started together: 3 of 50 allowed (${togetherOn(engine)})`, async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => take('burst')));
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
    expect((await store.readLimit('test', 'burst'))?.attempts).toBe(3);
  });

  it('sweeps only expired rows of its kind, at most a batch at a time', async () => {
    for (let i = 0; i < 30; i++) await take(`old${i}`);
    await store.takeLimit('other', 'old', WINDOW, now);
    now += 10 * MIN;
    await take('fresh');
    expect(await store.sweepLimits('test', now, 20)).toBe(20);
    expect(await store.sweepLimits('test', now, 20)).toBe(10);
    expect(await store.sweepLimits('test', now, 20)).toBe(0);
    expect(await store.readLimit('test', 'fresh')).not.toBeNull();
    expect(await store.readLimit('other', 'old')).not.toBeNull();
    // a row blocked past its window is kept while the block and its memory last
    for (let i = 0; i < 3; i++) await take('blocked');
    await store.strikeLimit('test', 'blocked', BACKOFF, now);
    now += 30 * MIN;
    await store.sweepLimits('test', now, 100);
    expect(await store.readLimit('test', 'blocked')).not.toBeNull();
  });
});
