/**
 * Self-service over HTTP, as an end user meets it: ask for a code, read it in the mail,
 * sign in, see the PIN status and the mailbox, reset the PIN (the new one comes by mail and
 * works on the telephone), sign out. And what must not work: a used, wrong or stale code, a
 * write without the CSRF token, choosing a PIN or another address, another user's mailbox,
 * a session after the mailbox was disabled; nor may the answers tell which mailboxes exist.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../src/services/actor.js';
import { verifyLogon } from '../src/services/voice-logon.js';
import {
  apiContext,
  call,
  sessionCookieSet,
  signInAsUser,
  tokenFor,
  type ApiContext,
  type BrowserSession,
} from './api-client.js';
import { DeliveredMail } from './delivered-mail.js';
import { ENGINES } from './harness.js';

const TONY = 'tonysmith@contoso.com';
const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'] };

for (const engine of ENGINES) {
  describe(`self-service over HTTP (${engine})`, () => {
    let ctx: ApiContext;
    let mail: DeliveredMail;
    beforeEach(async () => {
      ctx = await apiContext(engine, {
        trustProxy: ['127.0.0.1'],
        users: [
          { alias: 'tonysmith', extension: '10231', pin: '73019468' },
          { alias: 'kimakers', extension: '10232', pin: '50813627' },
        ],
        rateLimits: { 'sign-in': { max: 100, windowMs: 60_000 } },
      });
      mail = await DeliveredMail.start(ctx.t.deps);
    });
    afterEach(async () => {
      await mail.close();
      await ctx.close();
    });

    const ask = (identity: string, remoteAddress?: string) =>
      call(ctx.app, 'POST', '/api/v1/self/sign-in-codes', { body: { identity }, remoteAddress });
    const signIn = (
      identity: string,
      code: string,
      c: { cookies?: Record<string, string>; remoteAddress?: string } = {},
    ) => call(ctx.app, 'POST', '/api/v1/self/session', { body: { identity, code }, ...c });
    const as = (session: BrowserSession) => ({
      get: (url: string) => call(ctx.app, 'GET', url, { session }),
      post: (url: string, body?: unknown) => call(ctx.app, 'POST', url, { session, body }),
    });

    it('the whole way: code by mail, sign-in, PIN status, mailbox, reset by mail, a voice logon with the new PIN, sign-out', async () => {
      const asked = await ask(TONY);
      expect(asked.statusCode).toBe(202);
      expect(asked.json()).toEqual({ sent: true, expiresInMinutes: 15 });
      const [codeMail] = (await mail.to(TONY)).filter((m) => m.parsed.subject === 'Your voice mail sign-in code');
      expect(codeMail!.parsed.text).toContain('self-service page');
      const code = await mail.latestCode(TONY);

      const res = await signIn('tonysmith', code.toLowerCase());
      expect(res.statusCode).toBe(200);
      const cookie = sessionCookieSet(res)!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie.secure).toBeFalsy();
      const body = res.json<{ csrfToken: string; actor: unknown; idleExpiresAt: number; absoluteExpiresAt: number }>();
      expect(body.actor).toEqual({
        kind: 'user',
        name: `user:${TONY}`,
        roles: [],
        dialPlanScope: null,
        permissions: ['pin:read', 'pin:reset', 'mailbox:read', 'voice:logon'],
      });
      expect(body.absoluteExpiresAt - body.idleExpiresAt).toBe(11.5 * 3_600_000);
      expect(res.body).not.toContain(cookie.value);
      const me = as({ cookie: cookie.value, csrf: body.csrfToken });

      expect((await me.get('/api/v1/session')).json()).toEqual({
        actor: {
          kind: 'user',
          name: `user:${TONY}`,
          roles: [],
          dialPlanScope: null,
          permissions: ['pin:read', 'pin:reset', 'mailbox:read', 'voice:logon'],
        },
        via: 'session',
      });
      const status = await me.get('/api/v1/self/pin');
      expect(status.statusCode).toBe(200);
      expect(status.json()).toMatchObject({ userId: TONY, pinExpired: false, lockedOut: false, failedAttempts: 0 });
      const mailbox = await me.get('/api/v1/self/mailbox');
      expect(mailbox.json()).toMatchObject({
        primarySmtpAddress: TONY,
        extensions: ['10231'],
        umMailboxPolicy: 'Contoso Default Policy',
        umDialPlan: 'Contoso',
        voiceAccessNumbers: ['+14255550100'],
      });

      const reset = await me.post('/api/v1/self/pin/reset');
      expect(reset.statusCode).toBe(200);
      expect(reset.json()).toEqual({
        userId: TONY,
        pinChanged: true,
        lockedOut: false,
        pinExpired: true,
        mailTo: TONY,
        whatIf: null,
      });
      const resetMail = (await mail.to(TONY)).find((m) => m.parsed.subject === 'Your new voice mail PIN')!;
      expect(resetMail.parsed.text).toContain('You asked for a new voice mail PIN on the self-service page');
      const pin = await mail.latestPin(TONY);
      expect(pin).not.toBe('73019468');
      // the mailed PIN opens the voice mail (and must be changed on that first call)
      expect(await verifyLogon(ctx.t.deps, GATEWAY, { extension: '10231', pin })).toMatchObject({
        outcome: 'must-change',
      });
      expect(await verifyLogon(ctx.t.deps, GATEWAY, { extension: '10231', pin: '73019468' })).toMatchObject({
        outcome: 'wrong',
      });
      // an empty body is the same request
      expect((await me.post('/api/v1/self/pin/reset', {})).statusCode).toBe(200);

      const audit = await ctx.t.deps.store.listAudit({ action: 'Set-UMMailboxPIN' });
      expect(audit.map((e) => [e.actor, e.target, e.result])).toEqual([
        [`user:${TONY}`, TONY, 'success'],
        [`user:${TONY}`, TONY, 'success'],
      ]);
      expect(audit[0]!.source).toBe('127.0.0.1');

      const signedOut = await call(ctx.app, 'DELETE', '/api/v1/session', {
        session: { cookie: cookie.value, csrf: body.csrfToken },
      });
      expect(signedOut.statusCode).toBe(204);
      expect(sessionCookieSet(signedOut)!.value).toBe('');
      expect((await me.get('/api/v1/self/pin')).statusCode).toBe(401);
      expect((await ctx.t.deps.store.listAudit({ action: 'Sign-Out' })).map((e) => e.actor)).toEqual([`user:${TONY}`]);
    });

    it('Secure behind TLS; a fresh session at every sign-in, and the one the browser held ends', async () => {
      const first = await signInAsUser(ctx.app, mail, TONY, { headers: { 'x-forwarded-proto': 'https' } });
      expect(sessionCookieSet(first.response)).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
      const planted = { umpin_session: 'A'.repeat(43) };
      await ask(TONY);
      const second = await signIn(TONY, await mail.latestCode(TONY), {
        cookies: { ...planted, umpin_session: first.cookie },
      });
      const id = sessionCookieSet(second)!.value;
      expect(id).not.toBe(first.cookie);
      expect(second.json<{ csrfToken: string }>().csrfToken).not.toBe(first.csrf);
      expect((await as(first).get('/api/v1/self/pin')).statusCode).toBe(401);
      expect((await call(ctx.app, 'GET', '/api/v1/self/pin', { cookies: planted })).statusCode).toBe(401);
      expect((await call(ctx.app, 'GET', '/api/v1/self/pin', { cookies: { umpin_session: id } })).statusCode).toBe(200);
    });

    it('a code signs in once; a wrong, stale or replaced code fails with one generic answer', async () => {
      await ask(TONY);
      const code = await mail.latestCode(TONY);
      expect((await signIn(TONY, code)).statusCode).toBe(200);
      const used = await signIn(TONY, code);
      const generic = {
        code: 'UMPIN_SIGN_IN_FAILED',
        message: 'The sign-in code is not correct, or it has expired or been used; ask for a new one.',
        params: { method: 'code' },
      };
      expect([used.statusCode, used.json()]).toEqual([401, generic]);
      expect(sessionCookieSet(used)).toBeUndefined();

      await ask(TONY);
      const old = await mail.latestCode(TONY);
      await ask(TONY);
      const replaced = await signIn(TONY, old);
      expect([replaced.statusCode, replaced.json()]).toEqual([401, generic]);
      ctx.t.clock.advance(15 * 60_000);
      const stale = await signIn(TONY, await mail.latestCode(TONY));
      expect([stale.statusCode, stale.json()]).toEqual([401, generic]);
      const unknown = await signIn('nobody@contoso.com', 'BCDF-GHJK');
      expect([unknown.statusCode, unknown.json()]).toEqual([401, generic]);
      // what cannot be a code at all is refused as a value, naming the field
      const malformed = await signIn(TONY, '1234-5678');
      expect([malformed.statusCode, malformed.json()]).toMatchObject([
        422,
        { code: 'UMPIN_VALUE_INVALID', field: 'Code' },
      ]);
    });

    it('5 wrong codes void the code', async () => {
      await ask(TONY);
      const code = await mail.latestCode(TONY);
      const wrong = code.startsWith('B') ? 'CCCC-CCCC' : 'BBBB-BBBB';
      for (let i = 0; i < 5; i++) expect((await signIn(i % 2 ? 'tonysmith' : TONY, wrong)).statusCode).toBe(401);
      expect((await signIn('tonysmith', code)).statusCode).toBe(401);
    });

    it('answers the same for a mailbox that does not exist or is not UM-enabled, and mails it nothing', async () => {
      const admin = await tokenFor(ctx, 'OrganizationManagement');
      expect(
        (
          await call(ctx.app, 'POST', '/api/v1/recipients', {
            token: admin,
            body: { primarySmtpAddress: 'pilar@contoso.com' },
          })
        ).statusCode,
      ).toBe(201);
      const answers = await Promise.all(
        [TONY, 'nobody@contoso.com', 'pilar@contoso.com'].map((identity) => ask(identity)),
      );
      const shape = (r: (typeof answers)[number]) => ({
        status: r.statusCode,
        body: r.body,
        type: r.headers['content-type'],
        cookies: r.cookies.length,
      });
      expect(shape(answers[1]!)).toEqual(shape(answers[0]!));
      expect(shape(answers[2]!)).toEqual(shape(answers[0]!));
      expect(await mail.to('pilar@contoso.com')).toEqual([]);
      expect(await mail.to('nobody@contoso.com')).toEqual([]);
      expect(await mail.codeCount(TONY)).toBe(1);
    });

    it('limits code requests and sign-ins per address (429 with Retry-After); the mailbox gets at most 3 codes in 15 minutes', async () => {
      const limited = await apiContext(engine, { rateLimits: { 'sign-in': { max: 4, windowMs: 60_000 } } });
      const limitedMail = await DeliveredMail.start(limited.t.deps);
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++) {
          statuses.push(
            (
              await call(limited.app, 'POST', '/api/v1/self/sign-in-codes', {
                body: { identity: TONY },
                remoteAddress: '192.0.2.1',
              })
            ).statusCode,
          );
          await limitedMail.deliver();
        }
        expect(statuses).toEqual([202, 202, 202, 202]);
        expect(await limitedMail.codeCount(TONY)).toBe(3);
        const over = await call(limited.app, 'POST', '/api/v1/self/session', {
          body: { identity: TONY, code: await limitedMail.latestCode(TONY) },
          remoteAddress: '192.0.2.1',
        });
        expect(over.statusCode).toBe(429);
        expect(over.json()).toMatchObject({ code: 'UMPIN_RATE_LIMITED' });
        expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
        // from another address the (third) code works
        expect(
          (
            await call(limited.app, 'POST', '/api/v1/self/session', {
              body: { identity: TONY, code: await limitedMail.latestCode(TONY) },
              remoteAddress: '192.0.2.2',
            })
          ).statusCode,
        ).toBe(200);
      } finally {
        await limitedMail.close();
        await limited.close();
      }
    });

    it('refuses a cookie write without the CSRF token, and changes nothing', async () => {
      const s = await signInAsUser(ctx.app, mail, TONY);
      const cookies = { umpin_session: s.cookie };
      for (const headers of [{}, { 'x-csrf-token': 'B'.repeat(43) }] as Array<Record<string, string>>) {
        const res = await call(ctx.app, 'POST', '/api/v1/self/pin/reset', { cookies, headers });
        expect([res.statusCode, res.json<{ code: string }>().code]).toEqual([403, 'UMPIN_CSRF_INVALID']);
        expect((await call(ctx.app, 'DELETE', '/api/v1/session', { cookies, headers })).statusCode).toBe(403);
      }
      expect(await ctx.t.deps.store.listAudit({ action: 'Set-UMMailboxPIN' })).toEqual([]);
      expect((await call(ctx.app, 'GET', '/api/v1/self/pin', { cookies })).statusCode).toBe(200);
    });

    it('a user cannot choose a PIN, mail it elsewhere, keep it unexpired, or reach another mailbox, by any route', async () => {
      const s = await signInAsUser(ctx.app, mail, TONY);
      const me = as(s);
      for (const body of [
        { pin: '61829374' },
        { notifyEmail: 'mallory@example.com' },
        { pinExpired: false },
        { sendEmail: false },
        { lockedOut: false },
      ]) {
        const res = await me.post('/api/v1/self/pin/reset', body);
        expect([res.statusCode, res.json<{ code: string }>().code], JSON.stringify(body)).toEqual([
          400,
          'UMPIN_REQUEST_INVALID',
        ]);
      }
      // the administrators' routes are closed to a user session, for their own mailbox as for another's
      for (const who of ['tonysmith', 'kimakers']) {
        for (const res of [
          await call(ctx.app, 'POST', `/api/v1/um-mailboxes/${who}/pin`, { session: s, body: { pin: '61829374' } }),
          await call(ctx.app, 'POST', `/api/v1/um-mailboxes/${who}/pin`, {
            session: s,
            body: { notifyEmail: 'mallory@example.com' },
          }),
          await call(ctx.app, 'POST', `/api/v1/um-mailboxes/${who}/pin`, { session: s }),
          await call(ctx.app, 'POST', `/api/v1/um-mailboxes/${who}/pin`, { session: s, body: { lockedOut: false } }),
          await me.get(`/api/v1/um-mailboxes/${who}/pin`),
          await me.get(`/api/v1/um-mailboxes/${who}`),
          await call(ctx.app, 'POST', '/api/v1/voice/logons', {
            session: s,
            body: { extension: '10232', pin: '50813627' },
          }),
        ]) {
          expect([res.statusCode, res.json<{ code: string }>().code]).toEqual([403, 'UMPIN_ACCESS_DENIED']);
        }
      }
      // nothing changed: both old PINs still work, and no PIN mail went out
      for (const [extension, pin] of [
        ['10231', '73019468'],
        ['10232', '50813627'],
      ] as const) {
        expect(await verifyLogon(ctx.t.deps, GATEWAY, { extension, pin })).toMatchObject({
          outcome: 'must-change',
          reason: 'first-time',
        });
      }
      await mail.deliver();
      expect(
        mail.sink.received.filter((m) =>
          ['Your new voice mail PIN', 'Your voice mail PIN has been reset'].includes(m.parsed.subject ?? ''),
        ),
      ).toEqual([]);
      // and the self routes are closed to tokens and administrators' sessions
      const token = await tokenFor(ctx, 'OrganizationManagement');
      expect((await call(ctx.app, 'GET', '/api/v1/self/pin', { token })).statusCode).toBe(403);
      expect((await call(ctx.app, 'GET', '/api/v1/self/pin')).statusCode).toBe(401);
    });

    it("ends the user's session when the mailbox is disabled", async () => {
      const s = await signInAsUser(ctx.app, mail, TONY);
      expect((await as(s).get('/api/v1/self/pin')).statusCode).toBe(200);
      const admin = await tokenFor(ctx, 'UMManagement');
      expect(
        (await call(ctx.app, 'DELETE', `/api/v1/um-mailboxes/${encodeURIComponent(TONY)}`, { token: admin }))
          .statusCode,
      ).toBe(204);
      const after = await as(s).get('/api/v1/self/pin');
      expect([after.statusCode, after.json<{ code: string }>().code]).toEqual([401, 'UMPIN_AUTH_REQUIRED']);
      expect((await as(s).get('/api/v1/session')).statusCode).toBe(401);
    });
  });
}
