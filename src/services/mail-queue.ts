/**
 * The outbox's health as administrators see it (Get-Queue): how many mails wait, how long the
 * oldest has waited, and how many were given up on. One query, the same /metrics reads.
 */
import type { Actor } from './actor.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports/deps.js';
import type { OutboxStats } from './ports/outbox.js';
import { isScoped } from './scope.js';

/** Mails a scoped caller's queue counts at most: the mails to its dial plans' mailboxes, never the organisation's. */
const SCOPED_QUEUE_MAX = 10_000;

async function scopedStats(deps: Deps, dialPlanIds: readonly string[]): Promise<OutboxStats> {
  const queued = await deps.store.listOutbox({ status: 'queued', dialPlanIds, limit: SCOPED_QUEUE_MAX });
  const dead = await deps.store.listOutbox({ status: 'dead', dialPlanIds, limit: SCOPED_QUEUE_MAX });
  // listOutbox reads oldest first
  return { queued: queued.length, oldestQueuedAt: queued[0]?.createdAt ?? null, dead: dead.length };
}

export interface MailQueueView {
  /** mails waiting to be delivered (first tries and retries) */
  queued: number;
  /** when the oldest waiting mail was queued; null when none waits */
  oldestQueuedAt: number | null;
  /** how long the oldest waiting mail has waited, in seconds, by the server's clock; null when none waits */
  oldestAgeSeconds: number | null;
  /** dead letters: mails given up on, waiting for an administrator to retry them */
  deadLetters: number;
}

export async function getMailQueue(deps: Deps, actor: Actor): Promise<MailQueueView> {
  authorize(actor, 'outbox:read', 'Get-Queue');
  const s = isScoped(actor) ? await scopedStats(deps, actor.dialPlanScope) : await deps.store.outboxStats();
  return {
    queued: s.queued,
    oldestQueuedAt: s.oldestQueuedAt,
    oldestAgeSeconds:
      s.oldestQueuedAt === null ? null : Math.max(0, Math.floor((deps.clock.now() - s.oldestQueuedAt) / 1000)),
    deadLetters: s.dead,
  };
}
