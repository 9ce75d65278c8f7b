import Fastify, { type FastifyInstance } from 'fastify';
import type { Deps } from '../services/ports.js';

/** Built apart from listen(), so tests use inject(). The REST API joins this app in its own issue. */
export function buildApp(deps: Deps, opts: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger
      ? { level: 'info', redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body'], censor: '[redacted]' } }
      : false,
  });
  app.get('/healthz', async (_req, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ok', store: deps.store.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable', code: 'UMPIN_STORE_UNAVAILABLE' });
    }
  });
  return app;
}
