/** The service side of the limit counters: refusals word the wait, and takes sweep stale rows a bounded batch at a time. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { KyselyStore } from '../store/kysely/kysely-store.js';
import { takeLimit, takeOrThrow, windowRule } from './limits.js';

const MIN = 60_000;

describe.each(ENGINES)('limits (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
  });
  afterEach(() => t.close());

  it('refuses past the limit with UMPIN_RATE_LIMITED and the seconds to the end of the window', async () => {
    const now = 1_800_000_000_000;
    for (let i = 0; i < 3; i++) await takeOrThrow(t.deps.store, 'test', 'caller:1', { max: 3, windowMs: MIN }, now);
    const err = await failure(takeOrThrow(t.deps.store, 'test', 'caller:1', { max: 3, windowMs: MIN }, now + 15_500));
    expect([err.code, err.params.retryAfter]).toEqual(['UMPIN_RATE_LIMITED', 45]);
  });

  it('the first take of a kind, and every 64th after it, sweeps up to 256 expired rows of that kind', async () => {
    const rule = windowRule({ max: 5, windowMs: MIN });
    const store = t.deps.store as unknown as KyselyStore;
    const rows = async () =>
      Number(
        (
          await store.kysely
            .selectFrom('limit_counter')
            .select((e) => e.fn.countAll().as('n'))
            .where('kind', '=', 'sweep')
            .executeTakeFirstOrThrow()
        ).n,
      );
    let now = 1_800_000_000_000;
    // 300 rows written straight to the store (no sweep on the way)
    for (let i = 0; i < 300; i++) await store.takeLimit('sweep', `old${i}`, rule, now);
    now += MIN;
    await takeLimit(t.deps.store, 'sweep', 'new0', rule, now);
    expect(await rows()).toBe(300 - 256 + 1);
    for (let i = 1; i < 64; i++) await takeLimit(t.deps.store, 'sweep', `new${i}`, rule, now);
    expect(await rows()).toBe(300 - 256 + 64);
    await takeLimit(t.deps.store, 'sweep', 'new64', rule, now);
    expect(await rows()).toBe(65);
  });
});
