/**
 * Recipients → Mailboxes: every mailbox (Get-Mailbox), or the UM mailboxes with their PIN
 * state and PIN-status filters (Get-UMMailbox), searched by prefix as the user types and
 * sorted by a column header — all by the server, in one query. The list is windowed and
 * grows by the API's `next` cursor as it is scrolled, so it stays fast at a million mailboxes.
 * The URL holds the view (bookmarkable); the view exports to CSV. One selected mailbox shows
 * its details pane; several, the bulk pane (Reset PIN, Unlock); "Select all matching" selects
 * the whole view. Keyboard shortcuts: `/` search, `r` Reset PIN, `u` Unlock, Esc closes the pane.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import type { Page, SetPinOutcome } from '../api-types.js';
import { can } from '../can.js';
import { fetchWholeView } from '../fetch-view.js';
import { t } from '../i18n.js';
import { type Modifiers, NOTHING_SELECTED, type Selection, selectAll, selectAt } from '../list-selection.js';
import { mailboxesCsv } from '../mailbox-csv.js';
import {
  isUmView,
  type ListRow,
  listUrl,
  type MailboxView,
  rowsOfPage,
  SHOW,
  type ShowKey,
  toggledSort,
  viewFromQuery,
  viewQuery,
} from '../mailbox-view.js';
import type { MessageKey } from '../messages/en.js';
import { pinUrl } from '../paths.js';
import { navigate, path } from '../router.js';
import { onShortcut } from '../shortcuts.js';
import { type BulkAction, BulkPane } from './bulk-pane.js';
import { DetailsPane } from './details-pane.js';
import { MailboxGrid } from './mailbox-grid.js';
import { ResetPinDialog } from './reset-pin-dialog.js';

/** a page of the windowed list: one screen and more, small enough for the first answer to come fast */
const PAGE_SIZE = 100;

const SHOW_LABELS = {
  um: 'mailboxes.filter.all',
  notUm: 'list.filter.notUm',
  locked: 'mailboxes.filter.locked',
  expired: 'mailboxes.filter.expired',
  firstTime: 'mailboxes.filter.firstTime',
} as const satisfies Record<ShowKey, MessageKey>;

