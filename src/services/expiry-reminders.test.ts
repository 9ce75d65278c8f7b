import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { queueExpiryReminders } from './expiry-reminders.js';
import { setMailboxPolicy } from './mailbox-policies.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';

const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`PIN expiry reminders (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
      // PinExpired $false: a PIN that will run out by PINLifetime (60 days)
      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: '1985848' },
        { alias: 'kimakers', extension: '10232', pin: '7301946' },
      ]);
    });
    afterEach(() => t.close());

    const reminders = async () => (await t.deps.store.listOutbox({})).filter((m) => m.kind === 'expiry-reminder');

    it('sends the 7-day and the 1-day reminder once each, and nothing before', async () => {
      t.clock.advance(52 * DAY);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(0);
      t.clock.advance(1 * DAY + 60_000);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(2);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(0);
      t.clock.advance(5 * DAY); // two days left: still only the 7-day reminder
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(0);
      t.clock.advance(1 * DAY);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(2);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(0);
      const mails = await reminders();
      expect(mails).toHaveLength(4);
      const payload = JSON.parse(t.deps.cipher.open(mails[3]!.sealedPayload!, mails[3]!.id)) as {
        pin?: string;
        daysLeft: number;
      };
      expect(payload.pin).toBeUndefined();
      expect(payload.daysLeft).toBe(1);
    });

    it('a PIN first seen inside the last day gets only the nearest reminder', async () => {
      t.clock.advance(59 * DAY + 3_600_000);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(2);
      t.clock.advance(3_600_000);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(0);
    });

    it('a new PIN starts its own reminders; Unlimited lifetimes and PINs already flagged expired get none', async () => {
      t.clock.advance(54 * DAY);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(2);
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '5550123', pinExpired: false });
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'kimakers', pin: '5550124' }); // PinExpired $true: changes at next logon anyway
      t.clock.advance(54 * DAY);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(1);
      await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { pinLifetimeDays: null });
      t.clock.advance(5 * DAY);
      expect(await queueExpiryReminders(t.deps, ADMIN)).toBe(0);
    });
  });
}
