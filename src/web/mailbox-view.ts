/**
 * What the mailbox list shows — search, PIN-status filter, sort — as the page's URL holds it
 * (`?search=tony&filter=locked&sort=-address`, bookmarkable) and as the API takes it (`search`,
 * an OPATH `filter`, `sortBy`): the server filters and sorts in one indexed query.
 */
export const FILTERS = {
  locked: 'LockedOut -eq $true',
  expired: 'PinExpired -eq $true',
  firstTime: 'FirstTimeUser -eq $true',
} as const;
export type FilterKey = keyof typeof FILTERS;

export const SORT_COLUMNS = {
  displayName: 'DisplayName',
  address: 'PrimarySmtpAddress',
  extension: 'Extensions',
} as const;
export type SortColumn = keyof typeof SORT_COLUMNS;

export interface MailboxView {
  search: string;
  filter: FilterKey | null;
  sort: { column: SortColumn; descending: boolean };
}

/** The server's own order when none is asked: by display name. */
const DEFAULT_SORT: MailboxView['sort'] = { column: 'displayName', descending: false };

const isFilter = (v: string | null): v is FilterKey => v !== null && Object.hasOwn(FILTERS, v);
const isSortColumn = (v: string): v is SortColumn => Object.hasOwn(SORT_COLUMNS, v);

/** The view a URL's query names; anything it does not know is left at its default. */
export function viewFromQuery(query: string): MailboxView {
  const q = new URLSearchParams(query);
  const filter = q.get('filter');
  const sort = q.get('sort') ?? '';
  const column = sort.replace(/^-/, '');
  return {
    search: q.get('search') ?? '',
    filter: isFilter(filter) ? filter : null,
    sort: isSortColumn(column) ? { column, descending: sort.startsWith('-') } : DEFAULT_SORT,
  };
}

/** The page's query for a view: only what differs from the defaults. */
export function viewQuery(v: MailboxView): string {
  const q = new URLSearchParams();
  if (v.search) q.set('search', v.search);
  if (v.filter) q.set('filter', v.filter);
  if (v.sort.column !== DEFAULT_SORT.column || v.sort.descending)
    q.set('sort', `${v.sort.descending ? '-' : ''}${v.sort.column}`);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** GET /api/v1/um-mailboxes for one page of a view. */
export function listUrl(v: MailboxView, cursor: string | null, limit: number): string {
  const q = new URLSearchParams({ limit: String(limit) });
  const search = v.search.trim();
  if (search) q.set('search', search);
  if (v.filter) q.set('filter', FILTERS[v.filter]);
  q.set('sortBy', `${v.sort.descending ? '-' : ''}${SORT_COLUMNS[v.sort.column]}`);
  if (cursor) q.set('cursor', cursor);
  return `/api/v1/um-mailboxes?${q}`;
}

/** A header clicked: that column ascending, or the other way round if it already sorts. */
export function toggledSort(current: MailboxView['sort'], column: SortColumn): MailboxView['sort'] {
  return current.column === column ? { column, descending: !current.descending } : { column, descending: false };
}
