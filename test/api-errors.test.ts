/**
 * Errors over HTTP: one JSON shape `{ code, message, field?, params }` with stable codes, the
 * status the registry gives each code (400 naming the field and rule, 401, 403, 404, 409,
 * 413, 415, 422, 429, 500) and the message in the language of Accept-Language, never
 * echoing the request. And the PIN-secrecy promise at the HTTP edge: after PINs are
 * typed, generated, refused and mistyped, no response and no log line holds any of them;
 * nor a one-time sign-in code, used, mistyped or waiting.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LightMyRequestResponse } from 'fastify';
import { apiRoute } from '../src/http/api-route.js';
import { API_ROUTES } from '../src/http/routes/api-routes.js';
import { setMailboxPolicy } from '../src/services/mailbox-policies.js';
import { newRecipient } from '../src/services/recipients.js';
import { apiContext, call, sessionCookieSet, tokenFor, type ApiContext } from './api-client.js';
import { DeliveredMail } from './delivered-mail.js';
import { ADMIN } from './fixtures.js';
import { ENGINES } from './harness.js';

const PIN = '73019468';

for (const engine of ENGINES) {
  describe(`error answers (${engine})`, () => {
    let ctx: ApiContext;
    let admin: string;
    beforeEach(async () => {
      ctx = await apiContext(engine, {
        users: [{ alias: 'tonysmith', extension: '10231', pin: PIN }],
        rateLimits: { 'pin-change': { max: 3, windowMs: 60_000 } },
      });
      admin = await tokenFor(ctx, 'OrganizationManagement');
    });
    afterEach(() => ctx.close());

    const expectError = (
      res: LightMyRequestResponse,
      status: number,
      body: { code: string; field?: string; message?: unknown; params?: unknown },
    ) => {
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-language']).toBe('en');
      const json = res.json<Record<string, unknown>>();
      expect(Object.keys(json).every((k) => ['code', 'message', 'field', 'params'].includes(k))).toBe(true);
      expect(typeof json.params).toBe('object');
      expect(json).toMatchObject(body);
      expect(typeof json.message).toBe('string');
    };

    it('400 names the field and the rule when a parameter has the wrong type, is missing or unknown', async () => {
      expectError(
        await call(ctx.app, 'POST', '/api/v1/dial-plans', {
          token: admin,
          body: { name: 5, numberOfDigitsInExtension: 4 },
        }),
        400,
        {
          code: 'UMPIN_REQUEST_INVALID',
          field: 'name',
          message: 'name is not valid: expected string, received number.',
          params: { field: 'name', rule: 'expected string, received number' },
        },
      );
      expectError(
        await call(ctx.app, 'POST', '/api/v1/dial-plans', { token: admin, body: { name: 'Fabrikam' } }),
        400,
        {
          code: 'UMPIN_REQUEST_INVALID',
          field: 'numberOfDigitsInExtension',
          message: 'numberOfDigitsInExtension is not valid: it is required.',
        },
      );
      expectError(
        await call(ctx.app, 'POST', '/api/v1/dial-plans', {
          token: admin,
          body: { name: 'Fabrikam', numberOfDigitsInExtension: 4, numberOfDigits: 4 },
        }),
        400,
        {
          code: 'UMPIN_REQUEST_INVALID',
          field: 'numberOfDigits',
          message: 'numberOfDigits is not valid: this operation has no such parameter.',
        },
      );
      expectError(
        await call(ctx.app, 'POST', '/api/v1/um-mailboxes', {
          token: admin,
          body: { identity: 'x', umMailboxPolicy: 'y', extensions: ['10231', 10232] },
        }),
        400,
        {
          code: 'UMPIN_REQUEST_INVALID',
          field: 'extensions.1',
        },
      );
      expectError(await call(ctx.app, 'GET', '/api/v1/recipients?limit=5000', { token: admin }), 400, {
        code: 'UMPIN_REQUEST_INVALID',
        field: 'limit',
      });
      // a cursor is opaque: one this server did not give is refused by rule
      // one cursor format, one answer, whichever list it is sent to (the store's keyset pages, the services' pages, the log)
      const cursorError = (
        await call(ctx.app, 'GET', '/api/v1/recipients?cursor=not-a-cursor', { token: admin })
      ).json<unknown>();
      for (const list of [
        'recipients',
        'um-mailboxes',
        'pins',
        'dial-plans',
        'um-mailbox-policies',
        'tokens',
        'audit',
        'dead-letters',
      ]) {
        for (const cursor of [
          'not-a-cursor',
          Buffer.from('{"k":"x"}').toString('base64url'),
          Buffer.from('["a","b","c"]').toString('base64url'),
        ]) {
          const res = await call(ctx.app, 'GET', `/api/v1/${list}?cursor=${cursor}`, { token: admin });
          expectError(res, 422, { code: 'UMPIN_VALUE_INVALID', field: 'Cursor' });
          expect(res.json(), list).toEqual(cursorError);
        }
      }
      expectError(await call(ctx.app, 'GET', '/api/v1/audit?startDate=yesterday', { token: admin }), 400, {
        code: 'UMPIN_REQUEST_INVALID',
        field: 'startDate',
      });
      // the body must be an object
      expectError(await call(ctx.app, 'POST', '/api/v1/dial-plans', { token: admin, body: [1, 2] }), 400, {
        code: 'UMPIN_REQUEST_INVALID',
        field: 'body',
      });
    });

    it('400 for a body that is not JSON, without repeating it; 415 for another content type; 413 for a huge one', async () => {
      const broken = await call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', {
        token: admin,
        raw: '{"pin": "91827364", ',
      });
      expectError(broken, 400, {
        code: 'UMPIN_REQUEST_MALFORMED',
        message: 'The request cannot be read: the body is not valid JSON.',
        params: { reason: 'invalid-json' },
      });
      expect(broken.body).not.toContain('91827364');
      expectError(
        await call(ctx.app, 'POST', '/api/v1/dial-plans', {
          token: admin,
          raw: '',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        { code: 'UMPIN_REQUEST_MALFORMED' },
      );
      expectError(
        await call(ctx.app, 'POST', '/api/v1/dial-plans', {
          token: admin,
          raw: 'name=Fabrikam',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        415,
        {
          code: 'UMPIN_REQUEST_NOT_JSON',
        },
      );
      expectError(
        await call(ctx.app, 'POST', '/api/v1/dial-plans', {
          token: admin,
          raw: 'Fabrikam',
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        { code: 'UMPIN_REQUEST_NOT_JSON' },
      );
      const huge = await call(ctx.app, 'POST', '/api/v1/recipients', {
        token: admin,
        body: { primarySmtpAddress: 'a@contoso.com', displayName: 'x'.repeat(200_000) },
      });
      expectError(huge, 413, {
        code: 'UMPIN_REQUEST_TOO_LARGE',
        message: 'The request body is larger than 65536 bytes.',
        params: { max: 65536 },
      });
    });

    it('401 without credentials, with WWW-Authenticate; 401 for a token that is not one', async () => {
      const none = await call(ctx.app, 'GET', '/api/v1/pins');
      expectError(none, 401, { code: 'UMPIN_AUTH_REQUIRED' });
      expect(none.headers['www-authenticate']).toBe('Bearer realm="umpin"');
      for (const authorization of ['Bearer umpin_nottherightone', 'Basic YWRtaW46YWRtaW4=', 'Bearer']) {
        const res = await call(ctx.app, 'GET', '/api/v1/pins', { headers: { authorization } });
        expectError(res, 401, { code: 'UMPIN_AUTH_REQUIRED' });
        expect(res.headers['www-authenticate']).toContain('invalid_token');
      }
    });

    it('403 when the role group lacks the permission, before the request is read', async () => {
      const helpDesk = await tokenFor(ctx, 'HelpDesk');
      expectError(
        await call(ctx.app, 'POST', '/api/v1/dial-plans', {
          token: helpDesk,
          body: { name: 'Fabrikam', numberOfDigitsInExtension: 4 },
        }),
        403,
        {
          code: 'UMPIN_ACCESS_DENIED',
          message: expect.stringMatching(/^token:t\d+-HelpDesk may not run New-UMDialPlan\.$/),
        },
      );
      // a malformed body from a caller who may not call at all is still a 403, not a 400
      expectError(await call(ctx.app, 'POST', '/api/v1/dial-plans', { token: helpDesk, body: { name: 5 } }), 403, {
        code: 'UMPIN_ACCESS_DENIED',
      });
    });

    it('404 for an unknown object (naming the field) and for an unknown route', async () => {
      expectError(await call(ctx.app, 'GET', '/api/v1/um-mailboxes/nobody%40contoso.com/pin', { token: admin }), 404, {
        code: 'UMPIN_IDENTITY_NOT_FOUND',
        field: 'Identity',
        message: 'The recipient "nobody@contoso.com" was not found.',
      });
      expectError(await call(ctx.app, 'GET', '/api/v1/dial-plans/Fabrikam', { token: admin }), 404, {
        code: 'UMPIN_IDENTITY_NOT_FOUND',
      });
      expectError(await call(ctx.app, 'GET', '/api/v1/nothing-here?secret=1', { token: admin }), 404, {
        code: 'UMPIN_NOT_FOUND',
        message: 'No API operation answers GET /api/v1/nothing-here.',
      });
      expectError(await call(ctx.app, 'PATCH', '/api/v1/pins', { token: admin }), 404, { code: 'UMPIN_NOT_FOUND' });
      expectError(await call(ctx.app, 'GET', '/'), 404, { code: 'UMPIN_NOT_FOUND' });
    });

    it('409 for a conflict with what exists', async () => {
      expectError(
        await call(ctx.app, 'POST', '/api/v1/dial-plans', {
          token: admin,
          body: { name: 'Contoso', numberOfDigitsInExtension: 5 },
        }),
        409,
        {
          code: 'UMPIN_NAME_IN_USE',
          field: 'Name',
        },
      );
      expectError(
        await call(ctx.app, 'DELETE', '/api/v1/um-mailbox-policies/Contoso%20Default%20Policy', { token: admin }),
        409,
        { code: 'UMPIN_POLICY_IN_USE' },
      );
      await newRecipient(ctx.t.deps, ADMIN, { primarySmtpAddress: 'kim@contoso.com' });
      expectError(await call(ctx.app, 'GET', '/api/v1/um-mailboxes/kim%40contoso.com', { token: admin }), 409, {
        code: 'UMPIN_MAILBOX_NOT_UM_ENABLED',
      });
    });

    it('words the message in Traditional Chinese for Accept-Language zh-TW (and its kin), in English otherwise, with the same code, field and params', async () => {
      const refuse = (headers: Record<string, string>) =>
        call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', { token: admin, body: { pin: '1234' }, headers });
      const zh = await refuse({ 'accept-language': 'zh-TW' });
      expect([zh.statusCode, zh.headers['content-language'], zh.json()]).toEqual([
        422,
        'zh-TW',
        {
          code: 'UMPIN_PIN_TOO_SHORT',
          field: 'Pin',
          params: { min: 6 },
          message: 'PIN 碼至少須為 6 位數（UM 信箱原則的 MinPINLength）。',
        },
      ]);
      const en = await refuse({});
      expect([en.headers['content-language'], en.json()]).toEqual([
        'en',
        {
          code: 'UMPIN_PIN_TOO_SHORT',
          field: 'Pin',
          params: { min: 6 },
          message: 'The PIN must be at least 6 digits long (MinPINLength of the UM mailbox policy).',
        },
      ]);
      // by q-value, zh-Hant and Hong Kong included; Simplified Chinese and the rest are English
      const patch = (language: string) =>
        call(ctx.app, 'PATCH', '/api/v1/um-mailbox-policies/Contoso%20Default%20Policy', {
          token: admin,
          body: { minPinLength: 99 },
          headers: { 'accept-language': language },
        });
      const params = { field: 'MinPINLength', min: 4, max: 24, unlimited: false };
      for (const language of ['zh-Hant', 'zh-Hant-TW', 'zh-HK', 'fr-FR, zh-TW;q=0.8']) {
        const res = await patch(language);
        expect([res.headers['content-language'], res.json()], language).toEqual([
          'zh-TW',
          {
            code: 'UMPIN_VALUE_OUT_OF_RANGE',
            field: 'MinPINLength',
            params,
            message: 'MinPINLength 必須介於 4 到 24 之間。',
          },
        ]);
      }
      for (const language of ['en-US', 'zh-CN', 'de, zh-TW;q=0']) {
        const res = await patch(language);
        expect([res.headers['content-language'], res.json()], language).toEqual([
          'en',
          {
            code: 'UMPIN_VALUE_OUT_OF_RANGE',
            field: 'MinPINLength',
            params,
            message: 'MinPINLength must be between 4 and 24.',
          },
        ]);
      }
      // Fastify's own request errors and schema refusals take the same path
      const notJson = await call(ctx.app, 'POST', '/api/v1/dial-plans', {
        token: admin,
        raw: '{"name": ',
        headers: { 'accept-language': 'zh-TW' },
      });
      expect([notJson.statusCode, notJson.headers['content-language'], notJson.json()]).toEqual([
        400,
        'zh-TW',
        {
          code: 'UMPIN_REQUEST_MALFORMED',
          params: { reason: 'invalid-json' },
          message: '無法讀取要求：本文不是有效的 JSON。',
        },
      ]);
      const unknown = await call(ctx.app, 'GET', '/api/v1/dial-plans/Fabrikam', {
        token: admin,
        headers: { 'accept-language': 'zh-TW' },
      });
      expect(unknown.json()).toMatchObject({
        code: 'UMPIN_IDENTITY_NOT_FOUND',
        params: { identity: 'Fabrikam', kind: 'UM dial plan' },
        message: '找不到 UM 撥號對應表「Fabrikam」。',
      });
      const route = await call(ctx.app, 'GET', '/api/v1/nothing-here', {
        token: admin,
        headers: { 'accept-language': 'zh-TW' },
      });
      expect([route.headers['content-language'], route.json().message]).toEqual([
        'zh-TW',
        '沒有任何 API 作業回應 GET /api/v1/nothing-here。',
      ]);
    });

    it("422 when a well-formed request breaks a rule, with the rule's code and Exchange's parameter name", async () => {
      expectError(
        await call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', { token: admin, body: { pin: '1234' } }),
        422,
        { code: 'UMPIN_PIN_TOO_SHORT' },
      );
      expectError(
        await call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', { token: admin, body: { pin: '12ab56' } }),
        422,
        { code: 'UMPIN_PIN_NOT_DIGITS' },
      );
      expectError(
        await call(ctx.app, 'PATCH', '/api/v1/um-mailbox-policies/Contoso%20Default%20Policy', {
          token: admin,
          body: { minPinLength: 99 },
        }),
        422,
        {
          code: 'UMPIN_VALUE_OUT_OF_RANGE',
          field: 'MinPINLength',
          message: 'MinPINLength must be between 4 and 24.',
        },
      );
      expectError(
        await call(ctx.app, 'POST', '/api/v1/um-mailboxes', {
          token: admin,
          body: { identity: 'tonysmith', umMailboxPolicy: 'Contoso Default Policy', extensions: ['1'] },
        }),
        409,
        {
          code: 'UMPIN_MAILBOX_ALREADY_UM_ENABLED',
        },
      );
      await newRecipient(ctx.t.deps, ADMIN, { primarySmtpAddress: 'kim@contoso.com' });
      expectError(
        await call(ctx.app, 'POST', '/api/v1/um-mailboxes', {
          token: admin,
          body: { identity: 'kim@contoso.com', umMailboxPolicy: 'Contoso Default Policy', extensions: ['123'] },
        }),
        422,
        {
          code: 'UMPIN_EXTENSION_INVALID',
          field: 'Extensions',
        },
      );
    });

    it('429 with Retry-After past the per-address limit', async () => {
      const reset = () =>
        call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', { token: admin, body: { sendEmail: false } });
      for (let i = 0; i < 3; i++) expect((await reset()).statusCode).toBe(200);
      const res = await reset();
      expectError(res, 429, { code: 'UMPIN_RATE_LIMITED' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('500 says nothing of the failure (the log has it); undeclared response fields never leave', async () => {
      const extra = [
        apiRoute({
          method: 'GET',
          url: '/api/v1/test/broken',
          operationId: 'broken',
          summary: 'fails',
          tags: ['test'],
          permission: 'authenticated',
          response: z.object({ ok: z.boolean() }),
          handler: async () => {
            throw new Error('connection to db.internal:5432 refused');
          },
        }),
        apiRoute({
          method: 'GET',
          url: '/api/v1/test/leaky',
          operationId: 'leaky',
          summary: 'returns more than it declares',
          tags: ['test'],
          permission: 'authenticated',
          response: z.object({ userId: z.string() }),
          handler: async () => ({ userId: 'tonysmith@contoso.com', pinHash: '$argon2id$secret' }) as { userId: string },
        }),
      ];
      const app = (await import('../src/http/app.js')).buildApp(ctx.t.deps, {
        metrics: false,
        routes: [...API_ROUTES, ...extra],
        logger: { stream: { write: (l: string) => void ctx.logLines.push(l) } },
      });
      const broken = await call(app, 'GET', '/api/v1/test/broken', { token: admin });
      expectError(broken, 500, { code: 'UMPIN_INTERNAL', message: 'An internal error occurred.' });
      expect(broken.body).not.toContain('db.internal');
      expect(ctx.logLines.some((l) => l.includes('db.internal') && JSON.parse(l).level === 50)).toBe(true);
      const leaky = await call(app, 'GET', '/api/v1/test/leaky', { token: admin });
      expect(leaky.json()).toEqual({ userId: 'tonysmith@contoso.com' });
      await app.close();
    });
  });

  describe(`no PIN in any response or log line (${engine})`, () => {
    let ctx: ApiContext;
    beforeEach(async () => {
      ctx = await apiContext(engine, {
        users: [
          { alias: 'tonysmith', extension: '10231', pin: '5038271946' },
          { alias: 'kimakers', extension: '10232' },
        ],
      });
      // 10-digit generated PINs: no chance match with a timestamp or id in the haystack
      await setMailboxPolicy(ctx.t.deps, ADMIN, 'Contoso Default Policy', { minPinLength: 10 });
    });
    afterEach(() => ctx.close());

    it('finds none of the PINs typed, generated, refused or mistyped', async () => {
      const typed = ['6193058274', '8264013957', '3917460285'];
      const refused = '482093716'; // too short for the policy (9 digits: a chance match in ids or timestamps is negligible)
      const mistyped = '7391046285';
      const wrong = '2085731946';
      const searched = '9402817365';
      const admin = await tokenFor(ctx, 'OrganizationManagement');
      const helpDesk = await tokenFor(ctx, 'HelpDesk');
      const gateway = await tokenFor(ctx, 'VoiceGateway');
      const responses: LightMyRequestResponse[] = [];
      const run = async (method: string, url: string, c: Parameters<typeof call>[3]) => {
        const res = await call(ctx.app, method, url, c);
        responses.push(res);
        return res;
      };

      expect(
        (
          await run('POST', '/api/v1/um-mailboxes/tonysmith/pin', {
            token: helpDesk,
            body: { pin: typed[0], pinExpired: false },
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (
          await run('POST', '/api/v1/um-mailboxes/kimakers/pin', {
            token: admin,
            body: { pin: typed[1], notifyEmail: 'helpdesk@contoso.com' },
          })
        ).statusCode,
      ).toBe(200);
      expect((await run('POST', '/api/v1/um-mailboxes/tonysmith/pin', { token: helpDesk, body: {} })).statusCode).toBe(
        200,
      );
      expect((await run('POST', '/api/v1/um-mailboxes/kimakers/pin', { token: admin })).statusCode).toBe(200);
      await newRecipient(ctx.t.deps, ADMIN, { primarySmtpAddress: 'pilar@contoso.com' });
      expect(
        (
          await run('POST', '/api/v1/um-mailboxes', {
            token: admin,
            body: { identity: 'pilar@contoso.com', umMailboxPolicy: 'Contoso Default Policy', extensions: ['10233'] },
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (await run('POST', '/api/v1/um-mailboxes/pilar%40contoso.com/pin', { token: admin, body: { pin: refused } }))
          .statusCode,
      ).toBe(422);
      expect(
        (
          await run('POST', '/api/v1/um-mailboxes/pilar%40contoso.com/pin', {
            token: admin,
            body: { pin: Number(mistyped) },
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await run('POST', '/api/v1/um-mailboxes/pilar%40contoso.com/pin', {
            token: admin,
            body: { pin: typed[2], pinn: mistyped },
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await run('POST', '/api/v1/um-mailboxes/pilar%40contoso.com/pin', {
            token: admin,
            raw: `{"pin": "${mistyped}"`,
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await run('POST', '/api/v1/um-mailboxes/pilar%40contoso.com/pin', {
            token: admin,
            body: { pin: typed[2], whatIf: true },
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (await run('POST', '/api/v1/um-mailboxes/pilar%40contoso.com/pin', { token: admin, body: { pin: typed[2] } }))
          .statusCode,
      ).toBe(200);
      // the telephone side carries PINs too
      expect(
        (
          await run('POST', '/api/v1/voice/logons', {
            token: gateway,
            body: { extension: '10233', callerId: '+14255550123', pin: typed[2] },
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (
          await run('POST', '/api/v1/voice/logons', {
            token: gateway,
            body: { extension: '10233', callerId: '+14255550123', pin: wrong },
          })
        ).statusCode,
      ).toBe(200);
      // a secret typed into a query string stays out of the log
      expect((await run('GET', `/api/v1/recipients?search=${searched}`, { token: admin })).statusCode).toBe(200);
      for (const res of await Promise.all(
        ['/api/v1/pins', '/api/v1/um-mailboxes/tonysmith/pin', '/api/v1/audit?limit=1000'].map((u) =>
          run('GET', u, { token: admin }),
        ),
      ))
        expect(res.statusCode).toBe(200);

      // every PIN issued, generated ones included, read back from the encrypted outbox
      const mails = await ctx.t.deps.store.listOutbox({});
      const generated = mails
        .filter((m) => m.sealedPayload)
        .map((m) => (JSON.parse(ctx.t.deps.cipher.open(m.sealedPayload!, m.id)) as { pin?: string }).pin)
        .filter((p): p is string => typeof p === 'string' && p.length >= 10);
      expect(generated.length).toBeGreaterThanOrEqual(3);
      const secrets = [...new Set(['5038271946', ...typed, refused, mistyped, wrong, searched, ...generated])];

      const haystack = [...responses.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`), ...ctx.logLines].join('\n');
      // a line for every request at least (the scan has something to scan)
      expect(ctx.logLines.length).toBeGreaterThanOrEqual(responses.length);
      // the scan itself works: what is no secret is found
      expect(haystack).toContain('tonysmith@contoso.com');
      expect(haystack).toContain('/api/v1/recipients?search=');
      for (const pin of secrets)
        expect(haystack.includes(pin), `PIN ${pin.slice(0, 2)}… found in a response or log line`).toBe(false);
      // nor is a credential logged
      expect(ctx.logLines.join('\n')).not.toMatch(/umpin_[A-Za-z0-9_-]{43}|authorization|x-csrf-token|cookie/i);
    });

    it('finds no sign-in code in any response or log line', async () => {
      const mail = await DeliveredMail.start(ctx.t.deps);
      try {
        const responses: LightMyRequestResponse[] = [];
        const run = async (method: string, url: string, c: Parameters<typeof call>[3]) => {
          const res = await call(ctx.app, method, url, c);
          responses.push(res);
          return res;
        };
        expect(
          (await run('POST', '/api/v1/self/sign-in-codes', { body: { identity: 'tonysmith@contoso.com' } })).statusCode,
        ).toBe(202);
        const first = await mail.latestCode('tonysmith@contoso.com');
        const mistyped = first === 'BCDF-GHJK' ? 'BCDF-GHJM' : 'BCDF-GHJK';
        expect(
          (await run('POST', '/api/v1/self/session', { body: { identity: 'tonysmith', code: mistyped } })).statusCode,
        ).toBe(401);
        // the code typed into the identity box, and a code in a query string
        expect((await run('POST', '/api/v1/self/session', { body: { identity: first, code: first } })).statusCode).toBe(
          401,
        );
        expect(
          (await run('GET', `/api/v1/recipients?search=${first}`, { token: await tokenFor(ctx, 'HelpDesk') }))
            .statusCode,
        ).toBe(200);
        const signedIn = await run('POST', '/api/v1/self/session', {
          body: { identity: 'tonysmith@contoso.com', code: first.toLowerCase() },
        });
        expect(signedIn.statusCode).toBe(200);
        const session = {
          cookie: sessionCookieSet(signedIn)!.value,
          csrf: signedIn.json<{ csrfToken: string }>().csrfToken,
        };
        expect((await run('GET', '/api/v1/self/pin', { session })).statusCode).toBe(200);
        expect((await run('POST', '/api/v1/self/pin/reset', { session })).statusCode).toBe(200);
        expect((await run('POST', '/api/v1/self/sign-in-codes', { body: { identity: 'tonysmith' } })).statusCode).toBe(
          202,
        );
        const second = await mail.latestCode('tonysmith@contoso.com');
        expect(
          (await run('GET', '/api/v1/audit?limit=1000', { token: await tokenFor(ctx, 'OrganizationManagement') }))
            .statusCode,
        ).toBe(200);
        expect(
          (await run('GET', '/api/v1/dead-letters', { token: await tokenFor(ctx, 'OrganizationManagement') }))
            .statusCode,
        ).toBe(200);

        const haystack = [...responses.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`), ...ctx.logLines].join(
          '\n',
        );
        expect(haystack).toContain('Request-SignInCode');
        expect(haystack).toContain('/api/v1/self/session');
        for (const code of [first, second, mistyped]) {
          for (const form of [code, code.replace('-', ''), code.toLowerCase(), code.replace('-', '').toLowerCase()]) {
            expect(haystack.includes(form), `sign-in code ${form.slice(0, 2)}… found in a response or log line`).toBe(
              false,
            );
          }
        }
      } finally {
        await mail.close();
      }
    });
  });
}
