/**
 * PIN links over HTTP, as their user meets them (PINDelivery Link with PINLinkRequiresSignIn):
 * the link arrives by SMTP, its PIN is refused to anyone but the mailbox's own user signed in to
 * the self-service page, in the caller's language, and shown to that user once, with no-store;
 * neither the token nor the PIN reaches the server's log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setMailboxPolicy } from '../src/services/mailbox-policies.js';
import { setUMMailboxPIN } from '../src/services/set-um-mailbox-pin.js';
import { apiContext, call, signInAsUser, type ApiContext } from './api-client.js';
import { DeliveredMail } from './delivered-mail.js';
import { ADMIN } from './fixtures.js';
import { ENGINES } from './harness.js';

const TONY = 'tonysmith@contoso.com';
const KIM = 'kimakers@contoso.com';
const LINK = /https?:\/\/\S+?\/me\/pin\/([A-Za-z0-9_-]{43})/;

describe(`PIN links over HTTP (${ENGINES[0]})`, () => {
  let ctx: ApiContext;
  let mail: DeliveredMail;
  beforeAll(async () => {
    ctx = await apiContext(ENGINES[0]!, {
      users: [
        { alias: 'tonysmith', extension: '10231', pin: '73019468' },
        { alias: 'kimakers', extension: '10232', pin: '50813627' },
      ],
      rateLimits: { 'sign-in': { max: 100, windowMs: 60_000 } },
    });
    mail = await DeliveredMail.start(ctx.t.deps);
    await setMailboxPolicy(ctx.t.deps, ADMIN, 'Contoso Default Policy', {
      pinDelivery: 'Link',
      pinLinkRequiresSignIn: true,
    });
  });
  afterAll(async () => {
    await mail.close();
    await ctx.close();
  });

  it('shows the PIN once, and only to its own user signed in; the token and the PIN are in no log line', async () => {
    await setUMMailboxPIN(ctx.t.deps, ADMIN, { identity: 'tonysmith' });
    const text = (await mail.to(TONY)).at(-1)!.parsed.text ?? '';
    const token = LINK.exec(text)?.[1];
    expect(token, text).toBeDefined();
    const body = { token };

    const status = await call(ctx.app, 'POST', '/api/v1/self/pin-links/status', { body });
    expect(status.json()).toMatchObject({ state: 'ready', requiresSignIn: true });

    const anonymous = await call(ctx.app, 'POST', '/api/v1/self/pin-links/show', {
      body,
      headers: { 'accept-language': 'zh-TW' },
    });
    expect(anonymous.statusCode).toBe(403);
    expect(anonymous.json()).toMatchObject({ code: 'UMPIN_PIN_LINK_SIGN_IN_REQUIRED' });
    expect(anonymous.json<{ message: string }>().message).toContain('請先登入自助服務頁面');

    const kim = await signInAsUser(ctx.app, mail, KIM);
    const wrong = await call(ctx.app, 'POST', '/api/v1/self/pin-links/show', { body, session: kim });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'UMPIN_PIN_LINK_WRONG_USER' });

    const tony = await signInAsUser(ctx.app, mail, TONY);
    // the self-service page learns that a reset mails a link, to say so
    expect((await call(ctx.app, 'GET', '/api/v1/self/mailbox', { session: tony })).json()).toMatchObject({
      pinDelivery: 'Link',
    });
    const shown = await call(ctx.app, 'POST', '/api/v1/self/pin-links/show', { body, session: tony });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.headers['referrer-policy']).toBe('no-referrer');
    const { pin, userId } = shown.json<{ pin: string; userId: string }>();
    expect(userId).toBe(TONY);
    expect(pin).toMatch(/^\d{6}$/);
    expect(text).not.toContain(pin);

    const again = await call(ctx.app, 'POST', '/api/v1/self/pin-links/show', { body, session: tony });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'UMPIN_PIN_LINK_USED' });
    expect((await call(ctx.app, 'POST', '/api/v1/self/pin-links/status', { body })).json()).toMatchObject({
      state: 'used',
    });

    const log = ctx.logLines.join('\n');
    expect(log).toContain('/api/v1/self/pin-links/show');
    expect(log).not.toContain(token!);
    expect(log).not.toContain(pin);
  });

  it('refuses a malformed body naming the field, and an unknown token as not found', async () => {
    const bad = await call(ctx.app, 'POST', '/api/v1/self/pin-links/show', { body: { token: 42 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ field?: string }>().field).toBe('token');
    const unknown = await call(ctx.app, 'POST', '/api/v1/self/pin-links/status', { body: { token: 'A'.repeat(43) } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'UMPIN_PIN_LINK_NOT_FOUND' });
  });
});
