/**
 * The bulk pane of several selected mailboxes, as the Exchange admin center's bulk edit:
 * Reset PIN (a generated PIN for each, optionally to be changed at first sign-in — one typed
 * PIN for many is not offered) and Unlock. Ten mailboxes go in one `POST /api/v1/pins`, where
 * the service checks and audits each as if it were done alone and answers each; a batch or two
 * run at once, with a progress bar, each mailbox's result, a cancel between batches and a summary.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { issueFromWire, isErrorCode } from '../../domain/errors.js';
import { ApiError, api, errorText } from '../api.js';
import type { SetPinInput, SetPinsInput, SetPinsOutcome } from '../api-types.js';
import { type BulkOutcome, runBatches, tally } from '../bulk-run.js';
import { can } from '../can.js';
import { t } from '../i18n.js';
import type { ListRow } from '../mailbox-view.js';
import { PINS_URL } from '../paths.js';

/** mailboxes a request: progress moves often enough, and a cancel stops soon */
const BATCH = 10;
/** requests in flight at once: the server hashes a batch's PINs on every core already */
const CONCURRENCY = 2;

export type BulkAction = 'reset' | 'unlock';

interface Run {
  mailboxes: ListRow[];
  outcomes: BulkOutcome[];
  done: number;
  finished: boolean;
  canceled: boolean;
}

