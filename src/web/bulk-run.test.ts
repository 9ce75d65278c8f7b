import { describe, expect, it } from 'vitest';
import { runBatches, runBulk, tally } from './bulk-run.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('a bulk action', () => {
  it('calls once per item, a few at a time, and reports each outcome', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const outcomes = await runBulk(
      [1, 2, 3, 4, 5, 6, 7],
      async (n) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await tick();
        inFlight--;
        if (n === 4) throw new Error('refused');
      },
      { concurrency: 3, cancelled: () => false, onOutcome: (i) => seen.push(i), messageOf: (e) => String(e) },
    );
    expect(most).toBe(3);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(outcomes[3]).toEqual({ status: 'failed', message: 'Error: refused' });
    expect(tally(outcomes)).toEqual({ ok: 6, failed: 1, notDone: 0 });
  });

  it('cancelled, finishes the calls in flight, starts no other and reports the rest not done', async () => {
    let stop = false;
    let calls = 0;
    const outcomes = await runBulk(
      Array.from({ length: 20 }, (_, i) => i),
      async () => {
        calls++;
        await tick();
        if (calls === 4) stop = true;
      },
      { concurrency: 2, cancelled: () => stop, onOutcome: () => undefined, messageOf: String },
    );
    const n = tally(outcomes);
    expect(n.ok).toBe(calls);
    expect(calls).toBeLessThanOrEqual(5);
    expect(n.notDone).toBe(20 - calls);
    expect(outcomes.slice(calls).every((o) => o.status === 'notDone')).toBe(true);
  });
});

describe('a bulk action under the server rate limit', () => {
  const limited = new Error('rate limited');

  it('waits as long as the server says and calls again', async () => {
    const waits: number[] = [];
    const slept: number[] = [];
    let refused = false;
    const outcomes = await runBulk(
      ['a', 'b'],
      async (x) => {
        if (x === 'b' && !refused) {
          refused = true;
          throw limited;
        }
      },
      {
        concurrency: 1,
        cancelled: () => false,
        onOutcome: () => undefined,
        messageOf: String,
        retryAfter: (e) => (e === limited ? 7 : null),
        onWait: (s) => waits.push(s),
        sleep: async (ms) => {
          slept.push(ms);
        },
      },
    );
    expect(outcomes).toEqual([{ status: 'ok' }, { status: 'ok' }]);
    expect(slept).toEqual([7000]);
    expect(waits).toEqual([7, 0]);
  });

  it('cancelled while waiting: that one and the rest are not done', async () => {
    let stop = false;
    const outcomes = await runBulk(
      [1, 2, 3],
      async (n) => {
        if (n === 2) throw limited;
      },
      {
        concurrency: 1,
        cancelled: () => stop,
        onOutcome: () => undefined,
        messageOf: String,
        retryAfter: (e) => (e === limited ? 60 : null),
        sleep: async () => {
          stop = true;
        },
      },
    );
    expect(tally(outcomes)).toEqual({ ok: 1, failed: 0, notDone: 2 });
  });
});

describe('a bulk action a batch a call', () => {
  it('answers each member in order, fails each member of a batch refused whole, and stops between batches', async () => {
    const seen: number[] = [];
    const outcomes = await runBatches(
      Array.from({ length: 25 }, (_, i) => i),
      10,
      async (batch) => {
        if (batch[0] === 10) throw new Error('refused');
        return batch.map((n) => (n === 3 ? { status: 'failed', message: 'three' } : { status: 'ok' }));
      },
      { concurrency: 1, cancelled: () => false, onOutcome: (i) => seen.push(i), messageOf: (e) => String(e) },
    );
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(outcomes[3]).toEqual({ status: 'failed', message: 'three' });
    expect(outcomes.slice(10, 20).every((o) => o.status === 'failed' && o.message === 'Error: refused')).toBe(true);
    expect(tally(outcomes)).toEqual({ ok: 14, failed: 11, notDone: 0 });

    let calls = 0;
    const cancelled = await runBatches(
      Array.from({ length: 25 }, (_, i) => i),
      10,
      async (batch) => {
        calls++;
        return batch.map(() => ({ status: 'ok' }));
      },
      { concurrency: 1, cancelled: () => calls >= 1, onOutcome: () => undefined, messageOf: String },
    );
    expect(tally(cancelled)).toEqual({ ok: 10, failed: 0, notDone: 15 });
  });
});
