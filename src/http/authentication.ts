/**
 * Who is calling, decided before a route's input is read: a bearer token, else the session
 * cookie (with its CSRF token on every write), else nobody. Then the route's declared
 * permission is checked against the caller's role groups (or, for 'self' routes, that it is a
 * signed-in end user); checks that depend on the object (dial-plan scopes, a user's own
 * mailbox) stay in the services.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UmpinError } from '../domain/errors.js';
import type { Actor } from '../services/actor.js';
import { authenticateToken } from '../services/api-tokens.js';
import { ROLE_PERMISSIONS } from '../services/permissions.js';
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

/**
 * May this actor call a route with this permission at all (before any object is known)?
 * An end user's door is the 'self' routes, which name no mailbox but their own; the routes
 * that take any identity are the administrators' and tokens', and 'self' is none of theirs.
 * (The services still check that a user acts on their own mailbox, for every other caller.)
 */
export function routeAllows(actor: Actor, permission: RoutePermission): boolean {
  if (permission === 'public' || permission === 'authenticated') return true;
  if (permission === 'self') return actor.kind === 'user' && actor.recipientId !== undefined;
  if (actor.kind === 'user') return false;
  if (actor.kind === 'system') return true;
  return actor.roles.some((r) => ROLE_PERMISSIONS[r]?.includes(permission));
}

async function identify(deps: Deps, request: FastifyRequest, reply: FastifyReply, strict: boolean): Promise<Authentication | null> {
  const source = request.ip;
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const actor = m ? await authenticateToken(deps, m[1]!, source) : null;
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

/** The onRequest hook of one route. Public routes see a caller when there is a valid one, and never fail for a stale one. */
export function authenticator(deps: Deps, permission: RoutePermission, operationId: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const auth = await identify(deps, request, reply, permission !== 'public');
    if (auth) AUTHENTICATIONS.set(request, auth);
    if (permission === 'public') return;
    if (!auth) throw unauthenticated(reply, null);
    if (!routeAllows(auth.actor, permission)) {
      throw new UmpinError({ code: 'UMPIN_ACCESS_DENIED', params: { actor: auth.actor.name, action: operationId } });
    }
  };
}
