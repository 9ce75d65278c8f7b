/**
 * SDP offer/answer for the voice-access endpoint (RFC 3264): from the offer's text, the
 * audio stream we take and our answer's text, or a refusal the user agent turns into
 * 488 Not Acceptable Here (with the reason for its log line). Pure: the caller supplies
 * our address and port, the session ids and — for SRTP — fresh key material.
 *
 * Choice: among acceptable audio streams, an RTP/SAVP one first (an offer may carry both
 * profiles), then RTP/AVP unless SRTP is required (the call came over TLS, so the PIN
 * must not cross the network in clear). Every other m-line is declined with port 0, in
 * place, as §6 requires. Our answer mirrors the offer's direction (sendonly → recvonly for
 * a hold re-INVITE), sends 20 ms frames, and offers telephone-event at the offer's type
 * with the digits and A–D the offer allows.
 */
import { parse, type SessionDescription } from 'sdp-transform';
import {
  type AcceptableAudio,
  type AudioStreamDecision,
  type Direction,
  judgeAudioStream,
  type StreamRefusal,
} from './audio-offer.js';
import { formatEventRanges } from './event-ranges.js';
import { formatSdesCrypto } from './sdes-crypto.js';
import { sessionLines } from './session-lines.js';

export interface LocalMedia {
  /** Our RTP address (IPv4 or IPv6) and port. */
  readonly address: string;
  readonly port: number;
  /** o= session id and version (the version grows with each new answer in a dialog). */
  readonly sessionId: string;
  readonly sessionVersion: number;
  /** True when the call must be encrypted (signalling over TLS). */
  readonly requireSrtp: boolean;
  /** Our master key (16 bytes) and salt (14 bytes) for an SRTP answer; without it RTP/SAVP is declined. */
  readonly srtpKey?: { readonly key: Uint8Array; readonly salt: Uint8Array };
}

export type SdpRefusalReason = 'unparseable' | 'no-audio' | 'srtp-required' | 'srtp-unavailable' | StreamRefusal;

export type Negotiation =
  | { readonly ok: true; readonly audio: AcceptableAudio; readonly answer: string; readonly answerDirection: Direction }
  | { readonly ok: false; readonly reason: SdpRefusalReason };

const ANSWER_DIRECTION: Readonly<Record<Direction, Direction>> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

/** The events we take beyond the digits: A–D (12–15). */
const OUR_EVENTS = Array.from({ length: 16 }, (_, i) => i);

export function negotiateAnswer(offer: string, local: LocalMedia): Negotiation {
  const session = parseOffer(offer);
  if (session === null) return { ok: false, reason: 'unparseable' };
  const decisions: AudioStreamDecision[] = session.media.map((m, i) => judgeAudioStream(session, m, i));
  const accepted = decisions.filter((d): d is AcceptableAudio => d.ok);
  const chosen =
    accepted.find((d) => d.profile === 'RTP/SAVP' && local.srtpKey !== undefined) ??
    (local.requireSrtp ? undefined : accepted.find((d) => d.profile === 'RTP/AVP'));
  if (chosen === undefined) {
    if (local.requireSrtp && accepted.some((d) => d.profile === 'RTP/AVP'))
      return { ok: false, reason: 'srtp-required' };
    if (accepted.some((d) => d.profile === 'RTP/SAVP')) return { ok: false, reason: 'srtp-unavailable' };
    const refusals = decisions.filter((d) => !d.ok && d.refusal !== 'not-audio');
    if (refusals.length === 0) return { ok: false, reason: 'no-audio' };
    const first = refusals[0]!;
    return { ok: false, reason: first.ok ? 'no-audio' : first.refusal };
  }
  const answerDirection = ANSWER_DIRECTION[chosen.direction];
  return { ok: true, audio: chosen, answer: writeAnswer(session, chosen, answerDirection, local), answerDirection };
}

function parseOffer(text: string): SessionDescription | null {
  if (!/^v=0\r?$/m.test(text.split('\n', 1)[0] ?? '')) return null;
  try {
    const s = parse(text);
    return Array.isArray(s.media) ? s : null;
  } catch {
    return null;
  }
}

function writeAnswer(
  session: SessionDescription,
  chosen: AcceptableAudio,
  direction: Direction,
  local: LocalMedia,
): string {
  const lines = sessionLines(local);
  session.media.forEach((m, i) => {
    if (i !== chosen.index) {
      const fmt =
        String(m.payloads ?? '')
          .trim()
          .split(/\s+/)[0] || '0';
      lines.push(`m=${safeToken(m.type)} 0 ${safeToken(m.protocol)} ${safeToken(fmt)}`);
      return;
    }
    const te = chosen.telephoneEvent;
    const pts = te === null ? `${chosen.codec.payloadType}` : `${chosen.codec.payloadType} ${te.payloadType}`;
    lines.push(`m=audio ${local.port} ${chosen.profile} ${pts}`);
    lines.push(`a=rtpmap:${chosen.codec.payloadType} ${chosen.codec.name}/8000`);
    if (te !== null) {
      lines.push(`a=rtpmap:${te.payloadType} telephone-event/8000`);
      lines.push(`a=fmtp:${te.payloadType} ${formatEventRanges(OUR_EVENTS.filter((e) => te.events.has(e)))}`);
    }
    lines.push('a=ptime:20');
    lines.push(`a=${direction}`);
    if (chosen.crypto !== null && local.srtpKey !== undefined) {
      lines.push(`a=crypto:${formatSdesCrypto(chosen.crypto.tag, local.srtpKey.key, local.srtpKey.salt)}`);
    }
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** A declined m-line echoes the offer's words; anything odd in them is replaced, never copied. */
function safeToken(text: unknown): string {
  const s = String(text ?? '');
  return /^[A-Za-z0-9/._+-]{1,32}$/.test(s) ? s : 'x';
}
