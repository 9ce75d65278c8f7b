/**
 * Issue 14's policy settings beyond Exchange, through the services every door calls, on both
 * engines: PINComplexity Strict (typed, generated and telephone-changed PINs) and a mailbox's
 * PinChangeAllowed $false (the phone and self-service refuse, administrators still reset).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { checkPin } from '../domain/pin-rules.js';
import type { KyselyStore } from '../store/kysely/kysely-store.js';
import { endUser, type Actor } from './actor.js';
import { getUMMailboxPIN } from './get-um-mailbox-pin.js';
import { queueExpiryReminders } from './expiry-reminders.js';
import { getMailboxPolicies, newMailboxPolicy, setMailboxPolicy } from './mailbox-policies.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { disableUMMailbox, enableUMMailbox, getUMMailbox, setUMMailbox } from './um-mailboxes.js';
import { changePin, verifyLogon } from './voice-logon.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'], source: '127.0.0.1' };
const PIN = '1985848';
const POLICY = 'Contoso Default Policy';
const TONY = 'tonysmith@contoso.com';
const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`PIN policy beyond Exchange (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine, { tollFraud: { failures: 1000 } });
      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: PIN },
        { alias: 'kimakers', extension: '10232' },
      ]);
    });
    afterEach(() => t.close());

    const tony = async (): Promise<Actor> =>
      endUser({ id: (await getUMMailbox(t.deps, ADMIN, 'tonysmith')).identity, primarySmtpAddress: TONY }, null);

    describe('PINComplexity', () => {
      it('is Exchange by default, Strict when set in any letter case, and refuses other words naming the field', async () => {
        expect((await getMailboxPolicies(t.deps, ADMIN, { identity: POLICY }))[0]!.pinComplexity).toBe('Exchange');
        expect((await setMailboxPolicy(t.deps, ADMIN, POLICY, { pinComplexity: 'strict' })).pinComplexity).toBe(
          'Strict',
        );
        expect(
          (await newMailboxPolicy(t.deps, ADMIN, { name: 'Lobby', umDialPlan: 'Contoso', pinComplexity: 'STRICT' }))
            .pinComplexity,
        ).toBe('Strict');
        const refused = await failure(setMailboxPolicy(t.deps, ADMIN, POLICY, { pinComplexity: 'Strong' }));
        expect(refused.issue).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'PINComplexity' });
        const audit = await t.deps.store.listAudit({ action: 'Set-UMMailboxPolicy' });
        expect(audit.at(-1)).toMatchObject({ result: 'failure', errorCode: 'UMPIN_VALUE_INVALID' });
      });

      it('Strict refuses a typed guessable PIN with its rule, which Exchange accepts', async () => {
        await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '852580' });
        await setMailboxPolicy(t.deps, ADMIN, POLICY, { pinComplexity: 'Strict' });
        for (const [pin, code] of [
          ['258085', 'UMPIN_PIN_KEYPAD_LINE'],
          ['408408', 'UMPIN_PIN_REPEATED_GROUP'],
          ['140385', 'UMPIN_PIN_DATE'],
          ['520520', 'UMPIN_PIN_COMMON'],
        ] as const) {
          const err = await failure(setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin }));
          expect(
            err.issues.map((i) => i.code),
            pin,
          ).toContain(code);
        }
        // nothing changed: the PIN set before Strict still works
        expect((await verifyLogon(t.deps, GATEWAY, { extension: '10231', pin: '852580' })).outcome).not.toBe('wrong');
      });

      it('Strict generates only PINs it accepts (Set-UMMailboxPIN without -Pin)', async () => {
        await setMailboxPolicy(t.deps, ADMIN, POLICY, { pinComplexity: 'Strict', minPinLength: 4 });
        const [policy] = await getMailboxPolicies(t.deps, ADMIN, { identity: POLICY });
        const id = (await getUMMailbox(t.deps, ADMIN, 'kimakers')).identity;
        for (let i = 0; i < 20; i++) await setUMMailboxPIN(t.deps, ADMIN, { identity: 'kimakers' });
        const pins = (await t.deps.store.listOutbox({ recipientId: id }))
          .filter((m) => m.kind === 'pin-reset')
          .map((m) => (JSON.parse(t.deps.cipher.open(m.sealedPayload!, m.id)) as { pin: string }).pin);
        expect(pins).toHaveLength(20);
        for (const pin of pins) expect(checkPin(pin, { policy: policy!, extensions: ['10232'] }), pin).toEqual([]);
      });

      it('Strict refuses the old PIN plus or minus one on a telephone change, from the PIN typed, naming NewPin', async () => {
        await setMailboxPolicy(t.deps, ADMIN, POLICY, { pinComplexity: 'Strict' });
        const err = await failure(changePin(t.deps, GATEWAY, { extension: '10231', oldPin: PIN, newPin: '1985849' }));
        expect(err.issue).toMatchObject({ code: 'UMPIN_PIN_NEAR_PREVIOUS', field: 'NewPin' });
        expect(await changePin(t.deps, GATEWAY, { extension: '10231', oldPin: PIN, newPin: '7301946' })).toMatchObject({
          outcome: 'changed',
        });
      });
    });

    describe('PinChangeAllowed', () => {
      it('is $true by default, set by Set-UMMailbox and shown by Get-UMMailbox and Get-UMMailboxPIN', async () => {
        expect(await getUMMailbox(t.deps, ADMIN, 'tonysmith')).toMatchObject({ pinChangeAllowed: true });
        await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinChangeAllowed: false });
        expect(await getUMMailbox(t.deps, ADMIN, 'tonysmith')).toMatchObject({ pinChangeAllowed: false });
        expect(await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).toMatchObject({ pinChangeAllowed: false });
        const audit = await t.deps.store.listAudit({ action: 'Set-UMMailbox' });
        expect(audit.at(-1)!.parameters).toMatchObject({ PinChangeAllowed: false });
      });

      it('$false: the phone change and the self-service reset are refused, an administrator still resets', async () => {
        await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinChangeAllowed: false });
        const phone = await failure(changePin(t.deps, GATEWAY, { extension: '10231', oldPin: PIN, newPin: '7301946' }));
        expect(phone.code).toBe('UMPIN_PIN_CHANGE_NOT_ALLOWED');
        expect(phone.status).toBe(403);
        const self = await failure(setUMMailboxPIN(t.deps, await tony(), { identity: 'tonysmith' }));
        expect(self.code).toBe('UMPIN_PIN_CHANGE_NOT_ALLOWED');
        expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(0);
        expect(await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '7301946' })).toMatchObject({
          pinChanged: true,
        });
      });

      it('$false: a first-time or expired PIN is not forced to change; the logon says a change is not offered', async () => {
        // tony has never changed his PIN (first-time), and now it is expired as well
        await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '7301946', pinExpired: true });
        expect(await verifyLogon(t.deps, GATEWAY, { extension: '10231', pin: '7301946' })).toMatchObject({
          outcome: 'must-change',
        });
        await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinChangeAllowed: false });
        expect(await verifyLogon(t.deps, GATEWAY, { extension: '10231', pin: '7301946' })).toMatchObject({
          outcome: 'ok',
          pinChangeAllowed: false,
        });
        expect(await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).toMatchObject({ pinExpired: true });
      });

      it('$false: no expiry reminder, which the user could not act on', async () => {
        await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinChangeAllowed: false });
        await setUMMailboxPIN(t.deps, ADMIN, { identity: 'kimakers', pin: '7301946', pinExpired: false });
        t.clock.advance(54 * DAY);
        expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(1);
        const mails = (await t.deps.store.listOutbox({})).filter((m) => m.kind === 'expiry-reminder');
        expect(mails.map((m) => m.toAddress)).toEqual(['kimakers@contoso.com']);
      });

      it('is kept by Disable-UMMailbox with the other settings, and back with Enable-UMMailbox; not with -KeepProperties $false', async () => {
        await setUMMailbox(t.deps, ADMIN, 'kimakers', { pinChangeAllowed: false });
        await disableUMMailbox(t.deps, ADMIN, 'kimakers');
        await enableUMMailbox(t.deps, ADMIN, { identity: 'kimakers', umMailboxPolicy: POLICY });
        expect(await getUMMailbox(t.deps, ADMIN, 'kimakers')).toMatchObject({ pinChangeAllowed: false });
        await disableUMMailbox(t.deps, ADMIN, 'kimakers', { keepProperties: false });
        await enableUMMailbox(t.deps, ADMIN, { identity: 'kimakers', umMailboxPolicy: POLICY, extensions: ['10232'] });
        expect(await getUMMailbox(t.deps, ADMIN, 'kimakers')).toMatchObject({ pinChangeAllowed: true });
      });
    });

    it('migration 0015: existing policies are Exchange and mailboxes allow changes; down and up again work', async () => {
      const store = t.deps.store as unknown as KyselyStore;
      const { error } = await store.migrator().migrateTo('0013-limit-counters');
      if (error) throw error;
      await store.migrate();
      expect((await getMailboxPolicies(t.deps, ADMIN, { identity: POLICY }))[0]!.pinComplexity).toBe('Exchange');
      expect(await getUMMailbox(t.deps, ADMIN, 'tonysmith')).toMatchObject({ pinChangeAllowed: true });
      await setMailboxPolicy(t.deps, ADMIN, POLICY, { pinComplexity: 'Strict' });
      expect((await getMailboxPolicies(t.deps, ADMIN, { identity: POLICY }))[0]!.pinComplexity).toBe('Strict');
    });
  });
}
