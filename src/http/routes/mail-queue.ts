/** The outbox's health: mails waiting, the oldest one's age, dead letters (Get-Queue). */
import { z } from 'zod';
import { getMailQueue } from '../../services/mail-queue.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { Timestamp } from '../schemas/common.js';

export const MailQueue = z
  .object({
    queued: z.number().int().describe('mails waiting to be delivered, first tries and retries'),
    oldestQueuedAt: Timestamp.nullable().describe('when the oldest waiting mail was queued; null when none waits'),
    oldestAgeSeconds: z
      .number()
      .int()
      .nullable()
      .describe("how long the oldest waiting mail has waited, by the server's clock; null when none waits"),
    deadLetters: z.number().int().describe('mails given up on (see /dead-letters to retry them)'),
  })
  .meta({ id: 'MailQueue' });

export const MAIL_QUEUE_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: '/api/v1/mail-queue',
    operationId: 'getMailQueue',
    summary: "The outbox's health: mails waiting, the age of the oldest, dead letters (Get-Queue)",
    tags: ['Outbox'],
    permission: 'outbox:read',
    operation: 'Get-Queue',
    response: MailQueue,
    handler: async ({ deps, actor }) => getMailQueue(deps, actor),
  }),
];
