/**
 * Signing in over HTTP: the session cookie's attributes, a fresh id at every sign-in (no
 * fixation), CSRF on every cookie write and never on bearer calls, sign-out, idle expiry,
 * token revocation on the very next request, and the per-address rate limits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { addAdminAccount } from '../src/services/admin-accounts.js';
import { apiContext, call, tokenFor, type ApiContext } from './api-client.js';
import { ADMIN } from './fixtures.js';
import { ENGINES } from './harness.js';

const PASSWORD = 'correct horse battery staple';
/** Everything an administrator may do but log on by phone: what the admin center offers Organization Management. */
const ORG_MANAGEMENT_PERMISSIONS = [
  'organization:read',
  'organization:write',
  'recipient:read',
  'recipient:write',
  'mailbox:read',
  'mailbox:write',
  'pin:read',
  'pin:reset',
  'pin:lock',
  'audit:read',
  'outbox:read',
  'outbox:write',
  'access:read',
  'access:write',
];

interface Cookie {
  name: string;
  value: string;
  httpOnly?: boolean;
  sameSite?: string;
  secure?: boolean;
  path?: string;
  expires?: Date;
}

function sessionCookie(res: LightMyRequestResponse): Cookie | undefined {
  return (res.cookies as Cookie[]).find((c) => c.name === 'umpin_session');
}

