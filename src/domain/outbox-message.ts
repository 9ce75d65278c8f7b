/** A mail in the outbox: queued in the transaction that decided to send it, delivered later. */

/** Every kind of mail the outbox carries; the catalogues must have each one in every language. */
export const OUTBOX_KINDS = [
  'welcome',
  'pin-reset',
  'auto-reset',
  'self-reset',
  'lockout',
  'expiry-reminder',
  'sign-in-code',
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface OutboxInput {
  id: string;
  kind: OutboxKind;
  recipientId: string | null;
  toAddress: string;
  language: string;
  /** AES-GCM sealed JSON (it may carry the clear PIN); null when the message carries no secret. */
  sealedPayload: string | null;
  createdAt: number;
}

export interface OutboxMessage extends OutboxInput {
  status: 'queued' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  sentAt: number | null;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
}
