/**
 * GET /metrics in Prometheus text format, on the app's own registry (never prom-client's
 * global one: a process may build many apps, tests do). Labels carry only bounded values:
 * route patterns, methods, statuses, outcomes — never a PIN, a calling number or a user.
 *
 * Access is for a scraper: with UMPIN_METRICS_TOKEN set, `Authorization: Bearer <token>`;
 * unset, loopback clients only (request.ip, so behind a trusted proxy the real client counts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { UmpinError } from '../domain/errors.js';
import type { Deps } from '../services/ports/deps.js';
import { CALL_OUTCOMES, DROPPED_PACKET_REASONS } from '../domain/logon.js';
import type { VoiceEvent } from '../services/toll-fraud-guard.js';
import { RequestSeries } from './request-series.js';

export interface MetricsOptions {
  deps: Deps;
  /** UMPIN_METRICS_TOKEN; undefined = loopback clients only */
  token?: string | undefined;
  /** process metrics (CPU, resident memory, event-loop lag, GC); default true */
  processMetrics?: boolean;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const LOGON_OUTCOMES = ['ok', 'must-change', 'wrong', 'auto-reset', 'locked-out', 'not-recognized'] as const;
const CHANGE_OUTCOMES = ['changed', 'wrong', 'auto-reset', 'locked-out', 'not-recognized'] as const;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant-time comparison of the presented bearer token with the configured one. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}

