/** UM mailbox policies: Get-, New-, Set-, Remove-UMMailboxPolicy. */
import { z } from 'zod';
import { UmpinError } from '../../domain/errors.js';
import { POLICY_LIMITS, type SettingLimit } from '../../domain/policy.js';
import {
  getMailboxPolicies,
  newMailboxPolicy,
  pageMailboxPolicies,
  removeMailboxPolicy,
  setMailboxPolicy,
} from '../../services/mailbox-policies.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { IdentityParams, NoContent, page, SearchQuery, Timestamp } from '../schemas/common.js';

/** Types only: ranges are the domain's rules, refused with 422 and Exchange's parameter name. */
function setting(limit: SettingLimit) {
  switch (limit.kind) {
    case 'number': {
      const n = z
        .number()
        .describe(`${limit.field}: ${limit.min}-${limit.max}${limit.unlimited ? ', or null for Unlimited' : ''}`);
      return limit.unlimited ? n.nullable() : n;
    }
    case 'text':
      return z.string().nullable().describe(`${limit.field}: at most ${limit.maxLength} characters, or null for none`);
    case 'flag':
      return z.boolean().describe(limit.field);
    case 'choice':
      return z.enum(limit.values as [string, ...string[]]).describe(`${limit.field}: ${limit.values.join(' or ')}`);
  }
}

const P = POLICY_LIMITS;
const settings = {
  minPinLength: setting(P.minPinLength) as z.ZodNumber,
  pinLifetimeDays: setting(P.pinLifetimeDays) as z.ZodNullable<z.ZodNumber>,
  pinHistoryCount: setting(P.pinHistoryCount) as z.ZodNumber,
  allowCommonPatterns: setting(P.allowCommonPatterns) as z.ZodBoolean,
  pinComplexity: setting(P.pinComplexity) as z.ZodEnum<{ Exchange: 'Exchange'; Strict: 'Strict' }>,
  logonFailuresBeforePinReset: setting(P.logonFailuresBeforePinReset) as z.ZodNullable<z.ZodNumber>,
  maxLogonAttempts: setting(P.maxLogonAttempts) as z.ZodNullable<z.ZodNumber>,
  lockoutDurationMinutes: setting(P.lockoutDurationMinutes) as z.ZodNullable<z.ZodNumber>,
  progressiveLockout: (setting(P.progressiveLockout) as z.ZodBoolean).describe(
    'ProgressiveLockout (a umpin addition): each further lock within a day lasts twice the last, from LockoutDuration up to a day',
  ),
  resetPinText: setting(P.resetPinText) as z.ZodNullable<z.ZodString>,
  umEnabledText: setting(P.umEnabledText) as z.ZodNullable<z.ZodString>,
  allowPinlessVoiceMailAccess: setting(P.allowPinlessVoiceMailAccess) as z.ZodBoolean,
  allowSubscriberAccess: setting(P.allowSubscriberAccess) as z.ZodBoolean,
  pinDelivery: (setting(P.pinDelivery) as z.ZodEnum<{ Mail: 'Mail'; Link: 'Link' }>).describe(
    'PINDelivery (a umpin addition): Mail puts the PIN in the mail, as Exchange; Link a one-time link to /me/pin/<token> that shows it once',
  ),
  pinLinkValidityHours: (setting(P.pinLinkValidityHours) as z.ZodNumber).describe(
    'PINLinkValidity (a umpin addition): hours a PIN link stays valid, 1-168 (default 24)',
  ),
  pinLinkRequiresSignIn: (setting(P.pinLinkRequiresSignIn) as z.ZodBoolean).describe(
    'PINLinkRequiresSignIn (a umpin addition): a PIN link shows the PIN only to its user signed in to the self-service page',
  ),
};
const optionalSettings = {
  ...(Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof settings]: z.ZodOptional<(typeof settings)[K]>;
  }),
  // any text: the service matches it in any letter case, as the shell does, and names the field when it is no level
  pinComplexity: z.string().optional().describe('PINComplexity (a umpin addition): Exchange or Strict'),
  pinDelivery: z.string().optional().describe('PINDelivery (a umpin addition): Mail or Link'),
};

