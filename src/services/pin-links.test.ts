/**
 * PINDelivery Link through the services every door calls, on both engines: which mails carry a
 * link, and the link's life — shown once, used, expired (and swept), replaced by a newer reset,
 * kept for its own signed-in user — with its audit entries and what the database keeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseText, scanDatabase } from '../../test/db-haystack.js';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { MailPayload } from '../domain/mail-payload.js';
import type { OutboxKind } from '../domain/outbox-message.js';
import type { KyselyStore } from '../store/kysely/kysely-store.js';
import { endUser, type Actor } from './actor.js';
import { setMailboxPolicy } from './mailbox-policies.js';
import { expirePinLinks, getPinLinkStatus, PIN_LINK_PATH, showPinLink } from './pin-links.js';
import { newRecipient } from './recipients.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { disableUMMailbox, enableUMMailbox, getUMMailbox } from './um-mailboxes.js';
import { verifyLogon } from './voice-logon.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'], source: '127.0.0.1' };
const POLICY = 'Contoso Default Policy';
const TONY = 'tonysmith@contoso.com';
const HOUR = 3_600_000;

for (const engine of ENGINES) {
  describe(`PIN links (${engine})`, () => {
    let t: TestContext;
    let tonyId: string;
    beforeEach(async () => {
      t = await testContext(engine, { tollFraud: { failures: 1000 } });
      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: '1985848' },
        { alias: 'kimakers', extension: '10232' },
      ]);
      tonyId = (await getUMMailbox(t.deps, ADMIN, 'tonysmith')).identity;
    });
    afterEach(() => t.close());

    const linkPolicy = (over: Parameters<typeof setMailboxPolicy>[3] = {}) =>
      setMailboxPolicy(t.deps, ADMIN, POLICY, { pinDelivery: 'Link', ...over });

    /** The payload of the newest mail of a kind to a recipient, opened as the worker would. */
    const lastMail = async (recipientId: string, kind: OutboxKind): Promise<MailPayload> => {
      const mail = (await t.deps.store.listOutbox({ recipientId })).filter((m) => m.kind === kind).at(-1)!;
      return JSON.parse(t.deps.cipher.open(mail.sealedPayload!, mail.id)) as MailPayload;
    };
    const tokenOf = (p: MailPayload): string => p.pinLink!.split(PIN_LINK_PATH)[1]!;
    const resetTony = async (): Promise<string> => {
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith' });
      return tokenOf(await lastMail(tonyId, 'pin-reset'));
    };
    const pinWorks = async (pin: string) => t.deps.hasher.verify((await t.deps.store.getPin(tonyId))!.pinHash, pin);
    const anonymous = (token: string) => showPinLink(t.deps, null, { token, source: '192.0.2.7' });

    it('PINDelivery Mail (the default) mails the PIN and makes no link', async () => {
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith' });
      const p = await lastMail(tonyId, 'pin-reset');
      expect(p.pin).toMatch(/^\d{6}$/);
      expect(p.pinLink).toBeUndefined();
    });

    it('Link: the mail carries a link valid 24 hours and no PIN; the link shows the working PIN once', async () => {
      await linkPolicy();
      const before = t.clock.t;
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith' });
      const p = await lastMail(tonyId, 'pin-reset');
      expect(p.pin).toBeUndefined();
      expect(p.pinLink).toMatch(/^http:\/\/localhost:8080\/me\/pin\/[A-Za-z0-9_-]{43}$/);
      expect(p.pinLinkExpiresAt! - before).toBeGreaterThanOrEqual(24 * HOUR);
      expect(p.pinLinkExpiresAt! - before).toBeLessThan(24 * HOUR + 1000);
      const token = tokenOf(p);

      // reading the status, as the page's GET does, uses nothing up
      expect(await getPinLinkStatus(t.deps, token)).toMatchObject({ state: 'ready', requiresSignIn: false });
      expect(await getPinLinkStatus(t.deps, token)).toMatchObject({ state: 'ready' });

      const shown = await anonymous(token);
      expect(shown.userId).toBe(TONY);
      expect(await pinWorks(shown.pin)).toBe(true);

      expect((await failure(anonymous(token))).code).toBe('UMPIN_PIN_LINK_USED');
      expect(await getPinLinkStatus(t.deps, token)).toMatchObject({ state: 'used' });

      const audit = await t.deps.store.listAudit({ action: 'Show-PINLink' });
      expect(audit.map((a) => [a.result, a.errorCode, a.target, a.actor])).toEqual([
        ['success', null, TONY, 'anonymous'],
        ['failure', 'UMPIN_PIN_LINK_USED', TONY, 'anonymous'],
      ]);
      const auditText = JSON.stringify(await t.deps.store.listAudit({}));
      expect(auditText).not.toContain(shown.pin);
      expect(auditText).not.toContain(token);
    });

    /** Every row of the tables a link or its mail lives in, as text. */
    const rowsText = async () => {
      const db = (t.deps.store as unknown as KyselyStore).kysely;
      return JSON.stringify([
        await db.selectFrom('pin_link').selectAll().execute(),
        await db.selectFrom('outbox').selectAll().execute(),
      ]);
    };

    it('keeps only the digest of the token, never the PIN, and erases the sealed PIN once shown', async () => {
      await linkPolicy();
      const PIN = '73019468';
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: PIN });
      const token = tokenOf(await lastMail(tonyId, 'pin-reset'));
      const row = async () => t.deps.store.getPinLink(t.deps.digest(`pin-link:${token}`));
      const sealed = (await row())!.sealedPayload!;
      expect(sealed).not.toBeNull();
      expect((await anonymous(token)).pin).toBe(PIN);
      expect(await row()).toMatchObject({ state: 'shown', sealedPayload: null });
      expect(await rowsText()).not.toContain(sealed);
      // every byte of the database, in every encoding: neither the PIN nor the token
      expect((await scanDatabase(t, [PIN, token])).findings).toEqual([]);
      expect(databaseText(t)).not.toContain(token);
    });

    it('the sweep leaves no sealed PIN of an expired link in the table', async () => {
      await linkPolicy({ pinLinkValidityHours: 1 });
      const token = await resetTony();
      const sealed = (await t.deps.store.getPinLink(t.deps.digest(`pin-link:${token}`)))!.sealedPayload!;
      t.clock.advance(HOUR);
      await expirePinLinks(t.deps);
      expect(await rowsText()).not.toContain(sealed);
    });

    it('an expired link says so, and the sweep erases its PIN and audits it once', async () => {
      await linkPolicy({ pinLinkValidityHours: 2 });
      const token = await resetTony();
      t.clock.advance(2 * HOUR);
      expect(await getPinLinkStatus(t.deps, token)).toMatchObject({ state: 'expired' });
      expect((await failure(anonymous(token))).code).toBe('UMPIN_PIN_LINK_EXPIRED');

      expect(await expirePinLinks(t.deps)).toBe(1);
      expect(await expirePinLinks(t.deps)).toBe(0);
      expect(await t.deps.store.getPinLink(t.deps.digest(`pin-link:${token}`))).toMatchObject({
        state: 'expired',
        sealedPayload: null,
      });
      const expired = await t.deps.store.listAudit({ action: 'PINLink:Expired' });
      expect(expired.map((a) => [a.actor, a.target, a.result])).toEqual([['system', TONY, 'success']]);
      expect((await failure(anonymous(token))).code).toBe('UMPIN_PIN_LINK_EXPIRED');
    });

    it('the sweep leaves links within their time alone', async () => {
      await linkPolicy();
      const token = await resetTony();
      t.clock.advance(23 * HOUR);
      expect(await expirePinLinks(t.deps)).toBe(0);
      expect(await pinWorks((await anonymous(token)).pin)).toBe(true);
    });

    it('a newer reset makes the older link void: only the newest shows the PIN', async () => {
      await linkPolicy();
      const first = await resetTony();
      const second = await resetTony();
      expect(await getPinLinkStatus(t.deps, first)).toMatchObject({ state: 'replaced' });
      expect((await failure(anonymous(first))).code).toBe('UMPIN_PIN_LINK_REPLACED');
      expect(await t.deps.store.getPinLink(t.deps.digest(`pin-link:${first}`))).toMatchObject({
        sealedPayload: null,
      });
      expect(await pinWorks((await anonymous(second)).pin)).toBe(true);
    });

    it('with PINLinkRequiresSignIn, only its own user signed in sees the PIN; refusals use nothing up', async () => {
      await linkPolicy({ pinLinkRequiresSignIn: true });
      const token = await resetTony();
      expect(await getPinLinkStatus(t.deps, token)).toMatchObject({ state: 'ready', requiresSignIn: true });
      expect((await failure(anonymous(token))).code).toBe('UMPIN_PIN_LINK_SIGN_IN_REQUIRED');
      expect((await failure(showPinLink(t.deps, ADMIN, { token, source: null }))).code).toBe(
        'UMPIN_PIN_LINK_SIGN_IN_REQUIRED',
      );
      const kimId = (await getUMMailbox(t.deps, ADMIN, 'kimakers')).identity;
      const kim = endUser({ id: kimId, primarySmtpAddress: 'kimakers@contoso.com' }, null);
      expect((await failure(showPinLink(t.deps, kim, { token, source: null }))).code).toBe('UMPIN_PIN_LINK_WRONG_USER');
      const tony = endUser({ id: tonyId, primarySmtpAddress: TONY }, null);
      const shown = await showPinLink(t.deps, tony, { token, source: null });
      expect(await pinWorks(shown.pin)).toBe(true);
      const audit = await t.deps.store.listAudit({ action: 'Show-PINLink' });
      expect(audit.at(-1)).toMatchObject({ actor: `user:${TONY}`, result: 'success' });
    });

    it('refuses a token it does not know, of any shape, as not found', async () => {
      await linkPolicy();
      await resetTony();
      for (const token of ['', 'x', 'A'.repeat(43), '../../etc/passwd', 'q'.repeat(500)])
        expect((await failure(anonymous(token))).code).toBe('UMPIN_PIN_LINK_NOT_FOUND');
      await expect(getPinLinkStatus(t.deps, 'B'.repeat(43))).rejects.toMatchObject({
        code: 'UMPIN_PIN_LINK_NOT_FOUND',
      });
    });

    it('a mailbox no longer UM-enabled has no links left', async () => {
      await linkPolicy();
      const token = await resetTony();
      await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
      expect((await failure(anonymous(token))).code).toBe('UMPIN_PIN_LINK_NOT_FOUND');
    });

    it('the welcome, self-service reset and automatic reset mails carry a link too', async () => {
      await linkPolicy();
      await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'ada@contoso.com', alias: 'ada', language: null });
      await enableUMMailbox(t.deps, ADMIN, { identity: 'ada', umMailboxPolicy: POLICY, extensions: ['10233'] });
      const adaId = (await getUMMailbox(t.deps, ADMIN, 'ada')).identity;
      const welcome = await lastMail(adaId, 'welcome');
      expect(welcome.pin).toBeUndefined();
      expect(await getPinLinkStatus(t.deps, tokenOf(welcome))).toMatchObject({ state: 'ready' });

      await setUMMailboxPIN(t.deps, endUser({ id: tonyId, primarySmtpAddress: TONY }, null), { identity: tonyId });
      const self = await lastMail(tonyId, 'self-reset');
      expect(self.pin).toBeUndefined();
      expect(await pinWorks((await anonymous(tokenOf(self))).pin)).toBe(true);

      for (let i = 0; i < 5; i++)
        await verifyLogon(t.deps, GATEWAY, { extension: '10231', dialPlan: 'Contoso', pin: '000000' });
      const auto = await lastMail(tonyId, 'auto-reset');
      expect(auto.pin).toBeUndefined();
      expect(auto.failedAttempts).toBe(5);
      expect(await pinWorks((await anonymous(tokenOf(auto))).pin)).toBe(true);
    });
  });
}
