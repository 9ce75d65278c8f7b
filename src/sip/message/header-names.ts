/**
 * Header names are case-insensitive (RFC 3261 §7.3.1) and several have a one-letter compact
 * form (§7.3.3, and the registry for the extensions we may meet). Lookups go through the
 * canonical key: the lower-case long name.
 */
const COMPACT: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  f: 'from',
  t: 'to',
  v: 'via',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event',
  r: 'refer-to',
  b: 'referred-by',
  u: 'allow-events',
  x: 'session-expires',
};

/** The canonical key of a header name: lower case, compact forms expanded. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

/**
 * Headers whose values hold commas that do not separate list elements (credentials, dates,
 * free text): never split them (§7.3.1).
 */
const SINGLE_VALUED = new Set([
  'www-authenticate',
  'authorization',
  'proxy-authenticate',
  'proxy-authorization',
  'date',
  'subject',
  'user-agent',
  'server',
  'organization',
  'call-id',
  'cseq',
  'content-length',
  'content-type',
  'max-forwards',
  'from',
  'to',
]);

export function isListHeader(key: string): boolean {
  return !SINGLE_VALUED.has(key);
}
