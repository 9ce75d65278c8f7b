/**
 * Test-UMMailboxPIN (a umpin addition): the dry-run policy check of a typed PIN, for a UM
 * mailbox (Reset PIN) or for a UM mailbox policy (the Enable UM wizard, before the mailbox has
 * one). The PIN travels in the JSON body, never in the URL; the answer never carries it.
 * A refused PIN is answered 422 with the code and params Set-UMMailboxPIN would give.
 */
import { z } from 'zod';
import { UmpinError } from '../../domain/errors.js';
import { testUMMailboxPIN } from '../../services/test-um-mailbox-pin.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { IdentityParams } from '../schemas/common.js';

const pin = z
  .string()
  .max(64)
  .describe('the PIN to check: digits, as the administrator typed it')
  .meta({ format: 'password', writeOnly: true });

const PinCheckResult = z
  .object({ ok: z.literal(true).describe('the policy would accept the PIN (its history is judged when it is saved)') })
  .meta({ id: 'TestUMMailboxPINResult' });

/** Over the limit: 429 with Retry-After (seconds), as the other rate limits answer. */
async function withRetryAfter<T>(reply: { header(name: string, value: string): unknown }, run: () => Promise<T>) {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UmpinError && err.code === 'UMPIN_RATE_LIMITED')
      reply.header('retry-after', String(err.params.retryAfter ?? 60));
    throw err;
  }
}

const tags = ['PINs'];
const summary = 'rules a PIN breaks, stores nothing; at most 30 checks a minute per caller (Test-UMMailboxPIN)';

export const PIN_CHECK_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'POST',
    url: '/api/v1/um-mailboxes/:identity/pin/check',
    operationId: 'testUMMailboxPIN',
    summary: `Dry run of Set-UMMailboxPIN -Pin against the mailbox's policy and extensions: the ${summary}`,
    tags,
    permission: 'pin:reset',
    operation: 'Test-UMMailboxPIN',
    params: IdentityParams,
    body: z.strictObject({ pin }),
    response: PinCheckResult,
    errors: [429],
    handler: async ({ deps, actor, params, body, reply }) =>
      withRetryAfter(reply, () => testUMMailboxPIN(deps, actor, { identity: params.identity, pin: body.pin })),
  }),
  apiRoute({
    method: 'POST',
    url: '/api/v1/um-mailbox-policies/:identity/pin-check',
    operationId: 'testUMMailboxPolicyPIN',
    summary: `Dry run of Enable-UMMailbox -Pin against a UM mailbox policy (and the extensions to come): the ${summary}`,
    tags,
    permission: 'pin:reset',
    operation: 'Test-UMMailboxPIN',
    params: IdentityParams,
    body: z.strictObject({
      pin,
      extensions: z
        .array(z.string().max(64))
        .max(20)
        .optional()
        .describe('the extensions the mailbox will have: a PIN may not contain them'),
    }),
    response: PinCheckResult,
    errors: [429],
    handler: async ({ deps, actor, params, body, reply }) =>
      withRetryAfter(reply, () =>
        testUMMailboxPIN(deps, actor, { umMailboxPolicy: params.identity, extensions: body.extensions, pin: body.pin }),
      ),
  }),
];
