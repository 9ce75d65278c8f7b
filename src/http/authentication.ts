/**
 * Who is calling, decided before a route's input is read: a bearer token, else the session
 * cookie (with its CSRF token on every write), else nobody. Whether that caller may use the
 * route's operation at all is the services' decision (authorizeUse), as are the checks that
 * depend on the object (dial-plan scopes, a user's own mailbox).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UmpinError } from '../domain/errors.js';
import type { Actor } from '../services/actor.js';
import { authenticateToken } from '../services/api-tokens.js';
import { authorizeUse, type Operation } from '../services/permissions.js';
import type { Deps } from '../services/ports/deps.js';
import { resumeSession } from '../services/sessions.js';
import type { RoutePermission } from './api-route.js';
import { sessionCookieOf } from './session-cookie.js';

export interface Authentication {
  actor: Actor;
  via: 'token' | 'session';
  /** the session's id, for signing out (never logged, never in a response) */
  sessionId?: string;
}

const AUTHENTICATIONS = new WeakMap<FastifyRequest, Authentication>();

export function authenticationOf(request: FastifyRequest): Authentication | null {
  return AUTHENTICATIONS.get(request) ?? null;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function unauthenticated(reply: FastifyReply, error: 'invalid_token' | null): UmpinError {
  reply.header('www-authenticate', error ? `Bearer realm="umpin", error="${error}"` : 'Bearer realm="umpin"');
  return new UmpinError({ code: 'UMPIN_AUTH_REQUIRED' });
}

async function identify(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  strict: boolean,
): Promise<Authentication | null> {
  const source = request.ip;
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const actor = m ? await authenticateToken(deps, m[1]!, source, { forChange: WRITES.has(request.method) }) : null;
    // a token that does not work is refused outright, never downgraded to the cookie or to anonymous
    if (!actor) {
      if (strict) throw unauthenticated(reply, 'invalid_token');
      return null;
    }
    return { actor, via: 'token' };
  }
  const sessionId = sessionCookieOf(request);
  if (sessionId !== undefined) {
    const session = await resumeSession(deps, sessionId, source);
    if (!session) return null;
    // a cookie rides along on requests other sites make; only our page knows the CSRF token
    if (strict && WRITES.has(request.method) && !session.checkCsrf(headerValue(request.headers['x-csrf-token']))) {
      throw new UmpinError({ code: 'UMPIN_CSRF_INVALID' });
    }
    return { actor: session.actor, via: 'session', sessionId };
  }
  return null;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The onRequest hook of one route. Public routes see a caller when there is a valid one, and
 * never fail for a stale one; a refusal names the route's operation as the shell would.
 */
export function authenticator(deps: Deps, permission: RoutePermission, operation: Operation | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const auth = await identify(deps, request, reply, permission !== 'public');
    if (auth) AUTHENTICATIONS.set(request, auth);
    if (permission === 'public') return;
    if (!auth) throw unauthenticated(reply, null);
    if (permission !== 'authenticated') authorizeUse(auth.actor, permission, operation!);
  };
}
