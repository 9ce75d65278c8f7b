/**
 * One call's audio over RTP or SRTP on a UDP socket of its own: the MediaSession of
 * src/sip/call-media.ts. Receiving: each datagram is unprotected (SRTP), parsed, admitted by
 * the symmetric-RTP latch (peer-latch.ts), then telephone-events go to the call's
 * TelephoneEventTracker at once (they need no order) and audio, put back in order per SSRC
 * (reorder-buffer.ts), goes to the in-band detector; dtmf-arbiter.ts makes one digit of a
 * press sent both ways. Nothing a datagram holds can throw out of here.
 *
 * Sending: a frame every 20 ms on the monotonic clock (frame-clock.ts), continuously — the
 * prompt playing or, between prompts, silence — because PBXs and gateways expect a steady
 * stream: it keeps NAT bindings open, keeps the peer's jitter buffer filled, and some
 * gateways drop a call whose RTP stops. The RTP timestamp is the frame's place on the clock
 * (+160 a frame, also across frames not sent), the sequence number counts packets sent, and
 * the marker bit is set on the first packet after a time of not sending (the start, after a
 * hold). Nothing is sent while the peer is on hold (its SDP says recvonly, inactive or the
 * RFC 2543 address 0.0.0.0); a prompt playing then runs on unheard.
 */
import { randomInt } from 'node:crypto';
import type { RemoteInfo, Socket } from 'node:dgram';
import type { Digit, MediaSession, PlayOutcome } from '../call-media.js';
import { DtmfDetector } from '../media/dtmf-detector.js';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from '../media/g711.js';
import { parseRtp, type RtpPacket, serializeRtp } from '../rtp/rtp-packet.js';
import { parseTelephoneEvent } from '../rtp/telephone-event.js';
import { TelephoneEventTracker } from '../rtp/telephone-event-tracker.js';
import type { AcceptableAudio } from '../sdp/audio-offer.js';
import { type DigitMethod, DtmfArbiter } from './dtmf-arbiter.js';
import { extendSequence } from './extended-sequence.js';
import { FRAME_MS, FrameClock, type FrameTick } from './frame-clock.js';
import { type MediaCounters, type MediaObserver, newMediaCounters } from './media-counters.js';
import { type Endpoint, PeerLatch } from './peer-latch.js';
import { ReorderBuffer, type Reordered } from './reorder-buffer.js';
import { type SrtpKeys, SrtpTransform } from './srtp-transform.js';

export const FRAME_SAMPLES = 160;
/** SSRCs whose order is tracked at once (sipp starts a stream per play_dtmf beside its audio). */
const MAX_STREAMS = 4;
/** A stream quiet this long with packets held behind a lost one lets them go (silence suppression). */
const QUIET_FLUSH_MS = 3 * FRAME_MS;
/** A lost frame is concealed by repeating the one before, this many times in a row, then by silence. */
const MAX_REPEATS = 2;
const SILENCE = new Int16Array(FRAME_SAMPLES);

interface Stream {
  readonly ssrc: number;
  highest: number | null;
  /** session clock of its last packet */
  lastMs: number;
  /** decoded audio, or null for a packet in the sequence that carries none (an event) */
  readonly order: ReorderBuffer<Int16Array | null>;
}

interface Playback {
  readonly samples: Int16Array;
  position: number;
  readonly bargeIn: boolean;
  readonly resolve: (outcome: PlayOutcome) => void;
}

export interface RtpMediaSessionOptions {
  readonly socket: Socket;
  readonly callId: string;
  readonly audio: AcceptableAudio;
  /** ours, from allocate({secure: true}); required when the audio is RTP/SAVP */
  readonly localKey: SrtpKeys | null;
  readonly observer?: MediaObserver;
  /** frames the reorder buffer holds waiting for a missing one (default 3) */
  readonly reorderDepth?: number;
  /** frames sent at once when catching up after a late timer; older ones are skipped (default 10) */
  readonly maxBurstFrames?: number;
}

export class RtpMediaSession implements MediaSession {
  readonly localPort: number;
  readonly localKey: SrtpKeys | null;
  readonly callId: string;
  readonly closed: Promise<void>;
  /** what the media did so far (see media-counters.ts) */
  readonly counters: MediaCounters = newMediaCounters();

