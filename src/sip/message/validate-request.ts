/**
 * What a UAS needs from a request before a transaction can take it (RFC 3261 §8.1.1,
 * §8.2): Via (the top one names the transaction and where to answer), From, To, Call-ID,
 * CSeq (whose method must be the request's), Max-Forwards when present. A request that
 * parses but lacks one of them, or has it malformed, gets the status and reason phrase to
 * answer with — 400 with the header named, or 416 for a Request-URI of another scheme —
 * and whether an answer can be routed at all (without a readable top Via it cannot).
 */
import { type CSeq, parseCSeq } from './cseq.js';
import { type NameAddr, parseNameAddr } from './name-addr.js';
import type { SipRequest } from './sip-message.js';
import { parseSipUri, type SipUri } from './sip-uri.js';
import { parseVia, type Via } from './via.js';

export interface RequestEssentials {
  readonly method: string;
  readonly requestUri: SipUri;
  /** In order; the first is the top Via. */
  readonly vias: readonly Via[];
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly callId: string;
  readonly cseq: CSeq;
  /** null when absent (a UAS accepts that). */
  readonly maxForwards: number | null;
  /** The Contact addresses, '*' for a wildcard, empty when absent. */
  readonly contacts: readonly NameAddr[] | '*';
}

export type RequestValidation =
  | { readonly ok: true; readonly essentials: RequestEssentials }
  | {
      readonly ok: false;
      readonly status: 400 | 416;
      readonly reason: string;
      /** False when no response can be routed back (no readable top Via): drop the request. */
      readonly canRespond: boolean;
    };

const CALL_ID = /^[!-~]+$/;

export function validateRequest(request: SipRequest): RequestValidation {
  const h = request.headers;
  const viaValues = h.values('via');
  if (viaValues.length === 0) return refuse('Missing Via', false);
  const vias: Via[] = [];
  for (const [i, v] of viaValues.entries()) {
    const via = parseVia(v);
    if (via === null) return refuse('Malformed Via', i > 0);
    vias.push(via);
  }
  const single = (name: string): string | null | 'many' => {
    const lines = h.lines(name);
    if (lines.length > 1) return 'many';
    return lines[0] ?? null;
  };
  const fromText = single('from');
  if (fromText === null) return refuse('Missing From');
  if (fromText === 'many') return refuse('More than one From');
  const from = parseNameAddr(fromText);
  if (from === null) return refuse('Malformed From');
  const toText = single('to');
  if (toText === null) return refuse('Missing To');
  if (toText === 'many') return refuse('More than one To');
  const to = parseNameAddr(toText);
  if (to === null) return refuse('Malformed To');
  const callId = single('call-id');
  if (callId === null) return refuse('Missing Call-ID');
  if (callId === 'many') return refuse('More than one Call-ID');
  if (!CALL_ID.test(callId)) return refuse('Malformed Call-ID');
  const cseqText = single('cseq');
  if (cseqText === null) return refuse('Missing CSeq');
  if (cseqText === 'many') return refuse('More than one CSeq');
  const cseq = parseCSeq(cseqText);
  if (cseq === null) return refuse('Malformed CSeq');
  if (cseq.method !== request.method) return refuse('CSeq method does not match the request');
  const mfText = single('max-forwards');
  if (mfText === 'many') return refuse('More than one Max-Forwards');
  let maxForwards: number | null = null;
  if (mfText !== null) {
    if (!/^[0-9]{1,3}$/.test(mfText) || Number(mfText) > 255) return refuse('Malformed Max-Forwards');
    maxForwards = Number(mfText);
  }
  let contacts: NameAddr[] | '*' = [];
  const contactValues = h.values('contact');
  if (contactValues.length === 1 && contactValues[0] === '*') contacts = '*';
  else {
    for (const c of contactValues) {
      const a = parseNameAddr(c);
      if (a === null) return refuse('Malformed Contact');
      contacts.push(a);
    }
  }
  const requestUri = parseSipUri(request.uri);
  if (requestUri === null) {
    return /^[A-Za-z][A-Za-z0-9+\-.]*:/.test(request.uri) && !/^sips?:/i.test(request.uri)
      ? { ok: false, status: 416, reason: 'Unsupported URI Scheme', canRespond: true }
      : refuse('Malformed Request-URI');
  }
  return {
    ok: true,
    essentials: { method: request.method, requestUri, vias, from, to, callId, cseq, maxForwards, contacts },
  };
}

function refuse(reason: string, canRespond = true): RequestValidation {
  return { ok: false, status: 400, reason, canRespond };
}
