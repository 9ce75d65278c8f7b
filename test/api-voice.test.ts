/**
 * The PBX endpoints over HTTP (inject): a Voice Gateway token gets every logon outcome as a
 * 200, every other role a 403, nobody a 401; the toll-fraud guard throttles a calling number
 * and never the gateway; /metrics counts it all and names no PIN or caller.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { ROLE_GROUPS, type RoleGroup } from '../src/services/actor.js';
import { newApiToken } from '../src/services/api-tokens.js';
import type { Deps } from '../src/services/ports/deps.js';
import { TollFraudGuard } from '../src/services/toll-fraud-guard.js';
import { ADMIN, contoso } from './fixtures.js';
import { ENGINES, testContext, type TestContext } from './harness.js';

const PIN = '1985848';
const WRONG = '2468013';
const NEW_PIN = '7305164';
const CALLER = '+14255550123';

/** The value of one sample line of /metrics. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const engine of ENGINES) {
  describe(`PBX endpoints (${engine})`, () => {
    let t: TestContext;
    let app: FastifyInstance;
    let gateway: string;
    let logLines: string[];
    const users = Array.from({ length: 20 }, (_, i) => ({ alias: `user${i}`, extension: String(10200 + i), pin: PIN }));

    const post = (url: string, body: object, token: string | null = gateway, remoteAddress = '10.0.0.5') =>
      app.inject({
        method: 'POST',
        url,
        payload: body,
        remoteAddress,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    const logon = (body: object, token?: string | null) => post('/api/v1/voice/logons', body, token);
    const change = (body: object, token?: string | null) => post('/api/v1/voice/pin-changes', body, token);
    const metrics = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;

    beforeEach(async () => {
      t = await testContext(engine);
      await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: PIN }, ...users]);
      gateway = (await newApiToken(t.deps, ADMIN, { name: 'pbx1', role: 'VoiceGateway' })).token;
      app = await serve(t.deps);
    });
    /** The API on these deps, its log lines captured. */
    const serve = async (deps: Deps): Promise<FastifyInstance> => {
      logLines = [];
      const stream = new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      });
      const a = buildApp(deps, { logger: { level: 'info', stream }, metrics: { processMetrics: false } });
      await a.ready();
      return a;
    };
    afterEach(async () => {
      await app.close();
      await t.close();
    });

    it('a right PIN logs on (must-change first), the PIN is changed on the call, then ok', async () => {
      const first = await logon({ extension: '10231', callerId: CALLER, pin: PIN });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ outcome: 'must-change', reason: 'first-time', userId: 'tonysmith@contoso.com' });

      const changed = await change({
        extension: '10231',
        callerId: CALLER,
        oldPin: PIN,
        newPin: NEW_PIN,
        confirmPin: NEW_PIN,
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toEqual({ outcome: 'changed', userId: 'tonysmith@contoso.com' });

      const ok = await logon({ extension: '10231', callerId: CALLER, pin: NEW_PIN });
      expect(ok.json()).toEqual({ outcome: 'ok', userId: 'tonysmith@contoso.com' });
      // the calling number alone names the mailbox (its last 5 digits are no extension here)
      expect((await logon({ callerId: '+1425551023' + '1', pin: NEW_PIN })).json()).toEqual({
        outcome: 'ok',
        userId: 'tonysmith@contoso.com',
      });
    });

    it('a wrong PIN is a 200 with attempts left; reset at 5 and 10, locked at 15', async () => {
      // the fixture's welcome mails are queued already: only the mails queued from here on count
      const before = new Set((await t.deps.store.listOutbox({ limit: 10_000 })).map((m) => m.id));
      const answers = [];
      for (let i = 1; i <= 16; i++) {
        // one call each, from different numbers (without a calling number the guard would key by the extension and throttle at 10)
        const r = await logon({ extension: '10231', callerId: `+1425555${1000 + i}`, pin: WRONG });
        expect(r.statusCode).toBe(200);
        answers.push(r.json());
      }
      expect(answers[0]).toEqual({ outcome: 'wrong', failedAttempts: 1, attemptsLeft: 14 });
      expect(answers[4]).toEqual({ outcome: 'auto-reset', failedAttempts: 5, attemptsLeft: 10 });
      expect(answers[9]).toEqual({ outcome: 'auto-reset', failedAttempts: 10, attemptsLeft: 5 });
      expect(answers[13]).toEqual({ outcome: 'wrong', failedAttempts: 14, attemptsLeft: 1 });
      expect(answers[14]).toEqual({ outcome: 'locked-out', failedAttempts: 15 });
      expect(answers[15]).toEqual({ outcome: 'locked-out' });
      // the right PIN of before does not open a locked mailbox
      expect((await logon({ extension: '10231', callerId: CALLER, pin: PIN })).json()).toEqual({
        outcome: 'locked-out',
      });

      const text = await metrics();
      expect(sample(text, 'umpin_voice_logons_total{outcome="wrong"}')).toBe(12);
      expect(sample(text, 'umpin_voice_logons_total{outcome="auto-reset"}')).toBe(2);
      expect(sample(text, 'umpin_voice_logons_total{outcome="locked-out"}')).toBe(3);
      expect(sample(text, 'umpin_pin_lockouts_total')).toBe(1);
      expect(sample(text, 'umpin_pin_auto_resets_total')).toBe(2);
      expect(sample(text, 'umpin_http_requests_total{route="/api/v1/voice/logons",method="POST",status="200"}')).toBe(
        17,
      );
      // the two automatic resets and the lockout are mailed
      const queued = (await t.deps.store.listOutbox({ limit: 10_000 })).filter((m) => !before.has(m.id));
      expect(queued.map((m) => [m.kind, m.toAddress, m.status])).toEqual([
        ['auto-reset', 'tonysmith@contoso.com', 'queued'],
        ['auto-reset', 'tonysmith@contoso.com', 'queued'],
        ['lockout', 'tonysmith@contoso.com', 'queued'],
      ]);
      expect(sample(await metrics(), 'umpin_outbox_queued')).toBe((await t.deps.store.outboxStats()).queued);
    });

    it("a new PIN the policy refuses is a 422 with the rule's code, and counts nothing", async () => {
      const pattern = await change({ extension: '10231', oldPin: PIN, newPin: '1234567', confirmPin: '1234567' });
      expect(pattern.statusCode).toBe(422);
      expect(pattern.json()).toMatchObject({ code: 'UMPIN_PIN_COMMON_PATTERN', field: 'NewPin' });
      const short = await change({ extension: '10231', oldPin: PIN, newPin: '7305', confirmPin: '7305' });
      expect(short.json()).toMatchObject({ code: 'UMPIN_PIN_TOO_SHORT', field: 'NewPin' });
      const mismatch = await change({ extension: '10231', oldPin: PIN, newPin: NEW_PIN, confirmPin: '7305165' });
      expect(mismatch.statusCode).toBe(422);
      expect(mismatch.json()).toMatchObject({ code: 'UMPIN_PIN_MISMATCH', field: 'ConfirmPin' });
      const history = await change({ extension: '10231', oldPin: PIN, newPin: PIN, confirmPin: PIN });
      expect(history.json()).toMatchObject({ code: 'UMPIN_PIN_IN_HISTORY', field: 'NewPin' });
      expect((await logon({ extension: '10231', pin: WRONG })).json()).toMatchObject({ failedAttempts: 1 });
      // a wrong old PIN counts like a logon
      expect((await change({ extension: '10231', oldPin: WRONG, newPin: NEW_PIN })).json()).toEqual({
        outcome: 'wrong',
        failedAttempts: 2,
        attemptsLeft: 13,
      });
    });

    it('checks the shape of a request: an extension or a calling number, digits only', async () => {
      const neither = await logon({ pin: PIN });
      expect(neither.statusCode).toBe(400);
      expect(neither.json()).toMatchObject({ code: 'UMPIN_REQUEST_INVALID' });
      expect((await logon({ extension: '10-231', pin: PIN })).statusCode).toBe(400);
      expect((await logon({ callerId: 'anonymous', pin: PIN })).statusCode).toBe(400);
      expect((await logon({ extension: '10231', pin: PIN, identity: 'tonysmith' })).statusCode).toBe(400);
      const letters = await logon({ extension: '10231', pin: '12ab56' });
      expect(letters.statusCode).toBe(422);
      expect(letters.json()).toMatchObject({ code: 'UMPIN_PIN_NOT_DIGITS', field: 'Pin' });
      const unknown = await logon({ extension: '99999', pin: PIN });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'UMPIN_CALLER_NOT_RECOGNIZED' });
    });

    it('only a Voice Gateway token may call them: every other role gets 403, nobody 401', async () => {
      const others = ROLE_GROUPS.filter((r): r is Exclude<RoleGroup, 'VoiceGateway'> => r !== 'VoiceGateway');
      for (const role of others) {
        const { token } = await newApiToken(t.deps, ADMIN, { name: `t-${role}`, role });
        const a = await logon({ extension: '10231', pin: PIN }, token);
        expect(a.statusCode, role).toBe(403);
        expect(a.json()).toMatchObject({ code: 'UMPIN_ACCESS_DENIED' });
        expect((await change({ extension: '10231', oldPin: PIN, newPin: NEW_PIN }, token)).statusCode, role).toBe(403);
      }
      const anonymous = await logon({ extension: '10231', pin: PIN }, null);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: 'UMPIN_AUTH_REQUIRED' });
      expect((await change({ extension: '10231', oldPin: PIN, newPin: NEW_PIN }, null)).statusCode).toBe(401);
      expect((await logon({ extension: '10231', pin: PIN }, 'umpin_not-a-real-token')).statusCode).toBe(401);
      // none of these reached the mailbox
      expect((await logon({ extension: '10231', pin: WRONG })).json()).toMatchObject({ failedAttempts: 1 });
    });

    it('throttles a calling number after 10 failures (429, Retry-After), while another caller through the same gateway logs on', async () => {
      for (let i = 0; i < 10; i++)
        expect((await logon({ extension: users[i]!.extension, callerId: CALLER, pin: WRONG })).json()).toMatchObject({
          outcome: 'wrong',
        });
      const throttled = await logon({ extension: '10231', callerId: CALLER, pin: PIN });
      expect(throttled.statusCode).toBe(429);
      expect(throttled.headers['retry-after']).toBe('60');
      expect(throttled.json()).toMatchObject({ code: 'UMPIN_RATE_LIMITED' });
      expect((await change({ extension: '10231', callerId: CALLER, oldPin: PIN, newPin: NEW_PIN })).statusCode).toBe(
        429,
      );
      // the same gateway (token and address) carries everyone else on
      const other = await logon({ extension: '10231', callerId: '+14255550199', pin: PIN });
      expect(other.statusCode).toBe(200);
      expect(other.json()).toMatchObject({ outcome: 'must-change' });
      t.clock.advance(60_000);
      expect((await logon({ extension: '10231', callerId: CALLER, pin: PIN })).statusCode).toBe(200);
      expect(sample(await metrics(), 'umpin_voice_throttled_total')).toBe(2);
    });

    it('one caller failing on 20 mailboxes: one Detect-TollFraud audit entry and the metric', async () => {
      // a server whose guard lets one caller fail 100 times before backing off: the watch across mailboxes is under test
      await app.close();
      app = await serve({ ...t.deps, tollFraudGuard: new TollFraudGuard({ failures: 100 }, t.clock) });
      for (const u of users)
        expect((await logon({ extension: u.extension, callerId: CALLER, pin: WRONG })).statusCode).toBe(200);
      const audit = await t.deps.store.listAudit({ action: 'Detect-TollFraud' });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor: 'system',
        parameters: { Caller: 'caller:14255550123', Mailboxes: 5, WindowMinutes: 60 },
      });
      const text = await metrics();
      expect(sample(text, 'umpin_toll_fraud_detections_total{kind="caller"}')).toBe(1);
      expect(sample(text, 'umpin_toll_fraud_detections_total{kind="source"}')).toBe(0);
      // the metrics name no caller, no PIN, no user
      expect(text).not.toMatch(/14255550123|4255550123|1985848|2468013|contoso|user\d/);
    });

    it('no response body and no log line carries a PIN or the token', async () => {
      const bodies: string[] = [];
      bodies.push((await logon({ extension: '10231', callerId: CALLER, pin: WRONG })).body);
      bodies.push((await logon({ extension: '10231', callerId: CALLER, pin: PIN })).body);
      bodies.push((await change({ extension: '10231', oldPin: PIN, newPin: '1234567', confirmPin: '1234567' })).body);
      bodies.push((await change({ extension: '10231', oldPin: PIN, newPin: NEW_PIN, confirmPin: NEW_PIN })).body);
      bodies.push((await logon({ extension: '10231', pin: '12ab56' })).body);
      bodies.push(await metrics());
      const everything = [...bodies, ...logLines].join('\n');
      expect(logLines.length).toBeGreaterThan(0);
      for (const secret of [PIN, WRONG, NEW_PIN, '1234567', '12ab56', gateway])
        expect(everything).not.toContain(secret);
    });
  });
}
