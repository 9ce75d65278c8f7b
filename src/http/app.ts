/**
 * The HTTP server: the REST API under /api/v1 (from the route table), its OpenAPI document
 * and docs page, health and readiness probes, and /metrics. Built apart from listen(), so
 * tests use inject().
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { UmpinError } from '../domain/errors.js';
import type { Deps } from '../services/ports/deps.js';
import { languageFromAcceptLanguage } from './accept-language.js';
import type { ApiRoute } from './api-route.js';
import { errorReply } from './error-reply.js';
import { fastSerializerCompiler, fastValidatorCompiler } from './fast-schemas.js';
import { buildLoggers, lazyChildLogger, loggedUrl, OneLinePerRequest, type LogOptions } from './logging.js';
import { metricsPlugin } from './metrics.js';
import { type ApiDocsVisibility, registerOpenApi } from './openapi.js';
import { DEFAULT_RATE_LIMITS, registerApiRoutes, type RateLimits } from './register-routes.js';
import { API_ROUTES } from './routes/api-routes.js';
import { webAdminCenter, type WebOptions } from './web.js';

export interface AppOptions {
  /** true: JSON logs on stdout at info; or a level and a stream. Default: no log. */
  logger?: boolean | LogOptions;
  /** UMPIN_TRUST_PROXY: whose X-Forwarded-For/-Proto to believe */
  trustProxy?: Config['trustProxy'];
  /** largest request body in bytes (default 64 KiB: no API request needs more) */
  bodyLimit?: number;
  /** per-address limits on sign-in and PIN changes (tests lower them) */
  rateLimits?: Partial<RateLimits>;
  /** /metrics: a bearer token for scrapers (UMPIN_METRICS_TOKEN), or false for no /metrics */
  metrics?: { token?: string | undefined; processMetrics?: boolean } | false;
  /** the route table; tests may add routes to see that undeclared ones are caught */
  routes?: readonly ApiRoute[];
  /** the web admin center's built files, served at / (left out: no web pages) */
  web?: WebOptions;
  /** served over TLS by this process (UMPIN_HTTP_TLS_CERT): answers carry HSTS */
  tls?: { cert: string; key: string };
  /** who may read the API docs page and document (UMPIN_API_DOCS; default signed-in callers) */
  apiDocs?: ApiDocsVisibility;
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const READY_TIMEOUT_MS = 3000;

