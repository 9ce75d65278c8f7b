/** The administrator audit log: Search-AdminAuditLog. */
import { z } from 'zod';
import { pageAuditLog } from '../../services/audit-log.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { listParam, PageQuery, Timestamp } from '../schemas/common.js';

export const AuditEntry = z
  .object({
    seq: z.number().int().describe('position in the log'),
    at: Timestamp,
    actor: z.string().describe('who: admin:<name>, token:<name>, user:<address>, local:<os user>, system'),
    source: z.string().nullable().describe('where from: a client address, cli, shell, sip:<caller>'),
    action: z.string().describe('the cmdlet, e.g. Set-UMMailboxPIN'),
    target: z.string().nullable().describe('the object as it was given'),
    parameters: z.record(z.string(), z.unknown()).describe('the parameters given; a PIN appears only as "(redacted)"'),
    result: z.enum(['success', 'failure']),
    errorCode: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

/** An ISO 8601 date (2026-11-25) or date and time with an offset (2026-11-25T09:00:00Z). */
const When = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** A date alone ends at its last millisecond (UTC), so endDate=2026-11-25 includes that day. */
function endOf(when: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(when) ? Date.parse(when) + 86_400_000 - 1 : Date.parse(when);
}

export const AUDIT_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: '/api/v1/audit',
    operationId: 'searchAdminAuditLog',
    summary: 'Search the audit log, oldest or newest first (Search-AdminAuditLog)',
    description:
      'List filters take comma-separated values or repeat the parameter; an entry matches any of the values.',
    tags: ['Audit log'],
    permission: 'audit:read',
    operation: 'Search-AdminAuditLog',
    query: PageQuery.extend({
      cmdlets: listParam(z.string().max(128)).describe('Cmdlets: the actions, e.g. Set-UMMailboxPIN'),
      objectIds: listParam(z.string().max(320)).describe('ObjectIds: the targets, as given'),
      userIds: listParam(z.string().max(320)).describe('UserIds: the callers, e.g. admin:alice'),
      parameters: listParam(z.string().max(128)).describe(
        'Parameters: entries that include any of these parameter names',
      ),
      startDate: When.optional().describe('StartDate: from this time on'),
      endDate: When.optional().describe('EndDate: up to this time'),
      result: z.enum(['success', 'failure']).optional(),
      order: z
        .enum(['oldest', 'newest'])
        .default('oldest')
        .describe('oldest first (log order, the default) or newest first; the cursor pages on in the same order'),
    }),
    response: z.object({ items: z.array(AuditEntry), next: z.string().nullable() }),
    handler: async ({ deps, actor, query }) =>
      pageAuditLog(deps, actor, {
        actions: query.cmdlets,
        targets: query.objectIds,
        actors: query.userIds,
        parameters: query.parameters,
        result: query.result,
        newestFirst: query.order === 'newest',
        from: query.startDate !== undefined ? Date.parse(query.startDate) : undefined,
        to: query.endDate !== undefined ? endOf(query.endDate) : undefined,
        cursor: query.cursor,
        limit: query.limit,
      }),
  }),
];
