import { randomUUID } from 'node:crypto';
import type { OutboxInput, OutboxKind } from '../domain/outbox-message.js';
import type { MailPayload } from '../domain/mail-payload.js';
import type { Organization } from '../domain/organization.js';
import type { ResolvedMailbox } from './resolve.js';
import type { Deps } from './ports/deps.js';

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
