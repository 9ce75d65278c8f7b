/**
 * Recipients → mailboxes: the UM mailboxes a page at a time (keyset paging by the API's `next`
 * cursor, never everything), searched by prefix as the user types, filtered on the PIN state
 * and sorted by a column header — all by the server, in one query — with each mailbox's PIN
 * state. The URL holds the search, filter and sort, so a view can be bookmarked; the view can
 * be exported to CSV. Selecting a row opens its details pane.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import type { Page, UmMailboxRow } from '../api-types.js';
import { t } from '../i18n.js';
import { mailboxesCsv } from '../mailbox-csv.js';
import {
  FILTERS,
  type FilterKey,
  listUrl,
  type MailboxView,
  type SortColumn,
  toggledSort,
  viewFromQuery,
  viewQuery,
} from '../mailbox-view.js';
import { navigate } from '../router.js';
import { DetailsPane } from './details-pane.js';

const PAGE_SIZE = 50;
/** the largest page the API serves: an export takes as few requests as it can */
const EXPORT_PAGE_SIZE = 1000;
/**
 * A typed search waits this long for the next key: enough to take a burst (a paste, a held key) as one
 * search, short enough that each key a person types shows its own answer at once (a prefix page
 * costs the server a few milliseconds; answers to older searches are dropped).
 */
const SEARCH_DELAY_MS = 40;

const FILTER_LABELS = {
  locked: 'mailboxes.filter.locked',
  expired: 'mailboxes.filter.expired',
  firstTime: 'mailboxes.filter.firstTime',
} as const satisfies Record<FilterKey, string>;

