/**
 * The resources over HTTP, end to end: paged and searched lists, URL-encoded identities,
 * the PIN operations, audit search with cursors, dead letters, accounts and first-run
 * setup; every change on record with its caller and client address; the request log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSetupToken } from '../src/services/admin-accounts.js';
import { MailDelivery } from '../src/services/mail-delivery.js';
import { newRecipient } from '../src/services/recipients.js';
import { apiContext, call, tokenFor, type ApiContext } from './api-client.js';
import { ADMIN } from './fixtures.js';
import { ENGINES, testContext, togetherOn } from './harness.js';
import { buildApp } from '../src/http/app.js';

const PASSWORD = 'correct horse battery staple';

interface Page<T> {
  items: T[];
  next: string | null;
}

for (const engine of ENGINES) {
  describe(`API resources (${engine})`, () => {
    let ctx: ApiContext;
    let admin: string;
    const get = <T = unknown>(url: string) =>
      call(ctx.app, 'GET', url, { token: admin }).then((r) => ({ status: r.statusCode, body: r.json<T>() }));

    beforeEach(async () => {
      ctx = await apiContext(engine, {
        users: [
          { alias: 'tonysmith', extension: '10231', pin: '73019468' },
          { alias: 'kimakers', extension: '10232' },
          { alias: 'kevin', extension: '10233' },
          { alias: 'pilar', extension: '10234' },
          { alias: 'weichen', extension: '10235' },
        ],
      });
      admin = await tokenFor(ctx, 'OrganizationManagement');
    });
    afterEach(() => ctx.close());

    it(`PATCH takes a multi-valued edit as { add, remove }: requests made at once are all kept (${togetherOn(engine)})`, async () => {
      const patch = (url: string, body: unknown) => call(ctx.app, 'PATCH', url, { token: admin, body });
      const added = Array.from({ length: 10 }, (_, i) => String(10300 + i));
      const numbers = added.map((e) => `+1425555${e.slice(1)}`);
      const answers = await Promise.all([
        ...added.map((e) => patch('/api/v1/um-mailboxes/kevin', { extensions: { add: [e] } })),
        ...numbers.map((n) => patch('/api/v1/dial-plans/Contoso', { voiceAccessNumbers: { add: [n] } })),
        patch('/api/v1/recipients/kevin', {
          emailAddresses: {
            add: ['eum:10299;phone-context=Contoso.contoso.com'],
            remove: ['EUM:10233;phone-context=Contoso.contoso.com'],
          },
        }),
      ]);
      expect(answers.map((r) => r.statusCode)).toEqual(answers.map(() => 200));
      expect((await get<{ extensions: string[] }>('/api/v1/um-mailboxes/kevin')).body.extensions.sort()).toEqual(
        [...added, '10299'].sort(),
      );
      expect(
        (await get<{ voiceAccessNumbers: string[] }>('/api/v1/dial-plans/Contoso')).body.voiceAccessNumbers.sort(),
      ).toEqual(['+14255550100', ...numbers].sort());
      // the edit's shape is checked like any body
      expect((await patch('/api/v1/um-mailboxes/kevin', { extensions: { append: ['10400'] } })).statusCode).toBe(400);
    });

    it('filters and sorts the lists of mailboxes in the service: ?filter= and ?sortBy= as -Filter and -SortBy take them', async () => {
      const aliases = async (url: string) => (await get<Page<{ alias: string }>>(url)).body.items.map((m) => m.alias);
      const q = (filter: string, sortBy?: string) =>
        `filter=${encodeURIComponent(filter)}${sortBy ? `&sortBy=${encodeURIComponent(sortBy)}` : ''}`;
      await call(ctx.app, 'POST', '/api/v1/um-mailboxes/kevin/pin', { token: admin, body: { lockedOut: true } });
      expect(await aliases(`/api/v1/um-mailboxes?${q('{LockedOut -eq $true}')}`)).toEqual(['kevin']);
      expect(
        await aliases(
          `/api/v1/um-mailboxes?${q("Extensions -like '1023*' -and -not (Alias -eq 'kevin')", '-Extensions')}&limit=2`,
        ),
      ).toEqual(['weichen', 'pilar']);
      const items = (
        await get<Page<{ alias: string; umMailbox: { extensions: string[] } | null }>>(
          `/api/v1/recipients?${q("EmailAddresses -like 'eum:10232*'")}`,
        )
      ).body.items;
      expect(items.map((r) => [r.alias, r.umMailbox?.extensions])).toEqual([['kimakers', ['10232']]]);
      for (const [url, field] of [
        [`/api/v1/um-mailboxes?${q('Departmnet -eq 1')}`, 'Filter'],
        [`/api/v1/recipients?${q('LockedOut -eq $true')}`, 'Filter'],
        [`/api/v1/um-mailboxes?sortBy=LockedOut`, 'SortBy'],
      ] as const) {
        const r = await get<{ code: string; field: string; message: string }>(url);
        expect(r.status, url).toBeGreaterThanOrEqual(400);
        expect(r.body).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field });
      }
    });

    it('pages every list with opaque cursors, and searches by prefix', async () => {
      const all: string[] = [];
      let url = '/api/v1/um-mailboxes?limit=2';
      for (let i = 0; i < 5; i++) {
        const page = await get<Page<{ alias: string }>>(url);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        all.push(...page.body.items.map((m) => m.alias));
        if (!page.body.next) break;
        url = `/api/v1/um-mailboxes?limit=2&cursor=${encodeURIComponent(page.body.next)}`;
      }
      expect(all.sort()).toEqual(['kevin', 'kimakers', 'pilar', 'tonysmith', 'weichen']);

      expect(
        (await get<Page<{ alias: string }>>('/api/v1/recipients?search=ki')).body.items.map((r) => r.alias).sort(),
      ).toEqual(['kimakers']);
      expect(
        (await get<Page<{ alias: string }>>('/api/v1/recipients?search=k')).body.items.map((r) => r.alias).sort(),
      ).toEqual(['kevin', 'kimakers']);
      await newRecipient(ctx.t.deps, ADMIN, { primarySmtpAddress: 'notyet@contoso.com' });
      expect(
        (await get<Page<{ alias: string }>>('/api/v1/recipients?umEnabled=false')).body.items.map((r) => r.alias),
      ).toEqual(['notyet']);

      const pins = await get<Page<{ userId: string }>>('/api/v1/pins?limit=3');
      expect(pins.body.items.length).toBe(3);
      const rest = await get<Page<{ userId: string }>>(
        `/api/v1/pins?limit=3&cursor=${encodeURIComponent(pins.body.next!)}`,
      );
      expect(rest.body.items.length).toBe(2);
      expect(rest.body.next).toBeNull();
    });

    it('dial plans and policies: create, read by URL-encoded name, change, page, remove', async () => {
      const made = await call(ctx.app, 'POST', '/api/v1/dial-plans', {
        token: admin,
        body: { name: 'R&D / Lab', numberOfDigitsInExtension: 4, voiceAccessNumbers: ['+14255550199'] },
      });
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({
        dialPlan: { name: 'R&D / Lab', numberOfDigitsInExtension: 4, countryOrRegionCode: '1' },
        defaultPolicy: { name: 'R&D / Lab Default Policy', minPinLength: 6 },
      });
      const path = `/api/v1/dial-plans/${encodeURIComponent('R&D / Lab')}`;
      expect((await get(path)).body).toMatchObject({ name: 'R&D / Lab' });
      const changed = await call(ctx.app, 'PATCH', path, { token: admin, body: { logonFailuresBeforeDisconnect: 5 } });
      expect(changed.json()).toMatchObject({ logonFailuresBeforeDisconnect: 5 });

      const plans = await get<Page<{ name: string }>>('/api/v1/dial-plans?limit=1');
      expect(plans.body.items.map((p) => p.name)).toEqual(['Contoso']);
      expect((await get<Page<{ name: string }>>(`/api/v1/dial-plans?limit=1&cursor=${plans.body.next}`)).body).toEqual({
        items: [expect.objectContaining({ name: 'R&D / Lab' })],
        next: null,
      });

      const policy = await call(ctx.app, 'POST', '/api/v1/um-mailbox-policies', {
        token: admin,
        body: {
          name: 'Lab strict',
          umDialPlan: 'R&D / Lab',
          minPinLength: 8,
          pinLifetimeDays: null,
          maxLogonAttempts: null,
          logonFailuresBeforePinReset: null,
        },
      });
      expect(policy.statusCode).toBe(201);
      expect(policy.json()).toMatchObject({
        name: 'Lab strict',
        minPinLength: 8,
        pinLifetimeDays: null,
        maxLogonAttempts: null,
      });
      expect(
        (
          await get<Page<{ name: string }>>(`/api/v1/um-mailbox-policies?umDialPlan=${encodeURIComponent('R&D / Lab')}`)
        ).body.items.map((p) => p.name),
      ).toEqual(['Lab strict', 'R&D / Lab Default Policy']);

      expect((await call(ctx.app, 'DELETE', path, { token: admin })).statusCode).toBe(409);
      for (const p of ['Lab strict', 'R&D / Lab Default Policy'])
        expect(
          (await call(ctx.app, 'DELETE', `/api/v1/um-mailbox-policies/${encodeURIComponent(p)}`, { token: admin }))
            .statusCode,
        ).toBe(204);
      expect((await call(ctx.app, 'DELETE', path, { token: admin })).statusCode).toBe(204);
      expect((await get(path)).status).toBe(404);
    });

    it('UM mailboxes and PINs: enable with a mailed PIN, status, lock, unlock, set, reset, disable', async () => {
      await newRecipient(ctx.t.deps, ADMIN, { primarySmtpAddress: 'ana@contoso.com', displayName: 'Ana Trujillo' });
      const enabled = await call(ctx.app, 'POST', '/api/v1/um-mailboxes', {
        token: admin,
        body: { identity: 'ana@contoso.com', umMailboxPolicy: 'Contoso Default Policy', extensions: ['10240'] },
      });
      expect(enabled.statusCode).toBe(201);
      expect(enabled.json()).toMatchObject({
        primarySmtpAddress: 'ana@contoso.com',
        extensions: ['10240'],
        umDialPlan: 'Contoso',
        validateOnly: false,
        mailTo: 'ana@contoso.com',
      });
      expect(
        (await ctx.t.deps.store.listOutbox({ status: 'queued' })).some(
          (m) => m.toAddress === 'ana@contoso.com' && m.kind === 'welcome',
        ),
      ).toBe(true);

      const pin = '/api/v1/um-mailboxes/ana%40contoso.com/pin';
      expect((await get(pin)).body).toMatchObject({
        userId: 'ana@contoso.com',
        pinExpired: true,
        firstTimeUser: true,
        lockedOut: false,
        failedAttempts: 0,
      });
      expect((await call(ctx.app, 'POST', pin, { token: admin, body: { lockedOut: true } })).json()).toMatchObject({
        pinChanged: false,
        lockedOut: true,
      });
      expect((await get(pin)).body).toMatchObject({ lockedOut: true });
      expect((await call(ctx.app, 'POST', pin, { token: admin, body: { lockedOut: false } })).json()).toMatchObject({
        pinChanged: false,
        lockedOut: false,
      });

      const set = await call(ctx.app, 'POST', pin, { token: admin, body: { pin: '61829374', pinExpired: false } });
      expect(set.json()).toEqual({
        userId: 'ana@contoso.com',
        pinChanged: true,
        lockedOut: false,
        pinExpired: false,
        mailTo: 'ana@contoso.com',
        whatIf: null,
      });
      const what = await call(ctx.app, 'POST', pin, { token: admin, body: { whatIf: true } });
      expect(what.json<{ pinChanged: boolean; whatIf: string }>()).toMatchObject({
        pinChanged: false,
        whatIf: expect.stringContaining('generated'),
      });
      const reset = await call(ctx.app, 'POST', pin, { token: admin, body: { notifyEmail: 'helpdesk@contoso.com' } });
      expect(reset.json()).toMatchObject({ pinChanged: true, pinExpired: true, mailTo: 'helpdesk@contoso.com' });

      const moved = await call(ctx.app, 'PATCH', '/api/v1/um-mailboxes/ana%40contoso.com', {
        token: admin,
        body: { extensions: ['10241'] },
      });
      expect(moved.json()).toMatchObject({ extensions: ['10241'] });
      expect(
        (await call(ctx.app, 'DELETE', '/api/v1/um-mailboxes/ana%40contoso.com', { token: admin })).statusCode,
      ).toBe(204);
      expect((await get(pin)).body).toMatchObject({ code: 'UMPIN_MAILBOX_NOT_UM_ENABLED' });
    });

    it('PATCH sets the per-mailbox voice settings, GET shows them, and the voice API obeys SubscriberAccessEnabled', async () => {
      const url = '/api/v1/um-mailboxes/tonysmith%40contoso.com';
      expect((await get(url)).body).toMatchObject({
        subscriberAccessEnabled: true,
        pinlessAccessToVoiceMailEnabled: false,
        operatorNumber: null,
      });
      const patched = await call(ctx.app, 'PATCH', url, {
        token: admin,
        body: { subscriberAccessEnabled: false, pinlessAccessToVoiceMailEnabled: true, operatorNumber: '10200' },
      });
      expect(patched.statusCode).toBe(200);
      const shown = { subscriberAccessEnabled: false, pinlessAccessToVoiceMailEnabled: true, operatorNumber: '10200' };
      expect(patched.json()).toMatchObject(shown);
      expect((await get(url)).body).toMatchObject(shown);

      const gateway = await tokenFor(ctx, 'VoiceGateway');
      const logon = await call(ctx.app, 'POST', '/api/v1/voice/logons', {
        token: gateway,
        body: { extension: '10231', pin: '73019468' },
      });
      expect(logon.statusCode).toBe(403);
      expect(logon.json()).toMatchObject({ code: 'UMPIN_ACCESS_DENIED' });

      const bad = await call(ctx.app, 'PATCH', url, {
        token: admin,
        body: { operatorNumber: '0800-FLOWERS', subscriberAccessEnabled: true },
        headers: { 'accept-language': 'en' },
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json()).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'OperatorNumber' });
      // a refused change changes nothing
      expect((await get(url)).body).toMatchObject(shown);
      const cleared = await call(ctx.app, 'PATCH', url, {
        token: admin,
        body: { operatorNumber: null, subscriberAccessEnabled: true },
      });
      expect(cleared.json()).toMatchObject({ operatorNumber: null, subscriberAccessEnabled: true });
      const again = await call(ctx.app, 'POST', '/api/v1/voice/logons', {
        token: gateway,
        body: { extension: '10231', pin: '73019468' },
      });
      expect(again.json()).toMatchObject({ outcome: expect.stringMatching(/^(ok|must-change)$/) });

      // the dial plan's operator, for mailboxes without their own
      const plan = '/api/v1/dial-plans/Contoso';
      expect((await get(plan)).body).toMatchObject({ operatorExtension: null });
      const op = await call(ctx.app, 'PATCH', plan, { token: admin, body: { operatorExtension: '10000' } });
      expect(op.json()).toMatchObject({ operatorExtension: '10000' });
      const badOp = await call(ctx.app, 'PATCH', plan, { token: admin, body: { operatorExtension: 'zero' } });
      expect(badOp.json()).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'OperatorExtension' });

      // the PBX's voice mail a signed-in caller is transferred to (a umpin addition)
      expect((await get(plan)).body).toMatchObject({ voiceMailUri: null });
      const vm = await call(ctx.app, 'PATCH', plan, {
        token: admin,
        body: { voiceMailUri: 'sip:{extension}@pbx.contoso.com' },
      });
      expect(vm.json()).toMatchObject({ voiceMailUri: 'sip:{extension}@pbx.contoso.com' });
      const badVm = await call(ctx.app, 'PATCH', plan, {
        token: admin,
        body: { voiceMailUri: 'tel:+14255550100' },
        headers: { 'accept-language': 'zh-TW' },
      });
      expect(badVm.statusCode).toBe(422);
      expect(badVm.json()).toMatchObject({
        code: 'UMPIN_VOICE_MAIL_URI_INVALID',
        field: 'VoiceMailUri',
        params: { rule: 'scheme' },
        message: expect.stringContaining('VoiceMailUri 無效：必須以 sip: 或 sips: 開頭'),
      });
      expect((await get(plan)).body).toMatchObject({ voiceMailUri: 'sip:{extension}@pbx.contoso.com' });
      const noVm = await call(ctx.app, 'PATCH', plan, { token: admin, body: { voiceMailUri: null } });
      expect(noVm.json()).toMatchObject({ voiceMailUri: null });
    });

    it('puts every change on record with the caller and the client address', async () => {
      const helpDesk = await tokenFor(ctx, 'HelpDesk');
      const res = await call(ctx.app, 'POST', '/api/v1/um-mailboxes/kevin/pin', {
        token: helpDesk,
        body: { sendEmail: false },
        remoteAddress: '203.0.113.7',
      });
      expect(res.statusCode).toBe(200);
      const refused = await call(ctx.app, 'POST', '/api/v1/um-mailboxes/kevin/pin', {
        token: helpDesk,
        body: { pin: '1111' },
        remoteAddress: '203.0.113.7',
      });
      expect(refused.statusCode).toBe(422);
      const entries = await ctx.t.deps.store.listAudit({ action: 'Set-UMMailboxPIN', target: 'kevin@contoso.com' });
      expect(
        entries.map((e) => ({ actor: e.actor, source: e.source, result: e.result, errorCode: e.errorCode })),
      ).toEqual([
        {
          actor: expect.stringMatching(/^token:t\d+-HelpDesk$/),
          source: '203.0.113.7',
          result: 'success',
          errorCode: null,
        },
        {
          actor: expect.stringMatching(/^token:t\d+-HelpDesk$/),
          source: '203.0.113.7',
          result: 'failure',
          errorCode: 'UMPIN_PIN_TOO_SHORT',
        },
      ]);
      expect(JSON.stringify(entries)).not.toContain('1111');
    });

    it('searches the audit log by cmdlet, object and caller, a page at a time', async () => {
      for (const who of ['kevin', 'pilar', 'weichen']) {
        expect(
          (await call(ctx.app, 'POST', `/api/v1/um-mailboxes/${who}/pin`, { token: admin, body: { sendEmail: false } }))
            .statusCode,
        ).toBe(200);
      }
      type Entry = { seq: number; action: string; target: string; actor: string; parameters: Record<string, unknown> };
      const first = await get<Page<Entry>>('/api/v1/audit?cmdlets=Set-UMMailboxPIN&limit=2');
      expect(first.body.items.map((e) => e.target)).toEqual(['kevin@contoso.com', 'pilar@contoso.com']);
      expect(first.body.items[0]).not.toHaveProperty('hash');
      const second = await get<Page<Entry>>(`/api/v1/audit?cmdlets=Set-UMMailboxPIN&limit=2&cursor=${first.body.next}`);
      expect(second.body.items.map((e) => e.target)).toEqual(['weichen@contoso.com']);
      expect(second.body.next).toBeNull();

      const both = await get<Page<Entry>>(
        '/api/v1/audit?cmdlets=Set-UMMailboxPIN&cmdlets=Enable-UMMailbox&objectIds=pilar,pilar@contoso.com',
      );
      expect(both.body.items.map((e) => `${e.action} ${e.target}`)).toEqual([
        'Enable-UMMailbox pilar',
        'Set-UMMailboxPIN pilar@contoso.com',
      ]);
      const byCaller = await get<Page<Entry>>(`/api/v1/audit?userIds=${encodeURIComponent(both.body.items[1]!.actor)}`);
      expect(byCaller.body.items.length).toBe(3);
      expect((await get<Page<Entry>>('/api/v1/audit?startDate=2099-01-01')).body.items).toEqual([]);
      expect((await get<Page<Entry>>('/api/v1/audit?endDate=2000-01-01T00:00:00Z')).body.items).toEqual([]);
    });

    it('lists dead letters without their contents, and queues one again', async () => {
      const sender = new MailDelivery(ctx.t.deps, 'test');
      const [mail] = (await sender.claim(1)).messages;
      await sender.failed(mail!, { message: '550 5.1.1 no such user', code: '550', permanent: true });
      const dead = await get<Page<Record<string, unknown>>>('/api/v1/dead-letters');
      expect(dead.body.items).toEqual([
        expect.objectContaining({ id: mail!.id, status: 'dead', lastError: '550 5.1.1 no such user' }),
      ]);
      expect(dead.body.items[0]).not.toHaveProperty('sealedPayload');
      expect((await call(ctx.app, 'POST', `/api/v1/dead-letters/${mail!.id}/retry`, { token: admin })).statusCode).toBe(
        204,
      );
      expect((await get<Page<unknown>>('/api/v1/dead-letters')).body.items).toEqual([]);
      expect((await call(ctx.app, 'POST', `/api/v1/dead-letters/${mail!.id}/retry`, { token: admin })).statusCode).toBe(
        404,
      );
    });

    it('administrator accounts: create, list, new password, sign in with it', async () => {
      const made = await call(ctx.app, 'POST', '/api/v1/admin-accounts', {
        token: admin,
        body: { name: 'helen', password: PASSWORD, role: 'HelpDesk', scope: ['Contoso'] },
      });
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({
        name: 'helen',
        role: 'HelpDesk',
        dialPlanScope: ['Contoso'],
        disabled: false,
      });
      expect(made.body).not.toContain(PASSWORD);
      expect((await get<Page<{ name: string }>>('/api/v1/admin-accounts')).body.items.map((a) => a.name)).toEqual([
        'helen',
      ]);
      expect(
        (
          await call(ctx.app, 'PUT', '/api/v1/admin-accounts/helen/password', {
            token: admin,
            body: { password: 'short' },
          })
        ).statusCode,
      ).toBe(422);
      expect(
        (
          await call(ctx.app, 'PUT', '/api/v1/admin-accounts/helen/password', {
            token: admin,
            body: { password: `${PASSWORD}!` },
          })
        ).statusCode,
      ).toBe(204);
      expect(
        (await call(ctx.app, 'POST', '/api/v1/session', { body: { name: 'helen', password: PASSWORD } })).statusCode,
      ).toBe(401);
      const signedIn = await call(ctx.app, 'POST', '/api/v1/session', {
        body: { name: 'helen', password: `${PASSWORD}!` },
      });
      expect(signedIn.json()).toMatchObject({ actor: { name: 'admin:helen', roles: ['HelpDesk'] } });
    });

    it('logs each request once, when answered: method, path, query keys, address and id; status and time', async () => {
      const res = await call(ctx.app, 'GET', '/api/v1/recipients?search=tony&limit=5', {
        token: admin,
        remoteAddress: '203.0.113.9',
      });
      const id = res.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const lines = ctx.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId === id);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 30,
        msg: 'request completed',
        req: { id, method: 'GET', url: '/api/v1/recipients?search=&limit=', remoteAddress: '203.0.113.9' },
        res: { statusCode: 200 },
      });
      expect(lines[0]!.responseTime).toBeTypeOf('number');
    });
  });

  describe(`first-run setup over HTTP (${engine})`, () => {
    it('creates the first Organization Management account with the one-time token, once', async () => {
      const t = await testContext(engine);
      const app = buildApp(t.deps, { metrics: false });
      try {
        expect((await call(app, 'GET', '/api/v1/setup')).json()).toEqual({ required: true });
        const token = await createSetupToken(t.deps);
        expect(
          (
            await call(app, 'POST', '/api/v1/setup', {
              body: { token: 'A'.repeat(43), name: 'root', password: PASSWORD },
            })
          ).statusCode,
        ).toBe(401);
        const done = await call(app, 'POST', '/api/v1/setup', { body: { token, name: 'root', password: PASSWORD } });
        expect(done.statusCode).toBe(201);
        expect(done.json()).toMatchObject({ name: 'root', role: 'OrganizationManagement', dialPlanScope: null });
        expect((await call(app, 'GET', '/api/v1/setup')).json()).toEqual({ required: false });
        expect(
          (await call(app, 'POST', '/api/v1/setup', { body: { token, name: 'again', password: PASSWORD } })).statusCode,
        ).toBe(409);
        const signedIn = await call(app, 'POST', '/api/v1/session', { body: { name: 'root', password: PASSWORD } });
        expect(signedIn.statusCode).toBe(200);
      } finally {
        await app.close();
        await t.close();
      }
    });
  });
}
