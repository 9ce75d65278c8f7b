/**
 * Calls to the REST API: JSON, the page's language as Accept-Language (the server renders its
 * errors in it), the CSRF token on writes. A 401 from any call ends the session here and sends
 * the user to sign-in, which brings them back to the page they were on.
 */
import { effect, signal } from '@preact/signals';
import { issueFromWire, isErrorCode, renderError, type Issue } from '../domain/errors.js';
import type { Permission } from './api-types.js';
import { language } from './i18n.js';
import { navigate, path } from './router.js';

/**
 * The signed-in administrator. Kept for the tab in sessionStorage, so a reload keeps the page
 * (the session cookie is still there; a CSRF token only says the request came from this origin,
 * which the same-origin policy already keeps it to) and closing the tab forgets it.
 */
export interface Session {
  name: string;
  csrfToken: string;
  /** what the role groups allow, as the server said at sign-in (see can.ts) */
  permissions: readonly Permission[];
}
const SESSION_KEY = 'umpin.session';

function storedSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Partial<Session> | null;
    if (typeof s?.name === 'string' && typeof s.csrfToken === 'string' && Array.isArray(s.permissions))
      return { name: s.name, csrfToken: s.csrfToken, permissions: s.permissions };
  } catch {
    // not ours, or damaged: sign in again
  }
  return null;
}

export const session = signal<Session | null>(storedSession());
effect(() => {
  const s = session.value;
  if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else sessionStorage.removeItem(SESSION_KEY);
});
/** Set when a call found the session over, so sign-in can say why it is shown. */
export const sessionExpired = signal(false);

/** An error answer: its code, field and params, rendered from the catalog in the page's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly issue: Issue,
  ) {
    super(issue.code);
  }
  get field(): string | undefined {
    return this.issue.field;
  }
  /** The catalog's message in the language shown now. */
  text(): string {
    return renderError(this.issue, language.value);
  }
}

export function signInPath(next: string): string {
  return `/sign-in?next=${encodeURIComponent(next)}`;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  {
    redirectOn401 = true,
    csrfToken = session.value?.csrfToken,
  }: { redirectOn401?: boolean /** the self-service page's own session */; csrfToken?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language.value };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (err) {
    // no answer at all (the server is down, or the network): the browser's reason, as the remote shell gives it
    const rule = err instanceof Error ? err.message : String(err);
    throw new ApiError(0, { code: 'UMPIN_SERVER_UNREACHABLE', params: { url: location.origin, rule } });
  }
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (res.ok) return data as T;
  const err = data as { code?: unknown; field?: unknown; params?: unknown } | null;
  const code = typeof err?.code === 'string' && isErrorCode(err.code) ? err.code : 'UMPIN_INTERNAL';
  const failure = new ApiError(res.status, issueFromWire(code, err?.field, err?.params));
  if (res.status === 401 && redirectOn401) {
    session.value = null;
    sessionExpired.value = true;
    if (!path.value.startsWith('/sign-in')) navigate(signInPath(path.value), { replace: true });
  }
  throw failure;
}

/** A message for anything a call threw. */
export function errorText(err: unknown): string {
  return err instanceof ApiError ? err.text() : renderError({ code: 'UMPIN_INTERNAL' } as Issue, language.value);
}
