/**
 * One Via value (RFC 3261 §20.42, §25.1): `SIP/2.0/UDP host:port;branch=…;received=…;rport`.
 * The top Via's branch identifies the transaction (§17.2.3, magic cookie z9hG4bK); received
 * and rport (RFC 3581) say where a response must go when the sender is behind NAT. The
 * protocol name, version and transport are compared case-insensitively and kept as written.
 */
import { getParameter, type Parameters, parseParameters, serializeParameters } from './parameters.js';
import { parseHostPort } from './sip-uri.js';

export interface Via {
  readonly protocol: string;
  readonly version: string;
  /** UDP, TCP, TLS, SCTP, WS... in upper case. */
  readonly transport: string;
  readonly host: string;
  readonly port: number | null;
  readonly params: Parameters;
}

const TOKEN = /^[!%'*+\-.0-9A-Z^_`a-z~]+$/;

export function parseVia(text: string): Via | null {
  // sent-protocol: name SLASH version SLASH transport, with optional whitespace around slashes
  const m = /^\s*([^\s/]+)\s*\/\s*([^\s/]+)\s*\/\s*([^\s/;]+)\s+([^;\s]+)\s*(;[\s\S]*)?$/.exec(text);
  if (!m) return null;
  const [, protocol, version, transport, sentBy, paramText] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (!TOKEN.test(protocol) || !TOKEN.test(version) || !TOKEN.test(transport)) return null;
  if (protocol.toUpperCase() !== 'SIP' || version !== '2.0') return null;
  const hostPort = parseHostPort(sentBy);
  if (hostPort === null) return null;
  const params = parseParameters(paramText ?? '');
  if (params === null) return null;
  const rport = getParameter(params, 'rport');
  if (rport !== undefined && rport !== null && parsePortValue(rport) === null) return null;
  const ttl = getParameter(params, 'ttl');
  if (ttl !== undefined && (ttl === null || !/^[0-9]{1,3}$/.test(ttl) || Number(ttl) > 255)) return null;
  return { protocol, version, transport: transport.toUpperCase(), host: hostPort.host, port: hostPort.port, params };
}

function parsePortValue(v: string): number | null {
  return /^[0-9]{1,5}$/.test(v) && Number(v) <= 65535 ? Number(v) : null;
}

export function serializeVia(v: Via): string {
  const port = v.port === null ? '' : `:${v.port}`;
  return `${v.protocol}/${v.version}/${v.transport} ${v.host}${port}${serializeParameters(v.params)}`;
}

/** The branch parameter, or null (RFC 2543 peers send none). */
export function branchOf(v: Via): string | null {
  return getParameter(v.params, 'branch') ?? null;
}

/** True for a branch of RFC 3261 form, which alone identifies a transaction. */
export function hasMagicCookie(branch: string | null): boolean {
  return branch?.startsWith('z9hG4bK') === true;
}