export function MailboxesPage() {
  const [view, setView] = useState<MailboxView>(() => viewFromQuery(location.search));
  const [rows, setRows] = useState<UmMailboxRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<UmMailboxRow | null>(null);
  // the search the rows on screen answer (not the text in the box while its answer is on the way)
  const [shownSearch, setShownSearch] = useState<string | null>(null);
  // answers to an older view are dropped when a newer one was asked for
  const generation = useRef(0);
  const typed = useRef(false);

  const load = async (v: MailboxView, cursor: string | null) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await api<Page<UmMailboxRow>>('GET', listUrl(v, cursor, PAGE_SIZE));
      if (mine !== generation.current) return;
      setRows((before) => (cursor ? [...before, ...page.items] : page.items));
      setShownSearch(v.search);
      setNext(page.next);
      setError(null);
    } catch (err) {
      if (mine === generation.current) setError(errorText(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    // a typed search waits for the typing to pause; a filter or a sort loads at once
    const delay = typed.current && view.search ? SEARCH_DELAY_MS : 0;
    typed.current = false;
    const timer = setTimeout(() => {
      const query = viewQuery(view);
      if (query !== location.search) navigate(`/mailboxes${query}`, { replace: true });
      void load(view, null);
    }, delay);
    return () => clearTimeout(timer);
  }, [view]);

  const select = (row: UmMailboxRow) => setSelected((s) => (s?.identity === row.identity ? s : row));
  const yesNo = (v: boolean | undefined) => (v === undefined ? '' : v ? t('common.yes') : t('common.no'));

  const header = (column: SortColumn, label: string) => {
    const sorted = view.sort.column === column;
    return (
      <th scope="col" aria-sort={sorted ? (view.sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          class="sort"
          onClick={() => setView((v) => ({ ...v, sort: toggledSort(v.sort, column) }))}
        >
          {label}
          <span aria-hidden="true">{sorted ? (view.sort.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <div class="split">
      <section
        class="list"
        aria-labelledby="mailboxes-title"
        aria-busy={loading}
        data-search={shownSearch ?? undefined}
      >
        <h1 id="mailboxes-title">{t('mailboxes.title')}</h1>
        <div class="toolbar">
          <input
            type="search"
            class="search"
            aria-label={t('mailboxes.search')}
            placeholder={t('mailboxes.search')}
            value={view.search}
            onInput={(e) => {
              typed.current = true;
              const search = (e.currentTarget as HTMLInputElement).value;
              setView((v) => ({ ...v, search }));
            }}
          />
          <label for="mailbox-filter">{t('mailboxes.filter')}</label>
          <select
            id="mailbox-filter"
            value={view.filter ?? ''}
            onChange={(e) => {
              const value = (e.currentTarget as HTMLSelectElement).value;
              setView((v) => ({ ...v, filter: value in FILTERS ? (value as FilterKey) : null }));
            }}
          >
            <option value="">{t('mailboxes.filter.all')}</option>
            {(Object.keys(FILTER_LABELS) as FilterKey[]).map((k) => (
              <option key={k} value={k}>
                {t(FILTER_LABELS[k])}
              </option>
            ))}
          </select>
          <CsvExport view={view} />
        </div>
        <div class="table-scroll">
          <table aria-labelledby="mailboxes-title">
            <thead>
              <tr>
                {header('displayName', t('mailboxes.columns.displayName'))}
                {header('address', t('mailboxes.columns.address'))}
                {header('extension', t('mailboxes.columns.extension'))}
                <th scope="col">{t('mailboxes.columns.lockedOut')}</th>
                <th scope="col">{t('mailboxes.columns.pinExpired')}</th>
                <th scope="col">{t('mailboxes.columns.firstTimeUser')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.identity}
                  tabIndex={0}
                  aria-selected={selected?.identity === row.identity}
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
                  <td>{row.extensions[0] ?? ''}</td>
                  <td>{yesNo(row.pinStatus?.lockedOut)}</td>
                  <td>{yesNo(row.pinStatus?.pinExpired)}</td>
                  <td>{yesNo(row.pinStatus?.firstTimeUser)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
          <button type="button" onClick={() => void load(view, next)}>
            {t('mailboxes.more')}
          </button>
        )}
      </section>
      {selected && (
        <DetailsPane
          recipient={{
            id: selected.identity,
            displayName: selected.displayName,
            primarySmtpAddress: selected.primarySmtpAddress,
            umMailbox: selected,
          }}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}

/**
 * Export to CSV: the current view page by page (following `next`, so never one huge answer),
 * with a running count and a cancel between pages, then a download of a Blob URL.
 */
function CsvExport({ view }: { view: MailboxView }) {
  const [count, setCount] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const cancelled = useRef(false);

  const run = async () => {
    cancelled.current = false;
    setOutcome(null);
    setCount(0);
    const rows: UmMailboxRow[] = [];
    let cursor: string | null = null;
    try {
      do {
        const page: Page<UmMailboxRow> = await api<Page<UmMailboxRow>>('GET', listUrl(view, cursor, EXPORT_PAGE_SIZE));
        if (cancelled.current) break;
        rows.push(...page.items);
        setCount(rows.length);
        cursor = page.next;
      } while (cursor);
      if (cancelled.current) {
        setOutcome(t('mailboxes.exportCanceled'));
        return;
      }
      download(
        mailboxesCsv(rows, {
          displayName: t('mailboxes.columns.displayName'),
          address: t('mailboxes.columns.address'),
          extensions: t('umMailbox.extensions'),
          lockedOut: t('mailboxes.columns.lockedOut'),
          pinExpired: t('mailboxes.columns.pinExpired'),
          firstTimeUser: t('mailboxes.columns.firstTimeUser'),
        }),
      );
      setOutcome(t('mailboxes.exported', { count: rows.length }));
    } catch (err) {
      setOutcome(errorText(err));
    } finally {
      setCount(null);
    }
  };

  return (
    <span class="export">
      {count === null ? (
        <button type="button" onClick={() => void run()}>
          {t('mailboxes.export')}
        </button>
      ) : (
        <button type="button" onClick={() => (cancelled.current = true)}>
          {t('mailboxes.exportCancel')}
        </button>
      )}
      <span role="status">{count !== null ? t('mailboxes.exporting', { count }) : (outcome ?? '')}</span>
    </span>
  );
}

function download(csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'mailboxes.csv';
  document.body.append(a);
  a.click();
  a.remove();
  // the click has handed the file to the browser; the URL may go once it has read it
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
