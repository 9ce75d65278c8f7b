/**
 * The web admin center, served from its built files (dist/web): hashed assets under /assets/
 * cached for a year, and the app's one HTML page, never cached, for every client route (any
 * GET path outside the API, the metrics and the probes). Every web answer carries a strict
 * Content-Security-Policy: the build inlines nothing, so nothing inline needs allowing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': WEB_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** Paths that belong to the server, not to the app: an unknown one there is the API's 404. */
const SERVER_PATHS = ['/api', '/metrics', '/healthz', '/readyz'];

export function isClientRoute(path: string): boolean {
  return !SERVER_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

export interface WebOptions {
  /** the built front end: index.html and assets/ (dist/web) */
  root: string;
}

export async function webAdminCenter(app: FastifyInstance, opts: WebOptions): Promise<void> {
  // read once: a missing build stops the server from starting, rather than failing each request
  const html = readFileSync(join(opts.root, 'index.html'));
  await app.register(fastifyStatic, {
    root: join(opts.root, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    // file names carry a hash of their content: a changed file is a new name
    maxAge: '365d',
    immutable: true,
    setHeaders: (reply) => {
      reply.headers(SECURITY_HEADERS);
    },
  });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (!isClientRoute(request.url.split('?')[0]!)) return reply.callNotFound();
    return reply
      .headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' })
      .type('text/html; charset=utf-8')
      .send(html);
  });
}
