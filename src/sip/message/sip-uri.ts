/**
 * SIP and SIPS URIs (RFC 3261 §19.1, §25.1): `sip:user:password@host:port;params?headers`.
 * The user part is kept escaped as received (comparison and unescaping are the caller's
 * business); the host is a name, an IPv4 address or a bracketed IPv6 reference. Other
 * schemes (tel:, urn:) are not SIP URIs here: a Request-URI of another scheme is answered
 * 416 by the user agent, which needs only to know that it is not one of these.
 */
import { type Parameters, parseParameters, serializeParameters } from './parameters.js';

export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  readonly user: string | null;
  readonly password: string | null;
  readonly host: string;
  readonly port: number | null;
  readonly params: Parameters;
  /** The `?h=v&...` part without the question mark, as received; null when absent. */
  readonly headers: string | null;
}

/** user and password characters (unreserved, user-unreserved, escapes) — no @, no spaces. */
const USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;
const PASSWORD = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,]|%[0-9A-Fa-f]{2})*$/;
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;
const HEADERS = /^(?:[A-Za-z0-9\-_.!~*'()[\]/?:+$&=]|%[0-9A-Fa-f]{2})*$/;

export function isValidHost(host: string): boolean {
  return host.length <= 255 && (HOSTNAME.test(host) || IPV6.test(host));
}

/** Parses a port of 1 to 5 digits (0–65535); null when it is not one. */
export function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}

/** Splits `host[:port]` (IPv6 in brackets); null when malformed. */
export function parseHostPort(text: string): { host: string; port: number | null } | null {
  let host: string;
  let rest: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    host = text.slice(0, close + 1);
    rest = text.slice(close + 1);
  } else {
    const colon = text.indexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    rest = colon < 0 ? '' : text.slice(colon);
  }
  if (!isValidHost(host)) return null;
  if (rest === '') return { host, port: null };
  if (rest[0] !== ':') return null;
  const port = parsePort(rest.slice(1));
  return port === null ? null : { host, port };
}

export function parseSipUri(text: string): SipUri | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips') return null;
  let rest = text.slice(colon + 1);
  let headers: string | null = null;
  // the user part may hold ';' and '?', so split off the userinfo before the parameters
  const at = rest.indexOf('@');
  let user: string | null = null;
  let password: string | null = null;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const pc = userinfo.indexOf(':');
    user = pc < 0 ? userinfo : userinfo.slice(0, pc);
    password = pc < 0 ? null : userinfo.slice(pc + 1);
    if (!USER.test(user) || (password !== null && !PASSWORD.test(password))) return null;
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    headers = rest.slice(q + 1);
    rest = rest.slice(0, q);
    if (!HEADERS.test(headers)) return null;
  }
  const semi = rest.indexOf(';');
  const hostPort = parseHostPort(semi < 0 ? rest : rest.slice(0, semi));
  if (hostPort === null) return null;
  const params = parseParameters(semi < 0 ? '' : rest.slice(semi));
  if (params === null || params.some((p) => p.value?.startsWith('"'))) return null;
  return { scheme, user, password, host: hostPort.host, port: hostPort.port, params, headers };
}

export function serializeSipUri(uri: SipUri): string {
  let s = `${uri.scheme}:`;
  if (uri.user !== null) s += uri.password === null ? `${uri.user}@` : `${uri.user}:${uri.password}@`;
  s += uri.host;
  if (uri.port !== null) s += `:${uri.port}`;
  s += serializeParameters(uri.params);
  if (uri.headers !== null) s += `?${uri.headers}`;
  return s;
}
