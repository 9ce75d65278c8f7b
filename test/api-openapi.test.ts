/**
 * The OpenAPI document is valid OpenAPI 3.1, lists exactly the route table's operations,
 * and the docs page renders them in a real browser (Debian's chromium) with every asset
 * from this server, none from a CDN.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { API_ROUTES } from '../src/http/routes/api-routes.js';
import { ensureDebianPackages } from './debian-packages.js';
import { ENGINES, testContext, type TestContext } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';

interface OpenApiDoc {
  openapi: string;
  paths: Record<
    string,
    Record<string, { operationId: string; security?: unknown[]; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

/** Fastify's /:param as OpenAPI's /{param}. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

for (const engine of ENGINES) {
  describe(`the OpenAPI document (${engine})`, () => {
    let t: TestContext;
    let doc: OpenApiDoc;

    beforeAll(async () => {
      t = await testContext(engine);
      const app = buildApp(t.deps, { metrics: false, apiDocs: 'public' });
      const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      doc = res.json();
      await app.close();
    });
    afterAll(() => t.close());

    it('validates as OpenAPI 3.1', async () => {
      expect(doc.openapi).toBe('3.1.0');
      const result = await new Validator().validate(doc as never);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
    });

    it("has exactly the route table's paths and methods, with their operationIds", () => {
      const documented = Object.entries(doc.paths)
        .flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
        )
        .sort();
      const table = API_ROUTES.map((r) => `${r.method} ${openApiPath(r.url)} ${r.operationId}`).sort();
      expect(documented).toEqual(table);
    });

    it('marks which operations need a token or session, and documents the error body', () => {
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerAuth', 'sessionCookie']);
      expect(doc.components.schemas).toHaveProperty('Error');
      // every error: the code, its message in the language asked for, the field, and the code's params
      const error = doc.components.schemas.Error as { properties: Record<string, unknown>; required: string[] };
      expect(Object.keys(error.properties).sort()).toEqual(['code', 'field', 'message', 'params']);
      expect([...error.required].sort()).toEqual(['code', 'message', 'params']);
      for (const r of API_ROUTES) {
        const op = doc.paths[openApiPath(r.url)]![r.method.toLowerCase()]!;
        // the self-service routes are for signed-in end users, who have no token
        expect(op.security, r.operationId).toEqual(
          r.permission === 'public'
            ? []
            : r.permission === 'self'
              ? [{ sessionCookie: [] }]
              : [{ bearerAuth: [] }, { sessionCookie: [] }],
        );
        expect(Object.keys(op.responses), r.operationId).toContain(String(r.status ?? 200));
        expect(Object.keys(op.responses), r.operationId).toContain('400');
      }
    });

    it('never names a PIN field in a response', () => {
      // request bodies may carry a PIN (POST .../pin, the voice routes); no response schema has one but the
      // one-time PIN link's, whose whole purpose is showing the PIN once (ShownPin, PINDelivery Link)
      const responses = JSON.stringify(
        Object.values(doc.paths).flatMap((ops) =>
          Object.values(ops)
            .filter((op) => op.operationId !== 'showPinLink')
            .map((op) => op.responses),
        ),
      );
      const schemas = JSON.stringify(
        Object.entries(doc.components.schemas).filter(([name]) => !/Input$/.test(name) && name !== 'ShownPin'),
      );
      for (const text of [responses, schemas])
        expect(text).not.toMatch(/"(pin|newPin|oldPin|confirmPin|password|pinHash|passwordHash|digest|sessionId)"\s*:/);
    });
  });
}

describe('the docs page', () => {
  let t: TestContext;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // Debian's chromium, installed by the package manager when missing (never a downloaded browser)
    ensureDebianPackages({ [CHROMIUM]: 'chromium' });
    t = await testContext(ENGINES[0]!);
    const app = buildApp(t.deps, { metrics: false, apiDocs: 'public' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = async () => {
      await app.close();
      await t.close();
    };
  }, 660_000);
  afterAll(() => close?.());

  it('renders every operation, with every asset served locally', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is needed (apt-get install chromium)`).toBe(true);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const res = await page.goto(`${base}/api/docs`, { waitUntil: 'networkidle' });
      expect(res?.status()).toBe(200);
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      const operations = await page.$$eval('.opblock-summary-path', (els) =>
        els.map((e) => e.getAttribute('data-path') ?? e.textContent ?? ''),
      );
      expect(operations.length).toBe(API_ROUTES.length);
      expect(await page.textContent('.info .title')).toContain('umpin API');
      expect(operations).toContain('/api/v1/um-mailboxes/{identity}/pin');
      expect(await page.getByText('Set-UMMailboxPIN: lock or unlock', { exact: false }).first().isVisible()).toBe(true);
      expect(errors).toEqual([]);
      expect(requested.filter((u) => !u.startsWith(base) && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
