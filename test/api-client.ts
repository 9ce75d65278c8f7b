/** What the API tests share: an app on a test store with Contoso in it, tokens per role, and a terse request helper. */
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../src/http/app.js';
import type { RoleGroup } from '../src/services/actor.js';
import { newApiToken } from '../src/services/api-tokens.js';
import { ADMIN, contoso } from './fixtures.js';
import { testContext, type Engine, type TestContext } from './harness.js';

export interface ApiContext {
  t: TestContext;
  app: FastifyInstance;
  /** JSON log lines the app wrote */
  logLines: string[];
  fixture: Awaited<ReturnType<typeof contoso>>;
  close(): Promise<void>;
}

export async function apiContext(engine: Engine, opts: AppOptions & { users?: Parameters<typeof contoso>[1] } = {}): Promise<ApiContext> {
  const t = await testContext(engine);
  const fixture = await contoso(t.deps, opts.users);
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const app = buildApp(t.deps, { logger: { level: 'info', stream }, metrics: { processMetrics: false }, ...opts });
  await app.ready();
  return {
    t,
    app,
    logLines,
    fixture,
    close: async () => {
      await app.close();
      await t.close();
    },
  };
}

let tokens = 0;
/** A new API token with this role group (optionally scoped to dial plans), made by the local administrator. */
export async function tokenFor(ctx: ApiContext, role: RoleGroup, scope?: string[]): Promise<string> {
  return (await newApiToken(ctx.t.deps, ADMIN, { name: `t${++tokens}-${role}`, role, scope })).token;
}

export interface Call {
  token?: string | null;
  body?: unknown;
  /** a raw payload (not JSON-encoded) */
  raw?: string;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  remoteAddress?: string;
}

export function call(app: FastifyInstance, method: string, url: string, c: Call = {}): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...c.headers };
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  if (c.body !== undefined || c.raw !== undefined) headers['content-type'] ??= 'application/json';
  return app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(c.cookies ? { cookies: c.cookies } : {}),
    ...(c.body !== undefined ? { payload: JSON.stringify(c.body) } : c.raw !== undefined ? { payload: c.raw } : {}),
    ...(c.remoteAddress ? { remoteAddress: c.remoteAddress } : {}),
  });
}

/** The path of a route with its :params filled in, URL-encoded. */
export function pathOf(url: string, params: Record<string, string> = {}): string {
  return url.replace(/:([A-Za-z]+)/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`no value for :${k} in ${url}`);
    return encodeURIComponent(v);
  });
}
