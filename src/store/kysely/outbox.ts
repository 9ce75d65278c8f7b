/** The outbox's rows: mails queued with the change that sends them, and their delivery leases. */
import { sql } from 'kysely';
import type { OutboxInput, OutboxKind, OutboxMessage } from '../../domain/outbox-message.js';
import type { OutboxQueue, OutboxReads, OutboxRepository, OutboxStats } from '../../services/ports/outbox.js';
import { Rows } from './rows.js';
import type { OutboxTable } from './schema.js';

function toOutbox(r: OutboxTable): OutboxMessage {
  return {
    id: r.id,
    kind: r.kind as OutboxMessage['kind'],
    recipientId: r.recipient_id,
    toAddress: r.to_address,
    language: r.language,
    sealedPayload: r.sealed_payload,
    createdAt: Number(r.created_at),
    status: r.status as OutboxMessage['status'],
    attempts: r.attempts,
    nextAttemptAt: Number(r.next_attempt_at),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
    lastError: r.last_error,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
  };
}

export class OutboxReadRows extends Rows implements OutboxReads {
  async listOutbox(f: {
    status?: OutboxMessage['status'];
    recipientId?: string;
    dialPlanIds?: readonly string[];
    limit?: number;
  }): Promise<OutboxMessage[]> {
    if (f.dialPlanIds?.length === 0) return [];
    let q = this.db.selectFrom('outbox').selectAll();
    if (f.status) q = q.where('status', '=', f.status);
    if (f.recipientId) q = q.where('recipient_id', '=', f.recipientId);
    const plans = f.dialPlanIds;
    if (plans)
      q = q.where('recipient_id', 'in', (eb) =>
        eb
          .selectFrom('um_mailbox')
          .select('recipient_id')
          .where('dial_plan_id', 'in', [...plans]),
      );
    return (
      await q
        .orderBy('created_at')
        .orderBy('id')
        .limit(f.limit ?? 1000)
        .execute()
    ).map(toOutbox);
  }

  async outboxStats(): Promise<OutboxStats> {
    // sent mails are most rows and are skipped by the (status, next_attempt_at) index
    const rows = await this.db
      .selectFrom('outbox')
      .select((eb) => ['status', eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('status', 'in', ['queued', 'dead'])
      .groupBy('status')
      .execute();
    const queued = rows.find((r) => r.status === 'queued');
    const dead = rows.find((r) => r.status === 'dead');
    return {
      queued: Number(queued?.n ?? 0),
      oldestQueuedAt: queued?.oldest == null ? null : Number(queued.oldest),
      dead: Number(dead?.n ?? 0),
    };
  }
}

export class OutboxRows extends OutboxReadRows implements OutboxRepository {
  async enqueueOutbox(messages: OutboxInput[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 200) {
      await this.db
        .insertInto('outbox')
        .values(
          messages.slice(i, i + 200).map((m) => ({
            id: m.id,
            kind: m.kind,
            recipient_id: m.recipientId,
            to_address: m.toAddress,
            language: m.language,
            sealed_payload: m.sealedPayload,
            status: 'queued',
            attempts: 0,
            next_attempt_at: m.createdAt,
            created_at: m.createdAt,
            lease_owner: null,
            lease_until: null,
            sent_at: null,
            last_error: null,
          })),
        )
        .execute();
    }
  }

  async discardUnsentMail(recipientId: string, kind: OutboxKind): Promise<number> {
    const r = await this.db
      .deleteFrom('outbox')
      .where('recipient_id', '=', recipientId)
      .where('kind', '=', kind)
      .where('status', 'in', ['queued', 'dead'])
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async killOutbox(id: string, owner: string, error: string): Promise<boolean> {
    const r = await this.db
      .updateTable('outbox')
      .set({ status: 'dead', last_error: error.slice(0, 1000), lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async requeueOutbox(id: string, now: number, dialPlanIds?: readonly string[]): Promise<boolean> {
    if (dialPlanIds?.length === 0) return false;
    let q = this.db
      .updateTable('outbox')
      .set({
        status: 'queued',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        lease_owner: null,
        lease_until: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'dead');
    if (dialPlanIds)
      q = q.where('recipient_id', 'in', (eb) =>
        eb
          .selectFrom('um_mailbox')
          .select('recipient_id')
          .where('dial_plan_id', 'in', [...dialPlanIds]),
      );
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}

/** Delivery, on the database itself (not in a caller's transaction): each method is its own statement or transaction. */
export class OutboxQueueRows extends Rows implements OutboxQueue {
  async claimOutbox(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
    return this.db.transaction().execute(async (trx) => {
      let due = trx
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'queued')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(limit);
      // without row locks (SQLite) the write transaction's BEGIN IMMEDIATE already makes this claim the only writer
      if (this.adapter.claimSkipsLocked) due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await trx
        .updateTable('outbox')
        .set({ lease_owner: owner, lease_until: now + leaseMs, attempts: sql`attempts + 1` })
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      return rows.map(toOutbox).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    });
  }

  async completeOutbox(ids: readonly string[], sentAt: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set({
        status: 'sent',
        sent_at: sentAt,
        sealed_payload: null,
        lease_owner: null,
        lease_until: null,
        last_error: null,
      })
      .where('id', 'in', ids)
      .execute();
  }

  async retryOutbox(id: string, owner: string, nextAttemptAt: number, error: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ next_attempt_at: nextAttemptAt, last_error: error.slice(0, 1000), lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('lease_owner', '=', owner)
      .execute();
  }

  async renewOutboxLease(id: string, owner: string, leaseUntil: number): Promise<boolean> {
    const r = await this.db
      .updateTable('outbox')
      .set({ lease_until: leaseUntil })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
