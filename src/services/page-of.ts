/**
 * Pages a list a service reads whole (dial plans, policies, tokens, accounts, dead letters:
 * tens of rows), with the same `{ items, next }` and cursors as the store's keyset pages.
 * The cursor is the last key seen, so rows added or removed between pages shift nothing.
 */
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type { Page } from '../domain/page.js';

export interface PageRequest {
  cursor?: string | null | undefined;
  limit: number;
  /** a prefix of the key, any letter case */
  search?: string | undefined;
}

/** The largest page any list gives. */
export const MAX_PAGE = 1000;

/** Sorted by key (case-insensitive, then as is), filtered by a key prefix, one page after the cursor. */
export function pageOf<T>(all: readonly T[], key: (item: T) => string, q: PageRequest): Page<T> {
  const limit = Math.min(Math.max(1, Math.floor(q.limit)), MAX_PAGE);
  const sortKey = (item: T) => `${key(item).toLowerCase()}\u0000${key(item)}`;
  const prefix = q.search?.toLowerCase();
  const after = q.cursor !== undefined && q.cursor !== null ? decodeCursor(q.cursor, 1)[0]! : null;
  const sorted = all
    .filter((item) => prefix === undefined || key(item).toLowerCase().startsWith(prefix))
    .map((item) => ({ item, k: sortKey(item) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .filter((e) => after === null || e.k > after);
  const items = sorted.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map((e) => e.item), next: sorted.length > limit && last ? encodeCursor([last.k]) : null };
}
