import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { ADMIN, contoso } from '../../test/fixtures.js';
import { newDialPlan } from './dial-plans.js';
import { setMailboxPolicy } from './mailbox-policies.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { changePin, pinlessLogon, verifyLogon } from './voice-logon.js';
import { getUMMailbox, setUMMailbox } from './um-mailboxes.js';
import { getUMMailboxPIN } from './get-um-mailbox-pin.js';
import type { Actor } from './actor.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'], source: '127.0.0.1' };
const PIN = '1985848';
const WRONG = '2468013';

for (const engine of ENGINES) {
  describe(`voice logon (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      // the mailbox's own count is under test: the guard's back-off per caller (toll-fraud-guard.test.ts) stays out of its way
      t = await testContext(engine, { tollFraud: { failures: 1000 } });
      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: PIN },
        { alias: 'kimakers', extension: '10232' },
      ]);
    });
    afterEach(() => t.close());

    const logon = (pin: string, loc: { extension?: string; callerId?: string } = { extension: '10231' }) =>
      verifyLogon(t.deps, GATEWAY, { ...loc, pin });

    it('lets the right PIN in, by extension or by calling number', async () => {
      // enabled with PinExpired $false but never changed by the user: first-time user
      expect(await logon(PIN)).toMatchObject({
        outcome: 'must-change',
        reason: 'first-time',
        userId: 'tonysmith@contoso.com',
      });
      expect(await logon(PIN, { callerId: '+1 (425) 555-10231' })).toMatchObject({ outcome: 'must-change' });
    });

    it('refuses an unknown extension without counting anything', async () => {
      await expect(logon(PIN, { extension: '99999' })).rejects.toMatchObject({ code: 'UMPIN_CALLER_NOT_RECOGNIZED' });
    });

    it('refuses a dial plan it does not have instead of looking in every plan, counting nothing', async () => {
      await expect(
        verifyLogon(t.deps, GATEWAY, { extension: '10231', dialPlan: 'Fabrikam', pin: PIN }),
      ).rejects.toMatchObject({ code: 'UMPIN_IDENTITY_NOT_FOUND', field: 'DialPlan' });
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(0);
    });

    it('looks for an extension in every dial plan when the gateway names none, and takes one two plans hold only with its plan named', async () => {
      const { defaultPolicy } = await newDialPlan(t.deps, ADMIN, {
        name: 'Fabrikam',
        numberOfDigitsInExtension: 5,
        voiceAccessNumbers: ['+14255550199'],
      });
      await setUMMailbox(t.deps, ADMIN, 'kimakers', { umMailboxPolicy: defaultPolicy!.name, extensions: ['20232'] });
      expect((await verifyLogon(t.deps, GATEWAY, { extension: '20232', pin: WRONG })).outcome).toBe('wrong');
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'kimakers')).failedAttempts).toBe(1);
      await setUMMailbox(t.deps, ADMIN, 'kimakers', { extensions: ['10231'] });
      await expect(logon(PIN)).rejects.toMatchObject({ code: 'UMPIN_CALLER_NOT_RECOGNIZED' });
      expect(await verifyLogon(t.deps, GATEWAY, { extension: '10231', dialPlan: 'Contoso', pin: PIN })).toMatchObject({
        userId: 'tonysmith@contoso.com',
      });
    });

    it('counts wrong PINs, resets at 5 and 10 with a mail each, and locks at 15 (Exchange defaults)', async () => {
      const outcomes: string[] = [];
      for (let i = 1; i <= 16; i++) outcomes.push((await logon(WRONG)).outcome);
      expect(outcomes).toEqual([
        'wrong',
        'wrong',
        'wrong',
        'wrong',
        'auto-reset',
        'wrong',
        'wrong',
        'wrong',
        'wrong',
        'auto-reset',
        'wrong',
        'wrong',
        'wrong',
        'wrong',
        'locked-out',
        'locked-out',
      ]);
      const status = await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith');
      expect(status).toMatchObject({ lockedOut: true, failedAttempts: 15 });
      const mails = await t.deps.store.listOutbox({ recipientId: status.identity });
      expect(mails.map((m) => m.kind)).toEqual(['welcome', 'auto-reset', 'auto-reset', 'lockout']);
      // the right (original) PIN no longer works: it was reset, and the mailbox is locked
      expect(await logon(PIN)).toEqual({ outcome: 'locked-out' });
    });

    it('reports how many attempts are left before lockout', async () => {
      expect(await logon(WRONG)).toEqual({ outcome: 'wrong', failedAttempts: 1, attemptsLeft: 14 });
    });

    it('mails the automatically reset PIN, and that PIN works (must be changed)', async () => {
      for (let i = 0; i < 5; i++) await logon(WRONG);
      const status = await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith');
      const mail = (await t.deps.store.listOutbox({ recipientId: status.identity })).find(
        (m) => m.kind === 'auto-reset',
      )!;
      const payload = JSON.parse(t.deps.cipher.open(mail.sealedPayload!, mail.id)) as {
        pin: string;
        failedAttempts: number;
      };
      expect(payload.failedAttempts).toBe(5);
      expect(await logon(payload.pin)).toMatchObject({ outcome: 'must-change', reason: 'first-time' });
    });

    it('keeps when the last wrong PIN was counted and the calling number, where the gateway gave one', async () => {
      expect(await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).toMatchObject({
        lastFailureAt: null,
        lastFailureCaller: null,
      });
      // the test clock moves on at every reading: the time is that of the failure, between these two
      const before = t.clock.now();
      await logon(WRONG, { extension: '10231', callerId: '+14255550199' });
      const first = await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith');
      expect(first.lastFailureCaller).toBe('+14255550199');
      expect(first.lastFailureAt).toBeGreaterThan(before);
      expect(first.lastFailureAt).toBeLessThan(t.clock.now());
      // a right PIN clears the count, not the record of the last failure; one without a number has none
      await logon(PIN);
      t.clock.advance(60_000);
      await logon(WRONG);
      const second = await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith');
      expect(second).toMatchObject({ failedAttempts: 1, lastFailureCaller: null });
      expect(second.lastFailureAt).toBeGreaterThan(first.lastFailureAt! + 60_000);
    });

    it('a right PIN clears the count', async () => {
      for (let i = 0; i < 3; i++) await logon(WRONG);
      await logon(PIN);
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(0);
      expect(await logon(WRONG)).toMatchObject({ failedAttempts: 1 });
    });

    it('an administrator unlock lets the user in again', async () => {
      for (let i = 0; i < 15; i++) await logon(WRONG);
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '5550123', pinExpired: false });
      expect(await logon('5550123')).toMatchObject({ outcome: 'must-change', reason: 'first-time' });
    });

    it('LockoutDuration lifts the lock by itself once the minutes have passed', async () => {
      await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', {
        lockoutDurationMinutes: 30,
        logonFailuresBeforePinReset: null,
        maxLogonAttempts: 3,
      });
      for (let i = 0; i < 3; i++) await logon(WRONG);
      expect(await logon(PIN)).toEqual({ outcome: 'locked-out' });
      t.clock.advance(29 * 60_000);
      expect(await logon(PIN)).toEqual({ outcome: 'locked-out' });
      t.clock.advance(60_000);
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).lockedOut).toBe(false);
      expect(await logon(PIN)).toMatchObject({ outcome: 'must-change' });
    });

    it('an expired PIN must be changed; the change is checked by policy and history', async () => {
      const OLD = '5550123';
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: OLD });
      expect(await logon(OLD)).toMatchObject({ outcome: 'must-change' });
      const change = (newPin: string, oldPin = OLD) =>
        changePin(t.deps, GATEWAY, { extension: '10231', oldPin, newPin, confirmPin: newPin });
      await expect(change('123456')).rejects.toMatchObject({ code: 'UMPIN_PIN_COMMON_PATTERN', field: 'NewPin' });
      await expect(change(OLD)).rejects.toMatchObject({ code: 'UMPIN_PIN_IN_HISTORY' });
      await expect(change(PIN)).rejects.toMatchObject({ code: 'UMPIN_PIN_IN_HISTORY' });
      await expect(
        changePin(t.deps, GATEWAY, { extension: '10231', oldPin: OLD, newPin: '7301946', confirmPin: '7301947' }),
      ).rejects.toMatchObject({ code: 'UMPIN_PIN_MISMATCH' });
      expect(await change('7301946')).toEqual({ outcome: 'changed', userId: 'tonysmith@contoso.com' });
      expect(await logon('7301946')).toEqual({
        outcome: 'ok',
        userId: 'tonysmith@contoso.com',
        recipientId: expect.any(String),
        pinChangeAllowed: true,
      });
      // the PINs before, still within PINHistoryCount, cannot come back
      await expect(change(OLD, '7301946')).rejects.toMatchObject({ code: 'UMPIN_PIN_IN_HISTORY' });
    });

    it('a wrong old PIN in a change counts as a failed logon', async () => {
      expect(await changePin(t.deps, GATEWAY, { extension: '10231', oldPin: WRONG, newPin: '7301946' })).toMatchObject({
        outcome: 'wrong',
        failedAttempts: 1,
      });
    });

    it('expires a PIN after PINLifetime days', async () => {
      await changePin(t.deps, GATEWAY, { extension: '10231', oldPin: PIN, newPin: '7301946' });
      t.clock.advance(59 * 86_400_000);
      expect(await logon('7301946')).toMatchObject({ outcome: 'ok' });
      t.clock.advance(86_400_000);
      expect(await logon('7301946')).toMatchObject({ outcome: 'must-change', reason: 'expired' });
    });

    it('a PIN shorter than a raised MinPINLength must be changed at the next logon', async () => {
      await changePin(t.deps, GATEWAY, { extension: '10231', oldPin: PIN, newPin: '7301946' });
      await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { minPinLength: 8 });
      expect(await logon('7301946')).toMatchObject({ outcome: 'must-change', reason: 'too-short' });
    });

    it('upgrades a hash made at an older KDF cost at the next right logon', async () => {
      const id = (await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).identity;
      const before = (await t.deps.store.getPin(id))!.pinHash;
      expect(before).toContain('m=64,t=1,p=1');
      // same database and secrets, a higher configured cost
      const { Argon2PinHasher } = await import('../crypto/argon2-pin-hasher.js');
      const { deriveSecrets } = await import('../crypto/secrets.js');
      const hasher = new Argon2PinHasher(deriveSecrets(Buffer.from(t.db.masterKey, 'base64')).pepper, {
        m: 128,
        t: 2,
        p: 1,
      });
      const deps = { ...t.deps, hasher };
      expect(await verifyLogon(deps, GATEWAY, { extension: '10231', pin: PIN })).toMatchObject({
        outcome: 'must-change',
      });
      const after = (await t.deps.store.getPin(id))!.pinHash;
      expect(after).toContain('m=128,t=2,p=1');
      expect(await hasher.verify(after, PIN)).toBe(true);
    });

    it('refuses a malformed PIN without counting it', async () => {
      await expect(logon('12ab#')).rejects.toMatchObject({ code: 'UMPIN_PIN_NOT_DIGITS', field: 'Pin' });
      await expect(logon('1'.repeat(25))).rejects.toMatchObject({ code: 'UMPIN_PIN_TOO_LONG', field: 'Pin' });
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(0);
    });

    it('only a voice gateway, the system or the user may attempt a logon', async () => {
      const viewer: Actor = { kind: 'admin', name: 'admin:viewer', roles: ['ViewOnlyOrganizationManagement'] };
      await expect(verifyLogon(t.deps, viewer, { extension: '10231', pin: PIN })).rejects.toMatchObject({
        code: 'UMPIN_ACCESS_DENIED',
      });
    });

    it('writes audit entries for resets and lockouts, never with a PIN', async () => {
      for (let i = 0; i < 15; i++) await logon(WRONG);
      const audit = await t.deps.store.listAudit({ actor: 'token:pbx' });
      expect(audit.map((a) => a.action)).toEqual(['Voice:AutoResetPIN', 'Voice:AutoResetPIN', 'Voice:LockOut']);
      expect(JSON.stringify(audit)).not.toContain(WRONG);
    });

    it('SubscriberAccessEnabled $false refuses telephone logon as AllowSubscriberAccess $false does, counting nothing', async () => {
      await setUMMailbox(t.deps, ADMIN, 'tonysmith', { subscriberAccessEnabled: false });
      const refused = { code: 'UMPIN_ACCESS_DENIED' };
      await expect(logon(PIN)).rejects.toMatchObject(refused);
      await expect(logon(WRONG, { callerId: '+1 425 555 10231' })).rejects.toMatchObject(refused);
      await expect(
        changePin(t.deps, GATEWAY, { extension: '10231', oldPin: PIN, newPin: '7301946' }),
      ).rejects.toMatchObject(refused);
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(0);
      // the other mailbox of the same policy is not affected; turning it back on lets the PIN in
      await expect(logon('0000', { extension: '10232' })).resolves.toMatchObject({ outcome: 'wrong' });
      await setUMMailbox(t.deps, ADMIN, 'tonysmith', { subscriberAccessEnabled: true });
      expect(await logon(PIN)).toMatchObject({ outcome: 'must-change' });
    });

    describe('PIN-less access', () => {
      const FROM_OWN = { callerId: '10231' };
      const allow = async () => {
        await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { allowPinlessVoiceMailAccess: true });
        await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinlessAccessToVoiceMailEnabled: true });
        // past the first-time PIN change: a PIN-less caller could not choose one
        await changePin(t.deps, GATEWAY, { extension: '10231', oldPin: PIN, newPin: '7301946' });
      };

      it('signs in a call from the mailbox’s own extension when the mailbox and its policy both allow it', async () => {
        await allow();
        expect(await pinlessLogon(t.deps, GATEWAY, FROM_OWN)).toEqual({
          outcome: 'ok',
          userId: 'tonysmith@contoso.com',
          recipientId: (await getUMMailbox(t.deps, ADMIN, 'tonysmith')).identity,
          pinChangeAllowed: true,
        });
        const audit = await t.deps.store.listAudit({ actor: 'token:pbx' });
        expect(audit.map((a) => a.action)).toContain('Voice:PinlessLogon');
      });

      it('asks for a PIN unless every condition holds', async () => {
        // Exchange's defaults: off on the mailbox and on the policy
        expect(await pinlessLogon(t.deps, GATEWAY, FROM_OWN)).toBeNull();
        await allow();
        // a number that only ends in the extension is another phone
        expect(await pinlessLogon(t.deps, GATEWAY, { callerId: '+1 425 555 10231' })).toBeNull();
        expect(await pinlessLogon(t.deps, GATEWAY, {})).toBeNull();
        // only a voice gateway vouches for a calling number
        expect(await pinlessLogon(t.deps, ADMIN, FROM_OWN)).toBeNull();
        await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { allowPinlessVoiceMailAccess: false });
        expect(await pinlessLogon(t.deps, GATEWAY, FROM_OWN)).toBeNull();
        await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { allowPinlessVoiceMailAccess: true });
        await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinlessAccessToVoiceMailEnabled: false });
        expect(await pinlessLogon(t.deps, GATEWAY, FROM_OWN)).toBeNull();
      });

      it('is refused with the mailbox’s telephone access, and skipped while the mailbox is locked out', async () => {
        await allow();
        await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', {
          logonFailuresBeforePinReset: null,
          maxLogonAttempts: 3,
        });
        for (let i = 0; i < 3; i++) await logon(WRONG);
        expect(await pinlessLogon(t.deps, GATEWAY, FROM_OWN)).toBeNull();
        await setUMMailbox(t.deps, ADMIN, 'tonysmith', { subscriberAccessEnabled: false });
        await expect(pinlessLogon(t.deps, GATEWAY, FROM_OWN)).rejects.toMatchObject({ code: 'UMPIN_ACCESS_DENIED' });
      });
    });
  });
}
