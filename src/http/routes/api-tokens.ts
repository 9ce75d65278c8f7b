/** API tokens for automation: shown once when created, stored as a digest, revocable. */
import { z } from 'zod';
import { newApiToken, pageApiTokens, revokeApiToken } from '../../services/api-tokens.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { NameParams, NoContent, page, SearchQuery, Timestamp } from '../schemas/common.js';
import { RoleGroup } from './actor-view.js';

export const ApiToken = z
  .object({
    name: z.string(),
    role: RoleGroup,
    dialPlanScope: z
      .array(z.string())
      .nullable()
      .describe('dial plan names the token is limited to; null = the whole organisation'),
    createdBy: z.string(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });

const tags = ['Access'];
const base = '/api/v1/tokens';

export const API_TOKEN_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: base,
    operationId: 'listApiTokens',
    summary: 'List API tokens (never their secrets)',
    tags,
    permission: 'access:read',
    operation: 'Get-ApiToken',
    query: SearchQuery,
    response: page(ApiToken),
    handler: async ({ deps, actor, query }) => pageApiTokens(deps, actor, query),
  }),
  apiRoute({
    method: 'POST',
    url: base,
    operationId: 'newApiToken',
    summary: 'Create an API token carrying one role group; the token is in this response only',
    tags,
    permission: 'access:write',
    operation: 'New-ApiToken',
    body: z.strictObject({
      name: z.string().describe('a unique name, shown in the audit log as token:<name>'),
      role: RoleGroup,
      scope: z.array(z.string()).optional().describe('dial plans (identities) the token is limited to'),
    }),
    status: 201,
    response: z.object({
      token: z.string().describe('the bearer token: store it now, it is never shown again'),
      view: ApiToken,
    }),
    handler: async ({ deps, actor, body }) => newApiToken(deps, actor, body),
  }),
  apiRoute({
    method: 'DELETE',
    url: `${base}/:name`,
    operationId: 'revokeApiToken',
    summary: 'Revoke an API token; its next request is refused',
    tags,
    permission: 'access:write',
    operation: 'Remove-ApiToken',
    params: NameParams,
    status: 204,
    response: NoContent,
    handler: async ({ deps, actor, params }) => {
      await revokeApiToken(deps, actor, params.name);
      return null;
    },
  }),
];
