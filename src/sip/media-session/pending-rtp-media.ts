/**
 * A call's RTP port (and SRTP key) between the offer and the call: the answer is written
 * from it, then the INVITE either succeeds (start) or fails (release). Datagrams arriving
 * before start — a peer sending early media to the port it was just told — are discarded.
 */
import type { Socket } from 'node:dgram';
import type { PendingMedia } from '../call-media.js';
import type { AcceptableAudio } from '../sdp/audio-offer.js';
import { RtpMediaSession, type RtpMediaSessionOptions } from './rtp-media-session.js';
import type { SrtpKeys } from './srtp-transform.js';

/** What a session may be tuned with, passed on from RtpMediaSessions' options. */
export type SessionTuning = Pick<RtpMediaSessionOptions, 'observer' | 'reorderDepth' | 'maxBurstFrames'>;

export class PendingRtpMedia implements PendingMedia {
  readonly localPort: number;
  readonly localKey: SrtpKeys | null;
  readonly #socket: Socket;
  readonly #tuning: SessionTuning;
  #used = false;

  constructor(socket: Socket, localKey: SrtpKeys | null, tuning: SessionTuning = {}) {
    this.#socket = socket;
    this.localPort = socket.address().port;
    this.localKey = localKey;
    this.#tuning = tuning;
  }

  start(audio: AcceptableAudio, callId: string): RtpMediaSession {
    if (this.#used) throw new Error('this media was already started or released');
    this.#used = true;
    try {
      return this.#session(audio, callId);
    } catch (err) {
      // an RTP/SAVP stream on media allocated without a key: the port must not leak
      this.#socket.close();
      throw err;
    }
  }

  #session(audio: AcceptableAudio, callId: string): RtpMediaSession {
    return new RtpMediaSession({
      socket: this.#socket,
      callId,
      audio,
      localKey: this.localKey,
      ...(this.#tuning.observer === undefined ? {} : { observer: this.#tuning.observer }),
      ...(this.#tuning.reorderDepth === undefined ? {} : { reorderDepth: this.#tuning.reorderDepth }),
      ...(this.#tuning.maxBurstFrames === undefined ? {} : { maxBurstFrames: this.#tuning.maxBurstFrames }),
    });
  }

  release(): void {
    if (this.#used) return;
    this.#used = true;
    this.#socket.close();
  }
}
