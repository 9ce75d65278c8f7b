/** Local administrator accounts: who may sign in with a password, and with which role group. */
import { z } from 'zod';
import { addAdminAccount, pageAdminAccounts, resetAdminPassword } from '../../services/admin-accounts.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { NameParams, NoContent, page, SearchQuery, Timestamp } from '../schemas/common.js';
import { RoleGroup } from './actor-view.js';

export const AdminAccount = z
  .object({
    name: z.string(),
    role: RoleGroup,
    dialPlanScope: z
      .array(z.string())
      .nullable()
      .describe('dial plan names the account is limited to; null = the whole organisation'),
    createdAt: Timestamp,
    disabled: z.boolean(),
  })
  .meta({ id: 'AdminAccount' });

export const Password = z
  .string()
  .max(1024)
  .describe('the password (rules in the error when refused)')
  .meta({ format: 'password', writeOnly: true });

const tags = ['Access'];
const base = '/api/v1/admin-accounts';

export const ADMIN_ACCOUNT_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: base,
    operationId: 'listAdminAccounts',
    summary: 'List administrator accounts',
    tags,
    permission: 'access:read',
    operation: 'Get-AdminAccount',
    query: SearchQuery,
    response: page(AdminAccount),
    handler: async ({ deps, actor, query }) => pageAdminAccounts(deps, actor, query),
  }),
  apiRoute({
    method: 'POST',
    url: base,
    operationId: 'addAdminAccount',
    summary: 'Create an administrator account with one role group',
    tags,
    permission: 'access:write',
    operation: 'New-AdminAccount',
    body: z.strictObject({
      name: z.string(),
      password: Password,
      role: RoleGroup,
      scope: z.array(z.string()).optional().describe('dial plans (identities) the account is limited to'),
    }),
    status: 201,
    response: AdminAccount,
    handler: async ({ deps, actor, body }) => addAdminAccount(deps, actor, body),
  }),
  apiRoute({
    method: 'PUT',
    url: `${base}/:name/password`,
    operationId: 'resetAdminPassword',
    summary: 'Set a new password for an administrator account',
    tags,
    permission: 'access:write',
    operation: 'Set-AdminAccountPassword',
    params: NameParams,
    body: z.strictObject({ password: Password }),
    status: 204,
    response: NoContent,
    handler: async ({ deps, actor, params, body }) => {
      await resetAdminPassword(deps, actor, params.name, body.password);
      return null;
    },
  }),
];
