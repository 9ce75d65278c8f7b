/**
 * ProgressiveLockout: the rule (durations, plan), the store's one conditional UPDATE on both
 * engines (the rank of a lock is read from the row as it is then, one lock however many
 * failures arrive at once), and the telephone logon with Get-UMMailboxPIN showing the state.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { lockPlanFor, locksInARow, progressiveDurations } from '../domain/progressive-lockout.js';
import { checkPolicy, DEFAULT_MAILBOX_POLICY } from '../domain/policy.js';
import type { Actor } from './actor.js';
import { getUMMailboxPIN } from './get-um-mailbox-pin.js';
import { setMailboxPolicy } from './mailbox-policies.js';
import { getUMMailbox } from './um-mailboxes.js';
import { verifyLogon } from './voice-logon.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'], source: '127.0.0.1' };
const PIN = '1985848';
const WRONG = '2468013';

describe('the progressive lockout rule', () => {
  it('doubles from LockoutDuration up to a day, which ends the list; a longer LockoutDuration is its own ceiling', () => {
    expect(progressiveDurations(5).map((d) => d / MIN)).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1280, 1440]);
    expect(progressiveDurations(1440).map((d) => d / MIN)).toEqual([1440]);
    expect(progressiveDurations(3000).map((d) => d / MIN)).toEqual([3000]);
  });

  it('plans a fixed end unless ProgressiveLockout, and always ranks the lock within a day', () => {
    const p = { ...DEFAULT_MAILBOX_POLICY, lockoutDurationMinutes: 30 };
    expect(lockPlanFor(p, 1_000_000_000)).toEqual({
      now: 1_000_000_000,
      windowStart: 1_000_000_000 - DAY,
      lockedUntil: 1_000_000_000 + 30 * MIN,
      durationsMs: null,
    });
    expect(lockPlanFor({ ...p, lockoutDurationMinutes: null }, 5)).toMatchObject({ lockedUntil: null });
    expect(lockPlanFor({ ...p, progressiveLockout: true }, 5).durationsMs).toEqual(progressiveDurations(30));
    expect(locksInARow({ lockCount: 3, lastLockedAt: 10 }, 10 + DAY)).toBe(3);
    expect(locksInARow({ lockCount: 3, lastLockedAt: 10 }, 11 + DAY)).toBe(0);
    expect(locksInARow({}, 10)).toBe(0);
  });

  it('needs LockoutDuration in minutes: with Unlimited the policy is refused, naming ProgressiveLockout', () => {
    expect(checkPolicy({ ...DEFAULT_MAILBOX_POLICY, progressiveLockout: true })).toEqual([
      {
        code: 'UMPIN_VALUE_INVALID',
        field: 'ProgressiveLockout',
        params: {
          field: 'ProgressiveLockout',
          rule: 'it needs a LockoutDuration in minutes to start from, not Unlimited',
        },
      },
    ]);
  });
});

for (const engine of ENGINES) {
  describe(`progressive lockout (${engine})`, () => {
    let t: TestContext;
    let id: string;
    beforeEach(async () => {
      t = await testContext(engine, { tollFraud: { failures: 1000 } });
      await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: PIN }]);
      id = (await getUMMailbox(t.deps, ADMIN, 'tonysmith')).identity;
    });
    afterEach(() => t.close());

    const progressive = { ...DEFAULT_MAILBOX_POLICY, lockoutDurationMinutes: 5, progressiveLockout: true };
    const lockLength = async () => {
      const s = (await t.deps.store.getPin(id))!;
      return { minutes: (s.lockedUntil! - s.lastLockedAt!) / MIN, count: s.lockCount };
    };

    it('the store ranks each lock from the row: doubled within a day, from the base again after it', async () => {
      const s = t.deps.store;
      const lockAt = (now: number) => s.transaction((tx) => tx.recordFailure(id, 1, lockPlanFor(progressive, now)));
      let now = t.clock.now();
      expect(await lockAt(now)).toBe(1);
      expect(await lockLength()).toEqual({ minutes: 5, count: 1 });
      // failures while locked count nothing and change nothing
      expect(await lockAt(now + MIN)).toBeNull();
      expect(await lockLength()).toEqual({ minutes: 5, count: 1 });
      for (const minutes of [10, 20, 40]) {
        now = (await s.getPin(id))!.lockedUntil!;
        expect(await s.transaction((tx) => tx.liftLapsedLock(id, now))).toBe(true);
        await lockAt(now);
        expect((await lockLength()).minutes).toBe(minutes);
      }
      now = (await s.getPin(id))!.lockedUntil! + DAY + 1;
      await s.transaction((tx) => tx.liftLapsedLock(id, now));
      await lockAt(now);
      expect(await lockLength()).toEqual({ minutes: 5, count: 1 });
    });

    it('many failures at once lock once: the rank and the end come from one row', async () => {
      const now = t.clock.now();
      const counts = await Promise.all(
        Array.from({ length: 12 }, () =>
          t.deps.store.transaction((tx) => tx.recordFailure(id, 3, lockPlanFor(progressive, now))),
        ),
      );
      expect(counts.filter((c) => c !== null).sort((a, b) => a! - b!)).toEqual([1, 2, 3]);
      expect(await lockLength()).toEqual({ minutes: 5, count: 1 });
    });

    it('on the telephone: 5 minutes, then 10 within the day; Get-UMMailboxPIN shows the end and the count', async () => {
      await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', {
        maxLogonAttempts: 2,
        logonFailuresBeforePinReset: null,
        lockoutDurationMinutes: 5,
        progressiveLockout: true,
      });
      const logon = (pin: string) => verifyLogon(t.deps, GATEWAY, { extension: '10231', pin });
      expect((await logon(WRONG)).outcome).toBe('wrong');
      expect(await logon(WRONG)).toMatchObject({ outcome: 'locked-out', failedAttempts: 2 });
      let status = await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith');
      expect(status).toMatchObject({ lockedOut: true, lockCount: 1, failedAttempts: 2 });
      // keyed while locked, even the right PIN: refused, not counted
      expect(await logon(PIN)).toEqual({ outcome: 'locked-out' });
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(2);

      t.clock.advance(5 * MIN);
      expect((await logon(WRONG)).outcome).toBe('wrong');
      expect((await logon(WRONG)).outcome).toBe('locked-out');
      status = await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith');
      expect(status).toMatchObject({ lockedOut: true, lockCount: 2 });
      expect(await lockLength()).toEqual({ minutes: 10, count: 2 });
      // the lockout mail and the audit entry carry the end the store set
      const mail = (await t.deps.store.listOutbox({ recipientId: id })).filter((m) => m.kind === 'lockout').at(-1)!;
      const payload = JSON.parse(t.deps.cipher.open(mail.sealedPayload!, mail.id)) as { lockedUntil: number };
      expect(payload.lockedUntil).toBe(status.lockedUntil);

      t.clock.advance(DAY + 10 * MIN);
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).lockCount).toBe(0);
      expect((await logon(PIN)).outcome).not.toBe('locked-out');
    });

    it('is refused with LockoutDuration Unlimited, naming the setting', async () => {
      const err = await failure(
        setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { progressiveLockout: true }),
      );
      expect(err.issue).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'ProgressiveLockout' });
    });
  });
}
