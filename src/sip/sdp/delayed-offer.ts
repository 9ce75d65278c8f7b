/**
 * The delayed offer (RFC 3261 §13.2.1, RFC 3264 §5–§6): an INVITE without SDP — what Cisco
 * CUCM trunks and many SIP trunks send by default — is answered 200 with OUR offer, and the
 * caller's answer arrives in the ACK. Pure, like negotiate-answer.ts: the caller supplies our
 * address, port, session ids and, for SRTP, key material.
 *
 * Our offer is the smallest one every G.711 peer takes: one audio stream of PCMU and PCMA,
 * telephone-event/8000 at payload type 101 for 0–15, 20 ms frames, sendrecv; RTP/SAVP with
 * one AES_CM_128_HMAC_SHA1_80 key when the call must be encrypted (it came over TLS) —
 * offering plain RTP there would invite an answer we must refuse.
 *
 * The answer must keep to the offer (§6.1): the same profile, PCMU or PCMA at 0 or 8, its
 * key on RTP/SAVP. A telephone-event type the answer maps differently from ours is taken as
 * the answer gives it: a peer sends events at the type it names.
 */
import { parse } from 'sdp-transform';
import { type AcceptableAudio, judgeAudioStream } from './audio-offer.js';
import { formatSdesCrypto } from './sdes-crypto.js';
import { sessionLines } from './session-lines.js';

export interface OfferMedia {
  /** Our RTP address (IPv4 or IPv6) and port. */
  readonly address: string;
  readonly port: number;
  readonly sessionId: string;
  readonly sessionVersion: number;
  /** Our master key (16 bytes) and salt (14 bytes): given, the offer is RTP/SAVP with it. */
  readonly srtpKey?: { readonly key: Uint8Array; readonly salt: Uint8Array };
}

export const OFFER_TELEPHONE_EVENT = 101;

export function writeOffer(local: OfferMedia): string {
  const profile = local.srtpKey === undefined ? 'RTP/AVP' : 'RTP/SAVP';
  const te = OFFER_TELEPHONE_EVENT;
  const lines = [
    ...sessionLines(local),
    `m=audio ${local.port} ${profile} 0 8 ${te}`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    `a=rtpmap:${te} telephone-event/8000`,
    `a=fmtp:${te} 0-15`,
    'a=ptime:20',
    'a=sendrecv',
  ];
  if (local.srtpKey !== undefined) lines.push(`a=crypto:${formatSdesCrypto(1, local.srtpKey.key, local.srtpKey.salt)}`);
  return `${lines.join('\r\n')}\r\n`;
}

export type AnswerReading =
  | { readonly ok: true; readonly audio: AcceptableAudio }
  | { readonly ok: false; readonly reason: 'no-answer' | 'unparseable' | 'rejected' | 'not-our-offer' | string };

/** The caller's answer (the ACK's body) to writeOffer's offer; `secure` says whether we offered RTP/SAVP. */
export function readAnswer(text: string, secure: boolean): AnswerReading {
  if (text.trim() === '') return { ok: false, reason: 'no-answer' };
  if (!/^v=0\r?$/.test(text.split('\n', 1)[0] ?? '')) return { ok: false, reason: 'unparseable' };
  let session: ReturnType<typeof parse>;
  try {
    session = parse(text);
  } catch {
    return { ok: false, reason: 'unparseable' };
  }
  // our offer has one m-line, so the answer has exactly one, in the same place (§6)
  const media = Array.isArray(session.media) ? session.media : [];
  if (media.length !== 1) return { ok: false, reason: 'not-our-offer' };
  const decision = judgeAudioStream(session, media[0]!, 0);
  if (!decision.ok) return { ok: false, reason: decision.refusal === 'disabled' ? 'rejected' : decision.refusal };
  if ((decision.profile === 'RTP/SAVP') !== secure) return { ok: false, reason: 'not-our-offer' };
  if (decision.codec.payloadType !== (decision.codec.name === 'PCMU' ? 0 : 8)) {
    return { ok: false, reason: 'not-our-offer' };
  }
  return { ok: true, audio: decision };
}