export function BulkPane({
  mailboxes,
  request,
  onClose,
  onChanged,
}: {
  mailboxes: ListRow[];
  /** a shortcut's request (`r`, `u`): n changes with each */
  request: { action: BulkAction; n: number } | null;
  onClose: () => void;
  /** a run has changed PIN states: the list may reload */
  onChanged: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [run, setRun] = useState<Run | null>(null);
  // seconds the run waits for the server's rate limit; 0 while it goes on
  const [waiting, setWaiting] = useState(0);
  const cancelled = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const running = run !== null && !run.finished;

  // leaving the pane stops a run between mailboxes
  useEffect(
    () => () => {
      cancelled.current = true;
    },
    [],
  );

  const start = async (body: SetPinInput) => {
    const list = mailboxes;
    cancelled.current = false;
    const fresh: Run = {
      mailboxes: list,
      outcomes: list.map(() => ({ status: 'notDone' })),
      done: 0,
      finished: false,
      canceled: false,
    };
    setRun(fresh);
    const outcomes = await runBatches(list, BATCH, (batch) => setPins(batch, body), {
      concurrency: CONCURRENCY,
      cancelled: () => cancelled.current,
      messageOf: errorText,
      retryAfter: rateLimitWait,
      onWait: setWaiting,
      onOutcome: (i, outcome) =>
        setRun((r) => {
          if (!r || r.mailboxes !== list) return r;
          const next = r.outcomes.slice();
          next[i] = outcome;
          return { ...r, outcomes: next, done: r.done + 1 };
        }),
    });
    setRun((r) => (r && r.mailboxes === list ? { ...r, outcomes, finished: true, canceled: cancelled.current } : r));
    onChanged();
  };

  const act = (action: BulkAction) => {
    if (running) return;
    if (action === 'reset' && can('pin:reset')) setConfirming(true);
    else if (action === 'unlock' && can('pin:lock')) void start({ lockedOut: false });
  };

  // a request made before this pane opened (for an earlier selection) is not this one's
  const stale = useRef(request?.n);
  useEffect(() => {
    if (request && request.n !== stale.current) act(request.action);
  }, [request?.n]);

  const summary = run?.finished ? tally(run.outcomes) : null;
  return (
    <aside class="details bulk" aria-label={t('list.bulk.label', { count: mailboxes.length })}>
      <div class="details-head">
        <h2 ref={heading} tabIndex={-1}>
          {t('list.selected', { count: mailboxes.length })}
        </h2>
        <button type="button" class="close" aria-label={t('list.bulk.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <div class="bulk-actions">
        {can('pin:reset') && (
          <button type="button" aria-keyshortcuts="r" disabled={running} onClick={() => act('reset')}>
            {t('list.bulk.resetPin')}
          </button>
        )}
        {can('pin:lock') && (
          <button type="button" aria-keyshortcuts="u" disabled={running} onClick={() => act('unlock')}>
            {t('list.bulk.unlock')}
          </button>
        )}
      </div>
      {run && (
        <div class="bulk-run">
          <label for="bulk-progress">{t('list.bulk.progress')}</label>
          <progress id="bulk-progress" max={run.mailboxes.length} value={run.done} />
          <p role="status">
            {summary
              ? t(run.canceled ? 'list.bulk.summaryCanceled' : 'list.bulk.summary', summary)
              : t('list.bulk.running', { done: run.done, total: run.mailboxes.length })}
            {running && waiting > 0 && ` ${t('list.bulk.waiting', { seconds: waiting })}`}
          </p>
          {running && (
            <button
              type="button"
              onClick={() => {
                cancelled.current = true;
              }}
            >
              {t('list.bulk.stop')}
            </button>
          )}
          <h3 id="bulk-results">{t('list.bulk.results')}</h3>
          <ul class="results" aria-labelledby="bulk-results">
            {run.mailboxes.map((m, i) => {
              const o = run.outcomes[i]!;
              // a mailbox still in flight has no result yet
              if (o.status === 'notDone' && !run.finished) return null;
              return (
                <li key={m.id} class={o.status}>
                  <span class="address">{m.primarySmtpAddress}</span>{' '}
                  <span class="outcome">
                    {o.status === 'ok' ? t('list.bulk.ok') : o.status === 'failed' ? o.message : t('list.bulk.notDone')}
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {confirming && (
        <BulkResetDialog
          count={mailboxes.length}
          onDone={(body) => {
            setConfirming(false);
            heading.current?.focus();
            if (body) void start(body);
          }}
        />
      )}
    </aside>
  );
}

/** The server's PIN-change rate limit answers 429 with the seconds to wait; anything else is a failure. */
/** One request for a batch: each mailbox's outcome, its refusal in the page's language from the catalog. */
async function setPins(batch: readonly ListRow[], body: SetPinInput): Promise<BulkOutcome[]> {
  const input: SetPinsInput = {
    identities: batch.map((m) => m.id),
    ...(body.lockedOut === false ? { lockedOut: false } : { pinExpired: body.pinExpired }),
  };
  const answer = await api<SetPinsOutcome>('POST', PINS_URL, input);
  return answer.items.map((item): BulkOutcome => {
    if (item.ok) return { status: 'ok' };
    const code = isErrorCode(item.code) ? item.code : 'UMPIN_INTERNAL';
    return { status: 'failed', message: new ApiError(422, issueFromWire(code, item.field, item.params)).text() };
  });
}

function rateLimitWait(err: unknown): number | null {
  if (!(err instanceof ApiError) || err.status !== 429) return null;
  const seconds = Number((err.issue.params as { retryAfter?: unknown } | undefined)?.retryAfter);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 60;
}

/** Reset PIN for several: a generated PIN each (the only choice), and whether it must be changed at first sign-in. */
function BulkResetDialog({ count, onDone }: { count: number; onDone: (body: SetPinInput | null) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [pinExpired, setPinExpired] = useState(true);
  useEffect(() => {
    dialog.current?.showModal();
    return () => dialog.current?.close();
  }, []);
  const finish = (body: SetPinInput | null) => {
    dialog.current?.close();
    onDone(body);
  };
  return (
    <dialog
      ref={dialog}
      aria-labelledby="bulk-reset-title"
      onCancel={(e) => {
        e.preventDefault();
        finish(null);
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          finish({ pinExpired });
        }}
      >
        <h2 id="bulk-reset-title">{t('list.bulk.resetTitle', { count })}</h2>
        <fieldset>
          <legend>{t('list.bulk.options')}</legend>
          <label class="choice">
            <input type="radio" name="bulk-pin-choice" checked aria-describedby="bulk-generated-only" />
            {t('list.bulk.generate')}
          </label>
          <p id="bulk-generated-only" class="hint under-choice">
            {t('list.bulk.generatedOnly')}
          </p>
        </fieldset>
        <label class="choice">
          <input
            type="checkbox"
            checked={pinExpired}
            onChange={(e) => setPinExpired((e.currentTarget as HTMLInputElement).checked)}
          />
          {t('list.bulk.requireReset')}
        </label>
        <div class="buttons">
          <button type="submit" class="primary">
            {t('list.bulk.save')}
          </button>
          <button type="button" onClick={() => finish(null)}>
            {t('list.bulk.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
