import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorBody, type UmpinError } from '../domain/errors.js';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { Actor } from './actor.js';
import { addAdminAccount, listAdminAccounts } from './admin-accounts.js';
import { listApiTokens, newApiToken } from './api-tokens.js';
import { searchAuditLog, verifyAuditLog } from './audit-log.js';
import { listDeadLetters, retryDeadLetter } from './dead-letters.js';
import { getDialPlans, newDialPlan } from './dial-plans.js';
import { getUMMailboxPIN, pageUMMailboxPINs } from './get-um-mailbox-pin.js';
import { MailDelivery } from './mail-delivery.js';
import { getMailQueue } from './mail-queue.js';
import { getMailboxPolicies } from './mailbox-policies.js';
import { getRecipient, listRecipients, newRecipient, removeRecipient, setRecipient } from './recipients.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { setUMMailboxPINs } from './set-um-mailbox-pins.js';
import { disableUMMailbox, enableUMMailbox, getUMMailbox, listUMMailboxes } from './um-mailboxes.js';
import { voiceCallee, voiceCallPlan } from './voice-call.js';
import { verifyLogon } from './voice-logon.js';

/** An Organization Management assignment scoped to one dial plan: every permission, one dial plan's objects. */
function scopedTo(dialPlanId: string, role: Actor['roles'][number] = 'OrganizationManagement'): Actor {
  return { kind: 'admin', name: `admin:branch-${role}`, roles: [role], dialPlanScope: [dialPlanId], source: null };
}

/** The error as every door renders it: the body in both languages. */
function rendered(err: UmpinError) {
  return { en: errorBody(err, 'en'), zh: errorBody(err, 'zh-TW'), status: err.status };
}

