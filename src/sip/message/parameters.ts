/**
 * Generic parameters (`;name=value` or `;name`) as they follow a URI, a name-addr or a Via
 * (RFC 3261 §25.1 generic-param). Kept in order with the name as received, looked up
 * case-insensitively; a value is a token, a host or a quoted string, kept as written
 * (quotes included) so that serializing gives the same text back.
 */
export interface Parameter {
  readonly name: string;
  /** null for a flag (`;lr`, `;rport`). */
  readonly value: string | null;
}

export type Parameters = readonly Parameter[];

const TOKEN = /^[!%'*+\-.0-9A-Z^_`a-z~]+$/;
/** A parameter value: token, host (IPv6 in brackets) or quoted string. */
const VALUE = /^(?:[!%'*+\-.0-9A-Z^_`a-z~:[\]]+|"(?:[^"\\]|\\[\s\S])*")$/;

/**
 * Parses `;a=b;c` (the leading semicolon included when present). Returns null when a
 * parameter is malformed.
 */
export function parseParameters(text: string): Parameter[] | null {
  const params: Parameter[] = [];
  const parts = splitParams(text);
  if (parts === null) return null;
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') return null;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (!TOKEN.test(name)) return null;
    if (eq < 0) {
      params.push({ name, value: null });
      continue;
    }
    const value = part.slice(eq + 1).trim();
    if (!VALUE.test(value)) return null;
    params.push({ name, value });
  }
  return params;
}

/** Splits on semicolons outside quoted strings; the text must be empty or start with one. */
function splitParams(text: string): string[] | null {
  const t = text.trim();
  if (t === '') return [];
  if (t[0] !== ';') return null;
  const parts: string[] = [];
  let start = 1;
  let quoted = false;
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c) i++;
      else if (c === 0x22) quoted = false;
    } else if (c === 0x22) quoted = true;
    else if (c === 0x3b) {
      parts.push(t.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) return null;
  parts.push(t.slice(start));
  return parts;
}

export function getParameter(params: Parameters, name: string): string | null | undefined {
  const lower = name.toLowerCase();
  for (const p of params) if (p.name.toLowerCase() === lower) return p.value;
  return undefined;
}

export function hasParameter(params: Parameters, name: string): boolean {
  return getParameter(params, name) !== undefined;
}

/** Sets (replacing the first of that name) or appends a parameter. */
export function withParameter(params: Parameters, name: string, value: string | null): Parameter[] {
  const lower = name.toLowerCase();
  const i = params.findIndex((p) => p.name.toLowerCase() === lower);
  if (i < 0) return [...params, { name, value }];
  return params.map((p, j) => (j === i ? { name: p.name, value } : p));
}

export function serializeParameters(params: Parameters): string {
  return params.map((p) => (p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`)).join('');
}