  #audio: AcceptableAudio;
  readonly #socket: Socket;
  readonly #observer: MediaObserver;
  readonly #reorderDepth: number;
  readonly #clock: FrameClock;
  #srtp: SrtpTransform | null;
  readonly #latch = new PeerLatch();
  #tracker: TelephoneEventTracker;
  readonly #arbiter = new DtmfArbiter();
  readonly #streams = new Map<number, Stream>();
  #detector = new DtmfDetector();
  #detectorSsrc: number | null = null;
  #detectorSamples = 0;
  #lastFrame: Int16Array = SILENCE;
  #repeats = 0;
  readonly #listeners = new Set<(digit: Digit) => void>();
  #playback: Playback | null = null;

  readonly #ssrc = randomInt(2 ** 32);
  /** extended: the rollover counter of SRTP is its upper part; starts below 2^15 (RFC 3711 §3.3.1) */
  #sequence = randomInt(2 ** 15);
  readonly #timestampBase = randomInt(2 ** 32);
  #sending = false;
  #lastPacketMs: number | null = null;
  #isClosed = false;
  #resolveClosed!: () => void;

  constructor(options: RtpMediaSessionOptions) {
    this.#socket = options.socket;
    this.localPort = options.socket.address().port;
    this.localKey = options.localKey;
    this.callId = options.callId;
    this.#audio = options.audio;
    this.#observer = options.observer ?? {};
    this.#reorderDepth = options.reorderDepth ?? 3;
    this.#srtp = this.#srtpFor(options.audio);
    this.#tracker = this.#trackerFor(options.audio);
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#socket.on('message', (data, from) => this.#onDatagram(data, from));
    this.#socket.on('error', () => void this.close());
    this.#clock = new FrameClock((tick) => this.#onFrame(tick), { maxBurst: options.maxBurstFrames ?? 10 });
    this.#clock.start();
  }

  get audio(): AcceptableAudio {
    return this.#audio;
  }

