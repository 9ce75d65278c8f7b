/**
 * The read cache's rules, with a change signal driven by hand (the engines' own signals and
 * the store's use of the cache are tested against real databases in kysely-store-cache.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { oncePerTick, ReadCache, type ChangeSignal } from './read-cache.js';

class HandSignal implements ChangeSignal {
  v: number | null = 1;
  version = () => this.v;
  close = async () => {};
}

function counting<T>(value: () => T) {
  const load = async () => {
    load.calls++;
    return value();
  };
  load.calls = 0;
  return load;
}

describe('ReadCache', () => {
  it('loads once, then answers from memory until a change is signalled', async () => {
    const signal = new HandSignal();
    const cache = new ReadCache({ signal });
    const load = counting(() => ({ name: 'Contoso Default Policy' }));
    expect(await cache.get('p', load)).toEqual({ name: 'Contoso Default Policy' });
    await cache.get('p', load);
    expect(load.calls).toBe(1);
    signal.v = 2; // another process committed
    await cache.get('p', load);
    expect(load.calls).toBe(2);
  });

  it('forgets everything when this process says it changed something', async () => {
    const cache = new ReadCache({ signal: new HandSignal() });
    const load = counting(() => 'v');
    await cache.get('a', load);
    cache.invalidate();
    await cache.get('a', load);
    expect(load.calls).toBe(2);
  });

  it('bypasses itself while the signal is unknown, and starts afresh when it is back', async () => {
    const signal = new HandSignal();
    const cache = new ReadCache({ signal });
    const load = counting(() => 'v');
    await cache.get('a', load);
    signal.v = null; // the listening connection is down
    await cache.get('a', load);
    await cache.get('a', load);
    expect(load.calls).toBe(3);
    expect(cache.size).toBe(1); // not trusted meanwhile, nor added to
    signal.v = 2;
    await cache.get('a', load);
    await cache.get('a', load);
    expect(load.calls).toBe(4);
  });

  it('does not keep a row read while a change was signalled (it may be the old row)', async () => {
    const signal = new HandSignal();
    const cache = new ReadCache({ signal });
    let release!: () => void;
    const slow = async () => {
      await new Promise<void>((r) => (release = r));
      return 'old';
    };
    const pending = cache.get('a', slow);
    signal.v = 2; // the change lands while the read is on its way
    release();
    expect(await pending).toBe('old');
    const load = counting(() => 'new');
    expect(await cache.get('a', load)).toBe('new');
    expect(load.calls).toBe(1);

    // the same for this process's own change
    const pending2 = cache.get('b', slow);
    cache.invalidate();
    release();
    await pending2;
    expect(cache.size).toBe(0);
  });

  it('never keeps null (an unknown token digest is a stranger’s guess), and hands out frozen rows', async () => {
    const cache = new ReadCache({ signal: new HandSignal() });
    const miss = counting(() => null);
    await cache.get('t', miss);
    await cache.get('t', miss);
    expect(miss.calls).toBe(2);
    const row = await cache.get('d', async () => ({ voiceAccessNumbers: ['+14255550100'] }));
    expect(Object.isFrozen(row) && Object.isFrozen(row.voiceAccessNumbers)).toBe(true);
    expect(() => row.voiceAccessNumbers.push('x')).toThrow(TypeError);
  });

  it('re-reads an entry older than maxAgeMs, and stays within maxEntries', async () => {
    let now = 0;
    const cache = new ReadCache({ signal: new HandSignal(), maxAgeMs: 1000, maxEntries: 3, now: () => now });
    const load = counting(() => 'v');
    await cache.get('a', load);
    now = 999;
    await cache.get('a', load);
    now = 1000;
    await cache.get('a', load);
    expect(load.calls).toBe(2);
    for (const k of ['b', 'c', 'd', 'e']) await cache.get(k, load);
    expect(cache.size).toBeLessThanOrEqual(3);
  });
});

describe('oncePerTick', () => {
  it('reads the signal once per turn of the event loop, and afresh on the next turn', async () => {
    const hand = new HandSignal();
    let reads = 0;
    const signal = oncePerTick({
      version: () => {
        reads++;
        return hand.version();
      },
      close: hand.close,
    });
    const cache = new ReadCache({ signal });
    const load = counting(() => 'row');
    for (let i = 0; i < 5; i++) await cache.get('a', load);
    expect(reads).toBe(1);
    // another process commits: this turn still answers from the turn's version, the next one sees it
    hand.v = 2;
    expect(signal.version()).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    await cache.get('a', load);
    expect(reads).toBe(2);
    expect(load.calls).toBe(2);
  });
});
