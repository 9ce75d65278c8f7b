/**
 * The type of one REST API route. Every route module exports a list of these, and
 * app.ts registers them all from one table, so the authorization matrix, the OpenAPI
 * document and the routes Fastify serves come from the same declarations.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../services/actor.js';
import type { Operation, Permission } from '../services/permissions.js';
import type { Deps } from '../services/ports/deps.js';

/**
 * Who may call a route: a permission checked against the actor's role groups before the
 * handler runs (scoped checks stay in the services), 'self' for an end user signed in to
 * the self-service page acting on their own mailbox (no administrator or token),
 * 'authenticated' for any signed-in actor, 'public' for anonymous callers too. Required: a
 * route without one does not compile.
 */
export type RoutePermission = Permission | 'self' | 'public' | 'authenticated';

/** Routes in one group share one count per client address: sign-in and setup; PIN resets and sets. */
export type RateLimitGroup = 'sign-in' | 'pin-change';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<Perm extends RoutePermission, P, Q, B> {
  /** Public routes may be called anonymously (null); all others have an authenticated actor. */
  actor: Perm extends 'public' ? Actor | null : Actor;
  deps: Deps;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  /** the client address (request.ip), the `source` services audit */
  source: string | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface ApiRouteSpec<
  Perm extends RoutePermission = RoutePermission,
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
  R extends Schema = Schema,
> {
  method: HttpMethod;
  /** Fastify path syntax under /api/v1, e.g. '/api/v1/um-mailboxes/:identity/pin' */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  permission: Perm;
  /** the operation the route stands for, as the shell and the services name it: a refusal names it (required unless public or 'authenticated') */
  operation?: Operation;
  params?: P;
  query?: Q;
  body?: B;
  /** the success status (default 200; 204 sends no body) */
  status?: 200 | 201 | 202 | 204;
  /** the success body's schema; it is also the serializer, so undeclared fields never leave */
  response: R;
  /** a per-source-address request limit on top of the services' own limiters */
  rateLimit?: RateLimitGroup;
  /** error statuses beyond those the route's shape implies (400; 401/403 unless public; 404 with params; 404/409/422 for writes; 429 with rateLimit), for its OpenAPI entry */
  errors?: readonly ErrorStatus[];
  handler(ctx: RouteContext<Perm, P, Q, B>): Promise<z.output<R>>;
}

/** A route in the table, with its schema types erased. */
export interface ApiRoute extends Omit<ApiRouteSpec, 'handler'> {
  handler(
    ctx: RouteContext<RoutePermission, Schema | undefined, Schema | undefined, Schema | undefined>,
  ): Promise<unknown>;
}

/** A route whose caller can be refused must name its operation. */
type Named<Perm extends RoutePermission> = Perm extends 'public' | 'authenticated' ? unknown : { operation: Operation };

/** Declares a route: infers the handler's types from the schemas, then erases them for the table. */
export function apiRoute<
  Perm extends RoutePermission,
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends Schema = Schema,
>(spec: ApiRouteSpec<Perm, P, Q, B, R> & Named<Perm>): ApiRoute {
  return spec as unknown as ApiRoute;
}
