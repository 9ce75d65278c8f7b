/**
 * The telephone logon state machine, as decisions only: the store applies them
 * atomically so that parallel guessing never gets more attempts than the policy allows.
 *
 * What the store must do with these decisions:
 * - While isLockedOut, a PIN is not even checked and nothing is counted.
 * - Before checking a PIN, a lock that lockHasLapsed is cleared together with the count
 *   (lockedOut false, lockedUntil null, failedAttempts 0), so the caller gets a fresh set
 *   of MaxLogonAttempts.
 * - A wrong PIN increments failedAttempts and applies judgeFailure(new count): on
 *   'auto-reset' a new PIN is set and mailed and the count is KEPT (Exchange: resets at 5
 *   and 10, lock at 15); on 'locked-out' lockedOut = true, lockedUntil = lockedUntilFor().
 * - A right PIN sets failedAttempts to 0; an administrator's unlock or reset does too.
 * - LogonFailuresBeforeDisconnect (dial plan) is per call and is the IVR's business.
 */
import type { PinPolicy } from './pin-policy.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface PinState {
  /** An administrator asked for a change at next logon (PINExpired). */
  pinExpired: boolean;
  /** The user has not yet changed the PIN themselves (FirstTimeUser). */
  firstTimeUser: boolean;
  lockedOut: boolean;
  /** Epoch ms when a LockoutDuration lock lifts; null = until an administrator unlocks. */
  lockedUntil: number | null;
  /** Consecutive failed logons. */
  failedAttempts: number;
  /** Epoch ms when the PIN was set. */
  pinSetAt: number;
  /** Epoch ms of the last failed logon counted; null when none was. */
  lastFailureAt?: number | null;
  /** The calling number of that failed logon, when the voice gateway named one. */
  lastFailureCaller?: string | null;
  /** Locks in a row, each within a day of the one before (ProgressiveLockout counts on it). */
  lockCount?: number;
  /** Epoch ms of the last lock; null when none was set (or before umpin kept it). */
  lastLockedAt?: number | null;
}

export function isLockedOut(s: PinState, now: number): boolean {
  return s.lockedOut && (s.lockedUntil === null || now < s.lockedUntil);
}

/** A timed lock whose time is up: the store clears it (and the count) before the next try. */
export function lockHasLapsed(s: PinState, now: number): boolean {
  return s.lockedOut && s.lockedUntil !== null && now >= s.lockedUntil;
}

/** Epoch ms from which the PIN counts as expired by PINLifetime; null when Unlimited. */
export function pinExpiresAt(s: PinState, p: Pick<PinPolicy, 'pinLifetimeDays'>): number | null {
  return p.pinLifetimeDays === null ? null : s.pinSetAt + p.pinLifetimeDays * DAY_MS;
}

/** Expired by the administrator's flag, or PINLifetime days have passed (at the instant, not a day later). */
export function isPinExpired(s: PinState, p: Pick<PinPolicy, 'pinLifetimeDays'>, now: number): boolean {
  if (s.pinExpired) return true;
  const expiresAt = pinExpiresAt(s, p);
  return expiresAt !== null && now >= expiresAt;
}

export type ChangeReason = 'first-time' | 'expired' | 'too-short';

/**
 * Why the user must choose a new PIN on this call after a right PIN, or null. The first
 * reason wins: first-time, then expired, then too-short (a PIN shorter than a MinPINLength
 * raised since it was set, which only the entered PIN's length can tell). Never on a mailbox
 * whose user may not change the PIN (PinChangeAllowed $false): nobody could comply.
 */
export function mustChangeReason(
  s: PinState,
  p: PinPolicy,
  now: number,
  enteredPinLength: number,
  pinChangeAllowed = true,
): ChangeReason | null {
  if (!pinChangeAllowed) return null;
  if (s.firstTimeUser) return 'first-time';
  if (isPinExpired(s, p, now)) return 'expired';
  if (enteredPinLength < p.minPinLength) return 'too-short';
  return null;
}

export type FailureVerdict =
  /** attemptsLeft: failures still allowed before the lock; null when MaxLogonAttempts is Unlimited. */
  | { outcome: 'wrong'; failedAttempts: number; attemptsLeft: number | null }
  /** The PIN must be reset and mailed now; the count goes on. */
  | { outcome: 'auto-reset'; failedAttempts: number; attemptsLeft: number | null }
  | { outcome: 'locked-out'; failedAttempts: number };

/**
 * What a wrong PIN leads to, given the consecutive failures including this one. The lock
 * comes at MaxLogonAttempts (or beyond, should the count overshoot) and wins over a reset
 * on the same count; a reset comes at every multiple of LogonFailuresBeforePINReset below it.
 */
export function judgeFailure(failedAttemptsAfter: number, p: PinPolicy): FailureVerdict {
  const n = failedAttemptsAfter;
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`judgeFailure needs the failure count after this failure (an integer >= 1), not ${n}.`);
  const max = p.maxLogonAttempts;
  if (max !== null && n >= max) return { outcome: 'locked-out', failedAttempts: n };
  const attemptsLeft = max === null ? null : max - n;
  const reset = p.logonFailuresBeforePinReset;
  if (reset !== null && n % reset === 0) return { outcome: 'auto-reset', failedAttempts: n, attemptsLeft };
  return { outcome: 'wrong', failedAttempts: n, attemptsLeft };
}

/** When a lock set now lifts: now + LockoutDuration, or null (until an administrator unlocks). */
export function lockedUntilFor(p: PinPolicy, now: number): number | null {
  return p.lockoutDurationMinutes === null ? null : now + p.lockoutDurationMinutes * MINUTE_MS;
}

/** Whole days since the PIN was set; 0 if the clock says it was set in the future. */
export function pinAgeDays(s: PinState, now: number): number {
  return Math.max(0, Math.floor((now - s.pinSetAt) / DAY_MS));
}

/** What one PIN attempt on the telephone comes to. */
export type LogonResult =
  /** pinChangeAllowed: whether the user may change the PIN now (PinChangeAllowed), so a dialogue need not offer it */
  | { outcome: 'ok'; userId: string; recipientId: string; pinChangeAllowed?: boolean }
  | { outcome: 'must-change'; reason: ChangeReason; userId: string; recipientId: string }
  | { outcome: 'wrong'; failedAttempts: number; attemptsLeft: number | null }
  | { outcome: 'auto-reset'; failedAttempts: number; attemptsLeft: number | null }
  /** failedAttempts is present only on the attempt that locked the mailbox (not on attempts refused because it was locked). */
  | { outcome: 'locked-out'; failedAttempts?: number };

/** What a PIN change on the telephone comes to: changed, or the old PIN was wrong (counted like a logon). */
export type ChangePinResult =
  | { outcome: 'changed'; userId: string }
  | Exclude<LogonResult, { outcome: 'ok' | 'must-change' }>;

/** How a telephone call's logon dialogue ended: the bounded values the call metrics count. */
export const CALL_OUTCOMES = [
  'signed-in',
  'transferred',
  'transferred-voice-mail',
  'logon-failed',
  'auto-reset',
  'locked-out',
  'no-voice-access',
  'rate-limited',
  'no-input',
  'caller-hangup',
  'max-call-length',
  'error',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Why a media packet was dropped, for the call metrics. */
export const DROPPED_PACKET_REASONS = ['srtp-auth', 'srtp-replay', 'malformed', 'foreign-source'] as const;
export type DroppedPacketReason = (typeof DROPPED_PACKET_REASONS)[number];
