/**
 * Splitting a header value into its comma-separated elements (RFC 3261 §7.3.1): a comma
 * separates only outside quoted strings (with their backslash escapes) and outside angle
 * brackets, where a URI may hold commas of its own. Empty elements are dropped.
 */
export function splitList(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c) i++;
      else if (c === 0x22) quoted = false;
    } else if (angle) {
      if (c === 0x3e) angle = false;
    } else if (c === 0x22) quoted = true;
    else if (c === 0x3c) angle = true;
    else if (c === 0x2c) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}
