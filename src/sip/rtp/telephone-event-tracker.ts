/**
 * Turning a call's RFC 4733 packets into keys pressed, each exactly once. An event's
 * identity is its RTP timestamp within its SSRC (RFC 4733 §2.5.1.2: every packet of one
 * event, its redundant end packets included, carries the timestamp of the event's start),
 * never the sequence number (sipp's pcaps repeat it on the end packets, play_dtmf does
 * not), the duration (baresip starts at 160, others at 0, pcaps run at twice real time) or
 * the end bit. So the first packet seen of a new (SSRC, timestamp) yields the key — the
 * earliest moment, which also serves barge-in — and every later packet of it is ignored,
 * in whatever order they come. A new SSRC (sipp starts one per play_dtmf) is a new
 * stream whose timestamps may restart.
 *
 * One tracker per call: concurrent calls may use identical RTP identifiers. Memory is
 * bounded: a few recent SSRCs, a window of recent timestamps each. Known limit (the
 * sender's): a key repeated with the same SSRC and timestamp, as sipp's pcap files do,
 * counts once.
 */
import type { RtpPacket } from './rtp-packet.js';
import { dtmfKey, parseTelephoneEvent } from './telephone-event.js';

export interface KeyPress {
  /** '0'–'9', '*', '#', 'A'–'D'. */
  readonly key: string;
  readonly ssrc: number;
  readonly timestamp: number;
  /** The first packet seen already had the end bit (a short or reordered event). */
  readonly endedAlready: boolean;
}

const MAX_SSRCS = 8;
const MAX_EVENTS_PER_SSRC = 64;

export class TelephoneEventTracker {
  readonly #payloadTypes: ReadonlySet<number>;
  /** SSRC → timestamps seen, oldest first; Map order gives the least recently used SSRC. */
  readonly #seen = new Map<number, number[]>();

  /** payloadTypes: the telephone-event types negotiated for this call. */
  constructor(payloadTypes: Iterable<number>) {
    this.#payloadTypes = new Set(payloadTypes);
  }

  /** Feeds one received packet (of any type); returns the key it newly reveals, or null. */
  push(packet: RtpPacket): KeyPress | null {
    if (!this.#payloadTypes.has(packet.payloadType)) return null;
    const ev = parseTelephoneEvent(packet.payload);
    if (ev === null) return null;
    const key = dtmfKey(ev.event);
    if (key === null) return null;
    let stamps = this.#seen.get(packet.ssrc);
    if (stamps === undefined) {
      stamps = [];
      if (this.#seen.size >= MAX_SSRCS) this.#seen.delete(this.#seen.keys().next().value!);
    } else this.#seen.delete(packet.ssrc);
    this.#seen.set(packet.ssrc, stamps);
    if (stamps.includes(packet.timestamp)) return null;
    stamps.push(packet.timestamp);
    if (stamps.length > MAX_EVENTS_PER_SSRC) stamps.shift();
    return { key, ssrc: packet.ssrc, timestamp: packet.timestamp, endedAlready: ev.end };
  }
}