describe.each(ENGINES)('dial-plan scope (%s)', (engine) => {
  let ctx: TestContext;
  let branch: string;
  let scoped: Actor;

  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
    ]);
    const { dialPlan, defaultPolicy } = await newDialPlan(ctx.deps, ADMIN, {
      name: 'Branch',
      numberOfDigitsInExtension: 4,
    });
    branch = dialPlan.id;
    // more recipients outside the branch than inside, sorted between them, so a filtered page would come up short
    for (const alias of ['aaron', 'bella', 'carl', 'dora']) {
      await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: `${alias}@branch.contoso.com`, alias });
      await enableUMMailbox(ctx.deps, ADMIN, {
        identity: alias,
        umMailboxPolicy: defaultPolicy!.name,
        extensions: [String(4001 + ['aaron', 'bella', 'carl', 'dora'].indexOf(alias))],
      });
    }
    for (const alias of ['abel', 'bert', 'cleo', 'dirk', 'nomail'])
      await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: `${alias}@contoso.com`, alias });
    await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'abel',
      umMailboxPolicy: 'Contoso Default Policy',
      extensions: ['10240'],
    });
    scoped = scopedTo(branch);
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('answers a mailbox outside the scope exactly as a missing one, in both languages', async () => {
    const pairs: Array<[string, (identity: string) => Promise<unknown>]> = [
      ['Get-UMMailboxPIN', (i) => getUMMailboxPIN(ctx.deps, scoped, i)],
      ['Get-UMMailbox', (i) => getUMMailbox(ctx.deps, scoped, i)],
      ['Get-Mailbox', (i) => getRecipient(ctx.deps, scoped, i)],
      ['Set-UMMailboxPIN', (i) => setUMMailboxPIN(ctx.deps, scoped, { identity: i, sendEmail: false })],
      ['unlock', (i) => setUMMailboxPIN(ctx.deps, scoped, { identity: i, lockedOut: false })],
      ['Set-Mailbox', (i) => setRecipient(ctx.deps, scoped, i, { displayName: 'X' })],
      ['Disable-UMMailbox', (i) => disableUMMailbox(ctx.deps, scoped, i)],
      ['Remove-Mailbox', (i) => removeRecipient(ctx.deps, scoped, i)],
    ];
    for (const [name, run] of pairs) {
      // the same identity text both times: one names a mailbox of another dial plan, the other nothing at all
      const hidden = rendered(await failure(run('tonysmith@contoso.com')));
      await removeRecipient(ctx.deps, ADMIN, 'kimakers').catch(() => undefined);
      const missing = rendered(await failure(run('kimakers@contoso.com')));
      expect(hidden.status, name).toBe(404);
      expect(hidden.en.code, name).toBe('UMPIN_IDENTITY_NOT_FOUND');
      expect(JSON.stringify(hidden).replaceAll('tonysmith', 'kimakers'), name).toBe(JSON.stringify(missing));
    }
    // a recipient without a UM mailbox is in no dial plan: outside every scope
    expect(rendered(await failure(getRecipient(ctx.deps, scoped, 'nomail'))).en).toEqual({
      code: 'UMPIN_IDENTITY_NOT_FOUND',
      field: 'Identity',
      message: 'The recipient "nomail" was not found.',
      params: { identity: 'nomail', kind: 'recipient' },
    });
    // and nothing was changed
    expect((await getRecipient(ctx.deps, ADMIN, 'tonysmith')).displayName).not.toBe('X');
    expect((await getUMMailbox(ctx.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10231']);
  });

  it('never tells an ambiguity among objects the caller cannot see', async () => {
    // "a*" matches no identity; display names: two recipients named alike, one inside, one outside
    await setRecipient(ctx.deps, ADMIN, 'aaron', { displayName: 'Same Name' });
    await setRecipient(ctx.deps, ADMIN, 'abel', { displayName: 'Same Name' });
    expect((await getRecipient(ctx.deps, scoped, 'Same Name')).alias).toBe('aaron');
    expect((await failure(getRecipient(ctx.deps, ADMIN, 'Same Name'))).code).toBe('UMPIN_IDENTITY_AMBIGUOUS');
  });

  it('pages recipients, UM mailboxes and PIN states of its dial plans only, full pages and right cursors', async () => {
    const walk = async <T>(page: (cursor: string | null) => Promise<{ items: T[]; next: string | null }>) => {
      const pages: T[][] = [];
      let cursor: string | null = null;
      do {
        const p = await page(cursor);
        pages.push(p.items);
        cursor = p.next;
      } while (cursor);
      return pages;
    };
    const branchAddresses = ['aaron', 'bella', 'carl', 'dora'].map((a) => `${a}@branch.contoso.com`);
    const recipients = await walk((cursor) => listRecipients(ctx.deps, scoped, { limit: 2, cursor }));
    expect(recipients.map((p) => p.map((r) => r.primarySmtpAddress))).toEqual([
      branchAddresses.slice(0, 2),
      branchAddresses.slice(2),
    ]);
    const mailboxes = await walk((cursor) => listUMMailboxes(ctx.deps, scoped, { limit: 3, cursor }));
    expect(mailboxes.flat().map((m) => m.primarySmtpAddress)).toEqual(branchAddresses);
    expect(mailboxes[0]).toHaveLength(3);
    const pins = await walk((cursor) => pageUMMailboxPINs(ctx.deps, scoped, { limit: 2, cursor }));
    expect(pins.map((p) => p.map((v) => v.userId))).toEqual([branchAddresses.slice(0, 2), branchAddresses.slice(2)]);
    // an unscoped caller sees them all
    const all = await listRecipients(ctx.deps, ADMIN, { limit: 100 });
    expect(all.items.length).toBe(4 + 2 + 5);
  });

  it('shows dial plans, policies, audit entries, dead letters, the queue, tokens and accounts of its dial plans only', async () => {
    expect((await getDialPlans(ctx.deps, scoped)).map((d) => d.name)).toEqual(['Branch']);
    expect((await getMailboxPolicies(ctx.deps, scoped)).map((p) => p.name)).toEqual(['Branch Default Policy']);

    // the welcome mails delivered, then two PIN mails given up on: one to each dial plan
    const sender = new MailDelivery(ctx.deps, 'test');
    for (const mail of (await sender.claim(100)).messages) await sender.sent(mail);
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith' });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'aaron' });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'bella', sendEmail: false });
    for (const mail of (await sender.claim(100)).messages)
      await sender.failed(mail, { message: '550 mailbox unavailable', code: '550', permanent: true });

    const audit = await searchAuditLog(ctx.deps, scoped, { action: 'Set-UMMailboxPIN' });
    expect(audit.map((e) => e.target)).toEqual(['aaron@branch.contoso.com', 'bella@branch.contoso.com']);
    const planAudit = await searchAuditLog(ctx.deps, scoped, { actions: ['New-UMDialPlan', 'Enable-UMMailbox'] });
    expect(planAudit.map((e) => e.target)).toEqual(['Branch', 'aaron', 'bella', 'carl', 'dora']);
    expect((await searchAuditLog(ctx.deps, ADMIN, { action: 'Set-UMMailboxPIN' })).length).toBe(3);

    const aaron = (await getRecipient(ctx.deps, ADMIN, 'aaron')).id;
    expect((await listDeadLetters(ctx.deps, scoped)).map((d) => d.recipientId)).toEqual([aaron]);
    expect((await listDeadLetters(ctx.deps, ADMIN)).length).toBe(2);
    expect(await getMailQueue(ctx.deps, scoped)).toMatchObject({ queued: 0, deadLetters: 1 });
    expect(await getMailQueue(ctx.deps, ADMIN)).toMatchObject({ deadLetters: 2 });

    await newApiToken(ctx.deps, ADMIN, { name: 'org-wide', role: 'HelpDesk' });
    await newApiToken(ctx.deps, ADMIN, { name: 'in-branch', role: 'HelpDesk', scope: ['Branch'] });
    await newApiToken(ctx.deps, ADMIN, { name: 'both', role: 'HelpDesk', scope: ['Branch', 'Contoso'] });
    expect((await listApiTokens(ctx.deps, scoped)).map((t) => t.name)).toEqual(['in-branch']);
    await addAdminAccount(ctx.deps, ADMIN, { name: 'hq', password: 'correct horse battery', role: 'HelpDesk' });
    await addAdminAccount(ctx.deps, ADMIN, {
      name: 'branchdesk',
      password: 'correct horse battery',
      role: 'HelpDesk',
      scope: ['Branch'],
    });
    expect((await listAdminAccounts(ctx.deps, scoped)).map((a) => a.name)).toEqual(['branchdesk']);
    expect((await listAdminAccounts(ctx.deps, ADMIN)).map((a) => a.name).sort()).toEqual(['branchdesk', 'hq']);

    // the chain as a whole is no dial plan's: refused, naming no object
    const refused = await failure(verifyAuditLog(ctx.deps, scoped));
    expect(refused.code).toBe('UMPIN_ACCESS_DENIED');
    expect(errorBody(refused, 'en').params).not.toHaveProperty('target');
  });

  it('retries only its dial plans’ dead letters; another plan’s is missing to it, and stays dead', async () => {
    const sender = new MailDelivery(ctx.deps, 'test');
    for (const mail of (await sender.claim(100)).messages) await sender.sent(mail);
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith' });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'aaron' });
    for (const mail of (await sender.claim(100)).messages)
      await sender.failed(mail, { message: '550 mailbox unavailable', code: '550', permanent: true });
    const [aaronMail, tonyMail] = await Promise.all(
      ['aaron', 'tonysmith'].map(async (a) => {
        const id = (await getRecipient(ctx.deps, ADMIN, a)).id;
        return (await listDeadLetters(ctx.deps, ADMIN)).find((d) => d.recipientId === id)!;
      }),
    );
    const hidden = await failure(retryDeadLetter(ctx.deps, scoped, tonyMail!.id));
    const missing = await failure(retryDeadLetter(ctx.deps, scoped, 'no-such-mail'));
    expect(errorBody(hidden, 'en')).toMatchObject({
      code: 'UMPIN_IDENTITY_NOT_FOUND',
      params: { kind: 'dead letter' },
    });
    expect(hidden.status).toBe(missing.status);
    await retryDeadLetter(ctx.deps, scoped, aaronMail!.id);
    expect((await listDeadLetters(ctx.deps, ADMIN)).map((d) => d.id)).toEqual([tonyMail!.id]);
  });

  it('a scoped voice gateway finds no mailbox of another dial plan: not recognised, as a number nobody has', async () => {
    const gateway: Actor = { ...scopedTo(branch, 'VoiceGateway'), name: 'token:branch-pbx' };
    const outside = await failure(verifyLogon(ctx.deps, gateway, { extension: '10231', pin: '1234567' }));
    const nobody = await failure(verifyLogon(ctx.deps, gateway, { extension: '19999', pin: '1234567' }));
    expect(errorBody(outside, 'en')).toEqual(errorBody(nobody, 'en'));
    expect(outside).toMatchObject({ code: 'UMPIN_CALLER_NOT_RECOGNIZED', status: nobody.status });
    // the calling number of a Contoso phone, the other plan named outright: missing alike
    expect(await voiceCallee(ctx.deps, gateway, { callerId: '+1 425 555 10231' })).toBeNull();
    const plan = await failure(verifyLogon(ctx.deps, gateway, { extension: '10231', dialPlan: 'Contoso', pin: '1' }));
    expect(errorBody(plan, 'en')).toMatchObject({ code: 'UMPIN_IDENTITY_NOT_FOUND', field: 'DialPlan' });
    // its own plan's mailbox is there
    expect(await voiceCallee(ctx.deps, gateway, { extension: '4001' })).toMatchObject({ dialPlan: 'Branch' });
    expect((await voiceCallPlan(ctx.deps, gateway, { dialled: null })).dialPlan).toBe('Branch');
  });

  it('enables a recipient not yet UM-enabled into its own dial plan, not one of another', async () => {
    await enableUMMailbox(ctx.deps, scoped, {
      identity: 'bert',
      umMailboxPolicy: 'Branch Default Policy',
      extensions: ['4100'],
    });
    expect((await getUMMailbox(ctx.deps, scoped, 'bert')).umDialPlan).toBe('Branch');
    const err = await failure(
      enableUMMailbox(ctx.deps, scoped, {
        identity: 'cleo',
        umMailboxPolicy: 'Contoso Default Policy',
        extensions: ['10250'],
      }),
    );
    expect(errorBody(err, 'en')).toMatchObject({ code: 'UMPIN_IDENTITY_NOT_FOUND', field: 'UMMailboxPolicy' });
  });
});

describe.each(ENGINES)('Help Desk and administrators’ PINs (%s)', (engine) => {
  let ctx: TestContext;
  const helpDesk: Actor = { kind: 'admin', name: 'token:desk', roles: ['HelpDesk'], source: null };
  const umAdmin: Actor = { kind: 'admin', name: 'token:um', roles: ['UMManagement'], source: null };

  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
      { alias: 'pattifernandez', extension: '10233' },
    ]);
    // tonysmith is also an administrator: an account named as his address
    await addAdminAccount(ctx.deps, ADMIN, {
      name: 'tonysmith@contoso.com',
      password: 'correct horse battery',
      role: 'UMManagement',
    });
    // kimakers too, by alias
    await addAdminAccount(ctx.deps, ADMIN, { name: 'KimAkers', password: 'correct horse battery', role: 'HelpDesk' });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('refuses Help Desk a reset, a chosen PIN or an unlock of an administrator, and audits it; locking stays', async () => {
    const pin = async () => ctx.deps.store.getPin((await getRecipient(ctx.deps, ADMIN, 'tonysmith')).id);
    const before = await pin();
    for (const input of [
      { identity: 'tonysmith' },
      { identity: 'tonysmith', pin: '61829374', sendEmail: false },
      { identity: 'tonysmith', lockedOut: false as const },
      { identity: 'kimakers' },
    ]) {
      const err = await failure(setUMMailboxPIN(ctx.deps, helpDesk, input));
      expect(errorBody(err, 'en'), JSON.stringify(input)).toMatchObject({
        code: 'UMPIN_TARGET_IS_ADMINISTRATOR',
        params: { actor: 'token:desk', target: `${input.identity}@contoso.com` },
      });
      expect(err.status).toBe(403);
      expect(errorBody(err, 'zh-TW').message).toContain('系統管理員');
    }
    expect(await pin()).toEqual(before);
    const audited = await ctx.deps.store.listAudit({ action: 'Set-UMMailboxPIN', actor: 'token:desk' });
    expect(audited.map((e) => e.errorCode)).toEqual(Array(4).fill('UMPIN_TARGET_IS_ADMINISTRATOR'));

    expect((await setUMMailboxPIN(ctx.deps, helpDesk, { identity: 'tonysmith', lockedOut: true })).lockedOut).toBe(
      true,
    );
    // anyone else's PIN Help Desk still resets; UM Management resets the administrator's
    expect((await setUMMailboxPIN(ctx.deps, helpDesk, { identity: 'pattifernandez' })).pinChanged).toBe(true);
    expect((await setUMMailboxPIN(ctx.deps, umAdmin, { identity: 'tonysmith', lockedOut: false })).lockedOut).toBe(
      false,
    );
    expect((await setUMMailboxPIN(ctx.deps, umAdmin, { identity: 'tonysmith' })).pinChanged).toBe(true);
  });

  it('refuses each administrator in a bulk reset or unlock, and does the others', async () => {
    const reset = await setUMMailboxPINs(ctx.deps, helpDesk, {
      identities: ['tonysmith', 'pattifernandez', 'kimakers'],
      sendEmail: false,
    });
    expect(reset.items.map((i) => (i.ok ? 'ok' : i.issue.code))).toEqual([
      'UMPIN_TARGET_IS_ADMINISTRATOR',
      'ok',
      'UMPIN_TARGET_IS_ADMINISTRATOR',
    ]);
    const unlock = await setUMMailboxPINs(ctx.deps, helpDesk, {
      identities: ['tonysmith', 'pattifernandez'],
      lockedOut: false,
    });
    expect(unlock.items.map((i) => (i.ok ? 'ok' : i.issue.code))).toEqual(['UMPIN_TARGET_IS_ADMINISTRATOR', 'ok']);
  });
});
