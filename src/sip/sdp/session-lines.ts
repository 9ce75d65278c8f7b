/**
 * The session part of every SDP umpin writes, offer or answer (RFC 4566 §5): origin with the
 * session id and version a dialog keeps, one connection address for the whole session.
 */
export function sessionLines(local: { address: string; sessionId: string; sessionVersion: number }): string[] {
  const ipVer = local.address.includes(':') ? 'IP6' : 'IP4';
  return [
    'v=0',
    `o=umpin ${local.sessionId} ${local.sessionVersion} IN ${ipVer} ${local.address}`,
    's=umpin',
    `c=IN ${ipVer} ${local.address}`,
    't=0 0',
  ];
}
