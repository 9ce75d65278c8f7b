import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseText } from '../../test/db-haystack.js';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, togetherOn, type TestContext } from '../../test/harness.js';
import { addAdminAccount, resetAdminPassword, setAdminAccountDisabled } from './admin-accounts.js';
import type { Deps } from './ports/deps.js';
import { newRecipient } from './recipients.js';
import { insertNewSession, resumeSession, signInWithPassword, signOut } from './sessions.js';
import type { KyselyStore } from '../store/kysely/kysely-store.js';

const PASSWORD = 'correct horse battery staple';
const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(ENGINES)('administrator sessions (%s)', (engine) => {
  let t: TestContext;
  let dialPlanId: string;
  beforeEach(async () => {
    t = await testContext(engine);
    dialPlanId = (await contoso(t.deps)).dialPlan.id;
    await addAdminAccount(t.deps, ADMIN, { name: 'alice', password: PASSWORD, role: 'HelpDesk', scope: ['Contoso'] });
  });
  afterEach(() => t.close());

  const signIn = (name = 'alice', password = PASSWORD, source: string | null = '192.0.2.10') =>
    signInWithPassword(t.deps, { name, password, source });

  it('a sign-in grants a session for the account, its role and scope; only digests are stored', async () => {
    const grant = await signIn('ALICE');
    expect(grant.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(grant.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(grant.csrfToken).not.toBe(grant.sessionId);
    expect(grant.actor).toEqual({
      kind: 'admin',
      name: 'admin:alice',
      roles: ['HelpDesk'],
      dialPlanScope: [dialPlanId],
      source: '192.0.2.10',
    });
    expect(grant.idleExpiresAt - t.clock.t).toBeGreaterThan(29 * MIN);
    expect(grant.absoluteExpiresAt - grant.idleExpiresAt).toBe(11.5 * HOUR);

    const resumed = await resumeSession(t.deps, grant.sessionId, '192.0.2.11');
    expect(resumed!.actor).toEqual({ ...grant.actor, source: '192.0.2.11' });

    const haystack = databaseText(t);
    for (const secret of [grant.sessionId, grant.csrfToken]) expect(haystack.includes(secret)).toBe(false);
    const audit = await t.deps.store.listAudit({ action: 'Sign-In' });
    expect(audit.map((e) => [e.actor, e.source, e.target, e.result, e.parameters])).toEqual([
      ['admin:alice', '192.0.2.10', 'ALICE', 'success', { Name: 'ALICE' }],
    ]);
  });

  it('a wrong password and an unknown name fail alike, after one KDF verification each, and are audited', async () => {
    let verifications = 0;
    const counting: Deps = {
      ...t.deps,
      hasher: {
        ...t.deps.hasher,
        hash: (p) => t.deps.hasher.hash(p),
        needsRehash: (h) => t.deps.hasher.needsRehash(h),
        verify: (h, p) => {
          verifications++;
          return t.deps.hasher.verify(h, p);
        },
      },
    };
    const wrong = await failure(
      signInWithPassword(counting, { name: 'alice', password: 'not the password', source: '192.0.2.66' }),
    );
    expect(verifications).toBe(1);
    const unknown = await failure(
      signInWithPassword(counting, { name: 'nobody', password: PASSWORD, source: '192.0.2.66' }),
    );
    expect(verifications).toBe(2);
    expect(unknown.toJSON()).toEqual(wrong.toJSON());
    expect(wrong.code).toBe('UMPIN_SIGN_IN_FAILED');
    expect(wrong.category).toBe('unauthenticated');

    const malformed = await failure(
      signInWithPassword(counting, { name: 'my secret password', password: PASSWORD, source: '192.0.2.66' }),
    );
    expect(malformed.toJSON()).toEqual(wrong.toJSON());

    const audit = await t.deps.store.listAudit({ action: 'Sign-In' });
    expect(audit.map((e) => [e.actor, e.source, e.target, e.result, e.errorCode])).toEqual([
      ['admin:alice', '192.0.2.66', 'alice', 'failure', 'UMPIN_SIGN_IN_FAILED'],
      ['admin:nobody', '192.0.2.66', 'nobody', 'failure', 'UMPIN_SIGN_IN_FAILED'],
      ['anonymous', '192.0.2.66', null, 'failure', 'UMPIN_SIGN_IN_FAILED'],
    ]);
    const text = JSON.stringify(audit);
    for (const s of ['not the password', PASSWORD, 'my secret password']) expect(text).not.toContain(s);
  });

  it('every sign-in makes a new session id (no fixation); a made-up or old id gets nothing', async () => {
    const a = await signIn();
    const b = await signIn();
    expect(b.sessionId).not.toBe(a.sessionId);
    expect(b.csrfToken).not.toBe(a.csrfToken);
    expect(await resumeSession(t.deps, 'A'.repeat(43), null)).toBeNull();
    expect(await resumeSession(t.deps, '', null)).toBeNull();
    expect(await resumeSession(t.deps, a.csrfToken, null)).toBeNull();
    await signOut(t.deps, a.sessionId);
    expect(await resumeSession(t.deps, a.sessionId, null)).toBeNull();
    expect(await resumeSession(t.deps, b.sessionId, null)).not.toBeNull();
  });

  it('checks the CSRF token of its own session only', async () => {
    const a = await signIn();
    const b = await signIn();
    const s = (await resumeSession(t.deps, a.sessionId, null))!;
    expect(s.checkCsrf(a.csrfToken)).toBe(true);
    expect(s.checkCsrf(b.csrfToken)).toBe(false);
    expect(s.checkCsrf(undefined)).toBe(false);
    expect(s.checkCsrf('')).toBe(false);
    expect(s.checkCsrf(a.sessionId)).toBe(false);
    expect(s.checkCsrf(a.csrfToken.slice(0, -1) + (a.csrfToken.endsWith('A') ? 'B' : 'A'))).toBe(false);
  });

  it('ends after 30 idle minutes, while use keeps it alive', async () => {
    const g = await signIn();
    t.clock.advance(29 * MIN);
    expect(await resumeSession(t.deps, g.sessionId, null)).not.toBeNull();
    t.clock.advance(29 * MIN);
    expect(await resumeSession(t.deps, g.sessionId, null)).not.toBeNull();
    t.clock.advance(30 * MIN);
    expect(await resumeSession(t.deps, g.sessionId, null)).toBeNull();
    // gone for good, even if the clock were to go back
    t.clock.advance(-30 * MIN);
    expect(await resumeSession(t.deps, g.sessionId, null)).toBeNull();
  });

  it('counts the idle time from the last request to the second, not to the minute', async () => {
    const g = await signIn();
    t.clock.advance(30_000);
    expect(await resumeSession(t.deps, g.sessionId, null)).not.toBeNull();
    // 30 minutes and 10 seconds after sign-in, but only 29 min 40 s after the last request
    t.clock.advance(30 * MIN - 20_000);
    expect(await resumeSession(t.deps, g.sessionId, null)).not.toBeNull();
    t.clock.advance(30 * MIN);
    expect(await resumeSession(t.deps, g.sessionId, null)).toBeNull();
  });

  it('ends 12 hours after sign-in however busy', async () => {
    const g = await signIn();
    for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MIN; elapsed += 20 * MIN) {
      t.clock.advance(20 * MIN);
      expect(await resumeSession(t.deps, g.sessionId, null), `after ${elapsed / MIN + 20} minutes`).not.toBeNull();
    }
    t.clock.advance(20 * MIN);
    expect(await resumeSession(t.deps, g.sessionId, null)).toBeNull();
  });

  it('takes its limits from the configuration', async () => {
    const deps: Deps = { ...t.deps, sessionTimeouts: { idleMs: 5 * MIN, absoluteMs: HOUR } };
    const g = await signInWithPassword(deps, { name: 'alice', password: PASSWORD, source: null });
    expect(g.absoluteExpiresAt - g.idleExpiresAt).toBe(55 * MIN);
    t.clock.advance(6 * MIN);
    expect(await resumeSession(deps, g.sessionId, null)).toBeNull();
  });

  it('sign-out ends the session and is audited', async () => {
    const g = await signIn();
    await signOut(t.deps, g.sessionId, '192.0.2.12');
    expect(await resumeSession(t.deps, g.sessionId, null)).toBeNull();
    await signOut(t.deps, g.sessionId); // twice is harmless
    const audit = await t.deps.store.listAudit({ action: 'Sign-Out' });
    expect(audit.map((e) => [e.actor, e.source, e.target, e.result])).toEqual([
      ['admin:alice', '192.0.2.12', 'alice', 'success'],
    ]);
    expect(JSON.stringify(await t.deps.store.listAudit({}))).not.toContain(g.sessionId);
  });

  it("a user's session is resumed only while the mailbox is UM-enabled", async () => {
    const tony = (await t.deps.store.findRecipients('tonysmith'))[0]!;
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'pilar@contoso.com' });
    const pilar = (await t.deps.store.findRecipients('pilar@contoso.com'))[0]!;
    const start = (recipientId: string) =>
      t.deps.store.transaction((tx) =>
        insertNewSession(t.deps, tx, { recipientId }, { kind: 'user', name: 'x', roles: [] }),
      );
    const tonys = await start(tony.id);
    expect((await resumeSession(t.deps, tonys.sessionId, '192.0.2.1'))!.actor).toEqual({
      kind: 'user',
      name: 'user:tonysmith@contoso.com',
      roles: [],
      recipientId: tony.id,
      source: '192.0.2.1',
    });
    // a session for a recipient without voice mail (disabling deletes them; this is the check behind that)
    const pilars = await start(pilar.id);
    expect(await resumeSession(t.deps, pilars.sessionId, null)).toBeNull();
    expect(await t.deps.store.findSession(t.deps.digest(pilars.sessionId))).toBeNull();
  });

  it('disabling the account or resetting its password ends its sessions', async () => {
    await addAdminAccount(t.deps, ADMIN, { name: 'bob', password: PASSWORD, role: 'UMManagement' });
    const alice = await signIn();
    const bob = await signIn('bob');
    await setAdminAccountDisabled(t.deps, ADMIN, 'alice', true);
    expect(await resumeSession(t.deps, alice.sessionId, null)).toBeNull();
    expect(await resumeSession(t.deps, bob.sessionId, null)).not.toBeNull();
    await setAdminAccountDisabled(t.deps, ADMIN, 'alice', false);
    expect(await resumeSession(t.deps, alice.sessionId, null)).toBeNull();

    const bob2 = await signIn('bob');
    await resetAdminPassword(t.deps, ADMIN, 'bob', 'a brand new password');
    expect(await resumeSession(t.deps, bob.sessionId, null)).toBeNull();
    expect(await resumeSession(t.deps, bob2.sessionId, null)).toBeNull();
    expect(await resumeSession(t.deps, (await signIn('bob', 'a brand new password')).sessionId, null)).not.toBeNull();
  });
});

