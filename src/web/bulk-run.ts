/**
 * A bulk action: one call per mailbox (the service checks and audits each as if it were done
 * alone), a few in flight at most, each outcome reported as it comes, and a cancel that lets
 * the calls already sent finish and starts no other: those are reported as not done.
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
}

export async function runBulk<T>(
  items: readonly T[],
  work: (item: T) => Promise<unknown>,
  { concurrency, cancelled, onOutcome, messageOf }: BulkOptions,
): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = items.map(() => ({ status: 'notDone' }));
  let next = 0;
  const worker = async () => {
    while (next < items.length && !cancelled()) {
      const i = next++;
      try {
        await work(items[i]!);
        outcomes[i] = { status: 'ok' };
      } catch (err) {
        outcomes[i] = { status: 'failed', message: messageOf(err) };
      }
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
