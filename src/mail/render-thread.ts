/**
 * A render pool thread: builds the MIME of outbox messages away from the thread that drives
 * SMTP and the database. Each request carries an opened payload (it may hold the PIN); it
 * stays in this process's memory, and an error reply carries only the render's own message.
 */
import { parentPort } from 'node:worker_threads';
import type { RenderBatch, RenderReply } from './render-pool.js';
import { renderMessage } from './render-message.js';

const port = parentPort;
if (!port) throw new Error('render-thread runs as a worker thread');

// In the order the senders take them, each sent back as soon as it is rendered: the first
// message of a claim does not wait for the whole batch.
port.on('message', async (batch: RenderBatch) => {
  for (const req of batch) {
    try {
      const r = await renderMessage(req.input);
      port.postMessage({ seq: req.seq, messageId: r.messageId, raw: r.raw } satisfies RenderReply);
    } catch (err) {
      port.postMessage({ seq: req.seq, error: String((err as Error)?.message ?? err) } satisfies RenderReply);
    }
  }
});
// the imports above are loaded: from now on requests render at once
port.postMessage({ ready: true } satisfies RenderReply);
