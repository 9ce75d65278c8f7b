/**
 * The mailbox list as a windowed grid: every loaded row is addressable, only those on screen
 * (and a few beyond) are in the DOM, and spacer rows stand for the others. Fetching the next
 * page as the end comes near is the page's (keyset paging by the API's cursor), so the grid's
 * height is that of the rows loaded so far. Keyboard as a list box with multi-select:
 * arrows, Home/End, PageUp/PageDown move (Shift extends, Ctrl moves without selecting), Space
 * toggles, Enter opens the details pane; a click selects, Ctrl/Cmd+click toggles, Shift+click
 * extends. The active row holds the focus (roving tabindex).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { isUmView, type ListRow, type MailboxView, type SortColumn, sortable } from '../mailbox-view.js';
import { nearEnd, scrollToShow, visibleRange } from '../virtual-window.js';

/** until a row has been measured; CSS keeps rows at this height, under Chromium's height limit at 1,000,000 rows */
const ROW_HEIGHT = 33;
const OVERSCAN = 8;
/** fetch the next page when the window comes this close to the last loaded row */
const FETCH_MARGIN = 40;

export interface MoveOptions {
  extend: boolean;
  /** Ctrl/Cmd: a click toggles; a key moves the active row without selecting */
  toggle: boolean;
}

