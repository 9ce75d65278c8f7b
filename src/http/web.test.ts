/** Serving the built admin center: which paths answer the app, which stay the server's, and the headers of each. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext, type TestContext } from '../../test/harness.js';
import { buildApp } from './app.js';
import { WEB_CSP } from './web.js';

describe('web admin center files', () => {
  let t: TestContext;
  let root: string;
  beforeAll(async () => {
    // the store plays no part in serving files: one engine is enough
    t = await testContext('sqlite');
    root = mkdtempSync(join(tmpdir(), 'umpin-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>umpin</title>');
    writeFileSync(join(root, 'assets', 'index-AbC123.js'), 'export {};');
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await t.db.drop();
  });

  it('answers the app, not cached, for client routes; hashed assets for a year; both under the strict CSP', async () => {
    const app = buildApp(t.deps, { metrics: false, web: { root } });
    for (const url of ['/', '/setup', '/sign-in?next=%2Fmailboxes', '/mailboxes/tonysmith/um']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body).toContain('<title>umpin</title>');
      expect(r.headers).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': WEB_CSP,
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
    }
    const asset = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers).toMatchObject({
      'cache-control': 'public, max-age=31536000, immutable',
      'content-security-policy': WEB_CSP,
    });
    expect((await app.inject({ method: 'GET', url: '/assets/index-gone.js' })).statusCode).toBe(404);
    await app.close();
  });

  it("paths of the API, the metrics and the probes stay the server's: an unknown one is the API's 404", async () => {
    const app = buildApp(t.deps, { metrics: false, web: { root } });
    for (const url of ['/api', '/api/v1/nothing-here', '/metrics', '/healthz/extra']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.json(), url).toMatchObject({ code: 'UMPIN_NOT_FOUND' });
      expect(r.headers['content-security-policy'], url).not.toBe(WEB_CSP);
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ok' });
    // only GET: a form posted at the app is not an API call
    expect((await app.inject({ method: 'POST', url: '/mailboxes', payload: {} })).statusCode).toBe(404);
    await app.close();
  });

  it('without the web option there are no pages, and a missing build stops the server from starting', async () => {
    const bare = buildApp(t.deps, { metrics: false });
    expect((await bare.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await bare.close();
    const missing = buildApp(t.deps, { metrics: false, web: { root: join(root, 'no-such-build') } });
    await expect(missing.ready()).rejects.toThrow(/index\.html/);
    await missing.close().catch(() => undefined);
  });
});
