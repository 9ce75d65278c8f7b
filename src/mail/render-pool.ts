import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderMessage, type RenderInput, type RenderedMessage } from './render-message.js';

/** What sending needs of a rendered message. */
export type Rendered = Pick<RenderedMessage, 'messageId' | 'raw'>;

export interface Renderer {
  render(input: RenderInput): Promise<Rendered>;
  close(): Promise<void>;
}

/** Renders on the calling thread. */
export const inlineRenderer: Renderer = { render: renderMessage, close: async () => {} };

export interface RenderRequest {
  seq: number;
  input: RenderInput;
}

/** the requests of one turn of the event loop, posted as one message */
export type RenderBatch = RenderRequest[];

export type RenderReply =
  | { seq: number; messageId: string; raw: Uint8Array }
  | { seq: number; error: string }
  | { ready: true };

interface Job {
  input: RenderInput;
  resolve(r: Rendered): void;
  reject(err: Error): void;
}

interface Thread {
  worker: Worker;
  /** its modules are loaded (until then messages render inline, without waiting for it) */
  online: boolean;
  jobs: Map<number, Job>;
  /** started() calls waiting for it to come up (true) or fail (false) */
  waiters: Array<(up: boolean) => void>;
  /** requests not yet posted: a claim asks for a batch at once, and one message carries them */
  outgoing: RenderBatch;
}

/**
 * The thread beside this file: render-thread.js once built. From TypeScript sources (tests,
 * benchmarks) it is render-thread.ts, and the thread first registers tsx, whose --import
 * hooks cover the main thread only.
 */
function startThread(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./render-thread.js', import.meta.url));
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const script = new URL('./render-thread.ts', import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); });`,
    { eval: true },
  );
}

/**
 * Renders outbox messages on worker threads, beside the thread that drives the SMTP
 * connections and the database: a backlog's rendering (~0.15 ms a message) delays neither
 * the SMTP exchanges nor the server's other requests. Threads start at first use; until one
 * is up, and if one dies, messages render inline, so a render never fails for the pool's
 * sake. An idle thread does not keep the process alive.
 */
export class RenderPool implements Renderer {
  #threads: Thread[] = [];
  #seq = 0;
  #broken = false;

  constructor(readonly size: number) {}

  render(input: RenderInput): Promise<Rendered> {
    const t = this.#broken || this.size < 1 ? undefined : this.#pick();
    if (!t?.online) return renderMessage(input);
    const seq = ++this.#seq;
    return new Promise<Rendered>((resolve, reject) => {
      t.jobs.set(seq, { input, resolve, reject });
      if (t.jobs.size === 1) t.worker.ref();
      if (t.outgoing.push({ seq, input }) === 1) {
        queueMicrotask(() => {
          const batch = t.outgoing;
          t.outgoing = [];
          if (this.#threads.includes(t)) t.worker.postMessage(batch);
        });
      }
    });
  }

  /** Starts a thread if none is; true once one is up, false if the pool renders inline. */
  started(): Promise<boolean> {
    if (this.#broken || this.size < 1) return Promise.resolve(false);
    const t = this.#pick();
    if (t.online) return Promise.resolve(true);
    // someone waits for the thread: it holds the process open until it is up
    t.worker.ref();
    return new Promise((resolve) => t.waiters.push(resolve));
  }

  /** The least busy thread; starts another while there are fewer than `size`. */
  #pick(): Thread {
    if (this.#threads.length < this.size) return this.#spawn();
    let best = this.#threads[0]!;
    for (const t of this.#threads) if (t.online && (!best.online || t.jobs.size < best.jobs.size)) best = t;
    return best;
  }

  #spawn(): Thread {
    const worker = startThread();
    const t: Thread = { worker, online: false, jobs: new Map(), waiters: [], outgoing: [] };
    const settle = (up: boolean) => {
      if (t.jobs.size === 0) worker.unref();
      for (const w of t.waiters.splice(0)) w(up);
    };
    worker.on('message', (reply: RenderReply) => {
      if ('ready' in reply) {
        t.online = true;
        settle(true);
        return;
      }
      const job = t.jobs.get(reply.seq);
      if (!job) return;
      t.jobs.delete(reply.seq);
      if (t.jobs.size === 0) worker.unref();
      if ('error' in reply) job.reject(new Error(reply.error));
      else
        job.resolve({
          messageId: reply.messageId,
          raw: Buffer.from(reply.raw.buffer, reply.raw.byteOffset, reply.raw.byteLength),
        });
    });
    const lost = () => {
      // a thread that fails to load or dies: finish its jobs here and stop using threads
      this.#broken = true;
      this.#threads = this.#threads.filter((x) => x !== t);
      for (const job of t.jobs.values()) renderMessage(job.input).then(job.resolve, job.reject);
      t.jobs.clear();
      settle(false);
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    // after the listeners: adding a 'message' listener refs the worker's port again
    worker.unref();
    this.#threads.push(t);
    return t;
  }

  /** Stops the threads; jobs still with them finish inline. The pool starts afresh on next use. */
  async close(): Promise<void> {
    const threads = this.#threads;
    this.#threads = [];
    await Promise.all(
      threads.map((t) => {
        t.worker.removeAllListeners('exit');
        t.worker.removeAllListeners('error');
        t.worker.on('error', () => {});
        for (const job of t.jobs.values()) renderMessage(job.input).then(job.resolve, job.reject);
        t.jobs.clear();
        for (const w of t.waiters.splice(0)) w(false);
        return t.worker.terminate();
      }),
    );
    this.#broken = false;
  }
}

const shared = new Map<number, RenderPool>();

/**
 * One pool per process (per size), shared by every delivery worker: its threads stay warm
 * (a fresh thread renders at half speed until the JIT has caught up), and an idle pool
 * costs nothing and holds no process open.
 */
export function sharedRenderPool(threads: number): RenderPool {
  let pool = shared.get(threads);
  if (!pool) {
    pool = new RenderPool(threads);
    shared.set(threads, pool);
  }
  return pool;
}
