/**
 * Reading an SDP offer (RFC 3264 §5, §6) for the one thing a voice-access endpoint takes:
 * an audio stream of G.711 with, when offered, telephone-events at 8 kHz. For each audio
 * m-line it decides what we would accept; negotiate-answer.ts picks one and builds our
 * answer. Rules, from what real peers send:
 * - PCMU or PCMA at any position of the payload list; the first of the two in the offer's
 *   order wins (the offerer's preference). A static type (0, 8) needs no rtpmap; an rtpmap
 *   may also give G.711 a dynamic type, which the answer then uses.
 * - telephone-event: the first 8000 Hz one whose events include the digits (0–11), at the
 *   payload type the offer gives it (linphonec offers 48000, 16000 and 8000 Hz).
 * - The connection address is the m-line's or, failing that, the session's; `0.0.0.0`
 *   (RFC 2543 hold) means no address to send to.
 * - Direction from the m-line, else the session, else sendrecv.
 * - RTP/SAVP needs an AES_CM_128_HMAC_SHA1_80 a=crypto line we can use (no MKI, no session
 *   parameters — our SRTP does neither); RTP/AVP crypto lines are ignored. Other profiles
 *   (AVPF, DTLS) are declined.
 */
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { DEFAULT_EVENTS, parseEventRanges } from './event-ranges.js';
import { parseSdesCrypto, type SdesCrypto, type SdesFailure } from './sdes-crypto.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** G.711 at the offer's type: 0 or 8 as a rule, a dynamic type when the offer maps one to it. */
export interface G711 {
  readonly name: 'PCMU' | 'PCMA';
  readonly payloadType: number;
}

export interface AcceptableAudio {
  readonly ok: true;
  readonly index: number;
  readonly profile: 'RTP/AVP' | 'RTP/SAVP';
  /** Where to send RTP; null on an RFC 2543 hold (0.0.0.0). */
  readonly remoteAddress: string | null;
  readonly remotePort: number;
  readonly codec: G711;
  readonly telephoneEvent: { readonly payloadType: number; readonly events: ReadonlySet<number> } | null;
  /** The offer's ptime in ms, when given. */
  readonly ptime: number | null;
  readonly direction: Direction;
  /** The offerer's key, on RTP/SAVP. */
  readonly crypto: SdesCrypto | null;
}

export type StreamRefusal =
  | 'not-audio'
  | 'disabled'
  | 'profile'
  | 'no-connection'
  | 'no-common-codec'
  | 'no-usable-crypto'
  | `crypto-${SdesFailure}`;

export type AudioStreamDecision =
  | AcceptableAudio
  | { readonly ok: false; readonly index: number; readonly refusal: StreamRefusal };

const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);
const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

export function judgeAudioStream(
  session: SessionDescription,
  media: MediaDescription,
  index: number,
): AudioStreamDecision {
  const refuse = (refusal: StreamRefusal): AudioStreamDecision => ({ ok: false, index, refusal });
  if (media.type !== 'audio') return refuse('not-audio');
  if (!Number.isInteger(media.port) || media.port <= 0 || media.port > 65535) return refuse('disabled');
  const profile = media.protocol === 'RTP/AVP' || media.protocol === 'RTP/SAVP' ? media.protocol : null;
  if (profile === null) return refuse('profile');

  const connection = media.connection ?? session.connection;
  if (connection === undefined || typeof connection.ip !== 'string') return refuse('no-connection');
  const ip = connection.ip.split('/')[0]!;
  if (!/^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9.-]+)$/.test(ip)) {
    return refuse('no-connection');
  }
  const remoteAddress = ip === '0.0.0.0' ? null : ip;

  const payloads = String(media.payloads ?? '')
    .trim()
    .split(/\s+/)
    .filter((p) => /^[0-9]{1,3}$/.test(p))
    .map(Number)
    .filter((p) => p <= 127);
  const rtpmap = (pt: number) => (media.rtp ?? []).find((r) => r.payload === pt);
  let codec: G711 | null = null;
  for (const pt of payloads) {
    const map = rtpmap(pt);
    const name = map ? String(map.codec).toUpperCase() : pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : null;
    const rate = map ? map.rate : 8000;
    const channels = map?.encoding ?? 1;
    if (rate !== 8000 || Number(channels) !== 1) continue;
    if (name === 'PCMU' || name === 'PCMA') {
      codec = { name, payloadType: pt };
      break;
    }
  }
  if (codec === null) return refuse('no-common-codec');

  let telephoneEvent: AcceptableAudio['telephoneEvent'] = null;
  for (const pt of payloads) {
    const map = rtpmap(pt);
    if (!map || String(map.codec).toLowerCase() !== 'telephone-event' || map.rate !== 8000) continue;
    const fmtp = (media.fmtp ?? []).find((f) => f.payload === pt);
    const events = parseEventRanges(fmtp ? String(fmtp.config) : DEFAULT_EVENTS);
    if (events === null || !DIGITS.every((d) => events.has(d))) continue;
    telephoneEvent = { payloadType: pt, events };
    break;
  }

  const ptime = typeof media.ptime === 'number' && Number.isFinite(media.ptime) && media.ptime > 0 ? media.ptime : null;
  const dir = media.direction ?? session.direction ?? 'sendrecv';
  const direction: Direction = DIRECTIONS.has(dir) ? (dir as Direction) : 'sendrecv';

  let crypto: SdesCrypto | null = null;
  if (profile === 'RTP/SAVP') {
    let firstFailure: SdesFailure | null = null;
    for (const line of media.crypto ?? []) {
      const parsed = parseSdesCrypto(
        line.id,
        String(line.suite),
        String(line.config ?? ''),
        String(line.sessionConfig ?? ''),
      );
      if (!parsed.ok) {
        // a suite we do not do is not a malformed line
        if (parsed.failure !== 'suite') firstFailure ??= parsed.failure;
        continue;
      }
      if (parsed.crypto.mki !== null || parsed.crypto.sessionParams.length > 0) continue;
      crypto = parsed.crypto;
      break;
    }
    if (crypto === null) return refuse(firstFailure === null ? 'no-usable-crypto' : `crypto-${firstFailure}`);
  }

  return {
    ok: true,
    index,
    profile,
    remoteAddress,
    remotePort: media.port,
    codec,
    telephoneEvent,
    ptime,
    direction,
    crypto,
  };
}