describe.each(ENGINES)('sign-in rate limits (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await addAdminAccount(t.deps, ADMIN, { name: 'alice', password: PASSWORD, role: 'HelpDesk' });
  });
  afterEach(() => t.close());

  const attempt = (password: string, source: string | null, name = 'alice') =>
    signInWithPassword(t.deps, { name, password, source });
  const refusal = async (password: string, source: string | null, name = 'alice') =>
    (await failure(attempt(password, source, name))).code;

  it('after 5 wrong passwords from one address it waits 1 s, 2 s, 4 s …; the owner at another address signs in at once', async () => {
    for (let i = 0; i < 5; i++) expect(await refusal(`wrong ${i}`, '198.51.100.7')).toBe('UMPIN_SIGN_IN_FAILED');
    const limited = await failure(attempt(PASSWORD, '198.51.100.7', 'Alice'));
    expect(limited.code).toBe('UMPIN_RATE_LIMITED');
    expect(limited.category).toBe('rate-limited');
    expect(limited.params.retryAfter).toBe(1);
    const audit = await t.deps.store.listAudit({ action: 'Sign-In' });
    expect(audit.at(-1)).toMatchObject({
      actor: 'admin:Alice',
      source: '198.51.100.7',
      result: 'failure',
      errorCode: 'UMPIN_RATE_LIMITED',
    });
    // the owner, elsewhere, is not held up by the attacker's address
    expect((await attempt(PASSWORD, '192.0.2.10')).actor.name).toBe('admin:alice');

    // each further wrong password from that address doubles the wait
    const waits = [limited.params.retryAfter as number];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(waits.at(-1)! * 1000);
      expect(await refusal('wrong again', '198.51.100.7')).toBe('UMPIN_SIGN_IN_FAILED');
      waits.push((await failure(attempt('wrong again', '198.51.100.7'))).params.retryAfter as number);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
  });

  it('grows the delay to 15 minutes at most and never locks: once it has passed, the right password works and clears the count', async () => {
    for (let i = 0; i < 5; i++) await failure(attempt('wrong', '203.0.113.9'));
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const wait = (await failure(attempt('wrong', '203.0.113.9'))).params.retryAfter as number;
      waits.push(wait);
      t.clock.advance(wait * 1000);
      expect(await refusal('wrong', '203.0.113.9')).toBe('UMPIN_SIGN_IN_FAILED');
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);
    t.clock.advance(900_000);
    expect((await attempt(PASSWORD, '203.0.113.9')).actor.name).toBe('admin:alice');
    // a fresh start: five free tries again
    for (let i = 0; i < 5; i++) expect(await refusal('wrong', '203.0.113.9')).toBe('UMPIN_SIGN_IN_FAILED');
  });

  it('at most 100 wrong passwords an hour for one account from all addresses; then it waits out the hour, no longer', async () => {
    for (let i = 0; i < 100; i++)
      expect(await refusal('wrong', `10.1.${Math.floor(i / 250)}.${i % 250}`)).toBe('UMPIN_SIGN_IN_FAILED');
    const ceiling = await failure(attempt(PASSWORD, '192.0.2.10'));
    expect(ceiling.code).toBe('UMPIN_RATE_LIMITED');
    expect(ceiling.params.retryAfter).toBeGreaterThan(59 * 60);
    expect(ceiling.params.retryAfter).toBeLessThanOrEqual(60 * 60);
    // another account is not affected
    await addAdminAccount(t.deps, ADMIN, { name: 'bob', password: PASSWORD, role: 'HelpDesk' });
    expect((await attempt(PASSWORD, '192.0.2.10', 'bob')).actor.name).toBe('admin:bob');
    t.clock.advance(60 * MIN);
    expect((await attempt(PASSWORD, '192.0.2.10')).actor.name).toBe('admin:alice');
  });

  it("a success clears the account's count at that address", async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) await failure(attempt('wrong password', null));
      await attempt(PASSWORD, null);
    }
  });

  it('after 20 failures from one address, it is refused whatever the name; other addresses are not', async () => {
    for (let i = 0; i < 20; i++)
      expect(await refusal('wrong password', '203.0.113.5', `user${i}`)).toBe('UMPIN_SIGN_IN_FAILED');
    expect(await refusal(PASSWORD, '203.0.113.5')).toBe('UMPIN_RATE_LIMITED');
    expect((await attempt(PASSWORD, '203.0.113.6')).actor.name).toBe('admin:alice');
  });

  it(`guesses started together from one address get exactly 5 verifications (${togetherOn(engine)})`, async () => {
    const verify = t.deps.hasher.verify.bind(t.deps.hasher);
    let verified = 0;
    t.deps.hasher.verify = (encoded, password) => {
      verified++;
      return verify(encoded, password);
    };
    const codes = await Promise.all(Array.from({ length: 30 }, (_, i) => refusal(`guess ${i}`, '10.0.0.1')));
    expect(codes.filter((c) => c === 'UMPIN_SIGN_IN_FAILED')).toHaveLength(5);
    expect(codes.filter((c) => c === 'UMPIN_RATE_LIMITED')).toHaveLength(25);
    expect(verified).toBe(5);
  });

  it(`guesses started together from 150 addresses get exactly 100 verifications: the ceiling (${togetherOn(engine)})`, async () => {
    const codes = await Promise.all(Array.from({ length: 150 }, (_, i) => refusal(`guess ${i}`, `10.2.0.${i}`)));
    expect(codes.filter((c) => c === 'UMPIN_SIGN_IN_FAILED')).toHaveLength(100);
    expect(codes.filter((c) => c === 'UMPIN_RATE_LIMITED')).toHaveLength(50);
  });

  it('keeps nothing typed in its counters: names only as keyed digests, never a password', async () => {
    await failure(attempt('hunter2 hunter2', '198.51.100.3', 'mallory'));
    const rows = await (t.deps.store as unknown as KyselyStore).kysely
      .selectFrom('limit_counter')
      .selectAll()
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/mallory|hunter2/i);
    expect(JSON.stringify(rows)).toContain('198.51.100.3');
  });
});
