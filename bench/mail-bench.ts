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

async function startSink(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink-process.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0]!.trim())));
  return { url: `smtp://127.0.0.1:${port}`, child };
}

export interface MailFigures {
  n: number;
  worker: number;
  plain: number;
  maildrop: number;
}

export async function benchMail(deps: Deps, ids: string[], trials = 3): Promise<MailFigures> {
  const sink = await startSink();
  const worker: number[] = [];
  const plain: number[] = [];
  const maildrop: number[] = [];
  try {
    for (let trial = 0; trial < trials; trial++) {
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
      let t0 = performance.now();
      let k = 0;
      await Promise.all(Array.from({ length: 2 }, async () => {
        while (k < rendered.length) {
          const r = rendered[k]!;
          const m = queued[k++]!;
          await t.sendMail({ envelope: { from: FROM, to: [m.toAddress] }, raw: r.raw });
        }
      }));
      plain.push(rendered.length / ((performance.now() - t0) / 1000));
      t.close();

      const tr = new SmtpTransport(sink.url);
      const w = new DeliveryWorker({ store: deps.store, cipher: deps.cipher, clock: deps.clock }, tr, { from: FROM, batchSize: 50 });
      t0 = performance.now();
      const r = await w.drain();
      worker.push(r.sent / ((performance.now() - t0) / 1000));
      await tr.close();
      if (r.sent !== ids.length) throw new Error(`worker sent ${r.sent} of ${ids.length}`);

      await resetUMMailboxPINs(deps, { kind: 'system', name: 'bench', roles: [] }, { identities: ids });
      const dir = mkdtempSync(join(tmpdir(), 'umpin-bench-maildrop-'));
      const md = new DeliveryWorker({ store: deps.store, cipher: deps.cipher, clock: deps.clock }, new MaildropTransport(dir), { from: FROM, batchSize: 50 });
      t0 = performance.now();
      const r2 = await md.drain();
      maildrop.push(r2.sent / ((performance.now() - t0) / 1000));
      rmSync(dir, { recursive: true, force: true });
      process.stderr.write(`mail trial ${trial + 1}: worker ${worker.at(-1)!.toFixed(0)}/s, plain nodemailer ${plain.at(-1)!.toFixed(0)}/s, maildrop ${maildrop.at(-1)!.toFixed(0)}/s\n`);
    }
  } finally {
    sink.child.kill('SIGTERM');
  }
  return { n: ids.length, worker: median(worker), plain: median(plain), maildrop: median(maildrop) };
}
