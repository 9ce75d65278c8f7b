import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { checkPin } from '../domain/pin-rules.js';
import type { OutboxMessage } from '../domain/outbox-message.js';
import type { Actor } from './actor.js';
import { setMailboxPolicy } from './mailbox-policies.js';
import type { MailPayload } from '../domain/mail-payload.js';
import { newRecipient } from './recipients.js';
import { resetUMMailboxPINs, setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { enableUMMailbox } from './um-mailboxes.js';
import { fixedLock } from '../domain/progressive-lockout.js';

const HELP_DESK: Actor = { kind: 'admin', name: 'admin:helpdesk', roles: ['HelpDesk'], source: '10.0.0.7' };
const VIEW_ONLY: Actor = {
  kind: 'admin',
  name: 'admin:auditor',
  roles: ['ViewOnlyOrganizationManagement'],
  source: '10.0.0.8',
};

describe.each(ENGINES)('Set-UMMailboxPIN (%s)', (engine) => {
  let ctx: TestContext;
  let tonyId: string;
  let kimId: string;
  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps, [
      { alias: 'tonysmith', extension: '10231', pin: '482916' },
      { alias: 'kimakers', extension: '10232' },
    ]);
    tonyId = (await ctx.deps.store.findRecipients('tonysmith'))[0]!.id;
    kimId = (await ctx.deps.store.findRecipients('kimakers'))[0]!.id;
  });
  afterEach(async () => {
    await ctx.close();
  });

  const tonyUser = (): Actor => ({
    kind: 'user',
    name: 'user:tonysmith@contoso.com',
    roles: [],
    recipientId: tonyId,
    source: 'web',
  });
  const open = (m: OutboxMessage): MailPayload =>
    JSON.parse(ctx.deps.cipher.open(m.sealedPayload!, m.id)) as MailPayload;
  /** Mails queued after the welcome mails of the setup. */
  const newMail = async (): Promise<OutboxMessage[]> =>
    (await ctx.deps.store.listOutbox({})).filter((m) => m.kind !== 'welcome');
  const pinOf = async (id = tonyId) => (await ctx.deps.store.getPin(id))!;
  /** PIN state, history and outbox: what a refused or WhatIf request must leave alone. */
  async function snapshot() {
    return {
      pin: await pinOf(),
      history: await ctx.deps.store.getPinHistory(tonyId, 50),
      outbox: await ctx.deps.store.listOutbox({}),
    };
  }

  it('the documented example sets PIN 1985848, expired, and mails it', async () => {
    const r = await setUMMailboxPIN(ctx.deps, ADMIN, {
      identity: 'tonysmith@contoso.com',
      pin: '1985848',
      pinExpired: true,
    });
    expect(r).toEqual({
      userId: 'tonysmith@contoso.com',
      pinChanged: true,
      lockedOut: false,
      pinExpired: true,
      mailTo: 'tonysmith@contoso.com',
      whatIf: null,
    });
    const state = await pinOf();
    expect(state.pinExpired).toBe(true);
    expect(await ctx.deps.hasher.verify(state.pinHash, '1985848')).toBe(true);
    expect(await ctx.deps.hasher.verify(state.pinHash, '482916')).toBe(false);
    const [mail, ...more] = await newMail();
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ kind: 'pin-reset', toAddress: 'tonysmith@contoso.com', recipientId: tonyId });
    expect(mail!.sealedPayload).not.toContain('1985848');
    expect(open(mail!)).toMatchObject({ pin: '1985848', extensions: ['10231'], pinExpired: true });
  });

  it('PINExpired defaults to $true; $false means no change is needed at next logon', async () => {
    expect((await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '1985848' })).pinExpired).toBe(true);
    expect((await pinOf()).pinExpired).toBe(true);
    expect(
      (await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '573028', pinExpired: false })).pinExpired,
    ).toBe(false);
    expect((await pinOf()).pinExpired).toBe(false);
  });

  it('a PIN that breaks the policy is refused with the rule named, and nothing changes', async () => {
    const before = await snapshot();
    const common = await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '123456' }));
    expect([common.code, common.field]).toEqual(['UMPIN_PIN_COMMON_PATTERN', 'Pin']);
    expect(common.message).toContain('AllowCommonPatterns');
    const short = await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '12' }));
    expect([short.code, short.field]).toEqual(['UMPIN_PIN_TOO_SHORT', 'Pin']);
    expect(short.message).toContain('6');
    const ext = await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '910231' }));
    expect(ext.code).toBe('UMPIN_PIN_CONTAINS_EXTENSION');
    expect(await snapshot()).toEqual(before);
    for (const e of [common, short, ext]) expect(JSON.stringify(e)).not.toMatch(/123456|"12"|910231/);
  });

  it('without -Pin, a PIN of MinPINLength digits is generated, mailed, and passes the policy', async () => {
    const r = await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith' });
    expect(r.pinChanged).toBe(true);
    const [mail] = await newMail();
    const { pin } = open(mail!);
    expect(pin).toMatch(/^[0-9]{6}$/);
    expect(JSON.stringify(r)).not.toContain(pin);
    const policy = (await ctx.deps.store.findPolicies('Contoso Default Policy'))[0]!;
    expect(checkPin(pin!, { policy, extensions: ['10231'] })).toEqual([]);
    expect(await ctx.deps.hasher.verify((await pinOf()).pinHash, pin!)).toBe(true);

    await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { minPinLength: 10 });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith' });
    const latest = (await newMail()).at(-1)!;
    expect(open(latest).pin).toMatch(/^[0-9]{10}$/);
  });

  it('refuses any of the last PINHistoryCount PINs, the current one included, but accepts an older one', async () => {
    // 482916 was set when the mailbox was enabled; four more make five with the current one
    for (const pin of ['573028', '691357', '804672', '935180'])
      await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin });
    for (const old of ['935180', '804672', '482916']) {
      const err = await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: old }));
      expect([old, err.code, err.field, err.params.count]).toEqual([old, 'UMPIN_PIN_IN_HISTORY', 'Pin', 5]);
    }
    // one more change pushes 482916 out of the last five
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '246813' });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '482916' });
    expect(await ctx.deps.hasher.verify((await pinOf()).pinHash, '482916')).toBe(true);
  });

  it('with PINHistoryCount 1 only the current PIN is refused', async () => {
    await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { pinHistoryCount: 1 });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '573028' });
    expect((await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '573028' }))).code).toBe(
      'UMPIN_PIN_IN_HISTORY',
    );
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '482916' });
  });

  it('-LockedOut $true locks and $false unlocks and clears the failure count, without a new PIN or mail', async () => {
    const before = await pinOf();
    const locked = await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', lockedOut: true });
    expect(locked).toMatchObject({ pinChanged: false, lockedOut: true, mailTo: null });
    expect(await pinOf()).toMatchObject({ lockedOut: true, pinHash: before.pinHash, version: before.version });

    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', lockedOut: false });
    await ctx.deps.store.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await tx.recordFailure(tonyId, 15, fixedLock(0, null));
    });
    expect((await pinOf()).failedAttempts).toBe(3);
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', lockedOut: true });
    const unlocked = await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', lockedOut: false });
    expect(unlocked).toMatchObject({ pinChanged: false, lockedOut: false, mailTo: null });
    expect(await pinOf()).toMatchObject({
      lockedOut: false,
      failedAttempts: 0,
      pinHash: before.pinHash,
      version: before.version,
    });
    expect(await newMail()).toEqual([]);
  });

  it('a PIN reset unlocks the mailbox unless -LockedOut $true is given with it', async () => {
    await ctx.deps.store.transaction(async (tx) => {
      for (let i = 0; i < 15; i++) await tx.recordFailure(tonyId, 15, fixedLock(0, null));
    });
    expect(await pinOf()).toMatchObject({ lockedOut: true, failedAttempts: 15 });
    const r = await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith' });
    expect(r.lockedOut).toBe(false);
    expect(await pinOf()).toMatchObject({ lockedOut: false, failedAttempts: 0 });

    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '573028', lockedOut: true });
    expect(await pinOf()).toMatchObject({ lockedOut: true });
    expect(await ctx.deps.hasher.verify((await pinOf()).pinHash, '573028')).toBe(true);
  });

  it('-NotifyEmail sends the PIN elsewhere; -SendEmail $false sends nothing', async () => {
    const r = await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', notifyEmail: 'manager@contoso.com' });
    expect(r.mailTo).toBe('manager@contoso.com');
    expect((await newMail()).map((m) => m.toAddress)).toEqual(['manager@contoso.com']);

    const quiet = await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '573028', sendEmail: false });
    expect(quiet).toMatchObject({ pinChanged: true, mailTo: null });
    expect(await newMail()).toHaveLength(1);
    expect(await ctx.deps.hasher.verify((await pinOf()).pinHash, '573028')).toBe(true);

    const bad = await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', notifyEmail: 'nobody' }));
    expect([bad.code, bad.field]).toEqual(['UMPIN_VALUE_INVALID', 'NotifyEmail']);
  });

  it('-WhatIf says what would happen and changes nothing', async () => {
    const before = await snapshot();
    const auditBefore = (await ctx.deps.store.listAudit({})).length;
    const r = await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '1985848', whatIf: true });
    expect(r.pinChanged).toBe(false);
    expect(r.whatIf).toContain('tonysmith@contoso.com');
    expect(r.whatIf).toContain('mailed to tonysmith@contoso.com');
    expect(r.whatIf).not.toContain('1985848');
    const lock = await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', lockedOut: true, whatIf: true });
    expect(lock.whatIf).toMatch(/Locking/);
    expect(await snapshot()).toEqual(before);
    expect((await ctx.deps.store.listAudit({})).length).toBe(auditBefore);
    // a WhatIf with a bad PIN still reports the problem
    expect(
      (await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '123456', whatIf: true }))).code,
    ).toBe('UMPIN_PIN_COMMON_PATTERN');
  });

  it('an end user may reset their own PIN to a generated one, mailed to themselves', async () => {
    const r = await setUMMailboxPIN(ctx.deps, tonyUser(), { identity: 'tonysmith' });
    expect(r).toMatchObject({ pinChanged: true, mailTo: 'tonysmith@contoso.com', pinExpired: true });
    const [mail] = await newMail();
    expect(mail).toMatchObject({ kind: 'self-reset', toAddress: 'tonysmith@contoso.com' });
    expect(await ctx.deps.hasher.verify((await pinOf()).pinHash, open(mail!).pin!)).toBe(true);
  });

  it('an end user may not type a PIN, lock, redirect the mail, or touch another mailbox', async () => {
    const before = await snapshot();
    const kimBefore = await pinOf(kimId);
    const attempts = [
      { identity: 'tonysmith', pin: '1985848' },
      { identity: 'tonysmith', lockedOut: false },
      { identity: 'tonysmith', notifyEmail: 'attacker@example.com' },
      { identity: 'tonysmith', sendEmail: false },
      { identity: 'tonysmith', pinExpired: false },
      { identity: 'kimakers' },
    ];
    for (const input of attempts) {
      const err = await failure(setUMMailboxPIN(ctx.deps, tonyUser(), input));
      expect([input, err.code]).toEqual([input, 'UMPIN_ACCESS_DENIED']);
    }
    expect(await snapshot()).toEqual(before);
    expect(await pinOf(kimId)).toEqual(kimBefore);
    const denied = await ctx.deps.store.listAudit({ actor: 'user:tonysmith@contoso.com' });
    expect(denied).toHaveLength(attempts.length);
    expect(denied.every((e) => e.result === 'failure' && e.errorCode === 'UMPIN_ACCESS_DENIED')).toBe(true);
    expect(denied.at(-1)!.target).toBe('kimakers@contoso.com');
  });

  it('Help Desk may reset and unlock; View-Only may not', async () => {
    expect((await setUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith' })).pinChanged).toBe(true);
    expect((await setUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith', lockedOut: false })).lockedOut).toBe(
      false,
    );
    const before = await snapshot();
    expect((await failure(setUMMailboxPIN(ctx.deps, VIEW_ONLY, { identity: 'tonysmith' }))).code).toBe(
      'UMPIN_ACCESS_DENIED',
    );
    expect(
      (await failure(setUMMailboxPIN(ctx.deps, VIEW_ONLY, { identity: 'tonysmith', lockedOut: false }))).code,
    ).toBe('UMPIN_ACCESS_DENIED');
    expect(await snapshot()).toEqual(before);
  });

  it('an unknown or non-UM mailbox is refused', async () => {
    expect((await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'ghost@contoso.com' }))).code).toBe(
      'UMPIN_IDENTITY_NOT_FOUND',
    );
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'plain@contoso.com' });
    expect((await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'plain' }))).code).toBe(
      'UMPIN_MAILBOX_NOT_UM_ENABLED',
    );
  });

  it('every success and refusal is audited, and no audit entry holds a PIN', async () => {
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '1985848', pinExpired: true });
    await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '123456' }));
    await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '1985848' }));
    await setUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'TonySmith', lockedOut: true });
    await failure(setUMMailboxPIN(ctx.deps, VIEW_ONLY, { identity: 'tonysmith', lockedOut: false }));

    const entries = await ctx.deps.store.listAudit({ action: 'Set-UMMailboxPIN' });
    expect(entries.map((e) => [e.actor, e.target, e.result, e.errorCode])).toEqual([
      [ADMIN.name, 'tonysmith@contoso.com', 'success', null],
      [ADMIN.name, 'tonysmith@contoso.com', 'failure', 'UMPIN_PIN_COMMON_PATTERN'],
      [ADMIN.name, 'tonysmith@contoso.com', 'failure', 'UMPIN_PIN_IN_HISTORY'],
      [HELP_DESK.name, 'tonysmith@contoso.com', 'success', null],
      [VIEW_ONLY.name, 'tonysmith@contoso.com', 'failure', 'UMPIN_ACCESS_DENIED'],
    ]);
    expect(entries[0]!.parameters).toEqual({ Identity: 'tonysmith', Pin: '(redacted)', PINExpired: true });
    expect(entries[3]!.parameters).toEqual({ Identity: 'TonySmith', LockedOut: true });
    expect(entries[3]!.source).toBe('10.0.0.7');
    const all = JSON.stringify(await ctx.deps.store.listAudit({}));
    for (const pin of ['1985848', '123456', '482916']) expect(all).not.toContain(pin);
  });

  describe('bulk reset', () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `user${String(i).padStart(2, '0')}`);
    beforeEach(async () => {
      for (const [i, alias] of aliases.entries()) {
        await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: `${alias}@contoso.com` });
        await enableUMMailbox(ctx.deps, ADMIN, {
          identity: alias,
          umMailboxPolicy: 'Contoso Default Policy',
          extensions: [String(30000 + i)],
        });
      }
    });

    it('resets every mailbox with one mail and one audit entry each, and reports unknown identities', async () => {
      const auditBefore = (await ctx.deps.store.listAudit({ action: 'Set-UMMailboxPIN' })).length;
      const identities = [...aliases.slice(0, 12), 'ghost', ...aliases.slice(12), 'nobody@contoso.com'];
      const r = await resetUMMailboxPINs(ctx.deps, ADMIN, { identities }, 7);
      expect(r.reset).toBe(30);
      expect(r.failed.map((f) => [f.identity, f.code])).toEqual([
        ['ghost', 'UMPIN_IDENTITY_NOT_FOUND'],
        ['nobody@contoso.com', 'UMPIN_IDENTITY_NOT_FOUND'],
      ]);

      const mails = await newMail();
      expect(mails).toHaveLength(30);
      expect(new Set(mails.map((m) => m.toAddress))).toEqual(new Set(aliases.map((a) => `${a}@contoso.com`)));
      expect(mails.every((m) => m.kind === 'pin-reset')).toBe(true);
      for (const m of mails) {
        const state = (await ctx.deps.store.getPin(m.recipientId!))!;
        expect(state.pinExpired).toBe(true);
        expect(await ctx.deps.hasher.verify(state.pinHash, open(m).pin!)).toBe(true);
      }

      const audit = (await ctx.deps.store.listAudit({ action: 'Set-UMMailboxPIN' })).slice(auditBefore);
      const successes = audit.filter((e) => e.result === 'success');
      expect(successes).toHaveLength(30);
      expect(new Set(successes.map((e) => e.target))).toEqual(new Set(aliases.map((a) => `${a}@contoso.com`)));
      // the refused identities are on record too
      expect(audit.filter((e) => e.result === 'failure').map((e) => [e.target, e.errorCode])).toEqual([
        ['ghost', 'UMPIN_IDENTITY_NOT_FOUND'],
        ['nobody@contoso.com', 'UMPIN_IDENTITY_NOT_FOUND'],
      ]);
    });

    it('-SendEmail $false resets without mail; a denied actor resets nothing', async () => {
      const r = await resetUMMailboxPINs(ctx.deps, ADMIN, {
        identities: aliases.slice(0, 5),
        sendEmail: false,
        pinExpired: false,
      });
      expect(r).toMatchObject({ reset: 5, failed: [] });
      expect(r.done.map((d) => d.identity)).toEqual(aliases.slice(0, 5));
      expect(r.done.every((d) => d.mailTo === null)).toBe(true);
      expect(await newMail()).toEqual([]);
      const id = (await ctx.deps.store.findRecipients('user00'))[0]!.id;
      expect((await ctx.deps.store.getPin(id))!.pinExpired).toBe(false);

      const before = await ctx.deps.store.getPin(id);
      const denied = await resetUMMailboxPINs(ctx.deps, VIEW_ONLY, { identities: aliases.slice(0, 3) });
      expect(denied.reset).toBe(0);
      expect(denied.failed.map((f) => f.code)).toEqual([
        'UMPIN_ACCESS_DENIED',
        'UMPIN_ACCESS_DENIED',
        'UMPIN_ACCESS_DENIED',
      ]);
      expect(await ctx.deps.store.getPin(id)).toEqual(before);
      expect((await ctx.deps.store.listAudit({ actor: VIEW_ONLY.name })).map((e) => e.errorCode)).toEqual([
        'UMPIN_ACCESS_DENIED',
        'UMPIN_ACCESS_DENIED',
        'UMPIN_ACCESS_DENIED',
      ]);
    });
  });
});
