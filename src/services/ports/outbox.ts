import type { OutboxInput, OutboxKind, OutboxMessage } from '../../domain/outbox-message.js';

export interface OutboxStats {
  queued: number;
  /** created_at of the oldest queued mail; null when none waits */
  oldestQueuedAt: number | null;
  dead: number;
}

export interface OutboxReads {
  listOutbox(filter: {
    status?: OutboxMessage['status'];
    recipientId?: string;
    /** only mails to recipients whose UM mailbox is in one of these dial plans (a scoped caller's view) */
    dialPlanIds?: readonly string[];
    limit?: number;
  }): Promise<OutboxMessage[]>;
  /** The outbox's health for /metrics, in one query: mails waiting (and when the oldest was queued) and dead letters. */
  outboxStats(): Promise<OutboxStats>;
}

/** Mails queued in the transaction that decides to send them. */
export interface OutboxRepository extends OutboxReads {
  enqueueOutbox(messages: OutboxInput[]): Promise<void>;
  /**
   * Gives up on a message owner holds: a dead letter, visible to administrators, kept sealed
   * so it can be retried. In a transaction, so the audit entry saying so commits with it;
   * false when the row is no longer owner's.
   */
  killOutbox(id: string, owner: string, error: string): Promise<boolean>;
  /**
   * An administrator's retry of a dead letter: queued again from now, attempts from zero.
   * False when no dead letter has this id (with dialPlanIds: none to a mailbox of those plans).
   */
  requeueOutbox(id: string, now: number, dialPlanIds?: readonly string[]): Promise<boolean>;
  /** Drops the recipient's mails of this kind that have not gone out (queued or dead), sealed payloads and all: a newer mail replaces them. */
  discardUnsentMail(recipientId: string, kind: OutboxKind): Promise<number>;
}

/** Outbox delivery: claims are leases, so a claimer that dies releases its rows when the lease ends. */
export interface OutboxQueue {
  /**
   * Claims up to `limit` due messages for `owner` until now + leaseMs, counting an attempt
   * for each. On PostgreSQL concurrent claimers skip each other's rows (FOR UPDATE SKIP
   * LOCKED); on SQLite the write lock serialises claims.
   */
  claimOutbox(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]>;
  /** Accepted by the server: marks them sent and erases their sealed payloads. */
  completeOutbox(ids: readonly string[], sentAt: number): Promise<void>;
  /** Leaves it queued for another try at nextAttemptAt (only while owner still holds the lease). */
  retryOutbox(id: string, owner: string, nextAttemptAt: number, error: string): Promise<void>;
  /** Extends owner's lease on a queued row to leaseUntil; false if the row is no longer owner's. */
  renewOutboxLease(id: string, owner: string, leaseUntil: number): Promise<boolean>;
}