export function buildApp(deps: Deps, opts: AppOptions = {}): FastifyInstance {
  // the client-error handler logs through the app's logger, which exists once the app does
  let log: FastifyBaseLogger | undefined;
  const loggers = opts.logger ? buildLoggers(opts.logger === true ? {} : opts.logger) : undefined;
  const app: FastifyInstance = Fastify({
    ...(loggers ? { loggerInstance: loggers.logger as FastifyBaseLogger } : { logger: false }),
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    // built-in TLS for sites without a proxy; serve reloads the files on SIGHUP
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' as const } } : {}),
    logController: new OneLinePerRequest(loggers?.access),
    // a request's logger is made when something logs for it (most requests log only the access line)
    ...(loggers ? { childLoggerFactory: lazyChildLogger as never } : {}),
    // every route is declared in the table; no implicit HEAD twins
    exposeHeadRoutes: false,
    // a URL the router cannot read (a bad %-escape) is answered and logged like any refusal
    frameworkErrors: (err, request, reply) => {
      const reason = err.code === 'FST_ERR_BAD_URL' ? 'url' : 'not-http';
      request.log.info({ req: request, code: err.code }, 'request refused');
      securityHeaders(reply);
      return sendError(request, reply, new UmpinError({ code: 'UMPIN_REQUEST_MALFORMED', params: { reason } }));
    },
    // bytes that never became a request (oversized headers, not HTTP): an answer in our shape, and a log line
    clientErrorHandler: (err, socket) => answerClientError(log, err, socket),
  });
  log = app.log;
  // every answer: nothing may frame it, and nothing in it runs or loads (the web pages and the
  // docs page set their own policy for what they load)
  const securityHeaders = (reply: FastifyReply) => {
    reply.header('content-security-policy', API_CSP);
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-content-type-options', 'nosniff');
    if (opts.tls) reply.header('strict-transport-security', 'max-age=31536000');
  };
  // zod's compilers, with a fast path in front (fast-schemas.ts)
  app.setValidatorCompiler(fastValidatorCompiler);
  app.setSerializerCompiler(fastSerializerCompiler);
  // JSON only: a cross-site form cannot send it without the browser asking first
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((err, request, reply) => sendError(request, reply, err));
  // an API route that bypassed the table (no declared permission) stops the server from starting
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v1/') && route.config?.permission === undefined) {
      throw new Error(
        `${route.method} ${route.url} has no declared permission: add it to the route table (src/http/routes)`,
      );
    }
  });
  app.setNotFoundHandler((request, reply) => {
    const path = loggedUrl(request.url).split('?')[0]!;
    return sendError(
      request,
      reply,
      new UmpinError({ code: 'UMPIN_NOT_FOUND', params: { method: request.method, path } }),
    );
  });
  // a callback hook, not an async one: no promise on every request for a few headers
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    securityHeaders(reply);
    // API answers may carry a one-time token; no cache keeps them
    if (request.url.startsWith('/api/v1/')) reply.header('cache-control', 'no-store');
    done();
  });

  if (opts.metrics !== false)
    app.register(metricsPlugin, { deps, token: opts.metrics?.token, processMetrics: opts.metrics?.processMetrics });
  registerOpenApi(app, deps, opts.apiDocs ?? 'signed-in');

  app.register(async (probes) => {
    /** the process answers (no query: a slow database must not get a healthy process restarted) */
    probes.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', store: deps.store.engine }));
    /** and can reach its store: a load balancer sends traffic only while this is 200 */
    probes.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
      try {
        await withTimeout(deps.store.ping(), READY_TIMEOUT_MS);
        return { status: 'ready', store: deps.store.engine };
      } catch {
        return sendError(request, reply, new UmpinError({ code: 'UMPIN_STORE_UNAVAILABLE' }));
      }
    });
  });
  app.register(async (api) =>
    registerApiRoutes(api, deps, opts.routes ?? API_ROUTES, { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits }),
  );
  const web = opts.web;
  if (web) app.register(async (pages) => webAdminCenter(pages, web));
  return app;
}

/**
 * Every error answer: the registry's status for the code, and the message in the language
 * the client asks for (Accept-Language), which Content-Language names.
 */
function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const language = languageFromAcceptLanguage(request.headers['accept-language']);
  const r = errorReply(err, { bodyLimit: request.routeOptions.bodyLimit, language });
  if (r.internal) request.log.error({ err }, 'request failed');
  if (r.status === 401 && !reply.hasHeader('www-authenticate'))
    reply.header('www-authenticate', 'Bearer realm="umpin"');
  // every limiter (the route groups' and the services' own) says how long to wait in the error's params
  const retryAfter = r.error.params.retryAfter;
  if (r.status === 429 && typeof retryAfter === 'number' && !reply.hasHeader('retry-after'))
    reply.header('retry-after', String(retryAfter));
  reply.header('content-language', language);
  reply.header('vary', 'Accept-Language');
  return reply.code(r.status).send(r.body);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Node's answer to bytes that never became a request, in our error shape: 431 for headers
 * beyond its limit, 400 for anything that is not HTTP; logged with the peer's address.
 */
function answerClientError(log: FastifyBaseLogger | undefined, err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const reason = tooLarge ? 'headers-too-large' : 'not-http';
  const status = tooLarge ? 431 : 400;
  const r = errorReply(new UmpinError({ code: 'UMPIN_REQUEST_MALFORMED', params: { reason } }), { language: 'en' });
  const body = JSON.stringify(r.body);
  log?.info({ remoteAddress: socket.remoteAddress, code: err.code, res: { statusCode: status } }, 'request refused');
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Content-Language: en\r\n' +
      `Content-Security-Policy: ${API_CSP}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}
