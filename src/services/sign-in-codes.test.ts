import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveredMail } from '../../test/delivered-mail.js';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { newRecipient } from './recipients.js';
import { resumeSession, signOut } from './sessions.js';
import { requestSignInCode, SIGN_IN_CODE_RULES, signInWithCode } from './sign-in-codes.js';
import { disableUMMailbox } from './um-mailboxes.js';

const MIN = 60_000;
const TONY = 'tonysmith@contoso.com';
/** answer at once: the timing promise has its own test */
const NOW = { answerMs: 0 };

describe.each(ENGINES)('sign-in codes (%s)', (engine) => {
  let t: TestContext;
  let mail: DeliveredMail;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231', pin: '73019468' },
      { alias: 'weichen', extension: '10232', language: 'zh-TW' },
    ]);
    mail = await DeliveredMail.start(t.deps);
  });
  afterEach(async () => {
    await mail.close();
    await t.close();
  });

  const request = (identity: string, source: string | null = '192.0.2.10') =>
    requestSignInCode(t.deps, { identity, source }, NOW);
  const signIn = (identity: string, code: string, source: string | null = '192.0.2.10') =>
    signInWithCode(t.deps, { identity, code, source }, NOW);
  const codeMails = async (address: string) =>
    (await mail.to(address)).filter((m) => /sign-in code|登入驗證碼/.test(m.parsed.subject ?? ''));

  it('mails a code to the user, in their language, and the code signs them in as themselves', async () => {
    expect(await request(TONY)).toEqual({ sent: true, expiresInMinutes: 15 });
    const [tonyMail] = await codeMails(TONY);
    expect(tonyMail!.parsed.subject).toBe('Your voice mail sign-in code');
    const code = await mail.latestCode(TONY);
    expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);

    // typed any way the mail allows
    const grant = await signIn('TonySmith@Contoso.com', code.toLowerCase().replace('-', ''));
    const tonyId = (await t.deps.store.findRecipients('tonysmith'))[0]!.id;
    expect(grant.actor).toEqual({
      kind: 'user',
      name: `user:${TONY}`,
      roles: [],
      recipientId: tonyId,
      source: '192.0.2.10',
    });
    expect((await resumeSession(t.deps, grant.sessionId, '192.0.2.11'))!.actor).toEqual({
      ...grant.actor,
      source: '192.0.2.11',
    });
    expect(grant.absoluteExpiresAt - grant.idleExpiresAt).toBe(12 * 60 * MIN - 30 * MIN);

    await request('weichen');
    const [weiMail] = await codeMails('weichen@contoso.com');
    expect(weiMail!.parsed.subject).toBe('您的語音信箱登入驗證碼');
    expect(weiMail!.parsed.headers.get('content-language')).toBe('zh-TW');

    const audit = await t.deps.store.listAudit({});
    const mine = audit
      .filter((e) => ['Request-SignInCode', 'Sign-In'].includes(e.action))
      .map((e) => [e.action, e.actor, e.source, e.target, e.result]);
    expect(mine).toEqual([
      ['Request-SignInCode', 'anonymous', '192.0.2.10', TONY, 'success'],
      ['Sign-In', `user:${TONY}`, '192.0.2.10', TONY, 'success'],
      ['Request-SignInCode', 'anonymous', '192.0.2.10', 'weichen@contoso.com', 'success'],
    ]);
    const text = JSON.stringify(audit);
    for (const s of [code, code.replace('-', ''), code.toLowerCase()]) expect(text).not.toContain(s);
    // delivered: the sealed code is gone from the outbox
    expect(
      (await t.deps.store.listOutbox({}))
        .filter((m) => m.kind === 'sign-in-code')
        .map((m) => [m.status, m.sealedPayload]),
    ).toEqual([
      ['sent', null],
      ['sent', null],
    ]);
  });

  it('a code signs in once', async () => {
    await request(TONY);
    const code = await mail.latestCode(TONY);
    await signIn(TONY, code);
    const again = await failure(signIn(TONY, code));
    expect(again.code).toBe('UMPIN_SIGN_IN_FAILED');
    expect(again.message).toBe('The sign-in code is not correct, or it has expired or been used; ask for a new one.');
  });

  it('a code expires after 15 minutes', async () => {
    await request(TONY);
    const code = await mail.latestCode(TONY);
    t.clock.advance(15 * MIN);
    expect((await failure(signIn(TONY, code))).code).toBe('UMPIN_SIGN_IN_FAILED');
  });

  it('a code is void after 5 wrong tries, however the identity is spelt', async () => {
    await request(TONY);
    const code = await mail.latestCode(TONY);
    const wrong = code === 'BCDF-GHJK' ? 'BCDF-GHJM' : 'BCDF-GHJK';
    // across the identity's forms, so the per-identity limiter is not what stops it
    for (const identity of [TONY, 'tonysmith', TONY, 'tonysmith', 'TONYSMITH@contoso.com'])
      expect((await failure(signIn(identity, wrong))).code).toBe('UMPIN_SIGN_IN_FAILED');
    expect((await failure(signIn('tonysmith', code))).code).toBe('UMPIN_SIGN_IN_FAILED');
    // a new code starts again
    await request(TONY);
    await signIn('tonysmith', await mail.latestCode(TONY));
  });

  it('a newer code replaces the unused one', async () => {
    await request(TONY);
    const first = await mail.latestCode(TONY);
    await request(TONY);
    const second = await mail.latestCode(TONY);
    expect(second).not.toBe(first);
    expect((await failure(signIn(TONY, first))).code).toBe('UMPIN_SIGN_IN_FAILED');
    await signIn('tonysmith', second);
  });

  it('a code whose mail has not gone out yet is replaced, mail and all: only the live code is sent', async () => {
    await request(TONY);
    await request(TONY);
    expect(await mail.codeCount(TONY)).toBe(1);
    await signIn(TONY, await mail.latestCode(TONY));
    expect((await t.deps.store.listOutbox({})).filter((m) => m.kind === 'sign-in-code')).toHaveLength(1);
  });

  it('mails at most 3 codes a mailbox in 15 minutes; a request past that sends nothing and answers the same', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await request(i % 2 ? 'tonysmith' : TONY, `192.0.2.${i}`));
      await mail.deliver();
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await mail.codeCount(TONY)).toBe(3);
    // the third code is the live one
    const third = await mail.latestCode(TONY);
    expect(
      (await t.deps.store.listAudit({ action: 'Request-SignInCode' })).map((e) => [e.result, e.errorCode]),
    ).toEqual([
      ['success', null],
      ['success', null],
      ['success', null],
      ['failure', 'UMPIN_RATE_LIMITED'],
      ['failure', 'UMPIN_RATE_LIMITED'],
    ]);
    t.clock.advance(15 * MIN);
    await request(TONY);
    expect(await mail.codeCount(TONY)).toBe(4);
    expect(await mail.latestCode(TONY)).not.toBe(third);
  });

  it('answers an unknown, ambiguous or not UM-enabled identity the same, and mails nothing', async () => {
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'pilar@contoso.com', displayName: 'Pat' });
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'patricia@contoso.com', displayName: 'Pat' });
    const known = await request(TONY);
    for (const identity of ['nobody@contoso.com', 'pilar@contoso.com', 'Pat'])
      expect(await request(identity)).toEqual(known);
    for (const address of ['pilar@contoso.com', 'patricia@contoso.com']) expect(await mail.to(address)).toEqual([]);
    expect(await mail.codeCount(TONY)).toBe(1);
    expect((await t.deps.store.listOutbox({})).filter((m) => m.kind === 'sign-in-code')).toHaveLength(1);
    const audit = await t.deps.store.listAudit({ action: 'Request-SignInCode' });
    expect(audit.map((e) => [e.target, e.result, e.errorCode, e.parameters])).toEqual([
      [TONY, 'success', null, { Identity: TONY }],
      [null, 'failure', 'UMPIN_IDENTITY_NOT_FOUND', { Identity: 'nobody@contoso.com' }],
      ['pilar@contoso.com', 'failure', 'UMPIN_MAILBOX_NOT_UM_ENABLED', { Identity: 'pilar@contoso.com' }],
      [null, 'failure', 'UMPIN_IDENTITY_AMBIGUOUS', {}],
    ]);
    // and signing in with any code fails the same way for all of them
    const failures = await Promise.all(
      ['nobody@contoso.com', 'pilar@contoso.com', 'Pat', TONY].map(async (identity) =>
        (await failure(signIn(identity, 'BCDF-GHJK'))).toJSON(),
      ),
    );
    expect(new Set(failures.map((f) => JSON.stringify(f))).size).toBe(1);
  });

  it('takes about the same time whether or not the mailbox exists', async () => {
    const timed = async (identity: string) => {
      const started = performance.now();
      await requestSignInCode(t.deps, { identity, source: null });
      return performance.now() - started;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await timed(i % 2 ? 'tonysmith' : TONY));
      unknown.push(await timed(`nobody${i}@contoso.com`));
    }
    for (const ms of [...known, ...unknown]) expect(ms).toBeGreaterThanOrEqual(SIGN_IN_CODE_RULES.answerMs);
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(SIGN_IN_CODE_RULES.answerMs / 2);
    // a refused sign-in too
    const started = performance.now();
    await failure(signInWithCode(t.deps, { identity: 'nobody@contoso.com', code: 'BCDF-GHJK', source: null }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(SIGN_IN_CODE_RULES.answerMs);
  });

  it('limits wrong codes per identity (5) and per address (20) in 15 minutes, as for passwords', async () => {
    for (let i = 0; i < 5; i++) await failure(signIn('nobody@contoso.com', 'BCDF-GHJK', `198.51.100.${i}`));
    const limited = await failure(signIn('nobody@contoso.com', 'BCDF-GHJK', '198.51.100.99'));
    expect(limited.code).toBe('UMPIN_RATE_LIMITED');
    expect(limited.params.retryAfter).toBeGreaterThan(0);

    for (let i = 0; i < 20; i++) await failure(signIn(`someone${i}@contoso.com`, 'BCDF-GHJK', '203.0.113.7'));
    await request(TONY);
    expect((await failure(signIn(TONY, await mail.latestCode(TONY), '203.0.113.7'))).code).toBe('UMPIN_RATE_LIMITED');
    // from elsewhere the code still works
    await signIn(TONY, await mail.latestCode(TONY), '203.0.113.8');
    t.clock.advance(15 * MIN);
    expect((await failure(signIn('nobody@contoso.com', 'BCDF-GHJK', '198.51.100.99'))).code).toBe(
      'UMPIN_SIGN_IN_FAILED',
    );
  });

  it('refuses a malformed identity or code naming the field, and counts nothing', async () => {
    for (const code of ['', '1234-5678', 'BCDF-GHJ', 'AEIO-UBCD']) {
      const err = await failure(signIn(TONY, code));
      expect([err.code, err.field]).toEqual(['UMPIN_VALUE_INVALID', 'Code']);
    }
    expect([(await failure(signIn('  ', 'BCDF-GHJK'))).field, (await failure(request(''))).field]).toEqual([
      'Identity',
      'Identity',
    ]);
    // none of these counted against the identity: the mailed code still works
    await request(TONY);
    await signIn(TONY, await mail.latestCode(TONY));
  });

  it("ends the user's session when the mailbox is disabled; sign-out is audited under the user", async () => {
    await request(TONY);
    const a = await signIn(TONY, await mail.latestCode(TONY));
    await signOut(t.deps, a.sessionId, '192.0.2.12');
    expect(await resumeSession(t.deps, a.sessionId, null)).toBeNull();
    expect((await t.deps.store.listAudit({ action: 'Sign-Out' })).map((e) => [e.actor, e.target, e.source])).toEqual([
      [`user:${TONY}`, TONY, '192.0.2.12'],
    ]);

    await request(TONY);
    const b = await signIn(TONY, await mail.latestCode(TONY));
    expect(await resumeSession(t.deps, b.sessionId, null)).not.toBeNull();
    await disableUMMailbox(t.deps, ADMIN, TONY);
    expect(await resumeSession(t.deps, b.sessionId, null)).toBeNull();
    // and a disabled mailbox gets no more codes
    await request(TONY);
    expect(await mail.codeCount(TONY)).toBe(2);
  });

  it('a session lasts as long as an administrator session: 30 idle minutes', async () => {
    await request(TONY);
    const g = await signIn(TONY, await mail.latestCode(TONY));
    t.clock.advance(29 * MIN);
    expect(await resumeSession(t.deps, g.sessionId, null)).not.toBeNull();
    t.clock.advance(31 * MIN);
    expect(await resumeSession(t.deps, g.sessionId, null)).toBeNull();
  });
});
