/**
 * What a client transaction needs from a response (RFC 3261 §8.1.3, §17.1.3): the top Via
 * (its branch matches the transaction; a response whose top Via is not ours is dropped by
 * the transport, §18.1.2), CSeq (its method completes the match), From, To (with the
 * callee's tag that makes the dialog) and Call-ID. A response without them cannot be
 * matched and is dropped: responses are never answered.
 */
import { type CSeq, parseCSeq } from './cseq.js';
import { type NameAddr, parseNameAddr } from './name-addr.js';
import type { SipResponse } from './sip-message.js';
import { parseVia, type Via } from './via.js';

export interface ResponseEssentials {
  readonly status: number;
  readonly topVia: Via;
  readonly viaCount: number;
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly callId: string;
  readonly cseq: CSeq;
}

export type ResponseValidation =
  | { readonly ok: true; readonly essentials: ResponseEssentials }
  | { readonly ok: false; readonly reason: string };

export function validateResponse(response: SipResponse): ResponseValidation {
  const h = response.headers;
  const vias = h.values('via');
  const topVia = vias[0] === undefined ? null : parseVia(vias[0]);
  if (topVia === null) return { ok: false, reason: vias.length === 0 ? 'Missing Via' : 'Malformed Via' };
  const one = (name: string) => {
    const lines = h.lines(name);
    return lines.length === 1 ? lines[0]! : null;
  };
  const fromText = one('from');
  const from = fromText === null ? null : parseNameAddr(fromText);
  if (from === null) return { ok: false, reason: 'Missing or malformed From' };
  const toText = one('to');
  const to = toText === null ? null : parseNameAddr(toText);
  if (to === null) return { ok: false, reason: 'Missing or malformed To' };
  const callId = one('call-id');
  if (callId === null || !/^[!-~]+$/.test(callId)) return { ok: false, reason: 'Missing or malformed Call-ID' };
  const cseqText = one('cseq');
  const cseq = cseqText === null ? null : parseCSeq(cseqText);
  if (cseq === null) return { ok: false, reason: 'Missing or malformed CSeq' };
  return { ok: true, essentials: { status: response.status, topVia, viaCount: vias.length, from, to, callId, cseq } };
}
