/**
 * The HTTP server: the REST API under /api/v1 (from the route table), its OpenAPI document
 * and docs page, health and readiness probes, and /metrics. Built apart from listen(), so
 * tests use inject().
 */
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import { UmpinError } from '../domain/errors.js';
import type { Deps } from '../services/ports/deps.js';
import { languageFromAcceptLanguage } from './accept-language.js';
import type { ApiRoute } from './api-route.js';
import { errorReply } from './error-reply.js';
import { loggedUrl, loggerOptions, OneLinePerRequest, type LogOptions } from './logging.js';
import { metricsPlugin } from './metrics.js';
import { registerOpenApi } from './openapi.js';
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
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;
const READY_TIMEOUT_MS = 3000;

export function buildApp(deps: Deps, opts: AppOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger ? loggerOptions(opts.logger === true ? {} : opts.logger) : false,
    trustProxy: trustProxy(opts.trustProxy ?? false),
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    logController: new OneLinePerRequest(),
    // every route is declared in the table; no implicit HEAD twins
    exposeHeadRoutes: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
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
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    // API answers may carry a one-time token; no cache keeps them
    if (request.url.startsWith('/api/v1/')) reply.header('cache-control', 'no-store');
  });

  app.register(fastifyCookie);
  // no global limit: the route table names the routes limited, in groups (register-routes.ts)
  app.register(fastifyRateLimit, { global: false });
  if (opts.metrics !== false)
    app.register(metricsPlugin, { deps, token: opts.metrics?.token, processMetrics: opts.metrics?.processMetrics });
  registerOpenApi(app);

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
  // the services' own limiters (sign-in) say how long to wait, as the route limiter's header does
  const retryAfter = r.error.params.retryAfter;
  if (r.status === 429 && typeof retryAfter === 'number' && !reply.hasHeader('retry-after'))
    reply.header('retry-after', String(retryAfter));
  reply.header('content-language', language);
  reply.header('vary', 'Accept-Language');
  return reply.code(r.status).send(r.body);
}

/** A hop count trusts that many proxies nearest the server (as Express does). */
function trustProxy(v: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof v === 'number' ? (_address, hop) => hop < v : v;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
