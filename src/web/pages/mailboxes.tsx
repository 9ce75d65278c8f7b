/**
 * Recipients → mailboxes: a page at a time (keyset paging by the API's `next` cursor, never
 * everything), searched by prefix as the user types; selecting a row opens its details pane.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import type { Page, RecipientRow } from '../api-types.js';
import { t } from '../i18n.js';
import { DetailsPane } from './details-pane.js';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

function listUrl(search: string, cursor: string | null): string {
  const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (search) q.set('search', search);
  if (cursor) q.set('cursor', cursor);
  return `/api/v1/recipients?${q}`;
}

export function MailboxesPage() {
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<RecipientRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<RecipientRow | null>(null);
  // answers to an older search are dropped when a newer one was sent
  const generation = useRef(0);

  const load = async (term: string, cursor: string | null) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await api<Page<RecipientRow>>('GET', listUrl(term, cursor));
      if (mine !== generation.current) return;
      setRows((before) => (cursor ? [...before, ...page.items] : page.items));
      setNext(page.next);
      setError(null);
    } catch (err) {
      if (mine === generation.current) setError(errorText(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    const timer = setTimeout(() => void load(search.trim(), null), search ? SEARCH_DELAY_MS : 0);
    return () => clearTimeout(timer);
  }, [search]);

  const select = (row: RecipientRow) => setSelected((s) => (s?.id === row.id ? s : row));

  return (
    <div class="split">
      <section class="list" aria-labelledby="mailboxes-title">
        <h1 id="mailboxes-title">{t('mailboxes.title')}</h1>
        <input
          type="search"
          class="search"
          aria-label={t('mailboxes.search')}
          placeholder={t('mailboxes.search')}
          value={search}
          onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)}
        />
        <table aria-labelledby="mailboxes-title">
          <thead>
            <tr>
              <th scope="col">{t('mailboxes.columns.displayName')}</th>
              <th scope="col">{t('mailboxes.columns.address')}</th>
              <th scope="col">{t('mailboxes.columns.umEnabled')}</th>
              <th scope="col">{t('mailboxes.columns.extension')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.id}
                tabIndex={0}
                aria-selected={selected?.id === row.id}
                onClick={() => select(row)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    select(row);
                  }
                }}
              >
                <td>{row.displayName}</td>
                <td>{row.primarySmtpAddress}</td>
                <td>{row.umMailbox ? t('common.yes') : t('common.no')}</td>
                <td>{row.umMailbox?.extensions[0] ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="count" role="status">
          {loading
            ? t('common.loading')
            : rows.length === 0
              ? t('mailboxes.none')
              : t('mailboxes.shown', { count: rows.length })}
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {next && !loading && (
          <button type="button" onClick={() => void load(search.trim(), next)}>
            {t('mailboxes.more')}
          </button>
        )}
      </section>
      {selected && <DetailsPane recipient={selected} onClose={() => setSelected(null)} />}
    </div>
  );
}
