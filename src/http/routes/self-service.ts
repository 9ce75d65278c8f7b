/**
 * The self-service API (the web page a later issue builds on it): an end user asks for a
 * one-time code by mail, signs in with it, sees their own PIN status and mailbox, and resets
 * their own PIN to a generated one mailed to themselves. They cannot choose a PIN here, as in
 * Exchange's web client; the 'self' routes name no mailbox but the caller's own.
 */
import { z } from 'zod';
import { getUMMailboxPIN } from '../../services/get-um-mailbox-pin.js';
import { setUMMailboxPIN } from '../../services/set-um-mailbox-pin.js';
import { requestSignInCode, signInWithCode } from '../../services/sign-in-codes.js';
import { getMyUMMailbox } from '../../services/um-mailboxes.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { SetPinResult, UMMailboxPIN } from './pins.js';
import { SignInResult, startCookieSession } from './session.js';
import { UMMailbox } from './um-mailboxes.js';

const tags = ['Self-service'];

const Identity = z
  .string()
  .max(320)
  .describe('your e-mail address (or another identity naming exactly your mailbox: alias, user principal name)');

/** The user's own UM mailbox, with the numbers to call to reach voice mail. */
export const MyUMMailbox = UMMailbox.extend({
  voiceAccessNumbers: z.array(z.string()).describe("the dial plan's voice access numbers"),
  pinDelivery: z
    .enum(['Mail', 'Link'])
    .describe(
      "the UM mailbox policy's PINDelivery: a reset mails the PIN (Mail) or a one-time link that shows it (Link)",
    ),
}).meta({ id: 'MyUMMailbox' });

export const SELF_SERVICE_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'POST',
    url: '/api/v1/self/sign-in-codes',
    operationId: 'requestSignInCode',
    summary: 'Mail a one-time sign-in code to a UM-enabled mailbox',
    description:
      'Always answers 202 the same way, in about the same time, whether or not the identity names a UM-enabled mailbox: only such a mailbox gets the mail, ' +
      'at most 3 a mailbox in 15 minutes. A new code replaces the unused one; it is valid for 15 minutes, once.',
    tags,
    permission: 'public',
    body: z.strictObject({ identity: Identity }),
    status: 202,
    response: z.object({
      sent: z.literal(true),
      expiresInMinutes: z.number().int().describe('how long the mailed code is valid'),
    }),
    rateLimit: 'sign-in',
    handler: async ({ deps, body, source }) => requestSignInCode(deps, { identity: body.identity, source }),
  }),
  apiRoute({
    method: 'POST',
    url: '/api/v1/self/session',
    operationId: 'signInWithCode',
    summary: 'Sign in with the mailed code: sets the session cookie and returns the CSRF token',
    description:
      'The code is accepted in any letter case, with or without its hyphen. Any failure is one 401 UMPIN_SIGN_IN_FAILED; a code is void after 5 wrong tries. ' +
      'Send the returned csrfToken in an X-CSRF-Token header with every POST, PUT, PATCH and DELETE made with the cookie.',
    tags,
    permission: 'public',
    body: z.strictObject({
      identity: Identity,
      code: z
        .string()
        .max(64)
        .describe('the code from the mail, e.g. BCDF-GHJK')
        .meta({ format: 'password', writeOnly: true }),
    }),
    response: SignInResult,
    rateLimit: 'sign-in',
    handler: async ({ deps, body, source, request, reply }) =>
      startCookieSession(
        deps,
        await signInWithCode(deps, { identity: body.identity, code: body.code, source }),
        source,
        request,
        reply,
      ),
  }),
  apiRoute({
    method: 'GET',
    url: '/api/v1/self/pin',
    operationId: 'getMyUMMailboxPIN',
    summary: 'Your own PIN status, never the PIN (Get-UMMailboxPIN on your mailbox)',
    tags,
    permission: 'self',
    operation: 'Get-UMMailboxPIN',
    response: UMMailboxPIN,
    handler: async ({ deps, actor }) => getUMMailboxPIN(deps, actor, actor.recipientId!),
  }),
  apiRoute({
    method: 'POST',
    url: '/api/v1/self/pin/reset',
    operationId: 'resetMyUMMailboxPIN',
    summary: 'Reset your own PIN: a generated PIN is mailed to you, to be changed at the next call; unlocks',
    tags,
    permission: 'self',
    operation: 'Set-UMMailboxPIN',
    // nothing to choose: no PIN, no other address, no keeping it unexpired (the body may be left out)
    body: z.strictObject({}).nullish(),
    response: SetPinResult,
    rateLimit: 'pin-change',
    handler: async ({ deps, actor }) => setUMMailboxPIN(deps, actor, { identity: actor.recipientId! }),
  }),
  apiRoute({
    method: 'GET',
    url: '/api/v1/self/mailbox',
    operationId: 'getMyUMMailbox',
    summary: 'Your own UM mailbox: extensions, UM mailbox policy, dial plan and the numbers to call',
    tags,
    permission: 'self',
    operation: 'Get-UMMailbox',
    response: MyUMMailbox,
    handler: async ({ deps, actor }) => getMyUMMailbox(deps, actor),
  }),
];
