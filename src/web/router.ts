/** Client-side routes: the path is a signal; links and redirects change it without a page load. */
import { signal } from '@preact/signals';

export const path = signal(location.pathname + location.search);

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  path.value = to;
}

addEventListener('popstate', () => {
  path.value = location.pathname + location.search;
});

/** A `next` target from the query: only a path on this site (never //host or a scheme). */
export function safeNext(value: string | null): string | null {
  return value?.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : null;
}
