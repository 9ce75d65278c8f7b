/**
 * Dates, times and numbers as the page's language writes them (Intl, with the language the
 * header shows): 2026/12/6 下午3:04 in zh-TW, Dec 6, 2026, 3:04 PM in English. Every page
 * formats through here, so a language switch changes them all.
 */
import { language } from './i18n.js';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat>(kind: string, make: (l: string) => T): T {
  const l = language.value;
  const id = `${l}\u0000${kind}`;
  let f = cache.get(id);
  if (!f) {
    f = make(l);
    cache.set(id, f);
  }
  return f as T;
}

type When = Date | string | number;
const toDate = (when: When) => (when instanceof Date ? when : new Date(when));

/** A day and time, to the minute: when something happened. */
export function formatDateTime(when: When): string {
  return formatter('datetime', (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' })).format(
    toDate(when),
  );
}

/** A day and time to the second, for logs where order within a minute matters. */
export function formatTimestamp(when: When): string {
  return formatter('timestamp', (l) => new Intl.DateTimeFormat(l, { dateStyle: 'short', timeStyle: 'medium' })).format(
    toDate(when),
  );
}

/** A day. */
export function formatDate(when: When): string {
  return formatter('date', (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium' })).format(toDate(when));
}

/** A count or amount, with the language's digit grouping (1,000,000). */
export function formatNumber(n: number): string {
  return formatter('number', (l) => new Intl.NumberFormat(l)).format(n);
}
