/** Issue 14's settings over REST: pinComplexity on policies, pinChangeAllowed on UM mailboxes, in both languages. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiContext, call, tokenFor, type ApiContext } from './api-client.js';
import { ENGINES } from './harness.js';

describe.each(ENGINES)('PIN policy beyond Exchange over REST (%s)', (engine) => {
  let ctx: ApiContext;
  let admin: string;
  let gateway: string;
  beforeEach(async () => {
    ctx = await apiContext(engine, { users: [{ alias: 'tonysmith', extension: '10231', pin: '1985848' }] });
    admin = await tokenFor(ctx, 'OrganizationManagement');
    gateway = await tokenFor(ctx, 'VoiceGateway');
  });
  afterEach(() => ctx.close());

  const policy = '/api/v1/um-mailbox-policies/Contoso%20Default%20Policy';
  const tony = '/api/v1/um-mailboxes/tonysmith%40contoso.com';

  it('pinComplexity: shown, set in any letter case, and a Strict refusal names the rule in the caller’s language', async () => {
    expect((await call(ctx.app, 'GET', policy, { token: admin })).json()).toMatchObject({ pinComplexity: 'Exchange' });
    const set = await call(ctx.app, 'PATCH', policy, { token: admin, body: { pinComplexity: 'strict' } });
    expect([set.statusCode, set.json<{ pinComplexity: string }>().pinComplexity]).toEqual([200, 'Strict']);

    const bad = await call(ctx.app, 'PATCH', policy, { token: admin, body: { pinComplexity: 'Hard' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'PINComplexity' });

    const typed = (language: string) =>
      call(ctx.app, 'POST', `${tony}/pin`, {
        token: admin,
        body: { pin: '140385' },
        headers: { 'accept-language': language },
      });
    const en = await typed('en');
    expect(en.statusCode).toBe(422);
    expect(en.json()).toMatchObject({
      code: 'UMPIN_PIN_DATE',
      field: 'Pin',
      message:
        'The PIN must not be a date (day and month, with or without the year) (PINComplexity is Strict in the UM mailbox policy).',
    });
    expect((await typed('zh-TW')).json<{ message: string }>().message).toBe(
      'PIN 碼不可是日期（日與月，含或不含年份）（UM 信箱原則的 PINComplexity 為 Strict）。',
    );
  });

  it('progressiveLockout: set with LockoutDuration in minutes, refused without; GET …/pin shows lockCount', async () => {
    const refused = await call(ctx.app, 'PATCH', policy, { token: admin, body: { progressiveLockout: true } });
    expect([refused.statusCode, refused.json<{ field: string }>().field]).toEqual([422, 'ProgressiveLockout']);
    const set = await call(ctx.app, 'PATCH', policy, {
      token: admin,
      body: { progressiveLockout: true, lockoutDurationMinutes: 5 },
    });
    expect(set.json()).toMatchObject({ progressiveLockout: true, lockoutDurationMinutes: 5 });
    expect((await call(ctx.app, 'GET', `${tony}/pin`, { token: admin })).json()).toMatchObject({
      lockedOut: false,
      lockedUntil: null,
      lockCount: 0,
    });
  });

  it('pinChangeAllowed: set with PATCH, shown by GET and GET …/pin; the voice change is then refused with 403', async () => {
    expect((await call(ctx.app, 'GET', tony, { token: admin })).json()).toMatchObject({ pinChangeAllowed: true });
    const set = await call(ctx.app, 'PATCH', tony, { token: admin, body: { pinChangeAllowed: false } });
    expect([set.statusCode, set.json<{ pinChangeAllowed: boolean }>().pinChangeAllowed]).toEqual([200, false]);
    expect((await call(ctx.app, 'GET', `${tony}/pin`, { token: admin })).json()).toMatchObject({
      pinChangeAllowed: false,
    });
    const change = await call(ctx.app, 'POST', '/api/v1/voice/pin-changes', {
      token: gateway,
      body: { extension: '10231', oldPin: '1985848', newPin: '7301946' },
      headers: { 'accept-language': 'zh-TW' },
    });
    expect(change.statusCode).toBe(403);
    // the logon tells the PBX not to offer a change; the PIN is not forced to change either
    const logon = await call(ctx.app, 'POST', '/api/v1/voice/logons', {
      token: gateway,
      body: { extension: '10231', pin: '1985848' },
    });
    expect(logon.json()).toEqual({ outcome: 'ok', userId: 'tonysmith@contoso.com', pinChangeAllowed: false });
    expect(change.json()).toMatchObject({
      code: 'UMPIN_PIN_CHANGE_NOT_ALLOWED',
      message: '這個信箱的使用者無法變更 PIN 碼（PinChangeAllowed 為 $false），請洽系統管理員重設 PIN 碼。',
    });
    // an administrator still sets it
    expect((await call(ctx.app, 'POST', `${tony}/pin`, { token: admin, body: { pin: '7301946' } })).statusCode).toBe(
      200,
    );
  });
});
