/**
 * Pages a list a service returns whole (dial plans, policies, tokens: tens of rows), with the
 * same `{ items, next }` and opaque cursors as the store's keyset pages of recipients.
 * The cursor is the last key seen, so rows added or removed between pages shift nothing.
 */
import { UmpinError } from '../domain/errors.js';
import type { Page } from '../domain/page.js';

export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'string') return v.k;
  } catch {
    // falls through to the error below
  }
  throw new UmpinError({ code: 'UMPIN_VALUE_INVALID', field: 'Cursor', params: { field: 'Cursor', rule: 'it must be the next value of an earlier page' } });
}

export interface PageRequest {
  cursor?: string | undefined;
  limit: number;
  search?: string | undefined;
}

/** Sorted by key (case-insensitive, then as is), filtered by a key prefix, one page after the cursor. */
export function pageOf<T>(all: readonly T[], key: (item: T) => string, q: PageRequest): Page<T> {
  const sortKey = (item: T) => `${key(item).toLowerCase()}\u0000${key(item)}`;
  const prefix = q.search?.toLowerCase();
  const after = q.cursor !== undefined ? decodeCursor(q.cursor) : null;
  const sorted = all
    .filter((item) => prefix === undefined || key(item).toLowerCase().startsWith(prefix))
    .map((item) => ({ item, k: sortKey(item) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .filter((e) => after === null || e.k > after);
  const items = sorted.slice(0, q.limit);
  const last = items[items.length - 1];
  return { items: items.map((e) => e.item), next: sorted.length > q.limit && last ? encodeCursor(last.k) : null };
}
