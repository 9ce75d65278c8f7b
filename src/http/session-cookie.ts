/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), Secure whenever the request came over TLS (behind a proxy only when
 * UMPIN_TRUST_PROXY lets Fastify believe X-Forwarded-Proto).
 */
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'umpin_session';

function options(request: FastifyRequest) {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: request.protocol === 'https' } as const;
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  sessionId: string,
  expiresAt: number,
): void {
  reply.setCookie(SESSION_COOKIE, sessionId, { ...options(request), expires: new Date(expiresAt) });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, options(request));
}

export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const v = request.cookies[SESSION_COOKIE];
  return v === undefined || v === '' ? undefined : v;
}
