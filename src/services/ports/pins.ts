/**
 * UM mailboxes' PINs: counting a failed logon and deciding lockout is a single conditional
 * UPDATE, so parallel guesses, across processes, never get more than the policy allows.
 */
import type { PinHistoryEntry, PinRecord } from '../../domain/pin-record.js';
import type { LockPlan } from '../../domain/progressive-lockout.js';

export interface PinWrite {
  recipientId: string;
  pinHash: string;
  pinSetAt: number;
  pinExpired: boolean;
  firstTimeUser: boolean;
  lockedOut: boolean;
  /** the failure count after the write (default 0; an automatic reset keeps the count) */
  failedAttempts?: number;
  /** history entries to keep after this write (PINHistoryCount − 1: the current PIN counts as one) */
  keepHistory: number;
}

/** What the UM mailbox page shows of the last failed logon, stored with the count that records it. */
export interface FailureFacts {
  /** epoch ms */
  at: number;
  /** the calling number as the voice gateway gave it (digits, maybe a leading +), or null */
  caller: string | null;
}

export interface PinReads {
  getPin(recipientId: string): Promise<PinRecord | null>;
  /** The PIN states of these recipients (those that have one), in one query however many: a page's worth at once. */
  getPins(recipientIds: readonly string[]): Promise<PinRecord[]>;
  getPinHistory(recipientId: string, limit: number): Promise<PinHistoryEntry[]>;
  /**
   * UM mailboxes of a policy whose PIN was set within [setFrom, setTo), not flagged
   * expired, whose user may change it (PinChangeAllowed), and not yet reminded `daysBefore`
   * days ahead for that PIN version.
   */
  pinsDueForReminder(
    policyId: string,
    setFrom: number,
    setTo: number,
    daysBefore: number,
    limit: number,
  ): Promise<PinRecord[]>;
}

export interface PinRepository extends PinReads {
  insertPin(p: PinWrite): Promise<void>;
  /**
   * Replaces the PIN (moving the old hash to history, pruned to keepHistory) and clears
   * the failure count. With expectedVersion, applies only if nobody changed the PIN since;
   * returns false then.
   */
  replacePin(p: PinWrite, expectedVersion?: number): Promise<boolean>;
  /**
   * One atomic step: counts a failure unless the mailbox is locked, and locks it when the
   * count reaches maxAttempts. Returns the count after this failure, or null when the
   * mailbox was already locked (nothing counted).
   */
  recordFailure(
    recipientId: string,
    maxAttempts: number | null,
    /** the lock the failure sets if it reaches maxAttempts: its end, and its rank among the locks in a row */
    lock: LockPlan,
    failure?: FailureFacts,
  ): Promise<number | null>;
  /** Clears the count after a right PIN, if the PIN is still the verified version and not locked; optionally stores an upgraded hash. */
  recordSuccess(recipientId: string, version: number, upgradedHash: string | null): Promise<boolean>;
  /** Lifts a lock whose LockoutDuration has passed (and clears the count). */
  liftLapsedLock(recipientId: string, now: number): Promise<boolean>;
  setLock(recipientId: string, locked: boolean): Promise<void>;
  setPinFlags(recipientId: string, flags: { pinExpired?: boolean; firstTimeUser?: boolean }): Promise<void>;
  /** Records a reminder; false if this PIN version already had it (another server was first). */
  recordReminder(recipientId: string, pinVersion: number, daysBefore: number, sentAt: number): Promise<boolean>;
}
