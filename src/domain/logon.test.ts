import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  isLockedOut,
  isPinExpired,
  judgeFailure,
  lockedUntilFor,
  lockHasLapsed,
  mustChangeReason,
  pinAgeDays,
  pinExpiresAt,
  type PinState,
} from './logon.js';
import type { PinPolicy } from './pin-policy.js';
import { DEFAULT_MAILBOX_POLICY } from './policy.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);

const state = (over: Partial<PinState> = {}): PinState => ({
  pinExpired: false,
  firstTimeUser: false,
  lockedOut: false,
  lockedUntil: null,
  failedAttempts: 0,
  pinSetAt: T0,
  ...over,
});
const policy = (over: Partial<PinPolicy> = {}): PinPolicy => ({ ...DEFAULT_MAILBOX_POLICY, ...over });

describe('lockout', () => {
  it('a mailbox locked without a time stays locked until an administrator unlocks it', () => {
    const s = state({ lockedOut: true, lockedUntil: null });
    expect(isLockedOut(s, T0 + 10 * 365 * DAY)).toBe(true);
    expect(lockHasLapsed(s, T0 + 10 * 365 * DAY)).toBe(false);
  });

  it('a LockoutDuration lock lifts at lockedUntil, to the millisecond', () => {
    const s = state({ lockedOut: true, lockedUntil: T0 + 30 * MIN });
    expect(isLockedOut(s, T0 + 30 * MIN - 1)).toBe(true);
    expect(lockHasLapsed(s, T0 + 30 * MIN - 1)).toBe(false);
    expect(isLockedOut(s, T0 + 30 * MIN)).toBe(false);
    expect(lockHasLapsed(s, T0 + 30 * MIN)).toBe(true);
  });

  it('a mailbox that is not locked is neither locked nor lapsed', () => {
    expect(isLockedOut(state({ lockedUntil: T0 + MIN }), T0)).toBe(false);
    expect(lockHasLapsed(state({ lockedUntil: T0 - MIN }), T0)).toBe(false);
  });

  it('lockedUntilFor: now + LockoutDuration, or null (until an administrator unlocks, as in Exchange)', () => {
    expect(lockedUntilFor(policy({ lockoutDurationMinutes: 30 }), T0)).toBe(T0 + 30 * MIN);
    expect(lockedUntilFor(policy(), T0)).toBeNull();
  });
});

describe('PIN expiry', () => {
  it('expires PINLifetime days after it was set (60 by default)', () => {
    const s = state();
    expect(pinExpiresAt(s, policy())).toBe(T0 + 60 * DAY);
    expect(isPinExpired(s, policy(), T0 + 60 * DAY - 1)).toBe(false);
    expect(isPinExpired(s, policy(), T0 + 60 * DAY)).toBe(true);
  });

  it('never expires by age when PINLifetime is Unlimited', () => {
    expect(pinExpiresAt(state(), policy({ pinLifetimeDays: null }))).toBeNull();
    expect(isPinExpired(state(), policy({ pinLifetimeDays: null }), T0 + 5000 * DAY)).toBe(false);
  });

  it("is expired at once when an administrator set PINExpired, whatever the PIN's age", () => {
    expect(isPinExpired(state({ pinExpired: true }), policy({ pinLifetimeDays: null }), T0)).toBe(true);
  });

  it('pinAgeDays counts whole days, and never below 0 if the clock went back', () => {
    expect(pinAgeDays(state(), T0)).toBe(0);
    expect(pinAgeDays(state(), T0 + DAY - 1)).toBe(0);
    expect(pinAgeDays(state(), T0 + 59 * DAY + 23 * 60 * MIN)).toBe(59);
    expect(pinAgeDays(state(), T0 - 3 * DAY)).toBe(0);
  });
});

