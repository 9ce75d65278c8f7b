/** Mails the outbox gave up on: list them (never their contents) and queue one again. */
import { z } from 'zod';
import { pageDeadLetters, retryDeadLetter } from '../../services/dead-letters.js';
import { OUTBOX_KINDS } from '../../domain/outbox-message.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { NoContent, page, PageQuery, Timestamp } from '../schemas/common.js';

export const DeadLetter = z
  .object({
    id: z.string(),
    kind: z.enum(OUTBOX_KINDS),
    recipientId: z.string().nullable(),
    toAddress: z.string(),
    language: z.string(),
    status: z.enum(['queued', 'sent', 'dead']),
    attempts: z.number().int(),
    createdAt: Timestamp,
    nextAttemptAt: Timestamp,
    sentAt: Timestamp.nullable(),
    lastError: z.string().nullable().describe("the mail server's last answer"),
  })
  .meta({ id: 'DeadLetter' });

const tags = ['Outbox'];

export const DEAD_LETTER_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: '/api/v1/dead-letters',
    operationId: 'listDeadLetters',
    summary: 'Mails that could not be delivered, oldest first',
    tags,
    permission: 'outbox:read',
    operation: 'Get-DeadLetter',
    query: PageQuery,
    response: page(DeadLetter),
    handler: async ({ deps, actor, query }) => pageDeadLetters(deps, actor, query),
  }),
  apiRoute({
    method: 'POST',
    url: '/api/v1/dead-letters/:id/retry',
    operationId: 'retryDeadLetter',
    summary: 'Queue a dead letter again, from now, with a fresh attempt count',
    tags,
    permission: 'outbox:write',
    operation: 'Retry-DeadLetter',
    params: z.object({ id: z.string().min(1).max(64) }),
    status: 204,
    response: NoContent,
    handler: async ({ deps, actor, params }) => {
      await retryDeadLetter(deps, actor, params.id);
      return null;
    },
  }),
];
