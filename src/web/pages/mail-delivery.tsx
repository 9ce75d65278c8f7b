/**
 * Mail flow → Delivery: the outbox's queue (mails waiting, how long the oldest has waited) and
 * its dead letters — the mails given up on — each with Retry (Retry-DeadLetter), and Retry all.
 * The mails' contents stay sealed on the server: the page sees the address, the kind of mail,
 * the attempts and the mail server's last answer, never a PIN.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import type { DeadLetterView, MailQueueView, Page } from '../api-types.js';
import { can } from '../can.js';
import { formatDateTime, formatNumber } from '../format.js';
import { t } from '../i18n.js';
import { fetchAllPages, pagedUrl } from '../paged.js';

const PAGE_SIZE = 100;

/** How long something has waited, in its largest whole unit. */
function age(seconds: number): string {
  if (seconds < 60) return t('ops.mail.ageSeconds', { n: seconds });
  if (seconds < 3600) return t('ops.mail.ageMinutes', { n: Math.floor(seconds / 60) });
  if (seconds < 86_400) return t('ops.mail.ageHours', { n: Math.floor(seconds / 3600) });
  return t('ops.mail.ageDays', { n: Math.floor(seconds / 86_400) });
}

const retryUrl = (id: string) => `/api/v1/dead-letters/${encodeURIComponent(id)}/retry`;

export function MailDeliveryPage() {
  const [queue, setQueue] = useState<MailQueueView | null>(null);
  const [dead, setDead] = useState<DeadLetterView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const refresh = async () => {
    try {
      const [q, page] = await Promise.all([
        api<MailQueueView>('GET', '/api/v1/mail-queue'),
        api<Page<DeadLetterView>>('GET', `/api/v1/dead-letters?limit=${PAGE_SIZE}`),
      ]);
      setQueue(q);
      setDead(page.items);
      setNext(page.next);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setLoaded(true);
    }
  };

  useEffect(() => {
    void refresh();
  }, []);

  const more = async () => {
    if (!next) return;
    try {
      const page = await api<Page<DeadLetterView>>(
        'GET',
        `/api/v1/dead-letters?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(next)}`,
      );
      setDead((d) => [...d, ...page.items]);
      setNext(page.next);
    } catch (err) {
      setError(errorText(err));
    }
  };

  const retry = async (d: DeadLetterView) => {
    setBusy(true);
    setNotice(null);
    try {
      await api('POST', retryUrl(d.id));
      setNotice(t('ops.mail.retried', { address: d.toAddress }));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
    await refresh();
    setBusy(false);
    // the row and its button are gone: focus goes to the list's heading, not to the page's start
    heading.current?.focus();
  };

  const retryAll = async () => {
    setBusy(true);
    setNotice(null);
    let count = 0;
    try {
      // every dead letter, not only the ones shown: each one Retry-DeadLetter, as the row's button does
      const all =
        (await fetchAllPages<DeadLetterView>((cursor) => pagedUrl('/api/v1/dead-letters', cursor, 1000))) ?? [];
      for (const d of all) {
        await api('POST', retryUrl(d.id));
        count++;
      }
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
    setNotice(t('ops.mail.retriedAll', { count }));
    await refresh();
    setBusy(false);
    heading.current?.focus();
  };

  const kind = (k: DeadLetterView['kind']) => t(`ops.mail.kind.${k}`);
  const mayRetry = can('outbox:write');

  return (
    <section aria-labelledby="mail-title">
      <h1 id="mail-title">{t('ops.mail.title')}</h1>
      <div class="toolbar">
        <button type="button" onClick={() => void refresh()} disabled={busy}>
          {t('ops.refresh')}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="notice" role="status">
        {notice}
      </p>
      {queue && (
        <>
          <h2>{t('ops.mail.queue')}</h2>
          <dl class="facts mail-queue">
            <dt>{t('ops.mail.queued')}</dt>
            <dd data-fact="queued">{formatNumber(queue.queued)}</dd>
            <dt>{t('ops.mail.oldest')}</dt>
            <dd data-fact="oldest">
              {queue.oldestQueuedAt === null || queue.oldestAgeSeconds === null
                ? t('ops.mail.oldestNone')
                : t('ops.mail.oldestSince', {
                    time: formatDateTime(queue.oldestQueuedAt),
                    age: age(queue.oldestAgeSeconds),
                  })}
            </dd>
            <dt>{t('ops.mail.deadCount')}</dt>
            <dd data-fact="dead">{formatNumber(queue.deadLetters)}</dd>
          </dl>
        </>
      )}
      <h2 id="dead-title" ref={heading} tabIndex={-1}>
        {t('ops.mail.deadTitle')}
      </h2>
      <p>{t('ops.mail.deadIntro')}</p>
      {mayRetry && dead.length > 0 && (
        <div class="toolbar">
          <button type="button" onClick={() => void retryAll()} disabled={busy}>
            {t('ops.mail.retryAll')}
          </button>
        </div>
      )}
      {loaded && dead.length === 0 && !error ? (
        <p class="count">{t('ops.mail.noDead')}</p>
      ) : (
        <table class="ops-table" aria-labelledby="dead-title">
          <thead>
            <tr>
              <th scope="col">{t('ops.mail.columns.to')}</th>
              <th scope="col">{t('ops.mail.columns.kind')}</th>
              <th scope="col">{t('ops.mail.columns.attempts')}</th>
              <th scope="col">{t('ops.mail.columns.lastError')}</th>
              <th scope="col">{t('ops.mail.columns.queuedAt')}</th>
              {mayRetry && <th scope="col">{t('ops.mail.columns.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {dead.map((d) => (
              <tr key={d.id} class="dead-letter">
                <td>{d.toAddress}</td>
                <td>{kind(d.kind)}</td>
                <td>{formatNumber(d.attempts)}</td>
                <td class="wrap">{d.lastError ?? ''}</td>
                <td>{formatDateTime(d.createdAt)}</td>
                {mayRetry && (
                  <td>
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={t('ops.mail.retryOne', { address: d.toAddress })}
                      onClick={() => void retry(d)}
                    >
                      {t('ops.mail.retry')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" onClick={() => void more()}>
          {t('ops.more')}
        </button>
      )}
    </section>
  );
}
