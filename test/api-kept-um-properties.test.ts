/** DELETE /api/v1/um-mailboxes/{identity}?keepProperties=…: Disable-UMMailbox's KeepProperties over REST. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiContext, call, tokenFor, type ApiContext } from './api-client.js';
import { ENGINES } from './harness.js';

describe.each(ENGINES)('keepProperties over REST (%s)', (engine) => {
  let ctx: ApiContext;
  let admin: string;
  beforeEach(async () => {
    ctx = await apiContext(engine, {
      users: [
        { alias: 'tonysmith', extension: '10231' },
        { alias: 'kimakers', extension: '10232' },
      ],
    });
    admin = await tokenFor(ctx, 'OrganizationManagement');
  });
  afterEach(() => ctx.close());

  const tony = '/api/v1/um-mailboxes/tonysmith%40contoso.com';
  const enable = (body: Record<string, unknown> = {}) =>
    call(ctx.app, 'POST', '/api/v1/um-mailboxes', {
      token: admin,
      body: { identity: 'tonysmith', umMailboxPolicy: 'Contoso Default Policy', ...body },
    });

  it('keeps by default: POST without extensions brings the settings back; keepProperties=false keeps nothing', async () => {
    const set = await call(ctx.app, 'PATCH', tony, {
      token: admin,
      body: { extensions: ['10231', '10299'], operatorNumber: '10200', pinlessAccessToVoiceMailEnabled: true },
    });
    expect(set.statusCode).toBe(200);
    const keptUrl = `${tony}/kept-properties`;
    expect((await call(ctx.app, 'GET', keptUrl, { token: admin })).json()).toEqual({ keptProperties: null });
    expect((await call(ctx.app, 'DELETE', tony, { token: admin })).statusCode).toBe(204);
    const kept = await call(ctx.app, 'GET', keptUrl, { token: await tokenFor(ctx, 'ViewOnlyOrganizationManagement') });
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({
      keptProperties: {
        umMailboxPolicy: 'Contoso Default Policy',
        umDialPlan: 'Contoso',
        extensions: ['10231', '10299'],
        operatorNumber: '10200',
        pinlessAccessToVoiceMailEnabled: true,
      },
    });
    expect(kept.body).not.toMatch(/pin_?hash|failedAttempts|lockedOut/i);
    const back = await enable();
    expect(back.statusCode).toBe(201);
    expect(back.json()).toMatchObject({
      extensions: ['10231', '10299'],
      operatorNumber: '10200',
      pinlessAccessToVoiceMailEnabled: true,
      mailTo: 'tonysmith@contoso.com',
    });

    expect((await call(ctx.app, 'DELETE', `${tony}?keepProperties=false`, { token: admin })).statusCode).toBe(204);
    const refused = await enable();
    expect([refused.statusCode, refused.json<{ code: string }>().code]).toEqual([422, 'UMPIN_EXTENSION_REQUIRED']);
    expect((await enable({ extensions: ['10231'] })).json()).toMatchObject({
      extensions: ['10231'],
      operatorNumber: null,
      pinlessAccessToVoiceMailEnabled: false,
    });
  });

  it('refuses a kept extension taken meanwhile with 409 naming it, and a keepProperties that is not true or false', async () => {
    await call(ctx.app, 'PATCH', tony, { token: admin, body: { extensions: ['10231', '10299'] } });
    expect((await call(ctx.app, 'DELETE', `${tony}?keepProperties=true`, { token: admin })).statusCode).toBe(204);
    await call(ctx.app, 'PATCH', '/api/v1/um-mailboxes/kimakers', { token: admin, body: { extensions: ['10299'] } });
    const taken = await enable();
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({
      code: 'UMPIN_EXTENSION_IN_USE',
      field: 'Extensions',
      params: { extension: '10299' },
    });

    const bad = await call(ctx.app, 'DELETE', '/api/v1/um-mailboxes/kimakers?keepProperties=maybe', { token: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('keepProperties');
    // and nothing changed
    expect((await call(ctx.app, 'GET', '/api/v1/um-mailboxes/kimakers', { token: admin })).statusCode).toBe(200);
  });
});
