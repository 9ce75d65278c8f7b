/**
 * What a PIN mail needs to be rendered later, by the delivery worker. Sealed with
 * AES-GCM bound to the row id: the clear PIN (or sign-in code) exists in the database only
 * encrypted, and only until the mail is accepted.
 */
export interface MailPayload {
  pin?: string;
  displayName: string;
  primarySmtpAddress: string;
  extensions: string[];
  dialPlanName: string;
  voiceAccessNumbers: string[];
  /** ResetPINText or UMEnabledText of the policy, as it was when the mail was queued */
  policyText: string | null;
  pinExpired?: boolean;
  /** for lockout and automatic-reset notices */
  failedAttempts?: number;
  lockedUntil?: number | null;
  /** for expiry reminders, and when a sign-in code expires */
  expiresAt?: number;
  daysLeft?: number;
  /** the one-time sign-in code (sealed like a PIN), and how many minutes it lasts */
  code?: string;
  validMinutes?: number;
  /** PINDelivery Link: the one-time link that shows the PIN, sent instead of `pin`, and when it expires */
  pinLink?: string;
  pinLinkExpiresAt?: number;
}
