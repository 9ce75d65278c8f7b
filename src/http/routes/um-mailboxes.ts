/** UM mailboxes: Get-, Enable-, Set-, Disable-UMMailbox. */
import { z } from 'zod';
import {
  disableUMMailbox,
  enableUMMailbox,
  getKeptUMProperties,
  getUMMailbox,
  listUMMailboxes,
  setUMMailbox,
} from '../../services/um-mailboxes.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { IdentityParams, ListFilterQuery, NoContent, page, SearchQuery, Timestamp } from '../schemas/common.js';
import { multiValuedEdit } from '../schemas/multi-valued-edit.js';

const umMailbox = {
  identity: z.string().describe('the recipient GUID'),
  displayName: z.string(),
  alias: z.string(),
  primarySmtpAddress: z.string(),
  extensions: z.array(z.string()),
  umMailboxPolicy: z.string().describe('the policy name'),
  umDialPlan: z.string().describe('the dial plan name'),
  sipResourceIdentifier: z.string().nullable(),
  umEnabled: z.literal(true),
  enabledAt: Timestamp,
  subscriberAccessEnabled: z.boolean().describe('SubscriberAccessEnabled: telephone logon allowed'),
  pinlessAccessToVoiceMailEnabled: z
    .boolean()
    .describe("PinlessAccessToVoiceMailEnabled: a call from the mailbox's own extension skips the PIN"),
  operatorNumber: z.string().nullable().describe("OperatorNumber: where 0 transfers; null = the dial plan's operator"),
  pinChangeAllowed: z
    .boolean()
    .describe('PinChangeAllowed (a umpin addition): false, the user cannot change or reset their own PIN'),
};
export const UMMailbox = z.object(umMailbox).meta({ id: 'UMMailbox' });

/** A UM mailbox in GET /um-mailboxes: with its PIN state, for callers that may read PIN status. */
export const UMMailboxListItem = z
  .object({
    ...umMailbox,
    pinStatus: z
      .object({ lockedOut: z.boolean(), pinExpired: z.boolean(), firstTimeUser: z.boolean() })
      .nullable()
      .describe('the PIN state as Get-UMMailboxPIN judges it; null without the permission to read PIN status'),
  })
  .meta({ id: 'UMMailboxListItem' });

export const EnableResult = z
  .object({
    ...umMailbox,
    validateOnly: z.boolean(),
    mailTo: z.string().nullable().describe('where the welcome mail with the PIN goes; null with validateOnly'),
  })
  .meta({ id: 'EnableUMMailboxResult' });

const Extensions = z
  .array(z.string())
  .describe('Extensions: each exactly NumberOfDigitsInExtension digits of the dial plan');

/** Enable-UMMailbox's input, as the shell and the web send it. */
export const EnableUMMailboxBody = z.strictObject({
  identity: z.string().describe('Identity of the recipient'),
  umMailboxPolicy: z.string().describe('UMMailboxPolicy'),
  extensions: Extensions.optional(),
  pin: z
    .string()
    .max(64)
    .optional()
    .describe('Pin: digits only, checked against the policy; omitted = a generated PIN')
    .meta({ format: 'password', writeOnly: true }),
  pinExpired: z.boolean().optional().describe('PINExpired: the user must change the PIN at first logon (default true)'),
  notifyEmail: z.string().optional().describe('NotifyEmail: send the welcome mail here instead'),
  sipResourceIdentifier: z.string().optional().describe('SIPResourceIdentifier'),
  validateOnly: z.boolean().optional().describe('ValidateOnly: check everything, change nothing'),
});

/** What Disable-UMMailbox -KeepProperties kept of a mailbox, for Enable-UMMailbox to restore. */
export const KeptUMProperties = z
  .object({
    identity: z.string().describe('the recipient GUID'),
    umMailboxPolicyId: z.string().nullable().describe('the kept policy; null once it was removed'),
    umMailboxPolicy: z.string().nullable().describe("the kept policy's name"),
    umDialPlanId: z
      .string()
      .nullable()
      .describe("the kept extensions' dial plan, into which alone they are restored; null once it was removed"),
    umDialPlan: z.string().nullable().describe("that dial plan's name"),
    extensions: z.array(z.string()).describe('not reserved: restored only if still free'),
    sipResourceIdentifier: z.string().nullable(),
    subscriberAccessEnabled: z.boolean(),
    pinlessAccessToVoiceMailEnabled: z.boolean(),
    operatorNumber: z.string().nullable(),
    pinChangeAllowed: z.boolean().describe('PinChangeAllowed (a umpin addition)'),
    keptAt: Timestamp.describe('when the mailbox was disabled'),
  })
  .meta({ id: 'KeptUMProperties' });

