/**
 * The rows of a long list that are on screen: fixed-height rows, so the scroll position gives
 * the first row by a division and only a window of rows is in the DOM however many are loaded.
 * The list grows by the API's cursor as it is scrolled, so its height is that of the rows
 * loaded so far — a million rows of ≤ 33 px stay under Chromium's 33,554,428 px height limit,
 * and nobody scrolls there without searching first.
 *
 * Written here rather than taken from a virtualisation library: with one fixed row height it
 * is a few lines, and the first page ships less JavaScript.
 */
export interface WindowInput {
  scrollTop: number;
  /** the height of the scrolled area that shows rows (without a sticky header) */
  viewport: number;
  rowHeight: number;
  count: number;
  /** rows rendered beyond each edge, so fast scrolling shows no gap */
  overscan: number;
}

/** The rows to render: `first` up to `end` (exclusive). */
export function visibleRange({ scrollTop, viewport, rowHeight, count, overscan }: WindowInput): {
  first: number;
  end: number;
} {
  if (count === 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const top = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const first = Math.max(0, Math.min(top, count - 1) - overscan);
  const end = Math.min(count, top + shown + overscan);
  return { first, end };
}

/** The scroll position that brings row `index` fully into view, moving as little as it can. */
export function scrollToShow(index: number, { scrollTop, viewport, rowHeight }: WindowInput): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport);
  return scrollTop;
}

/** Whether the window reaches the last `margin` loaded rows: time to fetch the next page. */
export function nearEnd(end: number, count: number, margin: number): boolean {
  return end >= count - margin;
}
