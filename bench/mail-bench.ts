/**
 * Mail throughput: the delivery worker draining the outbox (claim, decrypt, render, send,
 * mark sent) to a loopback SMTP sink, against plain nodemailer sending the same rendered
 * messages to the same sink with the same pool, in the same run; and the maildrop rate.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { DeliveryWorker } from '../src/mail/delivery-worker.js';
import { MaildropTransport } from '../src/mail/maildrop-transport.js';
import { renderMessage } from '../src/mail/render-message.js';
import { SmtpTransport } from '../src/mail/smtp-transport.js';
import type { MailPayload } from '../src/services/outbox.js';
import type { Deps } from '../src/services/ports.js';
import { resetUMMailboxPINs } from '../src/services/set-um-mailbox-pin.js';

const FROM = 'Contoso Voice Mail <voicemail@contoso.com>';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Sink {
  url: string;
  child: ChildProcess;
  /** waits until the sink has accepted n messages in all, and fails if it got another count */
  expect(n: number): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink-process.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let received = 0;
  const port = await new Promise<string>((resolve) => {
    let first = true;
    child.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        const count = /^count (\d+)$/.exec(line.trim());
        if (count) received = Number(count[1]);
        else if (first && line.trim()) {
          first = false;
          resolve(line.trim());
        }
      }
    });
  });
  const expect = async (n: number) => {
    // the sink reports its count every 500 ms; outside the timed part
    for (const until = Date.now() + 5000; received < n && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 600));
    if (received !== n) throw new Error(`the sink accepted ${received} messages, expected ${n}`);
  };
  return { url: `smtp://127.0.0.1:${port}`, child, expect };
}

export interface MailFigures {
  n: number;
  worker: number;
  plain: number;
  maildrop: number;
  /** the median of the trials' ratios: each trial's two sides ran back to back, under the same load */
  ratio: number;
  trials: Array<{ worker: number; plain: number }>;
  /** CPU time of the sending process (all its threads) per mail, ms, medians: a figure the machine's load moves less */
  cpu: { worker: number; plain: number };
}

export async function benchMail(deps: Deps, ids: string[], trials = 5): Promise<MailFigures> {
  const sink = await startSink();
  const worker: number[] = [];
  const plain: number[] = [];
  const maildrop: number[] = [];
  const cpuWorker: number[] = [];
  const cpuPlain: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  let accepted = 0;
  try {
    // trial 0 warms both sides up (JIT, the render thread's start) and is not counted
    for (let trial = 0; trial <= trials; trial++) {
      const counted = trial > 0;
      // queue one PIN mail per mailbox (cheap KDF: this measures mail, not hashing)
      await resetUMMailboxPINs(deps, { kind: 'system', name: 'bench', roles: [] }, { identities: ids });
      const queued = await deps.store.listOutbox({ status: 'queued', limit: ids.length });
      // the baseline's messages: the same ones, rendered beforehand
      const rendered = await Promise.all(
        queued.map((m) =>
          renderMessage({ id: m.id, kind: m.kind, to: m.toAddress, language: m.language, payload: JSON.parse(deps.cipher.open(m.sealedPayload!, m.id)) as MailPayload, from: FROM, organizationName: 'Contoso', messageIdDomain: 'contoso.com', createdAt: m.createdAt }),
        ),
      );
      const u = new URL(sink.url);
      const t = nodemailer.createTransport({ host: u.hostname, port: Number(u.port), secure: false, pool: true, maxConnections: 2, maxMessages: Infinity } as never);
      let c0 = process.cpuUsage();
      let t0 = performance.now();
      let k = 0;
      await Promise.all(Array.from({ length: 2 }, async () => {
        while (k < rendered.length) {
          const r = rendered[k]!;
          const m = queued[k++]!;
          await t.sendMail({ envelope: { from: FROM, to: [m.toAddress] }, raw: r.raw });
        }
      }));
      const plainRate = rendered.length / ((performance.now() - t0) / 1000);
      const plainCpu = cpuMs(c0) / rendered.length;
      t.close();
      await sink.expect((accepted += ids.length));

      const tr = new SmtpTransport(sink.url);
      const w = new DeliveryWorker({ store: deps.store, cipher: deps.cipher, clock: deps.clock }, tr, { from: FROM, batchSize: 50 });
      c0 = process.cpuUsage();
      t0 = performance.now();
      const r = await w.drain();
      const workerRate = r.sent / ((performance.now() - t0) / 1000);
      const workerCpu = cpuMs(c0) / r.sent;
      await w.stop();
      await tr.close();
      if (r.sent !== ids.length) throw new Error(`worker sent ${r.sent} of ${ids.length}`);
      await sink.expect((accepted += ids.length));

      await resetUMMailboxPINs(deps, { kind: 'system', name: 'bench', roles: [] }, { identities: ids });
      const dir = mkdtempSync(join(tmpdir(), 'umpin-bench-maildrop-'));
      const md = new DeliveryWorker({ store: deps.store, cipher: deps.cipher, clock: deps.clock }, new MaildropTransport(dir), { from: FROM, batchSize: 50 });
      t0 = performance.now();
      const r2 = await md.drain();
      const maildropRate = r2.sent / ((performance.now() - t0) / 1000);
      rmSync(dir, { recursive: true, force: true });
      if (counted) {
        plain.push(plainRate);
        worker.push(workerRate);
        maildrop.push(maildropRate);
        cpuPlain.push(plainCpu);
        cpuWorker.push(workerCpu);
      }
      process.stderr.write(`mail ${counted ? `trial ${trial}` : 'warm-up'}: worker ${workerRate.toFixed(0)}/s (${workerCpu.toFixed(2)} ms CPU/mail), plain nodemailer ${plainRate.toFixed(0)}/s (${plainCpu.toFixed(2)} ms), maildrop ${maildropRate.toFixed(0)}/s\n`);
    }
  } finally {
    sink.child.kill('SIGTERM');
  }
  const pairs = worker.map((w, i) => ({ worker: w, plain: plain[i]! }));
  return { n: ids.length, worker: median(worker), plain: median(plain), maildrop: median(maildrop), ratio: median(pairs.map((x) => x.worker / x.plain)), trials: pairs, cpu: { worker: median(cpuWorker), plain: median(cpuPlain) } };
}
