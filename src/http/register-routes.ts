/** Turns the route table into Fastify routes: schemas, authentication, permission, rate limit, handler. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { countRequest } from '../services/limits.js';
import type { Deps } from '../services/ports/deps.js';
import type { ApiRoute, RateLimitGroup, RoutePermission } from './api-route.js';
import { authenticationOf, authenticator } from './authentication.js';
import { ErrorBody } from './schemas/common.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route's declared permission: every /api/v1 route has one (a test checks) */
    permission?: RoutePermission;
  }
}

export interface RateLimit {
  /** requests per window from one client address */
  max: number;
  windowMs: number;
}

export type RateLimits = Record<RateLimitGroup, RateLimit>;

export const DEFAULT_RATE_LIMITS: RateLimits = {
  'sign-in': { max: 10, windowMs: 60_000 },
  'pin-change': { max: 60, windowMs: 60_000 },
};

const SUCCESS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted' };

const ERROR_MEANINGS: Record<number, string> = {
  400: 'The request is malformed: a parameter has the wrong type, is missing or unknown',
  401: 'No valid API token or session',
  403: 'The caller may not do this (role group, dial-plan scope, an administrator on a self-service route or a user on any other, or a missing X-CSRF-Token)',
  404: 'No such object',
  409: 'Conflicts with the current state (name in use, still in use, not UM-enabled)',
  422: 'Well-formed, but refused by a rule (PIN policy, value range)',
  413: 'The request body is too large',
  415: 'The request body is not JSON',
  429: 'Too many requests; see Retry-After',
  503: 'The database cannot be reached',
};

function errorResponse(status: number) {
  return { description: ERROR_MEANINGS[status]!, content: { 'application/json': { schema: ErrorBody } } };
}

/** The errors a route can answer with, for its OpenAPI entry (and so the serializer lets them through). */
function errorResponses(route: ApiRoute): Record<number, ReturnType<typeof errorResponse>> {
  const statuses = new Set([400]);
  if (route.permission !== 'public') for (const s of [401, 403]) statuses.add(s);
  if (route.params) statuses.add(404);
  if (route.method !== 'GET') for (const s of [404, 409, 422]) statuses.add(s);
  if (route.rateLimit) statuses.add(429);
  for (const s of route.errors ?? []) statuses.add(s);
  return Object.fromEntries([...statuses].sort().map((s) => [s, errorResponse(s)]));
}

/**
 * One counter per group and client address, shared by the group's routes (a per-route
 * limit would let sign-in and setup each have their own allowance) and by every server on
 * the database (the store's limit counters), on the wall clock.
 */
function rateLimiters(deps: Deps, limits: RateLimits) {
  const hooks = new Map<RateLimitGroup, (request: FastifyRequest) => Promise<void>>();
  for (const [group, limit] of Object.entries(limits) as Array<[RateLimitGroup, RateLimit]>) {
    // a refusal is UMPIN_RATE_LIMITED, answered 429 with its Retry-After by the error reply
    hooks.set(group, (request) => countRequest(deps, group, request.ip, limit, Date.now()));
  }
  return hooks;
}

export function registerApiRoutes(
  app: FastifyInstance,
  deps: Deps,
  routes: readonly ApiRoute[],
  limits: RateLimits,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const limiters = rateLimiters(deps, limits);
  for (const route of routes) {
    // a refusal names the operation; a route built without apiRoute() could lack one
    if (route.permission !== 'public' && route.permission !== 'authenticated' && route.operation === undefined) {
      throw new Error(`${route.method} ${route.url} names no operation for its refusals`);
    }
    const status = route.status ?? 200;
    const limiter = route.rateLimit ? limiters.get(route.rateLimit) : undefined;
    api.route({
      method: route.method,
      url: route.url,
      schema: {
        operationId: route.operationId,
        summary: route.summary,
        ...(route.description ? { description: route.description } : {}),
        tags: [...route.tags],
        // an end user has no token: the self-service routes take the session cookie alone
        security:
          route.permission === 'public'
            ? []
            : route.permission === 'self'
              ? [{ sessionCookie: [] }]
              : [{ bearerAuth: [] }, { sessionCookie: [] }],
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { querystring: route.query } : {}),
        ...(route.body ? { body: route.body } : {}),
        response: {
          [status]:
            status === 204
              ? route.response
              : { description: SUCCESS[status] ?? 'OK', content: { 'application/json': { schema: route.response } } },
          ...errorResponses(route),
        },
      },
      config: { permission: route.permission },
      // counted before authentication, so failed sign-ins and bad tokens count too
      onRequest: [...(limiter ? [limiter] : []), authenticator(deps, route.permission, route.operation)],
      handler: async (request, reply) => {
        const result = await route.handler({
          actor: authenticationOf(request)?.actor ?? null!,
          deps,
          params: request.params as never,
          query: request.query as never,
          body: request.body as never,
          source: request.ip ?? null,
          request,
          reply,
        });
        reply.code(status);
        return status === 204 ? reply.send() : result;
      },
    });
  }
}
