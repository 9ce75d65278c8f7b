import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { listDeadLetters } from './dead-letters.js';
import { backoffMs, MailDelivery } from './mail-delivery.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';

const BUSY = { message: 'smtp: 421 busy', code: '421', permanent: false };

describe('backoffMs', () => {
  it('doubles from the first delay up to the longest, with ±50 % jitter', () => {
    const p = { baseBackoffMs: 1000, maxBackoffMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, p, () => 0.5))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffMs(1, p, () => 0)).toBe(500);
    expect(backoffMs(1, p, () => 0.999)).toBe(1499);
  });
});

for (const engine of ENGINES) {
  describe(`the mail service decides what becomes of a message (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
      await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231' }]);
      // the welcome mail is out of the way: one PIN mail is queued
      await new MailDelivery(t.deps, 'setup').sent((await new MailDelivery(t.deps, 'setup').claim(10)).messages[0]!);
      await setUMMailboxPIN(t.deps, ADMIN, {
        identity: 'tonysmith',
        pin: '7301946',
        notifyEmail: 'helpdesk@contoso.com',
      });
    });
    afterEach(() => t.close());

    const deadLetterAudit = () => t.deps.store.listAudit({ action: 'Mail:DeadLetter' });

    it('retries a message failing within the policy after the backoff, then makes it a dead letter past it, audited', async () => {
      const mail = new MailDelivery(t.deps, 'worker-a', {
        baseBackoffMs: 1000,
        maxBackoffMs: 2000,
        deadAfterMs: 60_000,
      });
      const [m] = (await mail.claim(10)).messages;
      expect(m).toMatchObject({ kind: 'pin-reset', toAddress: 'helpdesk@contoso.com', attempts: 1 });
      expect(await mail.failed(m!, BUSY)).toBe('retried');
      const queued = (await t.deps.store.listOutbox({ status: 'queued' }))[0]!;
      expect(queued.lastError).toBe('smtp: 421 busy');
      expect(queued.nextAttemptAt - t.clock.now()).toBeGreaterThanOrEqual(500 - 10);
      expect(queued.nextAttemptAt - t.clock.now()).toBeLessThanOrEqual(1500);
      // not due before its backoff is over
      expect((await mail.claim(10)).messages).toEqual([]);
      expect(await deadLetterAudit()).toEqual([]);

      t.clock.advance(61_000);
      const [again] = (await mail.claim(10)).messages;
      expect(again!.attempts).toBe(2);
      expect(await mail.failed(again!, BUSY)).toBe('dead');
      expect((await listDeadLetters(t.deps, ADMIN)).map((d) => [d.id, d.lastError])).toEqual([
        [m!.id, 'smtp: 421 busy'],
      ]);
      const audit = await deadLetterAudit();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor: 'system',
        action: 'Mail:DeadLetter',
        target: 'helpdesk@contoso.com',
        result: 'success',
        parameters: {
          Identity: m!.id,
          Kind: 'pin-reset',
          Attempts: 2,
          Error: '421',
          Reason: 'expired',
          Worker: 'worker-a',
        },
      });
      // the audit log never holds the payload or the PIN
      expect(JSON.stringify(audit)).not.toContain('7301946');
      expect(JSON.stringify(audit)).not.toContain(
        (await t.deps.store.listOutbox({ status: 'dead' }))[0]!.sealedPayload!,
      );
    });

    it('makes a permanent failure a dead letter at once', async () => {
      const mail = new MailDelivery(t.deps, 'worker-a');
      const [m] = (await mail.claim(10)).messages;
      expect(await mail.failed(m!, { message: 'smtp: 550 no such user', code: '550', permanent: true })).toBe('dead');
      expect((await deadLetterAudit())[0]).toMatchObject({
        parameters: { Attempts: 1, Error: '550', Reason: 'permanent' },
      });
    });

    it('changes nothing, and audits nothing, for a worker that no longer holds the message', async () => {
      const a = new MailDelivery(t.deps, 'worker-a', { leaseMs: 10_000 });
      const b = new MailDelivery(t.deps, 'worker-b', { leaseMs: 10_000 });
      const [m] = (await a.claim(10)).messages;
      t.clock.advance(10_001);
      expect((await b.claim(10)).messages.map((x) => x.id)).toEqual([m!.id]);
      expect(await a.holdLease(m!)).toBe(false);
      expect(await a.failed(m!, { message: 'smtp: 550 no such user', code: '550', permanent: true })).toBeNull();
      expect(await listDeadLetters(t.deps, ADMIN)).toEqual([]);
      expect(await deadLetterAudit()).toEqual([]);
    });

    it('marks a message the server accepted as sent and erases its payload', async () => {
      const mail = new MailDelivery(t.deps, 'worker-a');
      const claim = await mail.claim(10);
      expect(claim.organizationName).not.toBe('');
      const [m] = claim.messages;
      expect(mail.payloadOf(m!).pin).toBe('7301946');
      await mail.sent(m!);
      const [row] = await t.deps.store
        .listOutbox({ recipientId: m!.recipientId!, status: 'sent', limit: 10 })
        .then((rows) => rows.filter((r) => r.id === m!.id));
      expect(row).toMatchObject({ status: 'sent', sealedPayload: null });
    });
  });
}
