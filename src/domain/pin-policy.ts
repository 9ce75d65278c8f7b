/**
 * What the PIN rules and the logon state machine read of a UM mailbox policy, apart from
 * the policy's other settings (policy.ts), so that the rules and the policy's ranges both
 * depend on it and not on each other.
 */

/** Longest PIN Exchange accepts; also the ceiling for MinPINLength. */
export const MAX_PIN_LENGTH = 24;

/**
 * PINComplexity (a umpin addition): Exchange refuses what Exchange refused; Strict also
 * refuses the guessable PINs of pin-rules-strict.ts (keypad lines, dates, common PINs, ...).
 */
export const PIN_COMPLEXITY_LEVELS = ['Exchange', 'Strict'] as const;
export type PinComplexity = (typeof PIN_COMPLEXITY_LEVELS)[number];

/** The settings the PIN rules and the logon state machine read. */
export interface PinPolicy {
  /** MinPINLength: 4..24. */
  minPinLength: number;
  /** PINLifetime in days: 1..999, null = Unlimited (never expires). */
  pinLifetimeDays: number | null;
  /** PINHistoryCount: 1..20, counting the current PIN. */
  pinHistoryCount: number;
  /** AllowCommonPatterns: $true accepts 111111, 123456, 987654 (never the extension). */
  allowCommonPatterns: boolean;
  /** PINComplexity: 'Exchange' (the default) or 'Strict', which adds the strict trivial-PIN rules. */
  pinComplexity: PinComplexity;
  /** LogonFailuresBeforePINReset: 1..999, null = Unlimited (never reset automatically). */
  logonFailuresBeforePinReset: number | null;
  /** MaxLogonAttempts: 1..999, null = Unlimited (never lock). */
  maxLogonAttempts: number | null;
  /**
   * LockoutDuration in minutes: 1..525600 (a year), null = locked until an administrator
   * unlocks, as in Exchange. An umpin addition, after Cisco Unity Connection.
   */
  lockoutDurationMinutes: number | null;
  /**
   * ProgressiveLockout (a umpin addition, after Cisco Unity Express): $true makes each further
   * lock within a day twice as long as the one before, from LockoutDuration up to a day
   * (progressive-lockout.ts). Needs LockoutDuration in minutes.
   */
  progressiveLockout: boolean;
}
