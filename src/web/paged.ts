/**
 * The API's lists come a page at a time, each answer naming the `next` cursor: the page URL
 * of a list, and every item of one fetched page by page (never one huge answer), with a
 * count as it goes and a cancel between pages.
 */
import { api } from './api.js';
import type { Page } from './api-types.js';

/** A list's URL with `limit` and, after the first page, the cursor. */
export function pagedUrl(base: string, cursor: string | null, limit: number): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor) q.set('cursor', cursor);
  return `${base}${base.includes('?') ? '&' : '?'}${q}`;
}

export interface FetchAllOptions {
  onProgress?: (count: number) => void;
  /** asked after each page: true stops (the answer is then null) */
  cancelled?: () => boolean;
}

/** Every item of a list, `urlOf` giving each page's URL from the cursor (null for the first). */
export async function fetchAllPages<T>(
  urlOf: (cursor: string | null) => string,
  { onProgress, cancelled = () => false }: FetchAllOptions = {},
): Promise<T[] | null> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api<Page<T>>('GET', urlOf(cursor));
    if (cancelled()) return null;
    items.push(...page.items);
    onProgress?.(items.length);
    cursor = page.next;
  } while (cursor);
  return items;
}
