import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { buildApp } from './app.js';

for (const engine of ENGINES) {
  describe(`GET /healthz (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
    });
    afterEach(async () => {
      await t.db.drop();
    });

    it('is 200 while the store answers and 503 once it does not', async () => {
      const app = buildApp(t.deps);
      const ok = await app.inject({ method: 'GET', url: '/healthz' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ status: 'ok', store: engine });
      await t.deps.store.close();
      const down = await app.inject({ method: 'GET', url: '/healthz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ code: 'UMPIN_STORE_UNAVAILABLE' });
      await app.close();
    });
  });
}