export function MailboxesPage() {
  const [view, setView] = useState<MailboxView>(() => viewFromQuery(location.search));
  const [rows, setRows] = useState<ListRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [answers, setAnswers] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selection, setSelection] = useState<Selection>(NOTHING_SELECTED);
  const [active, setActive] = useState(-1);
  const [paneFocus, setPaneFocus] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [resetFor, setResetFor] = useState<ListRow | null>(null);
  const [bulkRequest, setBulkRequest] = useState<{ action: BulkAction; n: number } | null>(null);
  const search = useRef<HTMLInputElement>(null);
  // answers to an older view are dropped when a newer one was asked for
  const generation = useRef(0);
  /** the query the page itself last put in the URL */
  const ownQuery = useRef(location.search);

  const load = async (v: MailboxView, cursor: string | null) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await api<Page<unknown>>('GET', listUrl(v, cursor, PAGE_SIZE));
      if (mine !== generation.current) return;
      const got = rowsOfPage(v, page.items);
      setRows((before) => (cursor ? [...before, ...got] : got));
      setAnswers(v.search);
      setNext(page.next);
      setError(null);
    } catch (err) {
      if (mine === generation.current) setError(errorText(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    // every change loads at once, a typed key too: a prefix page is one indexed query of a few
    // milliseconds, an answer to an older view is dropped, and a paste is one input event
    const timer = setTimeout(() => {
      const query = viewQuery(view);
      ownQuery.current = query;
      if (query !== location.search) navigate(`/mailboxes${query}`, { replace: true });
      setRows([]);
      setSelection(NOTHING_SELECTED);
      setActive(-1);
      void load(view, null);
    }, 0);
    return () => clearTimeout(timer);
  }, [view]);

  // a link, or the browser's back and forward buttons, naming another view in the URL; the
  // page's own replacements of the URL (which trail the view by a moment) are not
  const mark = path.value.indexOf('?');
  const route = mark < 0 ? path.value : path.value.slice(0, mark);
  const query = mark < 0 ? '' : path.value.slice(mark);
  useEffect(() => {
    if (route !== '/mailboxes' || query === ownQuery.current) return;
    ownQuery.current = query;
    if (viewQuery(viewFromQuery(query)) !== viewQuery(view)) setView(viewFromQuery(query));
  }, [route, query]);

  // computed once per selection: "select all matching" may hold a very large view
  const selected = useMemo(() => [...selection.rows.values()], [selection]);
  const selectedIds = useMemo(() => new Set(selection.rows.keys()), [selection]);
  /** what `r` and `u` act on: the selection, else the active row */
  const targets = (): ListRow[] => (selected.length > 0 ? selected : rows[active] ? [rows[active]!] : []);

  const focusList = () =>
    document.querySelector<HTMLElement>('.grid tr.active') ?? document.querySelector<HTMLElement>('.grid');

  /** after a change, the PIN states shown are read again (from the first page: the list is never fetched whole) */
  const refresh = () => void load(view, null);

  const unlockOne = async (row: ListRow) => {
    setNotice(null);
    setFailure(null);
    try {
      await api<SetPinOutcome>('POST', pinUrl(row.id), { lockedOut: false });
      setNotice(t('list.unlockedOne', { address: row.primarySmtpAddress }));
      refresh();
    } catch (err) {
      setFailure(errorText(err));
    }
  };

  // the page's shortcuts, reading the state of the latest render
  const latest = useRef({ targets, unlockOne });
  latest.current = { targets, unlockOne };
  useEffect(() => {
    let n = 0;
    const offs = [
      onShortcut('search', () => search.current?.focus()),
      onShortcut('reset', () => {
        const list = latest.current.targets();
        if (!can('pin:reset') || list.length === 0) return;
        if (list.length === 1) setResetFor(list[0]!);
        else setBulkRequest({ action: 'reset', n: ++n });
      }),
      onShortcut('unlock', () => {
        const list = latest.current.targets();
        if (!can('pin:lock') || list.length === 0) return;
        if (list.length === 1) void latest.current.unlockOne(list[0]!);
        else setBulkRequest({ action: 'unlock', n: ++n });
      }),
      onShortcut('close', () => {
        // nothing open: Esc keeps its own meaning (a search field clears itself)
        if (latest.current.targets().length === 0 || !document.querySelector('.details')) return false;
        setSelection(NOTHING_SELECTED);
        focusList()?.focus();
        return true;
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, []);

  const pick = (index: number, mods: Modifiers) => {
    setActive(index);
    setNotice(null);
    setFailure(null);
    setSelection((s) => selectAt(s, rows, index, mods));
  };
  const single = selected.length === 1 ? selected[0]! : null;

  return (
    <div class="split">
      <section class="list" aria-labelledby="mailboxes-title">
        <h1 id="mailboxes-title">{t('mailboxes.title')}</h1>
        <div class="toolbar">
          <input
            ref={search}
            type="search"
            class="search"
            aria-label={t('mailboxes.search')}
            aria-keyshortcuts="/"
            placeholder={t('mailboxes.search')}
            value={view.search}
            onInput={(e) => {
              const value = (e.currentTarget as HTMLInputElement).value;
              setView((v) => ({ ...v, search: value }));
            }}
            onKeyDown={(e) => {
              // from the search straight into its results
              if (e.key === 'ArrowDown' && rows.length > 0) {
                e.preventDefault();
                document.querySelector<HTMLElement>('.grid')?.focus();
              }
            }}
          />
          <label for="mailbox-filter">{t('mailboxes.filter')}</label>
          <select
            id="mailbox-filter"
            value={view.filter ?? ''}
            onChange={(e) => {
              const value = (e.currentTarget as HTMLSelectElement).value;
              const filter = (SHOW as readonly string[]).includes(value) ? (value as ShowKey) : null;
              setView((v) => ({ ...v, filter }));
            }}
          >
            <option value="">{t('list.filter.all')}</option>
            {SHOW.map((k) => (
              <option key={k} value={k}>
                {t(SHOW_LABELS[k])}
              </option>
            ))}
          </select>
          <CsvExport view={view} />
          <SelectAllMatching view={view} onSelected={(all) => setSelection(selectAll(all))} />
        </div>
        {selected.length > 0 && (
          <p class="selection">
            <span>{t('list.selected', { count: selected.length })}</span>{' '}
            <button type="button" class="link" onClick={() => setSelection(NOTHING_SELECTED)}>
              {t('list.clearSelection')}
            </button>
          </p>
        )}
        <MailboxGrid
          view={view}
          rows={rows}
          selected={selectedIds}
          active={active}
          hasMore={next !== null}
          loading={loading}
          answers={answers}
          labelledBy="mailboxes-title"
          onSort={(column) => setView((v) => ({ ...v, sort: toggledSort(v.sort, column) }))}
          onPick={(i, mods) => pick(i, mods)}
          onMove={(i, mods) => {
            // Ctrl+arrow moves without selecting; Shift extends from the anchor
            if (mods.toggle && !mods.extend) setActive(i);
            else pick(i, { extend: mods.extend });
          }}
          onToggle={(i) => pick(i, { toggle: true })}
          onOpen={(i) => {
            pick(i, {});
            setPaneFocus((n) => n + 1);
          }}
          onNearEnd={() => {
            if (next && !loading) void load(view, next);
          }}
        />
        <p class="count" role="status">
          {loading
            ? rows.length > 0
              ? t('list.loadingMore')
              : t('common.loading')
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
        <p class="notice" role="status">
          {notice ?? ''}
        </p>
        {failure && (
          <p class="error" role="alert">
            {failure}
          </p>
        )}
      </section>
      {single && (
        <DetailsPane mailbox={single} focusRequest={paneFocus} onClose={() => setSelection(NOTHING_SELECTED)} />
      )}
      {selected.length > 1 && (
        <BulkPane
          mailboxes={selected}
          request={bulkRequest}
          onClose={() => setSelection(NOTHING_SELECTED)}
          onChanged={refresh}
        />
      )}
      {resetFor && (
        <ResetPinDialog
          identity={resetFor.id}
          onDone={(outcome) => {
            const row = resetFor;
            setResetFor(null);
            if (outcome) {
              setNotice(t('list.resetDone', { address: outcome.mailTo ?? row.primarySmtpAddress }));
              refresh();
            }
            focusList()?.focus();
          }}
        />
      )}
    </div>
  );
}

/** Export to CSV: the current view page by page, with a running count and a cancel between pages. */
function CsvExport({ view }: { view: MailboxView }) {
  const [count, setCount] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const cancelled = useRef(false);

  const run = async () => {
    cancelled.current = false;
    setOutcome(null);
    setCount(0);
    try {
      const rows = await fetchWholeView(view, { onProgress: setCount, cancelled: () => cancelled.current });
      if (!rows) {
        setOutcome(t('mailboxes.exportCanceled'));
        return;
      }
      download(
        mailboxesCsv(
          rows,
          {
            displayName: t('mailboxes.columns.displayName'),
            address: t('mailboxes.columns.address'),
            extensions: t('umMailbox.extensions'),
            umEnabled: t('list.columns.um'),
            lockedOut: t('mailboxes.columns.lockedOut'),
            pinExpired: t('mailboxes.columns.pinExpired'),
            firstTimeUser: t('mailboxes.columns.firstTimeUser'),
          },
          { pinStatus: isUmView(view) },
        ),
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

/** "Select all matching": every mailbox of the view (not only the loaded rows), by the cursor, with a count and a cancel. */
function SelectAllMatching({ view, onSelected }: { view: MailboxView; onSelected: (rows: ListRow[]) => void }) {
  const [count, setCount] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const cancelled = useRef(false);
  const run = async () => {
    cancelled.current = false;
    setFailure(null);
    setCount(0);
    try {
      const rows = await fetchWholeView(view, { onProgress: setCount, cancelled: () => cancelled.current });
      if (rows) onSelected(rows);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setCount(null);
    }
  };
  return (
    <span class="export">
      {count === null ? (
        <button type="button" onClick={() => void run()}>
          {t('list.selectAll')}
        </button>
      ) : (
        <button type="button" onClick={() => (cancelled.current = true)}>
          {t('list.selectCancel')}
        </button>
      )}
      <span role="status">{count !== null ? t('list.selecting', { count }) : (failure ?? '')}</span>
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
