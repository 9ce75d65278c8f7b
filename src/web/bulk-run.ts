/**
 * A bulk action: one call per mailbox (the service checks and audits each as if it were done
 * alone), a few in flight at most, each outcome reported as it comes, and a cancel that lets
 * the calls already sent finish and starts no other: those are reported as not done. When the
 * server says to slow down (its PIN-change rate limit, with Retry-After), the call waits that
 * long and is made again — the limit is the server's to set, the bulk action keeps to it.
 */
export type BulkOutcome = { status: 'ok' } | { status: 'failed'; message: string } | { status: 'notDone' };

export interface BulkOptions {
  /** calls in flight at once */
  concurrency: number;
  /** asked before each call: true once the user cancelled */
  cancelled: () => boolean;
  onOutcome: (index: number, outcome: BulkOutcome) => void;
  /** the message of a failed call */
  messageOf: (err: unknown) => string;
  /** seconds to wait before calling again, when the error asks to (a rate limit); null for a failure */
  retryAfter?: (err: unknown) => number | null;
  /** told when a call waits for the rate limit, and with 0 when it goes on */
  onWait?: (seconds: number) => void;
  /** waiting, cut short by a cancel (tests pass a quicker one) */
  sleep?: (ms: number, cancelled: () => boolean) => Promise<void>;
}

/** Waits `ms`, looking every quarter second whether the user cancelled. */
export async function cancellableSleep(ms: number, cancelled: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !cancelled()) await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
}

export async function runBulk<T>(
  items: readonly T[],
  work: (item: T) => Promise<unknown>,
  {
    concurrency,
    cancelled,
    onOutcome,
    messageOf,
    retryAfter = () => null,
    onWait = () => undefined,
    sleep = cancellableSleep,
  }: BulkOptions,
): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = items.map(() => ({ status: 'notDone' }));
  let next = 0;
  const one = async (item: T): Promise<BulkOutcome> => {
    for (;;) {
      try {
        await work(item);
        return { status: 'ok' };
      } catch (err) {
        const wait = retryAfter(err);
        if (wait === null) return { status: 'failed', message: messageOf(err) };
        onWait(wait);
        await sleep(wait * 1000, cancelled);
        onWait(0);
        // cancelled while waiting: this one was not done
        if (cancelled()) return { status: 'notDone' };
      }
    }
  };
  const worker = async () => {
    while (next < items.length && !cancelled()) {
      const i = next++;
      outcomes[i] = await one(items[i]!);
      onOutcome(i, outcomes[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return outcomes;
}

/** How many of each: for the summary line. */
export function tally(outcomes: readonly BulkOutcome[]): { ok: number; failed: number; notDone: number } {
  const n = { ok: 0, failed: 0, notDone: 0 };
  for (const o of outcomes) n[o.status]++;
  return n;
}

/**
 * The same, a batch of items a call: `work` answers each member's outcome, in order. A call
 * that fails as a whole (refused, or no answer) fails each of its members with its message;
 * a cancel lets the batches in flight finish and reports the members of the others not done.
 */
export async function runBatches<T>(
  items: readonly T[],
  batchSize: number,
  work: (batch: readonly T[]) => Promise<BulkOutcome[]>,
  options: BulkOptions,
): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = items.map(() => ({ status: 'notDone' }));
  const batches = Array.from({ length: Math.ceil(items.length / batchSize) }, (_, b) => ({
    start: b * batchSize,
    members: items.slice(b * batchSize, (b + 1) * batchSize),
  }));
  const report = (i: number, o: BulkOutcome) => {
    outcomes[i] = o;
    options.onOutcome(i, o);
  };
  await runBulk(
    batches,
    async (b) => {
      const answered = await work(b.members);
      for (const [j, o] of answered.entries()) report(b.start + j, o);
    },
    {
      ...options,
      onOutcome: (n, o) => {
        if (o.status === 'ok') return;
        const b = batches[n]!;
        for (let j = 0; j < b.members.length; j++) report(b.start + j, o);
      },
    },
  );
  return outcomes;
}
