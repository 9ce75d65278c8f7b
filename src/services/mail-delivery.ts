/**
 * The outbox's delivery rules, for the mail worker (the adapter that renders and sends): which
 * messages are due and whose they are (a lease), that a message the server accepted is sent
 * and its sealed payload erased, when a failed one is tried again (the backoff), and when it
 * is given up as a dead letter — audited, in the same transaction. Any number of workers, in
 * any number of processes, may drain one database: a row is only ever held by one live lease,
 * and every state change below applies only while the worker still holds it.
 */
import type { OutboxMessage } from '../domain/outbox-message.js';
import { SYSTEM_ACTOR } from './actor.js';
import { appendAudit, auditInput } from './audit.js';
import type { MailPayload } from '../domain/mail-payload.js';
import type { Deps } from './ports/deps.js';

export interface DeliveryPolicy {
  /** how long a claim lasts; a worker that dies releases its messages after this */
  leaseMs: number;
  /** first retry delay; doubles each attempt, with ±50 % jitter, up to maxBackoffMs */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** a message still failing this long after it was queued becomes a dead letter */
  deadAfterMs: number;
}

export const DEFAULT_DELIVERY_POLICY: Readonly<DeliveryPolicy> = Object.freeze({
  leaseMs: 120_000,
  baseBackoffMs: 30_000,
  maxBackoffMs: 3_600_000,
  deadAfterMs: 3 * 86_400_000,
});

export function backoffMs(
  attempts: number,
  p: Pick<DeliveryPolicy, 'baseBackoffMs' | 'maxBackoffMs'>,
  random = Math.random,
): number {
  const exp = Math.min(p.maxBackoffMs, p.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.5 + random()));
}

/** Why a send failed, as the worker reports it. */
export interface SendFailure {
  /** for the dead-letter list (lastError): the server's or the system's words, never the payload */
  message: string;
  /** a short code for the audit log: the SMTP reply code ('550'), the socket's ('ECONNREFUSED'), 'unrenderable'; null when there is none */
  code: string | null;
  /** trying again cannot help: a 5xx, a payload that cannot be opened or rendered */
  permanent: boolean;
}

export interface Claim {
  messages: OutboxMessage[];
  /** the organisation's name, for the mails' text */
  organizationName: string;
}

/** One worker's side of the outbox: `worker` names its leases (and it in the audit of a dead letter). */
export class MailDelivery {
  readonly policy: Readonly<DeliveryPolicy>;

  constructor(
    private readonly deps: Deps,
    readonly worker: string,
    policy: Partial<DeliveryPolicy> = {},
  ) {
    this.policy = Object.freeze({ ...DEFAULT_DELIVERY_POLICY, ...policy });
  }

  /** Claims up to `limit` due messages under a lease, counting an attempt for each. */
  async claim(limit: number): Promise<Claim> {
    const messages = await this.deps.store.claimOutbox(this.worker, this.deps.clock.now(), this.policy.leaseMs, limit);
    if (messages.length === 0) return { messages, organizationName: '' };
    return { messages, organizationName: (await this.deps.store.getOrganization())?.name ?? 'umpin' };
  }

  /** The message's payload, opened for rendering; throws when it cannot be (no payload, another key). */
  payloadOf(m: OutboxMessage): MailPayload {
    if (!m.sealedPayload) throw new Error('the message has no payload');
    return JSON.parse(this.deps.cipher.open(m.sealedPayload, m.id)) as MailPayload;
  }

  /**
   * May the worker start sending this message now? Only in the first half of its lease, so
   * the send is over long before the lease ends and another worker may claim the row; a
   * message that waited longer (a slow server, a short lease) has its lease renewed first.
   * False when another worker claimed the row meanwhile: it is theirs to send.
   */
  async holdLease(m: OutboxMessage): Promise<boolean> {
    const now = this.deps.clock.now();
    if (m.leaseUntil !== null && m.leaseUntil - now >= this.policy.leaseMs / 2) return true;
    const until = now + this.policy.leaseMs;
    if (!(await this.deps.store.renewOutboxLease(m.id, this.worker, until))) return false;
    m.leaseUntil = until;
    return true;
  }

  /** The server accepted it: sent, and the sealed payload (the PIN) erased. */
  async sent(m: OutboxMessage): Promise<void> {
    await this.deps.store.completeOutbox([m.id], this.deps.clock.now());
  }

  /**
   * A send failed: tried again after the backoff, or — when trying again cannot help, or the
   * message has failed for deadAfterMs since it was queued — a dead letter an administrator
   * may retry, with a Mail:DeadLetter audit entry by the system. Null when the row is no
   * longer this worker's (nothing changed).
   */
  async failed(m: OutboxMessage, failure: SendFailure): Promise<'retried' | 'dead' | null> {
    const now = this.deps.clock.now();
    const expired = now - m.createdAt >= this.policy.deadAfterMs;
    if (!failure.permanent && !expired) {
      await this.deps.store.retryOutbox(m.id, this.worker, now + backoffMs(m.attempts, this.policy), failure.message);
      return 'retried';
    }
    const parameters = {
      Identity: m.id,
      Kind: m.kind,
      Attempts: m.attempts,
      Error: failure.code,
      Reason: failure.permanent ? 'permanent' : 'expired',
      Worker: this.worker,
    };
    const dead = await this.deps.store.transaction(async (tx) => {
      if (!(await tx.killOutbox(m.id, this.worker, failure.message))) return false;
      await appendAudit(this.deps, tx, [
        auditInput(this.deps, SYSTEM_ACTOR, { action: 'Mail:DeadLetter', target: m.toAddress, parameters }, 'success'),
      ]);
      return true;
    });
    return dead ? 'dead' : null;
  }
}
