import { UmpinError } from '../domain/errors.js';
import type { OutboxMessage } from '../domain/outbox-message.js';
import type { Actor } from './actor.js';
import { mutate } from './audit.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports/deps.js';

/** What administrators see of a mail that could not be delivered: never its payload. */
export type DeadLetter = Omit<OutboxMessage, 'sealedPayload'>;

export async function listDeadLetters(deps: Deps, actor: Actor, limit = 1000): Promise<DeadLetter[]> {
  authorize(actor, 'outbox:read', 'Get-DeadLetter');
  return (await deps.store.listOutbox({ status: 'dead', limit })).map(({ sealedPayload, ...rest }) => {
    void sealedPayload;
    return rest;
  });
}

/** Queues a dead letter again, from now, with a fresh attempt count. */
export async function retryDeadLetter(deps: Deps, actor: Actor, id: string): Promise<void> {
  await mutate(deps, actor, { action: 'Retry-DeadLetter', target: id, parameters: { Identity: id } }, async (tx) => {
    authorize(actor, 'outbox:write', 'Retry-DeadLetter');
    if (!(await tx.requeueOutbox(id, deps.clock.now()))) {
      throw new UmpinError({ code: 'UMPIN_IDENTITY_NOT_FOUND', field: 'Identity', params: { identity: id, kind: 'dead letter' } });
    }
  });
}
