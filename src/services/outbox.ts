import { randomUUID } from 'node:crypto';
import type { OutboxInput, OutboxKind } from '../domain/outbox-message.js';
import type { Organization } from '../domain/organization.js';
import type { ResolvedMailbox } from './resolve.js';
import type { Deps } from './ports/deps.js';

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
}

export function mailLanguage(m: ResolvedMailbox, org: Organization | null): string {
  return m.recipient.language ?? m.dialPlan.defaultLanguage ?? org?.defaultLanguage ?? 'en-US';
}

export function payloadFor(m: ResolvedMailbox, kind: OutboxKind, extra: Partial<MailPayload> = {}): MailPayload {
  return {
    displayName: m.recipient.displayName,
    primarySmtpAddress: m.recipient.primarySmtpAddress,
    extensions: m.mailbox.extensions,
    dialPlanName: m.dialPlan.name,
    voiceAccessNumbers: m.dialPlan.voiceAccessNumbers,
    policyText: kind === 'welcome' ? m.policy.umEnabledText : m.policy.resetPinText,
    ...extra,
  };
}

export function outboxMessage(
  deps: Deps,
  m: ResolvedMailbox,
  kind: OutboxKind,
  payload: MailPayload,
  opts: { to?: string | null; language: string },
): OutboxInput {
  const id = randomUUID();
  return {
    id,
    kind,
    recipientId: m.recipient.id,
    toAddress: opts.to ?? m.recipient.primarySmtpAddress,
    language: opts.language,
    sealedPayload: deps.cipher.seal(JSON.stringify(payload), id),
    createdAt: deps.clock.now(),
  };
}