  /** where RTP goes now: the latched source, else the SDP's address; null on hold by 0.0.0.0 */
  get remote(): Endpoint | null {
    if (this.#audio.remoteAddress === null) return null;
    return this.#latch.latched ?? { address: this.#audio.remoteAddress, port: this.#audio.remotePort };
  }

  /**
   * When the last packet the latch admitted arrived, ms on the session's clock (null: none
   * yet), so the endpoint can end a call whose peer vanished without a BYE.
   */
  get lastPacketMs(): number | null {
    return this.#lastPacketMs;
  }

  /** ms since the session started, on the monotonic clock digits' `atMs` use */
  get elapsedMs(): number {
    return this.#clock.elapsedMs();
  }

  update(audio: AcceptableAudio): void {
    const before = this.#audio;
    const srtp = this.#srtpFor(audio);
    this.#audio = audio;
    if (before.remoteAddress !== audio.remoteAddress || before.remotePort !== audio.remotePort) this.#latch.forget();
    if (!sameKey(before.crypto, audio.crypto)) this.#srtp = srtp;
    if (before.telephoneEvent?.payloadType !== audio.telephoneEvent?.payloadType) {
      this.#tracker = this.#trackerFor(audio);
    }
    if (audio.telephoneEvent === null && before.telephoneEvent !== null) this.#arbiter.eventsWithdrawn();
  }

  onDigit(listener: (digit: Digit) => void): () => void {
    // a wrapper, so the same function added twice is two listeners, each removable
    const entry = (digit: Digit) => listener(digit);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  play(samples: Int16Array, options?: { readonly bargeIn?: boolean }): Promise<PlayOutcome> {
    if (this.#isClosed) return Promise.resolve('closed');
    this.#finishPlayback('interrupted');
    if (samples.length === 0) return Promise.resolve('done');
    return new Promise((resolve) => {
      this.#playback = { samples, position: 0, bargeIn: options?.bargeIn === true, resolve };
    });
  }

  stopPlayback(): void {
    this.#finishPlayback('interrupted');
  }

  close(): Promise<void> {
    if (this.#isClosed) return this.closed;
    this.#isClosed = true;
    this.#clock.stop();
    this.#finishPlayback('closed');
    this.#listeners.clear();
    try {
      this.#socket.close();
    } catch {
      // already closed by an error
    }
    this.#observer.sessionClosed?.(this.callId, { ...this.counters });
    this.#resolveClosed();
    return this.closed;
  }

  #srtpFor(audio: AcceptableAudio): SrtpTransform | null {
    if (audio.profile !== 'RTP/SAVP') return null;
    if (this.localKey === null || audio.crypto === null) {
      throw new Error('an RTP/SAVP stream needs our key (allocate({ secure: true })) and the offer’s');
    }
    return new SrtpTransform(this.localKey, audio.crypto);
  }

  #trackerFor(audio: AcceptableAudio): TelephoneEventTracker {
    return new TelephoneEventTracker(audio.telephoneEvent === null ? [] : [audio.telephoneEvent.payloadType]);
  }

  // ---- receiving

  #onDatagram(data: Buffer, from: RemoteInfo): void {
    if (this.#isClosed) return;
    this.counters.packetsIn++;
    try {
      this.#receive(data, from);
    } catch {
      // a bug's safety net: a datagram must never take the call down
      this.counters.malformed++;
    }
  }

  #receive(data: Buffer, from: RemoteInfo): void {
    // RTCP (RFC 5761 §4: packet types 192–223 where RTP has marker+payload type)
    if (data.length >= 2 && data[0]! >> 6 === 2 && data[1]! >= 192 && data[1]! <= 223) {
      this.counters.rtcp++;
      return;
    }
    let plain: Buffer = data;
    if (this.#srtp !== null) {
      const r = this.#srtp.unprotect(data);
      if (!r.ok) {
        if (r.failure === 'malformed') this.counters.malformed++;
        else if (r.failure === 'auth') this.counters.srtpAuthFailures++;
        else this.counters.srtpReplays++;
        return;
      }
      plain = r.packet;
    }
    const parsed = parseRtp(plain);
    if (!parsed.ok) {
      this.counters.malformed++;
      return;
    }
    const packet = parsed.packet;
    if (!this.#latch.admit({ address: from.address, port: from.port }, packet.ssrc)) {
      this.counters.foreignSource++;
      return;
    }
    this.#lastPacketMs = this.#clock.elapsedMs();
    const stream = this.#stream(packet.ssrc);
    stream.lastMs = this.#lastPacketMs;
    const index = extendSequence(stream.highest, packet.sequence);
    stream.highest = stream.highest === null ? index : Math.max(stream.highest, index);

    const event = this.#audio.telephoneEvent;
    let frame: Int16Array | null = null;
    if (event !== null && packet.payloadType === event.payloadType) {
      this.#onTelephoneEvent(packet);
    } else if (packet.payloadType === this.#audio.codec.payloadType) {
      frame = this.#audio.codec.name === 'PCMU' ? decodeUlaw(packet.payload) : decodeAlaw(packet.payload);
    } else {
      this.counters.otherPayload++;
    }
    const pushed = stream.order.push(index, frame);
    if (!pushed.accepted) {
      if (frame !== null) this.counters.lateOrDuplicate++;
      return;
    }
    this.#hear(packet.ssrc, pushed.released);
  }

  #stream(ssrc: number): Stream {
    let stream = this.#streams.get(ssrc);
    if (stream === undefined) {
      stream = { ssrc, highest: null, lastMs: 0, order: new ReorderBuffer(this.#reorderDepth) };
      if (this.#streams.size >= MAX_STREAMS) this.#streams.delete(this.#streams.keys().next().value!);
    } else this.#streams.delete(ssrc);
    this.#streams.set(ssrc, stream);
    return stream;
  }

  #onTelephoneEvent(packet: RtpPacket): void {
    const press = this.#tracker.push(packet);
    if (press === null) return;
    // the packet may be well into the event (a lost start, or only end packets): date it back
    const duration = parseTelephoneEvent(packet.payload)?.duration ?? 0;
    this.#deliver('rfc4733', press.key, Math.max(0, this.#clock.elapsedMs() - duration / 8));
  }

  /** audio in sequence order, lost frames concealed, to the in-band detector while it is on */
  #hear(ssrc: number, released: readonly Reordered<Int16Array | null>[]): void {
    for (const r of released) {
      let samples: Int16Array;
      if (r.lost) {
        this.counters.lostFrames++;
        this.#repeats++;
        samples = this.#repeats <= MAX_REPEATS ? this.#lastFrame : SILENCE;
      } else if (r.item === null) {
        continue;
      } else {
        samples = r.item;
        this.#lastFrame = samples;
        this.#repeats = 0;
      }
      if (!this.#arbiter.inbandActive) continue;
      if (this.#detectorSsrc !== ssrc) {
        // a new stream's audio does not continue the old one's
        this.#detector = new DtmfDetector();
        this.#detectorSsrc = ssrc;
        this.#detectorSamples = 0;
      }
      const found = this.#detector.push(samples);
      this.#detectorSamples += samples.length;
      const heardMs = this.#detectorSamples / 8;
      for (const d of found)
        this.#deliver('inband', d.digit, Math.max(0, this.#clock.elapsedMs() - (heardMs - d.startMs)));
    }
  }

  #deliver(method: DigitMethod, key: string, atMs: number): void {
    if (!this.#arbiter.admit(method, key, atMs)) return;
    if (method === 'rfc4733') this.counters.digitsRfc4733++;
    else this.counters.digitsInband++;
    if (this.#playback?.bargeIn) this.#finishPlayback('interrupted');
    const digit: Digit = { key, atMs, method };
    for (const listener of [...this.#listeners]) {
      try {
        listener(digit);
      } catch {
        // one listener's failure is its own
      }
    }
  }

  // ---- sending

  #onFrame(tick: FrameTick): void {
    this.#flushQuietStreams();
    const playback = this.#playback;
    let samples: Int16Array = SILENCE;
    if (playback !== null) {
      samples = playback.samples.subarray(playback.position, playback.position + FRAME_SAMPLES);
      playback.position += FRAME_SAMPLES;
    }
    const to = this.#audio.direction === 'sendrecv' || this.#audio.direction === 'recvonly' ? this.remote : null;
    if (!tick.send) this.counters.skippedFrames++;
    if (tick.send && to !== null) {
      this.#send(tick, samples, to);
      this.#sending = true;
    } else this.#sending = false;
    if (playback !== null && playback.position >= playback.samples.length) this.#finishPlayback('done');
  }

  #flushQuietStreams(): void {
    const now = this.#clock.elapsedMs();
    for (const stream of this.#streams.values()) {
      if (stream.order.holding && now - stream.lastMs >= QUIET_FLUSH_MS) this.#hear(stream.ssrc, stream.order.flush());
    }
  }

  #send(tick: FrameTick, samples: Int16Array, to: Endpoint): void {
    let frame = samples;
    if (frame.length < FRAME_SAMPLES) {
      frame = new Int16Array(FRAME_SAMPLES);
      frame.set(samples);
    }
    const codec = this.#audio.codec;
    const rtp = serializeRtp({
      marker: !this.#sending,
      payloadType: codec.payloadType,
      sequence: this.#sequence & 0xffff,
      timestamp: (this.#timestampBase + tick.index * FRAME_SAMPLES) % 2 ** 32,
      ssrc: this.#ssrc,
      payload: codec.name === 'PCMU' ? encodeUlaw(frame) : encodeAlaw(frame),
    });
    const out = this.#srtp === null ? rtp : this.#srtp.protect(rtp, Math.floor(this.#sequence / 65536));
    this.#sequence++;
    // errors (ICMP unreachable, an address of the other family) are the network's: the next frame tries again
    this.#socket.send(out, to.port, to.address, () => {});
    this.counters.packetsOut++;
    if (tick.lateMs > FRAME_MS) this.counters.lateFrames++;
    this.#observer.frameSent?.(tick.lateMs);
  }

  #finishPlayback(outcome: PlayOutcome): void {
    const playback = this.#playback;
    if (playback === null) return;
    this.#playback = null;
    playback.resolve(outcome);
  }
}

function sameKey(a: AcceptableAudio['crypto'], b: AcceptableAudio['crypto']): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.compare(a.key, b.key) === 0 && Buffer.compare(a.salt, b.salt) === 0;
}
