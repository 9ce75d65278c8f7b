import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { buildApp } from './app.js';

for (const engine of ENGINES) {
  describe(`health and readiness probes (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
    });
    afterEach(async () => {
      await t.db.drop();
    });

    it('/healthz answers while the process runs; /readyz only while the store answers', async () => {
      const app = buildApp(t.deps, { metrics: false });
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'ok', store: engine });
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', store: engine });

      await t.deps.store.close();
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const down = await app.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({
        code: 'UMPIN_STORE_UNAVAILABLE',
        message: 'The database cannot be reached.',
        params: {},
      });
      await app.close();
    });
  });
}