export function MailboxGrid({
  view,
  rows,
  selected,
  active,
  hasMore,
  loading,
  answers,
  labelledBy,
  onSort,
  onPick,
  onMove,
  onToggle,
  onOpen,
  onNearEnd,
}: {
  view: MailboxView;
  rows: readonly ListRow[];
  selected: ReadonlySet<string>;
  active: number;
  hasMore: boolean;
  loading: boolean;
  /** the search the rows shown answer (not the text in the box while its answer is on the way) */
  answers: string | null;
  labelledBy: string;
  onSort: (column: SortColumn) => void;
  /** a click on a row */
  onPick: (index: number, mods: MoveOptions) => void;
  /** the keyboard moved the active row */
  onMove: (index: number, mods: MoveOptions) => void;
  onToggle: (index: number) => void;
  onOpen: (index: number) => void;
  onNearEnd: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const headRow = useRef<HTMLTableRowElement>(null);
  const topSpacer = useRef<HTMLTableCellElement>(null);
  const bottomSpacer = useRef<HTMLTableCellElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [rowHeight, setRowHeight] = useState(ROW_HEIGHT);
  // set by the keyboard: the active row is scrolled to and focused after the next render
  const focusActive = useRef(false);

  const um = isUmView(view);
  const columns = um ? 6 : 4;
  const { first, end } = visibleRange({ scrollTop, viewport, rowHeight, count: rows.length, overscan: OVERSCAN });

  const measure = () => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight - (headRow.current?.offsetHeight ?? 0));
    const row = el.querySelector<HTMLElement>('tr.row');
    if (row && row.offsetHeight > 0 && row.offsetHeight !== rowHeight) setRowHeight(row.offsetHeight);
  };
  useLayoutEffect(() => {
    measure();
    const onResize = () => measure();
    addEventListener('resize', onResize);
    return () => removeEventListener('resize', onResize);
  }, [rows.length > 0]);

  // the spacers' heights through the CSS object model: the page's CSP allows no style attribute
  useLayoutEffect(() => {
    if (topSpacer.current) topSpacer.current.style.height = `${first * rowHeight}px`;
    if (bottomSpacer.current) bottomSpacer.current.style.height = `${(rows.length - end) * rowHeight}px`;
  });

  // a new view starts at the top
  useLayoutEffect(() => {
    if (rows.length === 0 && scroller.current) {
      scroller.current.scrollTop = 0;
      setScrollTop(0);
    }
  }, [rows.length === 0]);

  useLayoutEffect(() => {
    if (!focusActive.current || active < 0) return;
    const el = scroller.current;
    if (!el) return;
    const wanted = scrollToShow(active, {
      scrollTop: el.scrollTop,
      viewport,
      rowHeight,
      count: rows.length,
      overscan: 0,
    });
    if (wanted !== el.scrollTop) {
      el.scrollTop = wanted;
      setScrollTop(wanted);
    }
    const row = el.querySelector<HTMLElement>(`tr[data-index="${active}"]`);
    if (row) {
      row.focus({ preventScroll: true });
      focusActive.current = false;
    }
  });

  useEffect(() => {
    if (hasMore && !loading && rows.length > 0 && nearEnd(end, rows.length, FETCH_MARGIN)) onNearEnd();
  }, [end, rows.length, hasMore, loading]);

  const pageRows = Math.max(1, Math.floor(viewport / rowHeight) - 1);
  const onKeyDown = (e: KeyboardEvent) => {
    if (rows.length === 0 || !(e.target instanceof HTMLTableRowElement)) return;
    // the focused row, wherever focus came from (a click, a script)
    const from = Number(e.target.dataset.index ?? Math.max(0, active));
    const last = rows.length - 1;
    const to: Record<string, number> = {
      ArrowDown: Math.min(last, from + 1),
      ArrowUp: Math.max(0, from - 1),
      Home: 0,
      End: last,
      PageDown: Math.min(last, from + pageRows),
      PageUp: Math.max(0, from - pageRows),
    };
    if (e.key in to) {
      e.preventDefault();
      focusActive.current = true;
      onMove(to[e.key]!, { extend: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
    } else if (e.key === ' ') {
      e.preventDefault();
      onToggle(from);
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      onOpen(from);
    }
  };

  const activeShown = active >= first && active < end;
  const header = (column: SortColumn, label: string) => {
    if (!sortable(view, column)) return <th scope="col">{label}</th>;
    const sorted = view.sort.column === column;
    return (
      <th scope="col" aria-sort={sorted ? (view.sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button type="button" class="sort" onClick={() => onSort(column)}>
          {label}
          <span aria-hidden="true">{sorted ? (view.sort.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };
  const yesNo = (v: boolean | undefined) => (v === undefined ? '' : v ? t('common.yes') : t('common.no'));
  const spacer = (ref: typeof topSpacer): ComponentChildren => (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row has no tabindex and no content; it only holds the height of rows outside the window
    <tr class="spacer" aria-hidden="true">
      <td ref={ref} colSpan={columns} />
    </tr>
  );

  return (
    <div
      class="grid-scroll"
      ref={scroller}
      aria-busy={loading}
      data-ready={!loading ? 'true' : undefined}
      data-search={answers ?? undefined}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <table
        class="grid"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a table with role grid is ARIA's data grid, the one table role that allows aria-multiselectable and selected rows
        role="grid"
        aria-labelledby={labelledBy}
        aria-multiselectable="true"
        aria-rowcount={hasMore ? -1 : rows.length + 1}
        // with the active row out of the window, the grid itself takes Tab and hands focus on
        tabIndex={activeShown ? -1 : 0}
        onFocus={(e) => {
          if (e.target !== e.currentTarget || rows.length === 0) return;
          focusActive.current = true;
          const top = Math.min(Math.floor(scrollTop / rowHeight), rows.length - 1);
          // nothing selected yet: the row reached is selected, as an arrow would
          onMove(active < 0 || active >= rows.length ? top : active, { extend: false, toggle: selected.size > 0 });
        }}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr ref={headRow} aria-rowindex={1}>
            {header('displayName', t('mailboxes.columns.displayName'))}
            {header('address', t('mailboxes.columns.address'))}
            {header('extension', t('mailboxes.columns.extension'))}
            {um ? (
              <>
                <th scope="col">{t('mailboxes.columns.lockedOut')}</th>
                <th scope="col">{t('mailboxes.columns.pinExpired')}</th>
                <th scope="col">{t('mailboxes.columns.firstTimeUser')}</th>
              </>
            ) : (
              <th scope="col">{t('list.columns.um')}</th>
            )}
          </tr>
          {/* the rows above the window: in the head, so that the body holds only mailboxes */}
          {spacer(topSpacer)}
        </thead>
        <tbody>
          {rows.slice(first, end).map((row, k) => {
            const i = first + k;
            return (
              <tr
                key={row.id}
                class={i === active ? 'row active' : 'row'}
                data-index={i}
                aria-rowindex={i + 2}
                aria-selected={selected.has(row.id)}
                tabIndex={i === active ? 0 : -1}
                onMouseDown={(e) => {
                  // Shift+click extends the selection, not a text selection
                  if (e.shiftKey) e.preventDefault();
                }}
                onClick={(e) => onPick(i, { extend: e.shiftKey, toggle: e.ctrlKey || e.metaKey })}
              >
                <td>{row.displayName}</td>
                <td>{row.primarySmtpAddress}</td>
                <td>{row.extensions[0] ?? ''}</td>
                {um ? (
                  <>
                    <td>{yesNo(row.pinStatus?.lockedOut)}</td>
                    <td>{yesNo(row.pinStatus?.pinExpired)}</td>
                    <td>{yesNo(row.pinStatus?.firstTimeUser)}</td>
                  </>
                ) : (
                  <td>{row.umEnabled ? t('details.umEnabled') : t('details.umDisabled')}</td>
                )}
              </tr>
            );
          })}
        </tbody>
        <tfoot>{spacer(bottomSpacer)}</tfoot>
      </table>
    </div>
  );
}
