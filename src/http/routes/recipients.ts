/** Recipients (Exchange's mailboxes, before and after UM): Get-, New-, Set-, Remove-Mailbox. */
import { z } from 'zod';
import {
  getRecipient,
  listRecipients,
  newRecipient,
  removeRecipient,
  setRecipient,
} from '../../services/recipients.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { multiValuedEdit } from '../schemas/multi-valued-edit.js';
import { IdentityParams, ListFilterQuery, NoContent, page, SearchQuery, Timestamp } from '../schemas/common.js';

export const Recipient = z
  .object({
    id: z.string().describe('GUID'),
    alias: z.string(),
    primarySmtpAddress: z.string(),
    userPrincipalName: z.string(),
    displayName: z.string(),
    language: z.string().nullable().describe("a language tag; null = the organisation's default"),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Recipient' });

/** A recipient in a list: with what its UM mailbox adds to Get-Mailbox (its EUM addresses). */
export const RecipientListItem = Recipient.extend({
  umMailbox: z
    .object({ umMailboxPolicy: z.string(), umDialPlan: z.string(), extensions: z.array(z.string()) })
    .nullable()
    .describe("null when the recipient is not UM-enabled (or its dial plan is outside the caller's scope)"),
}).meta({ id: 'RecipientListItem' });

const input = {
  primarySmtpAddress: z.string().describe('PrimarySmtpAddress'),
  alias: z.string().describe('Alias (default: the part of the address before @)'),
  displayName: z.string().describe('DisplayName (default: the alias)'),
  userPrincipalName: z.string().describe('UserPrincipalName (default: the address)'),
  language: z.string().nullable().describe('Language, such as en-US or zh-TW; null = the default'),
};

/** `?umEnabled=true|false` */
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const tags = ['Recipients'];
const base = '/api/v1/recipients';

export const RECIPIENT_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: base,
    operationId: 'listRecipients',
    summary:
      'List recipients with their UM mailboxes, searched by a prefix of the display name, alias or address, filtered and sorted (Get-Mailbox)',
    tags,
    permission: 'recipient:read',
    operation: 'Get-Mailbox',
    query: SearchQuery.extend({
      umEnabled: Flag.optional().describe('only recipients with (true) or without (false) a UM mailbox'),
      policyId: z
        .string()
        .min(1)
        .max(64)
        .optional()
        .describe('only recipients whose UM mailbox has the UM mailbox policy of this id'),
      ...ListFilterQuery("EmailAddresses -like 'eum:102*'", 'Mailbox'),
    }),
    response: page(RecipientListItem),
    handler: async ({ deps, actor, query }) =>
      listRecipients(deps, actor, {
        identity: query.identity,
        search: query.search,
        umEnabled: query.umEnabled,
        policyId: query.policyId,
        filter: query.filter,
        sortBy: query.sortBy,
        cursor: query.cursor ?? null,
        limit: query.limit,
      }),
  }),
  apiRoute({
    method: 'GET',
    url: `${base}/:identity`,
    operationId: 'getRecipient',
    summary: 'Get one recipient (Get-Mailbox -Identity)',
    tags,
    permission: 'recipient:read',
    operation: 'Get-Mailbox',
    params: IdentityParams,
    response: Recipient,
    handler: async ({ deps, actor, params }) => getRecipient(deps, actor, params.identity),
  }),
  apiRoute({
    method: 'POST',
    url: base,
    operationId: 'newRecipient',
    summary: 'Create a recipient (New-Mailbox)',
    tags,
    permission: 'recipient:write',
    operation: 'New-Mailbox',
    body: z.strictObject({
      primarySmtpAddress: input.primarySmtpAddress,
      alias: input.alias.optional(),
      displayName: input.displayName.optional(),
      userPrincipalName: input.userPrincipalName.optional(),
      language: input.language.optional(),
    }),
    status: 201,
    response: Recipient,
    handler: async ({ deps, actor, body }) => newRecipient(deps, actor, body),
  }),
  apiRoute({
    method: 'PATCH',
    url: `${base}/:identity`,
    operationId: 'setRecipient',
    summary: 'Change a recipient (Set-Mailbox)',
    tags,
    permission: 'recipient:write',
    operation: 'Set-Mailbox',
    params: IdentityParams,
    body: z.strictObject({
      primarySmtpAddress: input.primarySmtpAddress.optional(),
      alias: input.alias.optional(),
      displayName: input.displayName.optional(),
      userPrincipalName: input.userPrincipalName.optional(),
      language: input.language.optional(),
      emailAddresses: multiValuedEdit(
        z.string(),
        'EmailAddresses: proxy addresses; an SMTP: one is the primary address, EUM:<extension>;phone-context=<dial plan>.<domain> ones are the UM extensions, others are not kept',
      ).optional(),
      languages: multiValuedEdit(z.string(), 'Languages: umpin keeps the first the edit leaves').optional(),
    }),
    response: Recipient,
    handler: async ({ deps, actor, params, body }) => setRecipient(deps, actor, params.identity, body),
  }),
  apiRoute({
    method: 'DELETE',
    url: `${base}/:identity`,
    operationId: 'removeRecipient',
    summary: 'Remove a recipient, with its UM mailbox and PIN data (Remove-Mailbox)',
    tags,
    permission: 'recipient:write',
    operation: 'Remove-Mailbox',
    params: IdentityParams,
    status: 204,
    response: NoContent,
    handler: async ({ deps, actor, params }) => {
      await removeRecipient(deps, actor, params.identity);
      return null;
    },
  }),
];
