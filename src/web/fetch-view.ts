/**
 * A whole view of the mailbox list — for the CSV export and "select all matching" — fetched
 * page by page by the API's cursor (never one huge answer), with a running count and a cancel
 * between pages.
 */
import { type ListRow, listUrl, type MailboxView, rowsOfPage } from './mailbox-view.js';
import { fetchAllPages } from './paged.js';

/** the largest page the API serves: as few requests as it can */
const PAGE_SIZE = 1000;

/** Every row of the view, or null when cancelled between pages. */
export async function fetchWholeView(
  view: MailboxView,
  { onProgress, cancelled }: { onProgress: (count: number) => void; cancelled: () => boolean },
): Promise<ListRow[] | null> {
  const items = await fetchAllPages<unknown>((cursor) => listUrl(view, cursor, PAGE_SIZE), { onProgress, cancelled });
  return items && rowsOfPage(view, items);
}
