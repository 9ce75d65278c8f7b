/**
 * A call's RTP port (and SRTP key) between the offer and the call: the answer is written
 * from it, then the INVITE either succeeds (start) or fails (release). Datagrams arriving
 * before start — a peer sending early media to the port it was just told — are discarded.
 */
import type { Socket } from 'node:dgram';
import type { PendingMedia } from '../call-media.js';
import type { AcceptableAudio } from '../sdp/audio-offer.js';
import type { MediaObserver } from './media-counters.js';
import { RtpMediaSession } from './rtp-media-session.js';
import type { SrtpKeys } from './srtp-transform.js';

export class PendingRtpMedia implements PendingMedia {
  readonly localPort: number;
  readonly localKey: SrtpKeys | null;
  readonly #socket: Socket;
  readonly #observer: MediaObserver | undefined;
  readonly #reorderDepth: number | undefined;
  #used = false;

  constructor(socket: Socket, localKey: SrtpKeys | null, observer?: MediaObserver, reorderDepth?: number) {
    this.#socket = socket;
    this.localPort = socket.address().port;
    this.localKey = localKey;
    this.#observer = observer;
    this.#reorderDepth = reorderDepth;
  }

  start(audio: AcceptableAudio, callId: string): RtpMediaSession {
    if (this.#used) throw new Error('this media was already started or released');
    this.#used = true;
    return new RtpMediaSession({
      socket: this.#socket,
      callId,
      audio,
      localKey: this.localKey,
      ...(this.#observer === undefined ? {} : { observer: this.#observer }),
      ...(this.#reorderDepth === undefined ? {} : { reorderDepth: this.#reorderDepth }),
    });
  }

  release(): void {
    if (this.#used) return;
    this.#used = true;
    this.#socket.close();
  }
}
