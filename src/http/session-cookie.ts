/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), Secure whenever the request came over TLS (behind a proxy only when
 * UMPIN_TRUST_PROXY lets Fastify believe X-Forwarded-Proto).
 *
 * Read and written here by hand, for this one cookie: a cookie plugin parsed every request's
 * Cookie header and ran an onSend hook on every answer, API tokens' requests too, which never
 * carry one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'umpin_session';

function attributes(request: FastifyRequest, expires: Date, maxAgeZero: boolean): string {
  return (
    (maxAgeZero ? '; Max-Age=0' : '') +
    `; Path=/; Expires=${expires.toUTCString()}; HttpOnly` +
    (request.protocol === 'https' ? '; Secure' : '') +
    '; SameSite=Strict'
  );
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  sessionId: string,
  expiresAt: number,
): void {
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${encodeURIComponent(sessionId)}${attributes(request, new Date(expiresAt), false)}`,
  );
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=${attributes(request, new Date(0), true)}`);
}

/** The session cookie's value (the first, should a client send it twice), or undefined. */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    let v = pair.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    if (v.includes('%')) {
      try {
        v = decodeURIComponent(v);
      } catch {
        // a malformed escape is kept as sent, as the cookie parser did: it names no session
      }
    }
    return v === '' ? undefined : v;
  }
  return undefined;
}
