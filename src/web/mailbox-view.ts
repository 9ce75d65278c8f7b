/**
 * What the mailbox list shows — which mailboxes, search, sort — as the page's URL holds it
 * (`?search=tony&filter=locked&sort=-address`, bookmarkable) and as the API takes it. All
 * mailboxes (and those not enabled for UM) come from Get-Mailbox (`/recipients`); the UM
 * mailboxes and their PIN-status filters from Get-UMMailbox (`/um-mailboxes`, with an OPATH
 * `filter`): either way the server filters and sorts in one indexed query.
 */
import type { RecipientRow, UmMailboxRow } from './api-types.js';

/** The PIN-status filters: they concern UM mailboxes only. */
export const FILTERS = {
  locked: 'LockedOut -eq $true',
  expired: 'PinExpired -eq $true',
  firstTime: 'FirstTimeUser -eq $true',
} as const;
export type FilterKey = keyof typeof FILTERS;

/** The list's "Show" choices beside "all mailboxes" (no value): UM ones, the others, or a PIN state. */
export const SHOW = ['um', 'notUm', 'locked', 'expired', 'firstTime'] as const;
export type ShowKey = (typeof SHOW)[number];

export const SORT_COLUMNS = {
  displayName: 'DisplayName',
  address: 'PrimarySmtpAddress',
  extension: 'Extensions',
} as const;
export type SortColumn = keyof typeof SORT_COLUMNS;

export interface MailboxView {
  search: string;
  /** null: every mailbox */
  filter: ShowKey | null;
  sort: { column: SortColumn; descending: boolean };
}

/** One row of the list, whichever list it came from. */
export interface ListRow {
  id: string;
  displayName: string;
  primarySmtpAddress: string;
  extensions: string[];
  umEnabled: boolean;
  /** null where the list does not give it (all mailboxes, or no permission to read PIN status) */
  pinStatus: { lockedOut: boolean; pinExpired: boolean; firstTimeUser: boolean } | null;
}

/** The server's own order when none is asked: by display name. */
const DEFAULT_SORT: MailboxView['sort'] = { column: 'displayName', descending: false };

const isShow = (v: string | null): v is ShowKey => v !== null && (SHOW as readonly string[]).includes(v);
const isSortColumn = (v: string): v is SortColumn => Object.hasOwn(SORT_COLUMNS, v);
const isFilter = (v: ShowKey | null): v is FilterKey => v !== null && Object.hasOwn(FILTERS, v);

/** Whether the view lists UM mailboxes (with their PIN state) rather than all mailboxes. */
export function isUmView(v: Pick<MailboxView, 'filter'>): boolean {
  return v.filter !== null && v.filter !== 'notUm';
}

/** Whether a column can be sorted on in this view: Get-Mailbox cannot sort by extension. */
export function sortable(v: Pick<MailboxView, 'filter'>, column: SortColumn): boolean {
  return column !== 'extension' || isUmView(v);
}

/** The view a URL's query names; anything it does not know is left at its default. */
export function viewFromQuery(query: string): MailboxView {
  const q = new URLSearchParams(query);
  const filter = q.get('filter');
  const sort = q.get('sort') ?? '';
  const column = sort.replace(/^-/, '');
  return {
    search: q.get('search') ?? '',
    filter: isShow(filter) ? filter : null,
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

/** GET /api/v1/um-mailboxes or /api/v1/recipients for one page of a view. */
export function listUrl(v: MailboxView, cursor: string | null, limit: number): string {
  const q = new URLSearchParams({ limit: String(limit) });
  const search = v.search.trim();
  if (search) q.set('search', search);
  const um = isUmView(v);
  if (isFilter(v.filter)) q.set('filter', FILTERS[v.filter]);
  if (v.filter === 'notUm') q.set('umEnabled', 'false');
  const column = sortable(v, v.sort.column) ? v.sort.column : DEFAULT_SORT.column;
  q.set('sortBy', `${v.sort.descending ? '-' : ''}${SORT_COLUMNS[column]}`);
  if (cursor) q.set('cursor', cursor);
  return `/api/v1/${um ? 'um-mailboxes' : 'recipients'}?${q}`;
}

/** A header clicked: that column ascending, or the other way round if it already sorts. */
export function toggledSort(current: MailboxView['sort'], column: SortColumn): MailboxView['sort'] {
  return current.column === column ? { column, descending: !current.descending } : { column, descending: false };
}

export function rowOfUmMailbox(m: UmMailboxRow): ListRow {
  return {
    id: m.identity,
    displayName: m.displayName,
    primarySmtpAddress: m.primarySmtpAddress,
    extensions: m.extensions,
    umEnabled: true,
    pinStatus: m.pinStatus,
  };
}

export function rowOfRecipient(r: RecipientRow): ListRow {
  return {
    id: r.id,
    displayName: r.displayName,
    primarySmtpAddress: r.primarySmtpAddress,
    extensions: r.umMailbox?.extensions ?? [],
    umEnabled: r.umMailbox !== null,
    pinStatus: null,
  };
}

/** One page of a view's answer as list rows. */
export function rowsOfPage(v: MailboxView, items: readonly unknown[]): ListRow[] {
  return isUmView(v) ? (items as UmMailboxRow[]).map(rowOfUmMailbox) : (items as RecipientRow[]).map(rowOfRecipient);
}
