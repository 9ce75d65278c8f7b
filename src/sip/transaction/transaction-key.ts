/**
 * Matching a request to a server transaction (RFC 3261 §17.2.3): the top Via's branch (with
 * the z9hG4bK cookie), its sent-by, and the method — where ACK matches the INVITE it
 * acknowledges. A CANCEL has a transaction of its own but names the INVITE it cancels by the
 * same branch and sent-by (§9.2), which inviteKeyOf gives. Requests without the cookie
 * (RFC 2543 peers) are keyed by Call-ID, From tag, CSeq and top Via instead — enough to
 * absorb their retransmissions.
 */
import { parseCSeq } from '../message/cseq.js';
import { parseNameAddr, tagOf } from '../message/name-addr.js';
import type { SipMessage, SipRequest } from '../message/sip-message.js';
import { branchOf, hasMagicCookie, parseVia } from '../message/via.js';

function viaPart(message: SipMessage): string | null {
  const top = message.headers.values('via')[0];
  const via = top === undefined ? null : parseVia(top);
  if (via === null) return null;
  const branch = branchOf(via);
  const sentBy = `${via.host.toLowerCase()}:${via.port ?? ''}`;
  if (hasMagicCookie(branch)) return `${branch}|${sentBy}`;
  // RFC 2543: no reliable branch
  const from = parseNameAddr(message.headers.get('from') ?? '');
  const cseq = parseCSeq(message.headers.get('cseq') ?? '');
  return `2543|${message.headers.get('call-id')}|${from ? tagOf(from) : ''}|${cseq?.seq}|${top}`;
}

/** The server transaction a request belongs to (ACK → its INVITE's). */
export function serverKeyOf(request: SipRequest): string | null {
  const via = viaPart(request);
  if (via === null) return null;
  const method = request.method === 'ACK' ? 'INVITE' : request.method;
  return `${via}|${method}`;
}

/** The INVITE transaction a CANCEL cancels. */
export function inviteKeyOf(cancel: SipRequest): string | null {
  const via = viaPart(cancel);
  return via === null ? null : `${via}|INVITE`;
}

/** The client transaction a response belongs to: our branch and the CSeq method (§17.1.3). */
export function clientKeyOf(message: SipMessage): string | null {
  const top = message.headers.values('via')[0];
  const via = top === undefined ? null : parseVia(top);
  const branch = via === null ? null : branchOf(via);
  const cseq = parseCSeq(message.headers.get('cseq') ?? '');
  if (branch === null || cseq === null) return null;
  const method = cseq.method === 'ACK' ? 'INVITE' : cseq.method;
  return `${branch}|${method}`;
}
