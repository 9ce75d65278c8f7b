/** What the API tests share: an app on a test store with Contoso in it, tokens per role, and a terse request helper. */
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../src/http/app.js';
import { SESSION_COOKIE } from '../src/http/session-cookie.js';
import type { RoleGroup } from '../src/services/actor.js';
import { newApiToken } from '../src/services/api-tokens.js';
import type { DeliveredMail } from './delivered-mail.js';
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

export async function apiContext(
  engine: Engine,
  opts: AppOptions & { users?: Parameters<typeof contoso>[1] } = {},
): Promise<ApiContext> {
  const t = await testContext(engine);
  const fixture = await contoso(t.deps, opts.users);
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l !== ''),
      );
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

/** A signed-in browser: the session cookie, and the CSRF token it sends on writes. */
export interface BrowserSession {
  cookie: string;
  csrf: string;
}

export interface Call {
  token?: string | null;
  /** the session cookie, and X-CSRF-Token on every method but GET */
  session?: BrowserSession | null;
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
  if (c.session && method !== 'GET') headers['x-csrf-token'] ??= c.session.csrf;
  if (c.body !== undefined || c.raw !== undefined) headers['content-type'] ??= 'application/json';
  const cookies = c.session ? { [SESSION_COOKIE]: c.session.cookie, ...c.cookies } : c.cookies;
  return app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(cookies ? { cookies } : {}),
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

/** The session cookie a response sets (or clears: value ''), if any. */
export function sessionCookieSet(res: LightMyRequestResponse):
  | {
      name: string;
      value: string;
      httpOnly?: boolean;
      sameSite?: string;
      secure?: boolean;
      path?: string;
      expires?: Date;
    }
  | undefined {
  return (res.cookies as Array<{ name: string; value: string }>).find((c) => c.name === SESSION_COOKIE);
}

/**
 * Signs in as an end user the way a user does: asks for a code over the API, reads it in
 * the mail delivered to the mailbox, and signs in with it. Fails if no new code arrived.
 */
export async function signInAsUser(
  app: FastifyInstance,
  mail: DeliveredMail,
  address: string,
  c: Omit<Call, 'body'> = {},
): Promise<BrowserSession & { response: LightMyRequestResponse }> {
  const before = await mail.codeCount(address);
  const asked = await call(app, 'POST', '/api/v1/self/sign-in-codes', { ...c, body: { identity: address } });
  if (asked.statusCode !== 202) throw new Error(`asking for a code answered ${asked.statusCode}: ${asked.body}`);
  if ((await mail.codeCount(address)) === before) throw new Error(`no new sign-in code reached ${address}`);
  const response = await call(app, 'POST', '/api/v1/self/session', {
    ...c,
    body: { identity: address, code: await mail.latestCode(address) },
  });
  const cookie = sessionCookieSet(response);
  if (response.statusCode !== 200 || !cookie)
    throw new Error(`signing in with the code answered ${response.statusCode}: ${response.body}`);
  return { cookie: cookie.value, csrf: response.json<{ csrfToken: string }>().csrfToken, response };
}
