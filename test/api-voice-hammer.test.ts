/**
 * The core's atomic-lockout test over HTTP: 1,000 wrong PINs in flight at once at one
 * mailbox, through two umpin servers in two processes (this one and a child) on one
 * database, over real keep-alive sockets on 127.0.0.1 — exactly 12 wrong, 2 automatic
 * resets, 986 locked-out, and the mailbox locked at 15, on SQLite and PostgreSQL.
 *
 * Each request comes from its own calling number, as 1,000 separate calls would: with one
 * number (or none, when the guard keys by the extension) the toll-fraud guard would rightly
 * throttle after 10 failures, and how many requests it refused would depend on timing. With
 * distinct numbers the guard is in the path but never throttles: every number fails once, on
 * one mailbox, and the gateway (one token, one address) fails on one mailbox only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { newApiToken } from '../src/services/api-tokens.js';
import { ADMIN, contoso } from './fixtures.js';
import { expectLockedAfterHammer } from './lockout-expectations.js';
import { childEnv, ENGINES, testContext, type TestContext } from './harness.js';
import { request } from './http-request.js';

const PER_SERVER = 500;

function startChildServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/api-voice-server.ts'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, port: (JSON.parse(line!) as { port: number }).port });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the child server exited (${code}): ${err}`)));
  });
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

for (const engine of ENGINES) {
  describe(`1,000 parallel wrong PINs over HTTP (${engine})`, () => {
    let t: TestContext;
    let server: FastifyInstance;
    let child: ChildProcess | undefined;
    const agents: http.Agent[] = [];
    beforeEach(async () => {
      // the point is the store's exact count under 1,000 checks at once: the guard's fair share is lifted
      t = await testContext(engine, { tollFraud: { inflightPerCaller: 1000, inflightPerMailbox: 1000 } });
      await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: '1985848' }]);
    });
    afterEach(async () => {
      for (const a of agents.splice(0)) a.destroy();
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.stdin!.end();
        await exited;
      }
      await server?.close();
      await t.close();
    });

    it('counts exactly 15 across two server processes: 12 wrong, 2 resets, 986 locked-out', async () => {
      const { token } = await newApiToken(t.deps, ADMIN, { name: 'pbx1', role: 'VoiceGateway' });
      server = buildApp(t.deps, { metrics: { processMetrics: false } });
      await server.listen({ host: '127.0.0.1', port: 0 });
      const here = (server.server.address() as AddressInfo).port;
      const started = await startChildServer(childEnv(t.db, { UMPIN_TOLL_FRAUD: 'inflight=1000/1000' }));
      child = started.child;
      child.removeAllListeners('exit');

      const fire = (port: number, first: number) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
        agents.push(agent);
        return Promise.all(
          Array.from({ length: PER_SERVER }, (_, i) =>
            request(
              `http://127.0.0.1:${port}`,
              'POST',
              '/api/v1/voice/logons',
              token,
              { extension: '10231', callerId: `+1425555${String(first + i).padStart(4, '0')}`, pin: '2468013' },
              agent,
            ),
          ),
        );
      };
      const [a, b] = await Promise.all([fire(here, 0), fire(started.port, PER_SERVER)]);

      const outcomes: Record<string, number> = {};
      for (const r of [...a, ...b]) {
        expect(r.status, r.body).toBe(200);
        const o = (JSON.parse(r.body) as { outcome: string }).outcome;
        outcomes[o] = (outcomes[o] ?? 0) + 1;
      }
      expect(outcomes).toEqual({ wrong: 12, 'auto-reset': 2, 'locked-out': 986 });

      await expectLockedAfterHammer(t.deps);
      expect((await t.deps.store.listAudit({})).filter((e) => e.action === 'Detect-TollFraud')).toHaveLength(0);

      // each server counted what it answered; together, the same figures, and one lockout
      const [m1, m2] = [await scrape(here), await scrape(started.port)];
      const both = (series: string) => sample(m1, series) + sample(m2, series);
      expect(both('umpin_voice_logons_total{outcome="wrong"}')).toBe(12);
      expect(both('umpin_voice_logons_total{outcome="auto-reset"}')).toBe(2);
      expect(both('umpin_voice_logons_total{outcome="locked-out"}')).toBe(986);
      expect(both('umpin_pin_lockouts_total')).toBe(1);
      expect(both('umpin_pin_auto_resets_total')).toBe(2);
      expect(both('umpin_voice_throttled_total')).toBe(0);
      expect(both('umpin_http_requests_total{route="/api/v1/voice/logons",method="POST",status="200"}')).toBe(
        2 * PER_SERVER,
      );
      expect(sample(m1, 'umpin_voice_logons_total{outcome="locked-out"}')).toBeGreaterThan(0);
      expect(sample(m2, 'umpin_voice_logons_total{outcome="locked-out"}')).toBeGreaterThan(0);
      expect(m1 + m2).not.toMatch(/1425555|2468013|1985848/);
    }, 120_000);
  });
}
