/** Signing in to the admin center: a session cookie and a CSRF token for its writes; who is calling; signing out (administrators and end users alike). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../services/ports/deps.js';
import { signInWithPassword, signOut, type SessionGrant } from '../../services/sessions.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { authenticationOf } from '../authentication.js';
import { NoContent, Timestamp } from '../schemas/common.js';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from '../session-cookie.js';
import { ActorView, actorView } from './actor-view.js';
import { Password } from './admin-accounts.js';

const tags = ['Session'];
const url = '/api/v1/session';

/** What a sign-in answers, administrator's or end user's: the session id goes in the cookie only. */
export const SignInResult = z
  .object({
    csrfToken: z.string().describe('echo in X-CSRF-Token on writes; shown only here'),
    actor: ActorView,
    idleExpiresAt: Timestamp,
    absoluteExpiresAt: Timestamp,
  })
  .meta({ id: 'SignInResult' });

/**
 * Hands a new session to the browser: a fresh session id at every sign-in (no fixation),
 * and the one the browser held before ends now.
 */
export async function startCookieSession(
  deps: Deps,
  grant: SessionGrant,
  source: string | null,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<z.output<typeof SignInResult>> {
  const previous = sessionCookieOf(request);
  if (previous !== undefined) await signOut(deps, previous, source);
  setSessionCookie(request, reply, grant.sessionId, grant.absoluteExpiresAt);
  return {
    csrfToken: grant.csrfToken,
    actor: actorView(grant.actor),
    idleExpiresAt: grant.idleExpiresAt,
    absoluteExpiresAt: grant.absoluteExpiresAt,
  };
}

export const SESSION_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'POST',
    url,
    operationId: 'signIn',
    summary: 'Sign in with an administrator account: sets the session cookie and returns the CSRF token',
    description:
      'Send the returned csrfToken in an X-CSRF-Token header with every POST, PUT, PATCH and DELETE made with the cookie.',
    tags,
    permission: 'public',
    body: z.strictObject({ name: z.string().max(256), password: Password }),
    response: SignInResult,
    rateLimit: 'sign-in',
    handler: async ({ deps, body, source, request, reply }) =>
      startCookieSession(
        deps,
        await signInWithPassword(deps, { name: body.name, password: body.password, source }),
        source,
        request,
        reply,
      ),
  }),
  apiRoute({
    method: 'GET',
    url,
    operationId: 'whoAmI',
    summary: 'Who the caller is: the signed-in administrator or end user, or the API token',
    tags,
    permission: 'authenticated',
    response: z.object({ actor: ActorView, via: z.enum(['session', 'token']) }),
    handler: async ({ actor, request }) => ({
      actor: actorView(actor),
      via: authenticationOf(request)?.via ?? 'token',
    }),
  }),
  apiRoute({
    method: 'DELETE',
    url,
    operationId: 'signOut',
    summary: 'Sign out: ends the session and clears its cookie',
    tags,
    permission: 'authenticated',
    status: 204,
    response: NoContent,
    handler: async ({ deps, source, request, reply }) => {
      const sessionId = authenticationOf(request)?.sessionId;
      if (sessionId !== undefined) await signOut(deps, sessionId, source);
      clearSessionCookie(request, reply);
      return null;
    },
  }),
];
