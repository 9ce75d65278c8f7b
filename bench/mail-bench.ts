/**
 * Mail throughput: the delivery worker draining the outbox (claim, decrypt, render, send,
 * mark sent) to a loopback SMTP sink, against plain nodemailer sending the same messages to
 * the same sink with the same pool, in the same run — composing each from its parts, as a
 * program using nodemailer does, and (stricter) sending them rendered beforehand; and the
 * maildrop rate.
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
import type { MailPayload } from '../src/domain/mail-payload.js';
import type { Deps } from '../src/services/ports/deps.js';
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
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink-process.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
    for (const until = Date.now() + 5000; received < n && Date.now() < until; )
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 600));
    if (received !== n) throw new Error(`the sink accepted ${received} messages, expected ${n}`);
  };
  return { url: `smtp://127.0.0.1:${port}`, child, expect };
}

export interface Side {
  /** mails/s, median of the trials */
  rate: number;
  /** CPU time of the sending process (all its threads) per mail, ms, median: a figure the machine's load moves less */
  cpu: number;
}

export interface MailFigures {
  n: number;
  worker: Side;
  /** plain nodemailer composing each message from its parts (its MailComposer) and sending it */
  composed: Side;
  /** plain nodemailer sending the same messages rendered beforehand (no composing at all) */
  raw: Side;
  maildrop: number;
  /** medians of the trials' ratios: each trial's sides ran back to back, under the same load */
  ratio: { composed: number; raw: number };
  trials: Array<{ worker: number; composed: number; raw: number }>;
}

const FROM_DOMAIN = 'contoso.com';

export async function benchMail(deps: Deps, ids: string[], trials = 5): Promise<MailFigures> {
  const sink = await startSink();
  const rows: Array<{ worker: number; composed: number; raw: number }> = [];
  const cpu = { worker: [] as number[], composed: [] as number[], raw: [] as number[] };
  const maildrop: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  const system = { kind: 'system' as const, name: 'bench', roles: [] };
  let accepted = 0;
  try {
    // trial 0 warms every side up (JIT, the render thread's start) and is not counted
    for (let trial = 0; trial <= trials; trial++) {
      const counted = trial > 0;
      const got: { worker: number; composed: number; raw: number } = { worker: 0, composed: 0, raw: 0 };
      const spent: { worker: number; composed: number; raw: number } = { worker: 0, composed: 0, raw: 0 };
      // each trial starts with another side, so none always runs first (or last) on a warming machine
      const order = (['worker', 'composed', 'raw'] as const).map((_, i, a) => a[(i + trial) % a.length]!);
      for (const side of order) {
        // queue one PIN mail per mailbox (cheap KDF: this measures mail, not hashing)
        await resetUMMailboxPINs(deps, system, { identities: ids });
        const queued = await deps.store.listOutbox({ status: 'queued', limit: ids.length });
        if (side === 'worker') {
          const tr = new SmtpTransport(sink.url);
          const w = new DeliveryWorker(deps, tr, { from: FROM, batchSize: 50 });
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          const r = await w.drain();
          got.worker = r.sent / ((performance.now() - t0) / 1000);
          spent.worker = cpuMs(c0) / r.sent;
          await w.stop();
          await tr.close();
          if (r.sent !== ids.length) throw new Error(`worker sent ${r.sent} of ${ids.length}`);
        } else {
          // the baselines' messages: the same ones, their parts (or the whole) rendered beforehand
          const rendered = await Promise.all(
            queued.map((m) =>
              renderMessage({
                id: m.id,
                kind: m.kind,
                to: m.toAddress,
                language: m.language,
                payload: JSON.parse(deps.cipher.open(m.sealedPayload!, m.id)) as MailPayload,
                from: FROM,
                organizationName: 'Contoso',
                messageIdDomain: FROM_DOMAIN,
                createdAt: m.createdAt,
              }),
            ),
          );
          const u = new URL(sink.url);
          const t = nodemailer.createTransport({
            host: u.hostname,
            port: Number(u.port),
            secure: false,
            pool: true,
            maxConnections: 2,
            maxMessages: Infinity,
          } as never);
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          let k = 0;
          await Promise.all(
            Array.from({ length: 2 }, async () => {
              while (k < rendered.length) {
                const r = rendered[k]!;
                const m = queued[k++]!;
                if (side === 'raw') await t.sendMail({ envelope: { from: FROM, to: [m.toAddress] }, raw: r.raw });
                else
                  await t.sendMail({
                    from: FROM,
                    to: m.toAddress,
                    subject: r.subject,
                    date: new Date(m.createdAt),
                    messageId: r.messageId,
                    text: r.text,
                    html: r.html,
                    headers: {
                      'Content-Language': r.language,
                      'Auto-Submitted': 'auto-generated',
                      'X-Auto-Response-Suppress': 'All',
                    },
                    textEncoding: 'B',
                  });
              }
            }),
          );
          got[side] = rendered.length / ((performance.now() - t0) / 1000);
          spent[side] = cpuMs(c0) / rendered.length;
          t.close();
          // the rows a baseline sent by itself are done with: the next side starts from an empty outbox
          await deps.store.completeOutbox(
            queued.map((m) => m.id),
            deps.clock.now(),
          );
        }
        accepted += ids.length;
        await sink.expect(accepted);
      }

      await resetUMMailboxPINs(deps, system, { identities: ids });
      const dir = mkdtempSync(join(tmpdir(), 'umpin-bench-maildrop-'));
      const md = new DeliveryWorker(deps, new MaildropTransport(dir), { from: FROM, batchSize: 50 });
      const t0 = performance.now();
      const r2 = await md.drain();
      const maildropRate = r2.sent / ((performance.now() - t0) / 1000);
      rmSync(dir, { recursive: true, force: true });
      if (counted) {
        rows.push(got);
        for (const k of ['worker', 'composed', 'raw'] as const) cpu[k].push(spent[k]);
        maildrop.push(maildropRate);
      }
      const fmt = (k: 'worker' | 'composed' | 'raw') => `${got[k].toFixed(0)}/s (${spent[k].toFixed(2)} ms CPU/mail)`;
      process.stderr.write(
        `mail ${counted ? `trial ${trial}` : 'warm-up'}: worker ${fmt('worker')}, nodemailer composing ${fmt('composed')}, nodemailer raw ${fmt('raw')}, maildrop ${maildropRate.toFixed(0)}/s\n`,
      );
    }
  } finally {
    sink.child.kill('SIGTERM');
  }
  const side = (k: 'worker' | 'composed' | 'raw'): Side => ({
    rate: median(rows.map((r) => r[k])),
    cpu: median(cpu[k]),
  });
  return {
    n: ids.length,
    worker: side('worker'),
    composed: side('composed'),
    raw: side('raw'),
    maildrop: median(maildrop),
    ratio: { composed: median(rows.map((r) => r.worker / r.composed)), raw: median(rows.map((r) => r.worker / r.raw)) },
    trials: rows,
  };
}
