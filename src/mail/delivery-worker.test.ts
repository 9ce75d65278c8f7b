import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { SmtpSink } from '../../test/smtp-sink.js';
import { listDeadLetters, retryDeadLetter } from '../services/dead-letters.js';
import { setUMMailboxPIN } from '../services/set-um-mailbox-pin.js';
import { DeliveryWorker } from './delivery-worker.js';
import { sharedRenderPool } from './render-pool.js';
import { MaildropTransport } from './maildrop-transport.js';
import { SmtpTransport } from './smtp-transport.js';

const FROM = 'Contoso Voice Mail <voicemail@contoso.com>';

for (const engine of ENGINES) {
  describe(`mail delivery (${engine})`, () => {
    let t: TestContext;
    let sink: SmtpSink;
    const workers: DeliveryWorker[] = [];
    const transports: Array<{ close(): Promise<void> }> = [];
    const worker = (url: string, opts: Partial<ConstructorParameters<typeof DeliveryWorker>[2]> = {}) => {
      const tr = new SmtpTransport(url, { connectionTimeoutMs: 2000 });
      transports.push(tr);
      const w = new DeliveryWorker(t.deps, tr, { from: FROM, ...opts });
      workers.push(w);
      return w;
    };

    beforeEach(async () => {
      t = await testContext(engine);
      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: '1985848' },
        { alias: 'weichen', extension: '10232', language: 'zh-TW' },
      ]);
      sink = new SmtpSink();
      await sink.listen();
    });
    afterEach(async () => {
      for (const w of workers.splice(0)) await w.stop();
      for (const tr of transports.splice(0)) await tr.close();
      await sink.close();
      await t.close();
    });

    it("delivers each PIN mail once, in the user's language, and then erases the PIN from the outbox", async () => {
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '7301946' });
      const r = await worker(sink.url).drain();
      expect(r).toEqual({ sent: 3, retried: 0, dead: 0 });
      expect(await worker(sink.url).drain()).toEqual({ sent: 0, retried: 0, dead: 0 });
      expect(sink.received).toHaveLength(3);
      const tony = sink.received.filter((m) => m.to[0] === 'tonysmith@contoso.com');
      expect(tony).toHaveLength(2);
      expect(tony[1]!.parsed.text).toContain('7301946');
      expect(tony[1]!.parsed.text).toContain('10231');
      const wei = sink.received.find((m) => m.to[0] === 'weichen@contoso.com')!;
      expect(wei.parsed.text).toMatch(/[\u4e00-\u9fff]/);
      expect(wei.parsed.headers.get('content-language')).toBe('zh-TW');
      const rows = await t.deps.store.listOutbox({});
      expect(rows.every((m) => m.status === 'sent' && m.sealedPayload === null && m.sentAt !== null)).toBe(true);
    });

    it('keeps mail queued while the server is down and delivers it once when it is back', async () => {
      await sink.close();
      const port = sink.port;
      const w = worker(`smtp://127.0.0.1:${port}`, { baseBackoffMs: 1000 });
      expect(await w.drain()).toMatchObject({ sent: 0, retried: 2 });
      const queued = await t.deps.store.listOutbox({ status: 'queued' });
      expect(queued).toHaveLength(2);
      expect(queued[0]!.lastError).toMatch(/ECONNREFUSED|connect/i);
      // not due yet: the backoff holds it back
      expect(await w.drain()).toMatchObject({ sent: 0, retried: 0 });
      sink = new SmtpSink();
      await sink.listen(port);
      t.clock.advance(10_000);
      expect(await w.drain()).toMatchObject({ sent: 2 });
      expect(sink.received).toHaveLength(2);
    });

    it('retries after a 4xx and makes a 5xx a dead letter an administrator can retry', async () => {
      sink.failNext = [
        { code: 451, message: 'try later' },
        { code: 550, message: 'no such user' },
      ];
      const w = worker(sink.url, { baseBackoffMs: 1000 });
      expect(await w.drain()).toEqual({ sent: 0, retried: 1, dead: 1 });
      const dead = await listDeadLetters(t.deps, ADMIN);
      expect(dead).toHaveLength(1);
      expect(dead[0]!.lastError).toContain('550');
      expect((await t.deps.store.listAudit({ action: 'Mail:DeadLetter' })).map((e) => e.parameters)).toEqual([
        expect.objectContaining({ Identity: dead[0]!.id, Error: '550', Reason: 'permanent' }),
      ]);
      expect(dead[0]).not.toHaveProperty('sealedPayload');
      t.clock.advance(5_000);
      expect(await w.drain()).toEqual({ sent: 1, retried: 0, dead: 0 });
      await retryDeadLetter(t.deps, ADMIN, dead[0]!.id);
      expect(await w.drain()).toEqual({ sent: 1, retried: 0, dead: 0 });
      expect(sink.received).toHaveLength(2);
      expect(await listDeadLetters(t.deps, ADMIN)).toEqual([]);
      await expect(retryDeadLetter(t.deps, ADMIN, dead[0]!.id)).rejects.toMatchObject({
        code: 'UMPIN_IDENTITY_NOT_FOUND',
      });
    });

    it('gives up on a message still failing after the configured age', async () => {
      sink.failNext = Array.from({ length: 10 }, () => ({ code: 421, message: 'busy' }));
      const w = worker(sink.url, { baseBackoffMs: 1000, maxBackoffMs: 2000, deadAfterMs: 60_000 });
      await w.drain();
      t.clock.advance(61_000);
      expect(await w.drain()).toMatchObject({ dead: 2 });
      // each dead letter is on record, by the system, naming the mail and the server's code, never its contents
      const audit = await t.deps.store.listAudit({ action: 'Mail:DeadLetter' });
      expect(
        audit
          .map((e) => [
            e.actor,
            e.target,
            e.parameters.Kind,
            e.parameters.Attempts,
            e.parameters.Error,
            e.parameters.Reason,
          ])
          .sort(),
      ).toEqual([
        ['system', 'tonysmith@contoso.com', 'welcome', 2, '421', 'expired'],
        ['system', 'weichen@contoso.com', 'welcome', 2, '421', 'expired'],
      ]);
      expect(new Set(audit.map((e) => e.parameters.Identity))).toEqual(
        new Set((await listDeadLetters(t.deps, ADMIN)).map((d) => d.id)),
      );
    });

    it('two workers draining one outbox send every message exactly once', async () => {
      for (let i = 0; i < 20; i++) await setUMMailboxPIN(t.deps, ADMIN, { identity: i % 2 ? 'tonysmith' : 'weichen' });
      const [a, b] = await Promise.all([
        worker(sink.url, { batchSize: 3 }).drain(),
        worker(sink.url, { batchSize: 3 }).drain(),
      ]);
      expect(a.sent + b.sent).toBe(22);
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
      const ids = sink.received.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(22);
    });

    it('renders a backlog on the render thread', async () => {
      const pool = sharedRenderPool(1);
      expect(await pool.started()).toBe(true);
      let threaded = 0;
      const render = pool.render.bind(pool);
      pool.render = (input) => {
        threaded++;
        return render(input);
      };
      try {
        for (let i = 0; i < 19; i++)
          await setUMMailboxPIN(t.deps, ADMIN, { identity: i % 2 ? 'tonysmith' : 'weichen' });
        await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '7301946' });
        expect(await worker(sink.url).drain()).toEqual({ sent: 22, retried: 0, dead: 0 });
      } finally {
        delete (pool as { render?: unknown }).render;
      }
      // the first claim (a full batch of 20) went to the thread, the 2 left over rendered inline
      expect(threaded).toBe(20);
      expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(22);
      expect(sink.received.some((m) => m.parsed.text?.includes('7301946'))).toBe(true);
    });

    it('leaves a message whose lease ran out while it waited to the worker that claimed it since', async () => {
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '7301946' });
      const lease = 10_000;
      const b = worker(sink.url, { leaseMs: lease });
      let bResult: Awaited<ReturnType<DeliveryWorker['drain']>> | null = null;
      // A stalls after its first message (a slow server): its other leases run out, B takes them
      const store = new Proxy(t.deps.store, {
        get(target, prop) {
          if (prop === 'completeOutbox') {
            return async (ids: readonly string[], at: number) => {
              await target.completeOutbox(ids, at);
              if (bResult) return;
              t.clock.advance(lease + 1);
              bResult = await b.drain();
            };
          }
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const tr = new SmtpTransport(sink.url, { connectionTimeoutMs: 2000 });
      transports.push(tr);
      const a = new DeliveryWorker({ ...t.deps, store }, tr, { from: FROM, leaseMs: lease, parallel: 1 });
      workers.push(a);
      expect(await a.drain()).toEqual({ sent: 1, retried: 0, dead: 0 });
      expect(bResult).toEqual({ sent: 2, retried: 0, dead: 0 });
      const ids = sink.received.map((m) => m.messageId);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);
    });

    it('does not send twice a message it claims again while it still holds it', async () => {
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '7301946' });
      const lease = 10_000;
      const tr = new SmtpTransport(sink.url, { connectionTimeoutMs: 2000 });
      transports.push(tr);
      let first = true;
      // after the first message, every lease of the batch has run out: the next claim (made
      // ahead, while the second message still waits) takes the second message again
      const store = new Proxy(t.deps.store, {
        get(target, prop) {
          if (prop === 'completeOutbox') {
            return async (ids: readonly string[], at: number) => {
              await target.completeOutbox(ids, at);
              if (first) t.clock.advance(lease + 1);
              first = false;
            };
          }
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const a = new DeliveryWorker({ ...t.deps, store }, tr, { from: FROM, leaseMs: lease, parallel: 1, batchSize: 2 });
      workers.push(a);
      expect(await a.drain()).toEqual({ sent: 3, retried: 0, dead: 0 });
      const ids = sink.received.map((m) => m.messageId);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);
    });

    it('renews the lease of a message that waited past half of it, and sends it', async () => {
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '7301946' });
      const lease = 10_000;
      const tr = new SmtpTransport(sink.url, { connectionTimeoutMs: 2000 });
      transports.push(tr);
      let renewed = 0;
      const store = new Proxy(t.deps.store, {
        get(target, prop) {
          if (prop === 'completeOutbox') {
            return async (ids: readonly string[], at: number) => {
              await target.completeOutbox(ids, at);
              t.clock.advance(lease * 0.6);
            };
          }
          if (prop === 'renewOutboxLease') {
            return async (id: string, owner: string, until: number) => {
              const ok = await target.renewOutboxLease(id, owner, until);
              if (ok) renewed++;
              return ok;
            };
          }
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const a = new DeliveryWorker({ ...t.deps, store }, tr, { from: FROM, leaseMs: lease, parallel: 1 });
      workers.push(a);
      expect(await a.drain()).toEqual({ sent: 3, retried: 0, dead: 0 });
      expect(renewed).toBe(2);
      expect(sink.received).toHaveLength(3);
      // another worker cannot renew a lease it does not hold
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'weichen' });
      const [row] = await t.deps.store.claimOutbox('someone', t.clock.now(), lease, 1);
      expect(await t.deps.store.renewOutboxLease(row!.id, 'someone-else', t.clock.now() + lease)).toBe(false);
      expect(await t.deps.store.renewOutboxLease(row!.id, 'someone', t.clock.now() + lease)).toBe(true);
    });

    it('writes one .eml per message to the maildrop, exactly once, named by Message-ID', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'umpin-maildrop-'));
      try {
        const w = new DeliveryWorker(t.deps, new MaildropTransport(dir), { from: FROM });
        await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '7301946' });
        expect(await w.drain()).toMatchObject({ sent: 3 });
        const files = readdirSync(dir);
        expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(3);
        expect(files.some((f) => f.startsWith('.tmp'))).toBe(false);
        const texts = await Promise.all(
          files.map(async (f) => (await simpleParser(readFileSync(join(dir, f)))).text ?? ''),
        );
        expect(texts.some((x) => x.includes('7301946'))).toBe(true);
        // the same message delivered again (a crash before the row was marked) stays one file
        const tr = new MaildropTransport(dir);
        const raw = readFileSync(join(dir, files[0]!));
        const mid = (await simpleParser(raw)).messageId!;
        await tr.send({ messageId: mid, from: FROM, to: 'x@contoso.com', raw: Buffer.from('other') });
        expect(readdirSync(dir)).toHaveLength(3);
        expect(readFileSync(join(dir, files[0]!))).toEqual(raw);
        expect(existsSync(dir)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
