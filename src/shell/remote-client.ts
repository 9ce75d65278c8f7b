/**
 * The remote shell's HTTP client for umpin's REST API: a bearer token, JSON in and out,
 * and every refusal turned back into the UmpinError the server's service threw (same
 * code, field and params, worded here from the same catalog in the shell's language), so a
 * cmdlet fails remotely as it fails in-process. Node's
 * fetch (undici) keeps connections alive, so a pipeline of many objects reuses one.
 */
import { issueFromWire, isErrorCode, UmpinError, type ErrorLanguage } from '../domain/errors.js';

export interface RemoteOptions {
  /** how long one request may take (default 120 s) */
  timeoutMs?: number;
  /**
   * The server limits PIN changes per client address (HTTP 429 with Retry-After). The
   * refused request changed nothing, so the client waits as told and sends it again, as
   * long as one wait is at most this long (default 60 s); a longer one is the error.
   */
  maxRateLimitWaitMs?: number;
  /** told before each such wait, e.g. to print a warning */
  onRateLimited?: (seconds: number) => void;
  /** items asked for per page where a whole list is read (default 1000, the API's largest page; tests ask for fewer) */
  pageSize?: number;
  /** the shell's language, asked of the server (Accept-Language) for any text it words itself */
  language?: ErrorLanguage;
}

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiClient {
  /** the server as messages name it: scheme, host and path, never credentials */
  readonly server: string;
  /** `path` below /api/v1, its identities already encoded with `segment` */
  request<T>(
    method: HttpMethod,
    path: string,
    opts?: { query?: Record<string, QueryValue>; body?: unknown },
  ): Promise<T>;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * An identity as one path segment. An empty one cannot be a segment; a blank one gets the
 * same answer from the service ("Identity is required.") as the empty one does in-process.
 */
export function segment(identity: string): string {
  return encodeURIComponent(identity === '' ? ' ' : identity);
}

export function unreachable(server: string, rule: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_SERVER_UNREACHABLE', field: 'Server', params: { url: server, rule } });
}

/** Checks and normalises the --server URL: http(s), no credentials, no trailing slash. */
export function serverUrl(baseUrl: string): string {
  const invalid = (rule: string) =>
    new UmpinError({ code: 'UMPIN_VALUE_INVALID', field: 'Server', params: { field: '--server', rule } });
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalid('it must be a URL such as https://umpin.contoso.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('it must be an http:// or https:// URL');
  if (url.username !== '' || url.password !== '')
    throw invalid('it must not carry a name or password; the API token goes in UMPIN_TOKEN');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function apiClient(baseUrl: string, token: string, opts: RemoteOptions = {}): ApiClient {
  const server = serverUrl(baseUrl);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxWaitMs = opts.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;

  async function send(method: HttpMethod, url: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'accept-language': opts.language ?? 'en',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw unreachable(server, fetchFailure(err, timeoutMs));
    }
  }

  return {
    server,
    async request<T>(
      method: HttpMethod,
      path: string,
      o: { query?: Record<string, QueryValue>; body?: unknown } = {},
    ): Promise<T> {
      const url = `${server}/api/v1${path}${queryString(o.query)}`;
      for (;;) {
        const res = await send(method, url, o.body);
        const answer = await readBody(res, server);
        if (res.ok) return answer as T;
        const err = serverError(answer, res, server);
        const wait = err.code === 'UMPIN_RATE_LIMITED' ? retryAfterSeconds(res) : null;
        if (wait === null || wait * 1000 > maxWaitMs) throw err;
        opts.onRateLimited?.(wait);
        await new Promise((r) => setTimeout(r, wait * 1000));
      }
    },
  };
}

/** `?a=1&b=x&b=y`; undefined, null and '' are left out (the services read them as absent). */
function queryString(query: Record<string, QueryValue> | undefined): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v as readonly string[]) q.append(k, item);
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

async function readBody(res: Response, server: string): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw unreachable(server, `the answer broke off (${(err as Error).message})`);
  }
  if (res.status === 204 || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (res.ok)
      throw unreachable(
        server,
        `it answered HTTP ${res.status} without JSON, so it is not the umpin API (check the URL)`,
      );
    return undefined;
  }
}

function isErrorBody(v: unknown): v is { code: string; message: string; field?: unknown; params?: unknown } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { code?: unknown }).code === 'string' &&
    typeof (v as { message?: unknown }).message === 'string'
  );
}

/** The server's `{ code, message, field?, params }` as the UmpinError its service threw. */
function serverError(body: unknown, res: Response, server: string): UmpinError {
  if (!isErrorBody(body))
    return unreachable(
      server,
      `it answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} without an umpin error (check the URL, or a proxy in between)`,
    );
  if (!isErrorCode(body.code)) {
    // a newer server's code this client does not know: shown, not lost
    return new UmpinError({ code: 'UMPIN_INTERNAL', params: { serverCode: body.code, serverMessage: body.message } });
  }
  if (body.code === 'UMPIN_AUTH_REQUIRED') {
    // in-process there is no token to refuse; remotely this is what an administrator needs to hear
    return new UmpinError({ code: 'UMPIN_AUTH_REQUIRED', params: { server } });
  }
  if (body.code === 'UMPIN_RATE_LIMITED') {
    const retryAfter = retryAfterSeconds(res);
    return new UmpinError({ code: 'UMPIN_RATE_LIMITED', params: retryAfter === null ? {} : { retryAfter } });
  }
  return new UmpinError(issueFromWire(body.code, body.field, body.params));
}

function retryAfterSeconds(res: Response): number | null {
  const v = Number(res.headers.get('retry-after'));
  return Number.isFinite(v) && v >= 0 ? Math.ceil(v) : null;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name is unknown',
  EAI_AGAIN: 'the host name cannot be resolved now',
  ECONNRESET: 'the connection was closed before the answer came',
  UND_ERR_SOCKET: 'the connection was closed before the answer came',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

function fetchFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `it did not answer within ${Math.round(timeoutMs / 1000)} seconds (a change may or may not have been made)`;
  }
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && NETWORK_ERRORS[code]) return `${NETWORK_ERRORS[code]} (${code})`;
  const message = typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err);
  return code ? `${message} (${code})` : message;
}
