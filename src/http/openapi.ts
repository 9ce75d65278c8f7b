/**
 * The OpenAPI 3.1 document, generated from the route table's zod schemas, at
 * /api/openapi.json, and a readable docs page at /api/docs (Swagger UI, its assets served
 * by this server, never a CDN).
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { Deps } from '../services/ports/deps.js';
import { authenticator } from './authentication.js';
import { SESSION_COOKIE } from './session-cookie.js';

/** UMPIN_API_DOCS: who may read /api/docs and /api/openapi.json. */
export type ApiDocsVisibility = 'public' | 'signed-in';

export const API_VERSION = '1.0.0';

const DESCRIPTION = `The REST API of umpin, the self-hosted voice-mail PIN service: Exchange Unified Messaging's PIN operations, one route per operation.

Authenticate with an API token (\`Authorization: Bearer <token>\`, from \`umpin token new\` or POST /api/v1/tokens) or with the session cookie from POST /api/v1/session (administrators) or POST /api/v1/self/session (end users, with a code mailed to them by POST /api/v1/self/sign-in-codes); cookie requests that change something also send the session's CSRF token in \`X-CSRF-Token\`. The Self-service routes are for signed-in end users only, on their own mailbox.

Errors are \`{ code, message, field? }\` with a stable \`UMPIN_*\` code. Lists return \`{ items, next }\`: pass \`next\` as \`cursor\` for the following page. No response ever contains a PIN.`;

/** Each named schema is emitted for requests and responses both; keep only those an operation refers to. */
function withoutUnusedSchemas<T>(doc: T): T {
  const d = doc as { components?: { schemas?: Record<string, unknown> } };
  const schemas = d.components?.schemas;
  if (!schemas) return doc;
  const refersTo = (name: string, text: string) => text.includes(`"#/components/schemas/${name}"`);
  let kept = { ...schemas };
  // repeat: a schema may be referred to only from another one that goes
  for (;;) {
    const text = JSON.stringify({ ...d, components: { ...d.components, schemas: kept } });
    const next = Object.fromEntries(Object.entries(kept).filter(([name]) => refersTo(name, text)));
    if (Object.keys(next).length === Object.keys(kept).length) break;
    kept = next;
  }
  return { ...d, components: { ...d.components, schemas: kept } } as T;
}

/**
 * At the root, before any route: swagger collects the routes registered after it. The page
 * and the document are for signed-in callers (a session or a token) unless `public`: they
 * map every operation of the service for whoever finds it.
 */
export function registerOpenApi(app: FastifyInstance, deps: Deps, visibility: ApiDocsVisibility): void {
  const onRequest = visibility === 'public' ? [] : [authenticator(deps, 'authenticated', undefined)];
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'umpin API',
        version: API_VERSION,
        description: DESCRIPTION,
        license: { name: 'MIT', identifier: 'MIT' },
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API token' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'the session of the admin center or of the self-service page (writes also need X-CSRF-Token)',
          },
        },
      },
    },
    // only the API belongs in the document: not health checks, metrics or the docs page itself
    transform: (doc) =>
      doc.url.startsWith('/api/v1/')
        ? jsonSchemaTransform(doc)
        : { schema: { ...doc.schema, hide: true }, url: doc.url },
    transformObject: (doc) => withoutUnusedSchemas(jsonSchemaTransformObject(doc)),
  });
  app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    ...(onRequest.length === 0 ? {} : { uiHooks: { onRequest: onRequest[0]! } }),
    uiConfig: { docExpansion: 'list', deepLinking: true, defaultModelsExpandDepth: 0 },
  });
  app.register(async (child) => {
    child.get('/api/openapi.json', { schema: { hide: true }, onRequest }, async () => app.swagger());
  });
}