async function metricsPluginImpl(app: FastifyInstance, opts: MetricsOptions): Promise<void> {
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'umpin_' });

  // counted by hand on every request, read by the registry at scrape time (request-series.ts)
  const http = new RequestSeries();
  http.register(
    registry,
    { requests: 'umpin_http_requests_total', duration: 'umpin_http_request_duration_seconds' },
    {
      requests: 'HTTP requests answered, by route pattern, method and status.',
      duration: 'Time from receiving a request to sending its response, by route pattern, method and status.',
    },
  );
  const logons = new Counter({
    name: 'umpin_voice_logons_total',
    help: 'Telephone logons (PBX and SIP endpoints) by outcome.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const changes = new Counter({
    name: 'umpin_voice_pin_changes_total',
    help: 'PIN changes on the telephone by outcome.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const lockouts = new Counter({
    name: 'umpin_pin_lockouts_total',
    help: 'Mailboxes locked by a wrong PIN reaching MaxLogonAttempts.',
    registers,
  });
  const autoResets = new Counter({
    name: 'umpin_pin_auto_resets_total',
    help: 'PINs reset automatically at a multiple of LogonFailuresBeforePINReset.',
    registers,
  });
  const throttled = new Counter({
    name: 'umpin_voice_throttled_total',
    help: 'Telephone logons refused because the calling number is backing off after repeated failures.',
    registers,
  });
  const fraud = new Counter({
    name: 'umpin_toll_fraud_detections_total',
    help: 'Toll-fraud alerts: one calling number (caller) or one gateway (source) failing on many mailboxes.',
    labelNames: ['kind'] as const,
    registers,
  });
  const callsNow = new Gauge({
    name: 'umpin_voice_calls_in_progress',
    help: "Calls on umpin's SIP endpoint now, from the answer to the hang-up.",
    registers,
  });
  const calls = new Counter({
    name: 'umpin_voice_calls_total',
    help: "Calls on umpin's SIP endpoint by how the logon dialogue ended.",
    labelNames: ['outcome'] as const,
    registers,
  });
  const digits = new Counter({
    name: 'umpin_voice_digits_total',
    help: 'Keys pressed by callers, by how they came: RFC 4733 telephone-events or in-band tones.',
    labelNames: ['method'] as const,
    registers,
  });
  const dropped = new Counter({
    name: 'umpin_rtp_dropped_packets_total',
    help: 'Media packets dropped: SRTP authentication failures, replays, malformed, from an unexpected address.',
    labelNames: ['reason'] as const,
    registers,
  });
  const late = new Histogram({
    name: 'umpin_rtp_send_lateness_seconds',
    help: 'How late each RTP frame went out after its due time (a paced 20 ms clock).',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2],
    registers,
  });
  const queued = new Gauge({ name: 'umpin_outbox_queued', help: 'Mails waiting in the outbox to be sent.', registers });
  const oldest = new Gauge({
    name: 'umpin_outbox_oldest_queued_age_seconds',
    help: 'Age of the oldest mail waiting in the outbox (0 when none waits).',
    registers,
  });
  const dead = new Gauge({
    name: 'umpin_outbox_dead_letters',
    help: 'Mails given up on (dead letters) that an administrator may retry.',
    registers,
  });
  const storeUp = new Gauge({
    name: 'umpin_store_up',
    help: '1 when the last scrape could read the store, else 0.',
    registers,
  });

  // every series exists from the start, so rates and alerts work before the first event
  for (const outcome of LOGON_OUTCOMES) logons.inc({ outcome }, 0);
  for (const outcome of CHANGE_OUTCOMES) changes.inc({ outcome }, 0);
  for (const kind of ['caller', 'source'] as const) fraud.inc({ kind }, 0);
  for (const outcome of CALL_OUTCOMES) calls.inc({ outcome }, 0);
  for (const method of ['rfc4733', 'inband'] as const) digits.inc({ method }, 0);
  for (const reason of DROPPED_PACKET_REASONS) dropped.inc({ reason }, 0);

  const onVoice = (e: VoiceEvent): void => {
    switch (e.type) {
      case 'logon':
        return void logons.inc({ outcome: e.outcome });
      case 'pin-change':
        return void changes.inc({ outcome: e.outcome });
      case 'lockout':
        return void lockouts.inc();
      case 'auto-reset':
        return void autoResets.inc();
      case 'throttled':
        return void throttled.inc();
      case 'toll-fraud':
        return void fraud.inc({ kind: e.kind });
      case 'call-started':
        return void callsNow.inc();
      case 'call-ended':
        callsNow.dec();
        return void calls.inc({ outcome: e.outcome });
      case 'digit':
        return void digits.inc({ method: e.method });
      case 'packets-dropped':
        return void dropped.inc({ reason: e.reason }, e.count);
      case 'rtp-late':
        return void late.observe(e.ms / 1000);
    }
  };
  const unsubscribe = opts.deps.tollFraudGuard.onEvent(onVoice);
  app.addHook('onClose', async () => {
    unsubscribe();
  });

  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    // the route pattern (/api/v1/um-mailboxes/:identity), never the raw URL: bounded labels
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    http.record(request.routeOptions.url ?? 'unmatched', method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  // not part of the REST API's OpenAPI document (hide is @fastify/swagger's)
  app.get('/metrics', { schema: { hide: true } as FastifySchema }, async (request, reply) => {
    if (opts.token !== undefined) {
      if (!bearerMatches(request.headers.authorization, opts.token)) {
        // the app's error handler words the refusal in the caller's language, as for any route
        reply.header('www-authenticate', 'Bearer realm="umpin metrics"');
        throw new UmpinError({ code: 'UMPIN_AUTH_REQUIRED' });
      }
    } else if (!LOOPBACK.test(request.ip)) {
      throw new UmpinError({
        code: 'UMPIN_ACCESS_DENIED',
        params: { actor: request.ip, action: 'GET /metrics (set UMPIN_METRICS_TOKEN to scrape from another host)' },
      });
    }
    // one cheap query per scrape
    try {
      const s = await opts.deps.store.outboxStats();
      queued.set(s.queued);
      dead.set(s.dead);
      oldest.set(s.oldestQueuedAt === null ? 0 : Math.max(0, (opts.deps.clock.now() - s.oldestQueuedAt) / 1000));
      storeUp.set(1);
    } catch (err) {
      request.log.warn({ err }, 'metrics: the outbox could not be read');
      storeUp.set(0);
    }
    return reply
      .header('content-type', registry.contentType)
      .header('cache-control', 'no-store')
      .send(await registry.metrics());
  });
}

/** Registered without encapsulation, so its hooks see every route of the app. */
export const metricsPlugin = Object.assign(metricsPluginImpl, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'umpin-metrics',
});

export default metricsPlugin;
