/**
 * PIN links (PINDelivery Link): what the page behind a mailed link asks. The token travels in
 * the body, never in an API URL; the page's own address (/me/pin/<token>) is redacted in the
 * access log. Both routes are public: whoever holds the link may open it, unless the policy
 * asked for the self-service sign-in, which the service checks against the caller's session.
 */
import { z } from 'zod';
import { getPinLinkStatus, showPinLink } from '../../services/pin-links.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { Timestamp } from '../schemas/common.js';

const tags = ['Self-service'];

const TokenBody = z.strictObject({
  token: z
    .string()
    .max(128)
    .describe('the token: the last part of the link, after /me/pin/')
    .meta({ format: 'password', writeOnly: true }),
});

export const PinLinkStatus = z
  .object({
    state: z
      .enum(['ready', 'used', 'expired', 'replaced'])
      .describe('ready: showing the PIN will work; used, expired, replaced (by a newer link): it will not'),
    expiresAt: Timestamp.describe('when the link stops working, used or not'),
    requiresSignIn: z
      .boolean()
      .describe('the PIN is shown only to its user signed in to the self-service page (PINLinkRequiresSignIn)'),
  })
  .meta({ id: 'PinLinkStatus' });

export const ShownPin = z
  .object({
    pin: z.string().describe('the PIN, shown this once').meta({ format: 'password', readOnly: true }),
    userId: z.string().describe("the mailbox's primary SMTP address"),
  })
  .meta({ id: 'ShownPin' });

export const PIN_LINK_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'POST',
    url: '/api/v1/self/pin-links/status',
    operationId: 'getPinLinkStatus',
    summary: 'Whether a PIN link can still show its PIN; reads only, never uses the link up',
    tags,
    permission: 'public',
    body: TokenBody,
    response: PinLinkStatus,
    errors: [404],
    handler: async ({ deps, body }) => getPinLinkStatus(deps, body.token),
  }),
  apiRoute({
    method: 'POST',
    url: '/api/v1/self/pin-links/show',
    operationId: 'showPinLink',
    summary: "Show a PIN link's PIN, once: the sealed PIN is erased as it is answered",
    description:
      'Answers with Cache-Control: no-store and Referrer-Policy: no-referrer. A second call answers 409 UMPIN_PIN_LINK_USED; ' +
      'an expired link 404 UMPIN_PIN_LINK_EXPIRED, one replaced by a newer reset 404 UMPIN_PIN_LINK_REPLACED. With ' +
      'PINLinkRequiresSignIn, only the session of the mailbox’s own user signed in to the self-service page may call it ' +
      '(403 UMPIN_PIN_LINK_SIGN_IN_REQUIRED, UMPIN_PIN_LINK_WRONG_USER).',
    tags,
    permission: 'public',
    body: TokenBody,
    response: ShownPin,
    errors: [403, 404, 409],
    handler: async ({ deps, actor, body, source, reply }) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      return showPinLink(deps, actor, { token: body.token, source });
    },
  }),
];