/** Set-UMMailbox's changes: extensions as a list or as { add, remove }. */
export const SetUMMailboxBody = z.strictObject({
  umMailboxPolicy: z.string().optional().describe('UMMailboxPolicy'),
  extensions: multiValuedEdit(
    z.string(),
    'Extensions, each exactly NumberOfDigitsInExtension digits of the dial plan',
  ).optional(),
  sipResourceIdentifier: z.string().nullable().optional().describe('SIPResourceIdentifier; null removes it'),
  subscriberAccessEnabled: z
    .boolean()
    .optional()
    .describe('SubscriberAccessEnabled: false refuses every telephone logon to this mailbox'),
  pinlessAccessToVoiceMailEnabled: z
    .boolean()
    .optional()
    .describe(
      "PinlessAccessToVoiceMailEnabled: a call from the mailbox's own extension is signed in without a PIN, where the policy's AllowPinlessVoiceMailAccess is also true",
    ),
  operatorNumber: z
    .string()
    .nullable()
    .optional()
    .describe(
      "OperatorNumber: 1 to 20 digits that 0 transfers to; null or empty removes it (the dial plan's operator)",
    ),
  pinChangeAllowed: z
    .boolean()
    .optional()
    .describe(
      'PinChangeAllowed (a umpin addition): false keeps the user from changing their PIN on the phone or resetting it on the self-service page, and an expired PIN is not forced to change; administrators still reset it',
    ),
});

const tags = ['UM mailboxes'];
const base = '/api/v1/um-mailboxes';

export const UM_MAILBOX_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: base,
    operationId: 'listUMMailboxes',
    summary:
      'List UM mailboxes, searched by a prefix of the display name, alias or address, filtered and sorted (Get-UMMailbox)',
    tags,
    permission: 'mailbox:read',
    operation: 'Get-UMMailbox',
    query: SearchQuery.extend({
      umMailboxPolicy: z.string().min(1).optional().describe('only mailboxes with this UM mailbox policy'),
      policyId: z
        .string()
        .min(1)
        .max(64)
        .optional()
        .describe(
          'only mailboxes with the UM mailbox policy of this id (unlike umMailboxPolicy, an unknown id matches nothing)',
        ),
      ...ListFilterQuery('LockedOut -eq $true', 'UMMailbox'),
    }),
    response: page(UMMailboxListItem),
    handler: async ({ deps, actor, query }) =>
      listUMMailboxes(deps, actor, {
        identity: query.identity,
        search: query.search,
        umMailboxPolicy: query.umMailboxPolicy,
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
    operationId: 'getUMMailbox',
    summary: 'Get one UM mailbox (Get-UMMailbox -Identity)',
    tags,
    permission: 'mailbox:read',
    operation: 'Get-UMMailbox',
    params: IdentityParams,
    response: UMMailbox,
    handler: async ({ deps, actor, params }) => getUMMailbox(deps, actor, params.identity),
  }),
  apiRoute({
    method: 'GET',
    url: `${base}/:identity/kept-properties`,
    operationId: 'getKeptUMProperties',
    summary:
      'What Disable-UMMailbox -KeepProperties kept of a mailbox not UM-enabled now, for Enable-UMMailbox to restore (a umpin addition)',
    tags,
    permission: 'mailbox:read',
    operation: 'Get-UMMailbox',
    params: IdentityParams,
    response: z.object({
      keptProperties: KeptUMProperties.nullable().describe('null: nothing is kept'),
    }),
    handler: async ({ deps, actor, params }) => ({
      keptProperties: await getKeptUMProperties(deps, actor, params.identity),
    }),
  }),
  apiRoute({
    method: 'POST',
    url: base,
    operationId: 'enableUMMailbox',
    summary: 'Enable a recipient for Unified Messaging; a generated PIN is mailed (Enable-UMMailbox)',
    description:
      'The PIN is generated and sent in the welcome mail, unless `pin` gives one (checked against the policy first, and mailed too).',
    tags,
    permission: 'mailbox:write',
    operation: 'Enable-UMMailbox',
    body: EnableUMMailboxBody,
    status: 201,
    response: EnableResult,
    handler: async ({ deps, actor, body }) => enableUMMailbox(deps, actor, body),
  }),
  apiRoute({
    method: 'PATCH',
    url: `${base}/:identity`,
    operationId: 'setUMMailbox',
    summary: 'Change a UM mailbox: policy, extensions, SIP address (Set-UMMailbox)',
    tags,
    permission: 'mailbox:write',
    operation: 'Set-UMMailbox',
    params: IdentityParams,
    body: SetUMMailboxBody,
    response: UMMailbox,
    handler: async ({ deps, actor, params, body }) => setUMMailbox(deps, actor, params.identity, body),
  }),
  apiRoute({
    method: 'DELETE',
    url: `${base}/:identity`,
    operationId: 'disableUMMailbox',
    summary: 'Disable Unified Messaging for a mailbox, erasing its PIN data (Disable-UMMailbox)',
    description:
      "The PIN, its history, failures, lockout and queued PIN mails are erased. With `keepProperties` (default true, as Exchange's `-KeepProperties`), the policy, extensions, SIP address and voice settings are kept for the next enabling (the extensions are not reserved meanwhile); `keepProperties=false` keeps nothing.",
    tags,
    permission: 'mailbox:write',
    operation: 'Disable-UMMailbox',
    params: IdentityParams,
    query: z.object({
      keepProperties: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional()
        .describe('KeepProperties: keep the UM settings (not the PIN) for re-enabling; default true'),
    }),
    status: 204,
    response: NoContent,
    handler: async ({ deps, actor, params, query }) => {
      await disableUMMailbox(deps, actor, params.identity, { keepProperties: query.keepProperties });
      return null;
    },
  }),
];
