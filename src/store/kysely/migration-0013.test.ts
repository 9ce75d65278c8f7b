/** 0013-limit-counters: migrated down, the counts go with their table; up again, counting works from nothing. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import type { KyselyStore } from './kysely-store.js';

const RULE = { max: 2, windowMs: 60_000, keepMs: 60_000 };

describe.each(ENGINES)('migration 0013-limit-counters (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
  });
  afterEach(() => t.close());

  it('drops the counters going down; up again, a key starts from nothing and counts to its limit', async () => {
    const store = t.deps.store as unknown as KyselyStore;
    const now = t.clock.now();
    await store.takeLimit('test', 'caller:1', RULE, now);
    await store.takeLimit('test', 'caller:1', RULE, now);
    expect((await store.takeLimit('test', 'caller:1', RULE, now)).allowed).toBe(false);

    // down to the step before 0013 (later steps, if any, go down first)
    const down = await store.migrator().migrateTo('0012-kept-um-properties');
    if (down.error) throw down.error;
    expect(down.results?.map((r) => r.migrationName)).toContain('0013-limit-counters');
    const tables = async () => (await store.kysely.introspection.getTables()).map((x) => x.name);
    expect(await tables()).not.toContain('limit_counter');

    await store.migrate();
    expect(await tables()).toContain('limit_counter');
    expect(await store.readLimit('test', 'caller:1')).toBeNull();
    expect((await store.takeLimit('test', 'caller:1', RULE, now)).allowed).toBe(true);
    expect((await store.takeLimit('test', 'caller:1', RULE, now)).allowed).toBe(true);
    expect((await store.takeLimit('test', 'caller:1', RULE, now)).allowed).toBe(false);
  });
});
