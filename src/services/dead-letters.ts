import { UmpinError } from '../domain/errors.js';
import type { OutboxMessage } from '../domain/outbox-message.js';
import type { Page } from '../domain/page.js';
import type { Actor } from './actor.js';
import { mutate } from './audit.js';
import { authorize, authorizeUse } from './permissions.js';
import { pageOf, type PageRequest } from './page-of.js';
import { isScoped } from './scope.js';
import type { Deps } from './ports/deps.js';

/** What administrators see of a mail that could not be delivered: never its payload. */
export type DeadLetter = Omit<OutboxMessage, 'sealedPayload'>;

export async function listDeadLetters(deps: Deps, actor: Actor, limit = 1000): Promise<DeadLetter[]> {
  authorize(actor, 'outbox:read', 'Get-DeadLetter');
  // a scoped caller sees the mails to its dial plans' mailboxes only, chosen by the store's query
  const scope = isScoped(actor) ? { dialPlanIds: actor.dialPlanScope } : {};
  return (await deps.store.listOutbox({ status: 'dead', limit, ...scope })).map(({ sealedPayload, ...rest }) => {
    void sealedPayload;
    return rest;
  });
}

/** The most dead letters one listing reads; they are retried or they age out long before this. */
const MAX_DEAD_LETTERS = 10_000;

/** Dead letters a page at a time, oldest first (REST's list). */
export async function pageDeadLetters(deps: Deps, actor: Actor, q: PageRequest): Promise<Page<DeadLetter>> {
  return pageOf(
    await listDeadLetters(deps, actor, MAX_DEAD_LETTERS),
    (d) => `${String(d.createdAt).padStart(16, '0')}:${d.id}`,
    q,
  );
}

/** Queues a dead letter again, from now, with a fresh attempt count. */
export async function retryDeadLetter(deps: Deps, actor: Actor, id: string): Promise<void> {
  await mutate(deps, actor, { action: 'Retry-DeadLetter', target: id, parameters: { Identity: id } }, async (tx) => {
    authorizeUse(actor, 'outbox:write', 'Retry-DeadLetter');
    // a scoped caller retries the mails to its dial plans' mailboxes only; another's is missing to it
    const scope = isScoped(actor) ? actor.dialPlanScope : undefined;
    if (!(await tx.requeueOutbox(id, deps.clock.now(), scope))) {
      throw new UmpinError({
        code: 'UMPIN_IDENTITY_NOT_FOUND',
        field: 'Identity',
        params: { identity: id, kind: 'dead letter' },
      });
    }
  });
}
