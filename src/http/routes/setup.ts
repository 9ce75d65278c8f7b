/** First run: the one-time setup token creates the first Organization Management account. */
import { z } from 'zod';
import { completeSetup, needsBootstrap } from '../../services/admin-accounts.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { AdminAccount, Password } from './admin-accounts.js';

const tags = ['Setup'];
const url = '/api/v1/setup';

export const SETUP_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url,
    operationId: 'getSetupState',
    summary: 'Whether first-run setup is still needed (no administrator account exists)',
    tags,
    permission: 'public',
    response: z.object({ required: z.boolean() }),
    handler: async ({ deps }) => ({ required: await needsBootstrap(deps) }),
  }),
  apiRoute({
    method: 'POST',
    url,
    operationId: 'completeSetup',
    summary: 'Create the first Organization Management account with the one-time setup token',
    description: '`umpin serve` prints the one-time setup token on first run. Refused once any account exists.',
    tags,
    permission: 'public',
    body: z.strictObject({
      token: z.string().max(512).describe('the one-time setup token'),
      name: z.string().max(256),
      password: Password,
    }),
    status: 201,
    response: AdminAccount,
    rateLimit: 'sign-in',
    handler: async ({ deps, body, source }) =>
      completeSetup(deps, { token: body.token, name: body.name, password: body.password, source }),
  }),
];
