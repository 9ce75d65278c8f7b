/** UM dial plans: Get-, New-, Set-, Remove-UMDialPlan. */
import { z } from 'zod';
import { DIAL_PLAN_LIMITS } from '../../domain/dial-plan.js';
import { VOICE_MAIL_URI_MAX_LENGTH } from '../../domain/voice-mail-uri.js';
import { UmpinError } from '../../domain/errors.js';
import { getDialPlans, newDialPlan, pageDialPlans, removeDialPlan, setDialPlan } from '../../services/dial-plans.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { IdentityParams, NoContent, page, SearchQuery, Timestamp } from '../schemas/common.js';
import { multiValuedEdit } from '../schemas/multi-valued-edit.js';
import { MailboxPolicy } from './mailbox-policies.js';

const L = DIAL_PLAN_LIMITS;
const fields = {
  name: z.string().describe(`${L.name.field}: at most ${L.name.maxLength} characters`),
  numberOfDigitsInExtension: z
    .number()
    .describe(
      `${L.numberOfDigitsInExtension.field}: ${L.numberOfDigitsInExtension.min}-${L.numberOfDigitsInExtension.max}`,
    ),
  countryOrRegionCode: z
    .string()
    .describe(
      `${L.countryOrRegionCode.field}: ${L.countryOrRegionCode.minDigits}-${L.countryOrRegionCode.maxDigits} digits`,
    ),
  logonFailuresBeforeDisconnect: z
    .number()
    .describe(
      `${L.logonFailuresBeforeDisconnect.field}: ${L.logonFailuresBeforeDisconnect.min}-${L.logonFailuresBeforeDisconnect.max}`,
    ),
  defaultLanguage: z.string().describe(`${L.defaultLanguage.field}: a language tag such as en-US`),
  voiceAccessNumbers: z
    .array(z.string())
    .describe(
      `${L.voiceAccessNumbers.field}: optional +, then ${L.voiceAccessNumbers.minDigits}-${L.voiceAccessNumbers.maxDigits} digits`,
    ),
  voiceMailUri: z
    .string()
    .nullable()
    .describe(
      `VoiceMailUri (a umpin addition): the PBX's voice mail a caller signed in by telephone is transferred to, a sip: or sips: URI with {extension} once before the @ (e.g. sip:{extension}@pbx.contoso.com), at most ${VOICE_MAIL_URI_MAX_LENGTH} characters; null or empty removes it`,
    ),
};

export const DialPlan = z
  .object({
    id: z.string(),
    ...fields,
    numberOfDigitsInExtension: z.number().int(),
    logonFailuresBeforeDisconnect: z.number().int(),
    operatorExtension: z
      .string()
      .nullable()
      .describe('OperatorExtension: where 0 transfers a caller whose mailbox has no OperatorNumber; null: none'),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'UMDialPlan' });

export const NewDialPlanBody = z.strictObject({
  name: fields.name,
  numberOfDigitsInExtension: fields.numberOfDigitsInExtension,
  countryOrRegionCode: fields.countryOrRegionCode.optional(),
  logonFailuresBeforeDisconnect: fields.logonFailuresBeforeDisconnect.optional(),
  defaultLanguage: fields.defaultLanguage.optional(),
  voiceAccessNumbers: fields.voiceAccessNumbers.optional(),
  voiceMailUri: fields.voiceMailUri.optional(),
  generateUMMailboxPolicy: z
    .boolean()
    .optional()
    .describe('GenerateUMMailboxPolicy: create "<name> Default Policy" (default true)'),
});

export const DialPlanChanges = z.strictObject({
  name: fields.name.optional(),
  numberOfDigitsInExtension: fields.numberOfDigitsInExtension.optional(),
  countryOrRegionCode: fields.countryOrRegionCode.optional(),
  logonFailuresBeforeDisconnect: fields.logonFailuresBeforeDisconnect.optional(),
  defaultLanguage: fields.defaultLanguage.optional(),
  operatorExtension: z
    .string()
    .nullable()
    .optional()
    .describe(
      'OperatorExtension: 1-20 digits where 0 transfers a caller whose mailbox has no OperatorNumber; null removes it',
    ),
  voiceMailUri: fields.voiceMailUri.optional(),
  voiceAccessNumbers: multiValuedEdit(
    z.string(),
    `${L.voiceAccessNumbers.field}: optional +, then ${L.voiceAccessNumbers.minDigits}-${L.voiceAccessNumbers.maxDigits} digits`,
  ).optional(),
});

export const NewDialPlanResult = z.object({ dialPlan: DialPlan, defaultPolicy: MailboxPolicy.nullable() });

const tags = ['UM dial plans'];
const base = '/api/v1/dial-plans';

export const DIAL_PLAN_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: base,
    operationId: 'listDialPlans',
    summary: 'List UM dial plans (Get-UMDialPlan)',
    tags,
    permission: 'organization:read',
    operation: 'Get-UMDialPlan',
    query: SearchQuery.extend({
      identity: IdentityParams.shape.identity
        .optional()
        .describe(
          "only this dial plan (Get-UMDialPlan -Identity): an empty page when it is outside the caller's scope",
        ),
    }),
    response: page(DialPlan),
    handler: async ({ deps, actor, query }) => pageDialPlans(deps, actor, query),
  }),
  apiRoute({
    method: 'GET',
    url: `${base}/:identity`,
    operationId: 'getDialPlan',
    summary: 'Get one UM dial plan (Get-UMDialPlan -Identity)',
    tags,
    permission: 'organization:read',
    operation: 'Get-UMDialPlan',
    params: IdentityParams,
    response: DialPlan,
    handler: async ({ deps, actor, params }) => {
      const [plan] = await getDialPlans(deps, actor, params.identity);
      // a scoped caller sees only its own dial plans: the others are as if absent
      if (!plan) throw notFound(params.identity);
      return plan;
    },
  }),
  apiRoute({
    method: 'POST',
    url: base,
    operationId: 'newDialPlan',
    summary: 'Create a UM dial plan and, by default, its default UM mailbox policy (New-UMDialPlan)',
    tags,
    permission: 'organization:write',
    operation: 'New-UMDialPlan',
    body: NewDialPlanBody,
    status: 201,
    response: NewDialPlanResult,
    handler: async ({ deps, actor, body }) => newDialPlan(deps, actor, body),
  }),
  apiRoute({
    method: 'PATCH',
    url: `${base}/:identity`,
    operationId: 'setDialPlan',
    summary: 'Change a UM dial plan (Set-UMDialPlan)',
    tags,
    permission: 'organization:write',
    operation: 'Set-UMDialPlan',
    params: IdentityParams,
    body: DialPlanChanges,
    response: DialPlan,
    handler: async ({ deps, actor, params, body }) => setDialPlan(deps, actor, params.identity, body),
  }),
  apiRoute({
    method: 'DELETE',
    url: `${base}/:identity`,
    operationId: 'removeDialPlan',
    summary: 'Remove a UM dial plan that no UM mailbox policy uses (Remove-UMDialPlan)',
    tags,
    permission: 'organization:write',
    operation: 'Remove-UMDialPlan',
    params: IdentityParams,
    status: 204,
    response: NoContent,
    handler: async ({ deps, actor, params }) => {
      await removeDialPlan(deps, actor, params.identity);
      return null;
    },
  }),
];

function notFound(identity: string): UmpinError {
  return new UmpinError({
    code: 'UMPIN_IDENTITY_NOT_FOUND',
    field: 'Identity',
    params: { identity, kind: 'UM dial plan' },
  });
}