describe('mustChangeReason: after a right PIN, must the user choose a new one on this call?', () => {
  const now = T0 + DAY;
  it('no, for an ordinary PIN', () => {
    expect(mustChangeReason(state(), policy(), now, 6)).toBeNull();
  });

  it('yes, for a first-time user, an expired PIN, or a PIN shorter than a since-raised MinPINLength', () => {
    expect(mustChangeReason(state({ firstTimeUser: true }), policy(), now, 6)).toBe('first-time');
    expect(mustChangeReason(state({ pinExpired: true }), policy(), now, 6)).toBe('expired');
    expect(mustChangeReason(state(), policy(), T0 + 61 * DAY, 6)).toBe('expired');
    expect(mustChangeReason(state(), policy({ minPinLength: 8 }), now, 6)).toBe('too-short');
  });

  it('gives the first reason that applies: first-time, then expired, then too-short', () => {
    const all = state({ firstTimeUser: true, pinExpired: true });
    expect(mustChangeReason(all, policy({ minPinLength: 8 }), now, 6)).toBe('first-time');
    expect(mustChangeReason(state({ pinExpired: true }), policy({ minPinLength: 8 }), now, 6)).toBe('expired');
  });
});

describe('judgeFailure: what a wrong PIN leads to', () => {
  const outcomes = (p: PinPolicy, upTo: number) =>
    Array.from({ length: upTo }, (_, i) => judgeFailure(i + 1, p).outcome);

  it("with Exchange's defaults: reset at 5 and 10 without clearing the count, lock at 15", () => {
    const p = policy(); // reset 5, max 15
    const wrong = 'wrong' as const;
    const reset = 'auto-reset' as const;
    expect(outcomes(p, 15)).toEqual([
      wrong,
      wrong,
      wrong,
      wrong,
      reset,
      wrong,
      wrong,
      wrong,
      wrong,
      reset,
      wrong,
      wrong,
      wrong,
      wrong,
      'locked-out',
    ]);
  });

  it('says how many attempts are left before the lock', () => {
    expect(judgeFailure(1, policy())).toEqual({ outcome: 'wrong', failedAttempts: 1, attemptsLeft: 14 });
    expect(judgeFailure(5, policy())).toEqual({ outcome: 'auto-reset', failedAttempts: 5, attemptsLeft: 10 });
    expect(judgeFailure(14, policy())).toEqual({ outcome: 'wrong', failedAttempts: 14, attemptsLeft: 1 });
    expect(judgeFailure(15, policy())).toEqual({ outcome: 'locked-out', failedAttempts: 15 });
  });

  it('locks rather than resets when both fall on the same count', () => {
    expect(judgeFailure(10, policy({ logonFailuresBeforePinReset: 5, maxLogonAttempts: 10 })).outcome).toBe(
      'locked-out',
    );
  });

  it('stays locked if the count somehow goes past MaxLogonAttempts', () => {
    expect(judgeFailure(16, policy()).outcome).toBe('locked-out');
  });

  it('never resets automatically when LogonFailuresBeforePINReset is Unlimited', () => {
    expect(outcomes(policy({ logonFailuresBeforePinReset: null }), 14).every((o) => o === 'wrong')).toBe(true);
    expect(judgeFailure(15, policy({ logonFailuresBeforePinReset: null })).outcome).toBe('locked-out');
  });

  it('never locks when MaxLogonAttempts is Unlimited, and has no count of attempts left', () => {
    const p = policy({ maxLogonAttempts: null });
    expect(judgeFailure(1000, p)).toEqual({ outcome: 'auto-reset', failedAttempts: 1000, attemptsLeft: null });
    expect(judgeFailure(1001, p)).toEqual({ outcome: 'wrong', failedAttempts: 1001, attemptsLeft: null });
    expect(outcomes(p, 200)).not.toContain('locked-out');
  });

  it('refuses a count that is not a failure count', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => judgeFailure(bad, policy())).toThrow(RangeError);
  });

  it('over 1..MaxLogonAttempts: resets exactly at the multiples below the max, one lock at the max (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 120 })
          .chain((max) => fc.tuple(fc.option(fc.integer({ min: 1, max: max - 1 }), { nil: null }), fc.constant(max))),
        ([reset, max]) => {
          const p = policy({ logonFailuresBeforePinReset: reset, maxLogonAttempts: max });
          const verdicts = Array.from({ length: max }, (_, i) => judgeFailure(i + 1, p));
          verdicts.forEach((v, i) => {
            const n = i + 1;
            expect(v.failedAttempts).toBe(n);
            if (n === max) expect(v.outcome).toBe('locked-out');
            else {
              expect(v.outcome).toBe(reset !== null && n % reset === 0 ? 'auto-reset' : 'wrong');
              expect(v).toHaveProperty('attemptsLeft', max - n);
            }
          });
        },
      ),
    );
  });
});
