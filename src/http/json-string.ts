/** Printable ASCII without a quote or a backslash: a JSON string as it stands. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * A string as JSON text, as JSON.stringify writes it. The values the server writes on every
 * request (ids, addresses, paths, route patterns, names) are almost always plain, and a
 * regular-expression test and two quotes cost about half of JSON.stringify, which still
 * writes anything else; null and undefined are written as null.
 */
export function jsonString(s: string | null | undefined): string {
  if (s === null || s === undefined) return 'null';
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}