export const MailboxPolicy = z
  .object({
    id: z.string(),
    name: z.string(),
    dialPlanId: z.string().describe('id of the UM dial plan the policy belongs to'),
    ...settings,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'UMMailboxPolicy' });

export const NewMailboxPolicyBody = z.strictObject({
  name: z.string(),
  umDialPlan: z.string().describe('UMDialPlan: the dial plan the policy belongs to'),
  ...optionalSettings,
});

export const MailboxPolicyChanges = z.strictObject({
  name: z.string().optional(),
  umDialPlan: z.string().optional().describe('move to another dial plan (only while no mailbox uses the policy)'),
  ...optionalSettings,
});

const tags = ['UM mailbox policies'];
const base = '/api/v1/um-mailbox-policies';

export const MAILBOX_POLICY_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: base,
    operationId: 'listMailboxPolicies',
    summary: 'List UM mailbox policies, optionally of one dial plan (Get-UMMailboxPolicy)',
    tags,
    permission: 'organization:read',
    operation: 'Get-UMMailboxPolicy',
    query: SearchQuery.extend({
      umDialPlan: z.string().min(1).optional().describe('only the policies of this UM dial plan'),
      identity: IdentityParams.shape.identity
        .optional()
        .describe(
          "only this policy (Get-UMMailboxPolicy -Identity; with umDialPlan, only if it belongs to that dial plan): an empty page when it is outside the caller's scope",
        ),
    }),
    response: page(MailboxPolicy),
    handler: async ({ deps, actor, query }) => pageMailboxPolicies(deps, actor, query),
  }),
  apiRoute({
    method: 'GET',
    url: `${base}/:identity`,
    operationId: 'getMailboxPolicy',
    summary: 'Get one UM mailbox policy (Get-UMMailboxPolicy -Identity)',
    tags,
    permission: 'organization:read',
    operation: 'Get-UMMailboxPolicy',
    params: IdentityParams,
    response: MailboxPolicy,
    handler: async ({ deps, actor, params }) => {
      const [policy] = await getMailboxPolicies(deps, actor, { identity: params.identity });
      if (!policy)
        throw new UmpinError({
          code: 'UMPIN_IDENTITY_NOT_FOUND',
          field: 'Identity',
          params: { identity: params.identity, kind: 'UM mailbox policy' },
        });
      return policy;
    },
  }),
  apiRoute({
    method: 'POST',
    url: base,
    operationId: 'newMailboxPolicy',
    summary: 'Create a UM mailbox policy in a dial plan (New-UMMailboxPolicy)',
    tags,
    permission: 'organization:write',
    operation: 'New-UMMailboxPolicy',
    body: NewMailboxPolicyBody,
    status: 201,
    response: MailboxPolicy,
    handler: async ({ deps, actor, body }) => newMailboxPolicy(deps, actor, body),
  }),
  apiRoute({
    method: 'PATCH',
    url: `${base}/:identity`,
    operationId: 'setMailboxPolicy',
    summary: 'Change a UM mailbox policy (Set-UMMailboxPolicy)',
    tags,
    permission: 'organization:write',
    operation: 'Set-UMMailboxPolicy',
    params: IdentityParams,
    body: MailboxPolicyChanges,
    response: MailboxPolicy,
    handler: async ({ deps, actor, params, body }) => setMailboxPolicy(deps, actor, params.identity, body),
  }),
  apiRoute({
    method: 'DELETE',
    url: `${base}/:identity`,
    operationId: 'removeMailboxPolicy',
    summary: 'Remove a UM mailbox policy no mailbox uses (Remove-UMMailboxPolicy)',
    tags,
    permission: 'organization:write',
    operation: 'Remove-UMMailboxPolicy',
    params: IdentityParams,
    status: 204,
    response: NoContent,
    handler: async ({ deps, actor, params }) => {
      await removeMailboxPolicy(deps, actor, params.identity);
      return null;
    },
  }),
];
