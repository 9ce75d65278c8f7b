/**
 * Limits that hold across processes and bursts: the toll-fraud back-off per calling number
 * and the sign-in limits are counted in the store, before the costly work, so two server
 * processes on one database, each firing a burst at once, together get exactly the limit —
 * on SQLite (one file, two processes) and on PostgreSQL. In one process, a burst of 300
 * wrong PINs from one calling number is throttled while it is on, not only after it; and the
 * per-address request limit holds whichever of two servers on one database answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UmpinError } from '../src/domain/errors.js';
import type { Actor } from '../src/services/actor.js';
import { addAdminAccount } from '../src/services/admin-accounts.js';
import { getUMMailboxPIN } from '../src/services/get-um-mailbox-pin.js';
import { signInWithPassword } from '../src/services/sessions.js';
import { verifyLogon } from '../src/services/voice-logon.js';
import { ADMIN, contoso } from './fixtures.js';
import { makeDeps, openStore } from '../src/compose.js';
import { deriveSecrets } from '../src/crypto/secrets.js';
import { buildApp } from '../src/http/app.js';
import { call } from './api-client.js';
import { childEnv, ENGINES, TEST_KDF, testContext, type TestContext } from './harness.js';
import { runChildScript } from './child-script.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'], source: '127.0.0.1' };
const PASSWORD = 'correct horse battery staple';

const runHammer = (env: NodeJS.ProcessEnv) => runChildScript<Record<string, number>>('test/limit-hammer.ts', env);

const sum = (...counts: Array<Record<string, number>>) => {
  const total: Record<string, number> = {};
  for (const c of counts) for (const [k, n] of Object.entries(c)) total[k] = (total[k] ?? 0) + n;
  return total;
};

for (const engine of ENGINES) {
  describe(`limits shared by every process (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
      await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: '1985848' }]);
    });
    afterEach(() => t.close());

    it('two processes, 150 wrong PINs each at once from one calling number: 25 checked in all (failures=25)', async () => {
      const env = childEnv(t.db, {
        LIMIT_MODE: 'voice',
        LIMIT_EXTENSION: '10231',
        LIMIT_CALLER: '+14255550100',
        LIMIT_COUNT: '150',
        LIMIT_START_AT: String(Date.now() + 2500),
        // the fair share per process is lifted: the shared back-off is what is tried
        UMPIN_TOLL_FRAUD: 'inflight=1000/1000,failures=25/10m',
      });
      const [a, b] = await Promise.all([runHammer(env), runHammer(env)]);
      const { UMPIN_RATE_LIMITED: refused, ...checked } = sum(a, b);
      const seen = JSON.stringify({ a, b });
      expect(refused, seen).toBe(300 - 25);
      // every other attempt was checked: wrong, reset at 5 and 10, locked from 15 on
      expect(Object.keys(checked).sort(), seen).toEqual(['auto-reset', 'locked-out', 'wrong']);
      expect(
        Object.values(checked).reduce((x, y) => x + y, 0),
        seen,
      ).toBe(25);
      // both took part
      expect(Object.values(a).reduce((x, y) => x + y, 0)).toBe(150);
      expect(Object.values(b).reduce((x, y) => x + y, 0)).toBe(150);
      // the mailbox counted each check exactly (it locks at 15: the rest were answered locked)
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(15);
      // and the number is backing off for every server: this one too
      const after = await verifyLogon(t.deps, GATEWAY, {
        extension: '10231',
        callerId: '+14255550100',
        pin: '1985848',
      }).catch((e: unknown) => e);
      expect((after as UmpinError).code).toBe('UMPIN_RATE_LIMITED');
    });

    it('two processes, 100 wrong passwords each at once for one account from one address: 5 checked in all', async () => {
      await addAdminAccount(t.deps, ADMIN, { name: 'alice', password: PASSWORD, role: 'HelpDesk' });
      const env = childEnv(t.db, {
        LIMIT_MODE: 'password',
        LIMIT_ACCOUNT: 'alice',
        LIMIT_SOURCE: '203.0.113.66',
        LIMIT_COUNT: '100',
        LIMIT_START_AT: String(Date.now() + 2500),
      });
      const [a, b] = await Promise.all([runHammer(env), runHammer(env)]);
      expect(sum(a, b), JSON.stringify({ a, b })).toEqual({ UMPIN_SIGN_IN_FAILED: 5, UMPIN_RATE_LIMITED: 195 });
      // the owner, from their own address, signs in at once
      expect(
        (await signInWithPassword(t.deps, { name: 'alice', password: PASSWORD, source: '192.0.2.10' })).actor.name,
      ).toBe('admin:alice');
    });
  });

  describe(`request limits shared by two servers on one database (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
      await addAdminAccount(t.deps, ADMIN, { name: 'alice', password: PASSWORD, role: 'HelpDesk' });
    });
    afterEach(() => t.close());

    it('3 sign-in requests a minute from one address, counted together whichever server answers', async () => {
      // a second server: its own store connection and dependencies, the same database and secret
      const store = openStore({ engine, databaseUrl: t.db.url });
      const deps = makeDeps(store, deriveSecrets(Buffer.from(t.db.masterKey, 'base64')), TEST_KDF, t.clock);
      const limits = { rateLimits: { 'sign-in': { max: 3, windowMs: 60_000 } } };
      const [one, two] = [buildApp(t.deps, limits), buildApp(deps, limits)];
      try {
        const statuses: number[] = [];
        for (const app of [one, two, one, two, one])
          statuses.push(
            (
              await call(app, 'POST', '/api/v1/session', {
                body: { name: 'alice', password: PASSWORD },
                remoteAddress: '198.51.100.20',
              })
            ).statusCode,
          );
        expect(statuses).toEqual([200, 200, 200, 429, 429]);
      } finally {
        await one.close();
        await two.close();
        await store.close();
      }
    });
  });

  describe(`a burst from one calling number (${engine})`, () => {
    let t: TestContext;
    let checks = 0;
    beforeEach(async () => {
      // the fair share is lifted: what is tried is the back-off alone
      t = await testContext(engine, { tollFraud: { inflightPerCaller: 1000, inflightPerMailbox: 1000 } });
      await contoso(
        t.deps,
        Array.from({ length: 25 }, (_, i) => ({ alias: `user${i}`, extension: String(10200 + i), pin: '1985848' })),
      );
      const verify = t.deps.hasher.verify.bind(t.deps.hasher);
      checks = 0;
      t.deps.hasher.verify = (encoded, pin) => {
        checks++;
        return verify(encoded, pin);
      };
    });
    afterEach(() => t.close());

    it('300 wrong PINs at once: 10 are checked, 290 refused during the burst before any KDF work', async () => {
      // spread over 25 mailboxes, so that no mailbox's own lockout plays a part
      const burst = await Promise.allSettled(
        Array.from({ length: 300 }, (_, i) =>
          verifyLogon(t.deps, GATEWAY, { extension: String(10200 + (i % 25)), callerId: '+15550001', pin: '2468013' }),
        ),
      );
      const refused = burst.filter(
        (r) => r.status === 'rejected' && (r.reason as UmpinError).code === 'UMPIN_RATE_LIMITED',
      ).length;
      expect(refused).toBe(290);
      expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
      expect(checks).toBe(10);
      let counted = 0;
      for (let i = 0; i < 25; i++) counted += (await getUMMailboxPIN(t.deps, ADMIN, `user${i}`)).failedAttempts;
      expect(counted).toBe(10);
      // afterwards the number backs off a minute
      const later = await verifyLogon(t.deps, GATEWAY, {
        extension: '10200',
        callerId: '+15550001',
        pin: '1985848',
      }).catch((e: unknown) => e as UmpinError);
      expect([(later as UmpinError).code, (later as UmpinError).params.retryAfter]).toEqual(['UMPIN_RATE_LIMITED', 60]);
    });

    it('rotating the calling number escapes the back-off but not the watch per gateway', async () => {
      for (let i = 0; i < 25; i++) {
        const r = await verifyLogon(t.deps, GATEWAY, {
          extension: String(10200 + i),
          callerId: `+1555000${String(i).padStart(4, '0')}`,
          pin: '2468013',
        });
        expect(r.outcome).toBe('wrong');
      }
      const alerts = await t.deps.store.listAudit({ action: 'Detect-TollFraud' });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        actor: 'system',
        parameters: { Source: 'token:pbx@127.0.0.1', Mailboxes: 25, WindowMinutes: 10 },
      });
    });
  });
}