for (const engine of ENGINES) {
  describe(`sessions over HTTP (${engine})`, () => {
    let ctx: ApiContext;

    const signIn = (
      c: {
        name?: string;
        password?: string;
        cookies?: Record<string, string>;
        headers?: Record<string, string>;
        remoteAddress?: string;
      } = {},
    ) =>
      call(ctx.app, 'POST', '/api/v1/session', {
        body: { name: c.name ?? 'alice', password: c.password ?? PASSWORD },
        cookies: c.cookies,
        headers: c.headers,
        remoteAddress: c.remoteAddress,
      });

    async function session(): Promise<{ id: string; csrf: string }> {
      const res = await signIn();
      expect(res.statusCode).toBe(200);
      return { id: sessionCookie(res)!.value, csrf: res.json<{ csrfToken: string }>().csrfToken };
    }

    beforeEach(async () => {
      ctx = await apiContext(engine, { trustProxy: ['127.0.0.1'] });
      await addAdminAccount(ctx.t.deps, ADMIN, { name: 'alice', password: PASSWORD, role: 'OrganizationManagement' });
      await addAdminAccount(ctx.t.deps, ADMIN, { name: 'helen', password: PASSWORD, role: 'HelpDesk' });
    });
    afterEach(() => ctx.close());

    it('signs in with a HttpOnly, SameSite=Strict cookie; Secure when the request came over TLS', async () => {
      const res = await signIn();
      expect(res.statusCode).toBe(200);
      const cookie = sessionCookie(res)!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie.secure).toBeFalsy();
      const body = res.json<{ csrfToken: string; actor: { name: string; roles: string[] } }>();
      expect(body.actor).toEqual({
        kind: 'admin',
        name: 'admin:alice',
        roles: ['OrganizationManagement'],
        dialPlanScope: null,
        permissions: ORG_MANAGEMENT_PERMISSIONS,
      });
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // the session id travels only in the cookie
      expect(res.body).not.toContain(cookie.value);
      expect(res.headers['cache-control']).toBe('no-store');

      // behind a proxy trusted with UMPIN_TRUST_PROXY, X-Forwarded-Proto says TLS
      const tls = await signIn({ headers: { 'x-forwarded-proto': 'https' } });
      expect(sessionCookie(tls)).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
    });

    it('believes X-Forwarded-Proto only from a trusted proxy', async () => {
      const untrusted = await apiContext(engine);
      try {
        await addAdminAccount(untrusted.t.deps, ADMIN, {
          name: 'alice',
          password: PASSWORD,
          role: 'OrganizationManagement',
        });
        const res = await call(untrusted.app, 'POST', '/api/v1/session', {
          body: { name: 'alice', password: PASSWORD },
          headers: { 'x-forwarded-proto': 'https' },
        });
        expect(sessionCookie(res)!.secure).toBeFalsy();
      } finally {
        await untrusted.close();
      }
    });

    it('the cookie says who is calling', async () => {
      const { id } = await session();
      const me = await call(ctx.app, 'GET', '/api/v1/session', { cookies: { umpin_session: id } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toEqual({
        actor: {
          kind: 'admin',
          name: 'admin:alice',
          roles: ['OrganizationManagement'],
          dialPlanScope: null,
          permissions: ORG_MANAGEMENT_PERMISSIONS,
        },
        via: 'session',
      });
      expect((await call(ctx.app, 'GET', '/api/v1/pins', { cookies: { umpin_session: id } })).statusCode).toBe(200);
    });

    it('the answer lists what the role group allows, so a page offers only those actions: Help Desk resets PINs, View-Only writes nothing', async () => {
      await addAdminAccount(ctx.t.deps, ADMIN, {
        name: 'victor',
        password: PASSWORD,
        role: 'ViewOnlyOrganizationManagement',
      });
      const helpDesk = await signIn({ name: 'helen' });
      expect(helpDesk.json<{ actor: { permissions: string[] } }>().actor.permissions).toEqual([
        'organization:read',
        'recipient:read',
        'mailbox:read',
        'pin:read',
        'pin:reset',
        'pin:lock',
      ]);
      const viewOnly = await signIn({ name: 'victor' });
      const me = await call(ctx.app, 'GET', '/api/v1/session', {
        cookies: { umpin_session: sessionCookie(viewOnly)!.value },
      });
      expect(me.json<{ actor: { permissions: string[] } }>().actor.permissions).toEqual([
        'organization:read',
        'recipient:read',
        'mailbox:read',
        'pin:read',
        'audit:read',
        'outbox:read',
      ]);
    });

    it('refuses wrong names and passwords alike, without saying which', async () => {
      const wrong = await signIn({ password: 'not the password at all' });
      const unknown = await signIn({ name: 'mallory' });
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({
          code: 'UMPIN_SIGN_IN_FAILED',
          message: 'The name or password is not correct.',
          params: {},
        });
        expect(sessionCookie(res)).toBeUndefined();
      }
    });

    it('issues a fresh session id at every sign-in: a planted one is never adopted, the old one ends', async () => {
      const planted = 'A'.repeat(43);
      const res = await signIn({ cookies: { umpin_session: planted } });
      const first = sessionCookie(res)!.value;
      expect(first).not.toBe(planted);
      expect((await call(ctx.app, 'GET', '/api/v1/session', { cookies: { umpin_session: planted } })).statusCode).toBe(
        401,
      );

      const again = await signIn({ cookies: { umpin_session: first } });
      const second = sessionCookie(again)!.value;
      expect(second).not.toBe(first);
      expect(again.json<{ csrfToken: string }>().csrfToken).not.toBe(res.json<{ csrfToken: string }>().csrfToken);
      expect((await call(ctx.app, 'GET', '/api/v1/session', { cookies: { umpin_session: first } })).statusCode).toBe(
        401,
      );
      expect((await call(ctx.app, 'GET', '/api/v1/session', { cookies: { umpin_session: second } })).statusCode).toBe(
        200,
      );
    });

    it('requires the CSRF token on every cookie write, and not on bearer calls', async () => {
      const { id, csrf } = await session();
      const cookies = { umpin_session: id };
      const reset = (headers: Record<string, string> = {}) =>
        call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', { cookies, headers, body: { sendEmail: false } });

      for (const res of [
        await reset(),
        await reset({ 'x-csrf-token': 'B'.repeat(43) }),
        await reset({ 'x-csrf-token': '' }),
      ]) {
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ code: 'UMPIN_CSRF_INVALID' });
      }
      // a refused write changed nothing
      expect((await ctx.t.deps.store.listAudit({ action: 'Set-UMMailboxPIN' })).length).toBe(0);
      expect((await reset({ 'x-csrf-token': csrf })).statusCode).toBe(200);
      // reads need none
      expect((await call(ctx.app, 'GET', '/api/v1/um-mailboxes/tonysmith/pin', { cookies })).statusCode).toBe(200);
      // another session's token does not fit this one
      const other = await session();
      expect((await reset({ 'x-csrf-token': other.csrf })).statusCode).toBe(403);

      // a bearer token is never sent by a browser on its own: no CSRF token needed, and a cookie alongside is ignored
      const token = await tokenFor(ctx, 'HelpDesk');
      const bearer = await call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', {
        token,
        cookies,
        body: { sendEmail: false },
      });
      expect(bearer.statusCode).toBe(200);
      const me = await call(ctx.app, 'GET', '/api/v1/session', { token, cookies });
      expect(me.json()).toMatchObject({ via: 'token', actor: { name: expect.stringMatching(/^token:/) } });
    });

    it('the session carries its account role: a Help Desk session may reset a PIN but not change a policy', async () => {
      const res = await signIn({ name: 'helen' });
      const cookies = { umpin_session: sessionCookie(res)!.value };
      const headers = { 'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken };
      expect(
        (
          await call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', {
            cookies,
            headers,
            body: { sendEmail: false },
          })
        ).statusCode,
      ).toBe(200);
      const policy = await call(ctx.app, 'PATCH', '/api/v1/um-mailbox-policies/Contoso%20Default%20Policy', {
        cookies,
        headers,
        body: { minPinLength: 8 },
      });
      expect(policy.statusCode).toBe(403);
      expect(policy.json()).toMatchObject({ code: 'UMPIN_ACCESS_DENIED' });
    });

    it('signs out: the cookie is cleared and the session is over', async () => {
      const { id, csrf } = await session();
      const cookies = { umpin_session: id };
      expect((await call(ctx.app, 'DELETE', '/api/v1/session', { cookies })).statusCode).toBe(403);
      const out = await call(ctx.app, 'DELETE', '/api/v1/session', { cookies, headers: { 'x-csrf-token': csrf } });
      expect(out.statusCode).toBe(204);
      const cleared = sessionCookie(out)!;
      expect(cleared.value).toBe('');
      expect(cleared.expires!.getTime()).toBeLessThan(Date.now());
      const after = await call(ctx.app, 'GET', '/api/v1/session', { cookies });
      expect(after.statusCode).toBe(401);
      expect(after.headers['www-authenticate']).toMatch(/^Bearer/);
      expect((await ctx.t.deps.store.listAudit({ action: 'Sign-Out' })).map((e) => e.actor)).toEqual(['admin:alice']);
    });

    it('ends a session left idle for 30 minutes; use keeps it alive', async () => {
      const { id } = await session();
      const me = () => call(ctx.app, 'GET', '/api/v1/session', { cookies: { umpin_session: id } });
      ctx.t.clock.advance(20 * 60_000);
      expect((await me()).statusCode).toBe(200);
      ctx.t.clock.advance(20 * 60_000);
      expect((await me()).statusCode).toBe(200);
      ctx.t.clock.advance(31 * 60_000);
      expect((await me()).statusCode).toBe(401);
    });

    it('a revoked token is refused on its next request', async () => {
      const admin = await tokenFor(ctx, 'OrganizationManagement');
      const made = await call(ctx.app, 'POST', '/api/v1/tokens', {
        token: admin,
        body: { name: 'helpdesk-tool', role: 'HelpDesk' },
      });
      expect(made.statusCode).toBe(201);
      const { token, view } = made.json<{ token: string; view: { name: string; role: string } }>();
      expect(view).toMatchObject({ name: 'helpdesk-tool', role: 'HelpDesk' });
      expect((await call(ctx.app, 'GET', '/api/v1/um-mailboxes/tonysmith/pin', { token })).statusCode).toBe(200);
      // the list never shows the secret again
      const list = await call(ctx.app, 'GET', '/api/v1/tokens', { token: admin });
      expect(list.body).not.toContain(token);

      expect((await call(ctx.app, 'DELETE', '/api/v1/tokens/helpdesk-tool', { token: admin })).statusCode).toBe(204);
      const refused = await call(ctx.app, 'GET', '/api/v1/um-mailboxes/tonysmith/pin', { token });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ code: 'UMPIN_AUTH_REQUIRED' });
      expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
      // an invalid token is not silently downgraded to anonymous on a public route's neighbours either
      expect((await call(ctx.app, 'GET', '/api/v1/session', { token })).statusCode).toBe(401);
    });
  });

  describe(`rate limits over HTTP (${engine})`, () => {
    let ctx: ApiContext;
    beforeEach(async () => {
      ctx = await apiContext(engine, {
        rateLimits: { 'sign-in': { max: 3, windowMs: 60_000 }, 'pin-change': { max: 2, windowMs: 60_000 } },
      });
      await addAdminAccount(ctx.t.deps, ADMIN, { name: 'alice', password: PASSWORD, role: 'OrganizationManagement' });
    });
    afterEach(() => ctx.close());

    it('limits sign-in and setup per address: 429 with the error shape and Retry-After', async () => {
      const attempt = (
        remoteAddress: string,
        url = '/api/v1/session',
        body: object = { name: 'alice', password: PASSWORD },
      ) => call(ctx.app, 'POST', url, { body, remoteAddress });
      expect((await attempt('192.0.2.1')).statusCode).toBe(200);
      expect((await attempt('192.0.2.1')).statusCode).toBe(200);
      // setup shares the sign-in count
      expect(
        (await attempt('192.0.2.1', '/api/v1/setup', { token: 'A'.repeat(43), name: 'first', password: PASSWORD }))
          .statusCode,
      ).toBe(409);
      const limited = await attempt('192.0.2.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toEqual({
        code: 'UMPIN_RATE_LIMITED',
        message: expect.stringMatching(/^Too many attempts; try again in \d+ seconds\.$/),
        params: { retryAfter: expect.any(Number) },
      });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // another address is counted apart
      expect((await attempt('192.0.2.2')).statusCode).toBe(200);
    });

    it("the service's own limiter slows guessing one account's password from one address, never the owner's", async () => {
      // a roomy per-address route limit, so the service's limiter is what answers
      const roomy = await apiContext(engine, { rateLimits: { 'sign-in': { max: 100, windowMs: 60_000 } } });
      try {
        await addAdminAccount(roomy.t.deps, ADMIN, {
          name: 'alice',
          password: PASSWORD,
          role: 'OrganizationManagement',
        });
        const signIn = (password: string, remoteAddress: string) =>
          call(roomy.app, 'POST', '/api/v1/session', { body: { name: 'alice', password }, remoteAddress });
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) statuses.push((await signIn(`wrong password ${i}`, '198.51.100.1')).statusCode);
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
        const limited = await signIn(PASSWORD, '198.51.100.1');
        expect(limited.statusCode).toBe(429);
        expect(limited.json()).toMatchObject({ code: 'UMPIN_RATE_LIMITED', params: { retryAfter: 1 } });
        expect(limited.headers['retry-after']).toBe('1');
        // the owner, from their own address, is not held up
        expect((await signIn(PASSWORD, '192.0.2.50')).statusCode).toBe(200);
      } finally {
        await roomy.close();
      }
    });

    it('limits PIN resets and sets per address', async () => {
      const token = await tokenFor(ctx, 'HelpDesk');
      const reset = () =>
        call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', { token, body: { sendEmail: false } });
      expect((await reset()).statusCode).toBe(200);
      expect(
        (
          await call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', {
            token,
            body: { pin: '73019468', sendEmail: false },
          })
        ).statusCode,
      ).toBe(200);
      const limited = await reset();
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ code: 'UMPIN_RATE_LIMITED' });
      expect(limited.headers['retry-after']).toBeDefined();
      // reads are not limited
      expect((await call(ctx.app, 'GET', '/api/v1/um-mailboxes/tonysmith/pin', { token })).statusCode).toBe(200);
    });
  });
}
