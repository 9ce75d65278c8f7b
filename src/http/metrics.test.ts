import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contoso } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { MailDelivery } from '../services/mail-delivery.js';
import { metricsPlugin } from './metrics.js';

/** The value of one sample line, e.g. sample(text, 'umpin_outbox_queued'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const engine of ENGINES) {
  describe(`GET /metrics (${engine})`, () => {
    let t: TestContext;
    let app: FastifyInstance;
    const build = async (token?: string) => {
      app = Fastify();
      await app.register(metricsPlugin, { deps: t.deps, token, processMetrics: false });
      app.get('/things/:id', async () => ({ ok: true }));
      await app.ready();
      return app;
    };
    beforeEach(async () => {
      t = await testContext(engine);
    });
    afterEach(async () => {
      await app?.close();
      await t.close();
    });

    it('answers loopback clients when no token is set, and nobody else', async () => {
      await build();
      const ok = await app.inject({ method: 'GET', url: '/metrics' });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const far = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' });
      expect(far.statusCode).toBe(403);
      expect(far.json()).toMatchObject({ code: 'UMPIN_ACCESS_DENIED' });
      expect((await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
    });

    it('wants the bearer token when one is set, from anywhere (loopback too)', async () => {
      await build('s3cret-scraper-token');
      for (const authorization of [
        undefined,
        'Bearer wrong',
        'Basic s3cret-scraper-token',
        'Bearer s3cret-scraper-token x',
      ]) {
        const r = await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
        expect(r.statusCode, authorization).toBe(401);
        expect(r.json()).toMatchObject({ code: 'UMPIN_AUTH_REQUIRED' });
        expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      const ok = await app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '203.0.113.9',
        headers: { authorization: 'Bearer s3cret-scraper-token' },
      });
      expect(ok.statusCode).toBe(200);
    });

    it('counts requests by route pattern, method and status, never by raw URL', async () => {
      await build();
      await app.inject({ method: 'GET', url: '/things/tonysmith@contoso.com' });
      await app.inject({ method: 'GET', url: '/things/4711' });
      await app.inject({ method: 'GET', url: '/no/such/place/4711' });
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'umpin_http_requests_total{route="/things/:id",method="GET",status="200"}')).toBe(2);
      expect(sample(text, 'umpin_http_requests_total{route="unmatched",method="GET",status="404"}')).toBe(1);
      expect(
        sample(text, 'umpin_http_request_duration_seconds_count{route="/things/:id",method="GET",status="200"}'),
      ).toBe(2);
      expect(text).not.toMatch(/tonysmith|4711/);
    });

    it("shows the outbox depth, the oldest queued mail's age and the dead letters", async () => {
      await build();
      let text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'umpin_outbox_queued')).toBe(0);
      expect(sample(text, 'umpin_outbox_oldest_queued_age_seconds')).toBe(0);
      expect(sample(text, 'umpin_outbox_dead_letters')).toBe(0);
      expect(sample(text, 'umpin_store_up')).toBe(1);

      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: '1985848' },
        { alias: 'kimakers', extension: '10232', pin: '1985848' },
      ]);
      const sender = new MailDelivery(t.deps, 'test');
      const [first] = (await sender.claim(1)).messages;
      await sender.failed(first!, { message: '550 no such user', code: '550', permanent: true });
      t.clock.advance(90_000);
      text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'umpin_outbox_queued')).toBe(1);
      expect(sample(text, 'umpin_outbox_dead_letters')).toBe(1);
      const age = sample(text, 'umpin_outbox_oldest_queued_age_seconds')!;
      expect(age).toBeGreaterThanOrEqual(90);
      expect(age).toBeLessThan(95);
    });

    it('counts what the voice endpoints report, with every outcome present from the start', async () => {
      // every event the app's listeners hear, so that the end can show a closed app hears none
      let heard = 0;
      const guard = t.deps.tollFraudGuard;
      const subscribe = guard.onEvent.bind(guard);
      guard.onEvent = (listener) =>
        subscribe((e) => {
          heard++;
          listener(e);
        });
      await build();
      let text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      for (const outcome of ['ok', 'must-change', 'wrong', 'auto-reset', 'locked-out', 'not-recognized']) {
        expect(sample(text, `umpin_voice_logons_total{outcome="${outcome}"}`), outcome).toBe(0);
      }
      guard.emit({ type: 'logon', outcome: 'wrong' });
      guard.emit({ type: 'logon', outcome: 'wrong' });
      guard.emit({ type: 'lockout' });
      guard.emit({ type: 'auto-reset' });
      guard.emit({ type: 'throttled' });
      guard.emit({ type: 'toll-fraud', kind: 'source' });
      text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'umpin_voice_logons_total{outcome="wrong"}')).toBe(2);
      expect(sample(text, 'umpin_pin_lockouts_total')).toBe(1);
      expect(sample(text, 'umpin_pin_auto_resets_total')).toBe(1);
      expect(sample(text, 'umpin_voice_throttled_total')).toBe(1);
      expect(sample(text, 'umpin_toll_fraud_detections_total{kind="source"}')).toBe(1);
      // calls on the SIP endpoint: in progress, outcomes, how keys came, dropped media, send lateness
      expect(sample(text, 'umpin_voice_calls_total{outcome="signed-in"}')).toBe(0);
      expect(sample(text, 'umpin_voice_digits_total{method="inband"}')).toBe(0);
      guard.emit({ type: 'call-started' });
      guard.emit({ type: 'call-started' });
      guard.emit({ type: 'digit', method: 'rfc4733' });
      guard.emit({ type: 'call-ended', outcome: 'signed-in' });
      guard.emit({ type: 'packets-dropped', reason: 'srtp-replay', count: 3 });
      guard.emit({ type: 'rtp-late', ms: 4 });
      text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'umpin_voice_calls_in_progress')).toBe(1);
      expect(sample(text, 'umpin_voice_calls_total{outcome="signed-in"}')).toBe(1);
      expect(sample(text, 'umpin_voice_digits_total{method="rfc4733"}')).toBe(1);
      expect(sample(text, 'umpin_rtp_dropped_packets_total{reason="srtp-replay"}')).toBe(3);
      expect(sample(text, 'umpin_rtp_send_lateness_seconds_bucket{le="0.005"}')).toBe(1);
      expect(sample(text, 'umpin_rtp_send_lateness_seconds_bucket{le="0.002"}')).toBe(0);
      expect(heard).toBe(12);
      // a closed app stops listening to the guard
      await app.close();
      guard.emit({ type: 'lockout' });
      guard.emit({ type: 'call-started' });
      expect(heard).toBe(12);
    });

    it('keeps apps apart: each has its own registry', async () => {
      const other = Fastify();
      await other.register(metricsPlugin, { deps: t.deps, processMetrics: false });
      await other.ready();
      await build();
      await app.inject({ method: 'GET', url: '/things/1' });
      const text = (await other.inject({ method: 'GET', url: '/metrics' })).body;
      expect(text).not.toContain('route="/things/:id"');
      await other.close();
    });

    it('includes process metrics (resident memory) by default', async () => {
      app = Fastify();
      await app.register(metricsPlugin, { deps: t.deps });
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(text).toMatch(/^umpin_process_resident_memory_bytes \d+/m);
    });
  });
}
