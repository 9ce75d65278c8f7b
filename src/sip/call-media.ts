/**
 * The contract between the three parts of a call: signalling (SIP transactions and dialogs)
 * opens a media session for each accepted INVITE and hands the established call to the voice
 * dialogue, which hears digits and plays prompts through it. Each side is built and tested
 * against these shapes; the endpoint wires real implementations together.
 */
import type { AcceptableAudio } from './sdp/audio-offer.js';

/** A key the caller pressed, heard once whichever way it came. */
export interface Digit {
  /** 0-9, *, #, A-D */
  readonly key: string;
  /** when it began, ms on the session's clock */
  readonly atMs: number;
  readonly method: 'rfc4733' | 'inband';
}

export type PlayOutcome = 'done' | 'interrupted' | 'closed';

/** One call's audio: RTP (or SRTP) in and out on a port of its own. */
export interface MediaSession {
  /** our RTP port, for the SDP answer */
  readonly localPort: number;
  /** our SRTP master key and salt when the call is encrypted (for the answer's a=crypto) */
  readonly localKey: { readonly key: Uint8Array; readonly salt: Uint8Array } | null;
  /** the negotiated stream as it is now (a re-INVITE may change address, codec or direction) */
  readonly audio: AcceptableAudio;
  /** a re-INVITE's new negotiation: hold, resume, codec or address change */
  update(audio: AcceptableAudio): void;
  /** digits as they arrive; returns a function that stops listening */
  onDigit(listener: (digit: Digit) => void): () => void;
  /**
   * Plays 8 kHz linear samples, paced at 20 ms a frame. With `bargeIn`, the first digit stops
   * the prompt ('interrupted'; the digit still reaches onDigit listeners).
   */
  play(samples: Int16Array, options?: { readonly bargeIn?: boolean }): Promise<PlayOutcome>;
  /** stops what is playing (its play() answers 'interrupted') */
  stopPlayback(): void;
  /** resolves when the session is closed (by close() or by the call ending) */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** Opens media for an offer the signalling layer accepted. */
export interface MediaSessions {
  /** reserves a local port (and a key when secure) before the answer is written */
  allocate(options: { readonly secure: boolean }): Promise<PendingMedia>;
}

/** Media with a port but no peer yet: the answer is built from it, then it starts or is released. */
export interface PendingMedia {
  readonly localPort: number;
  readonly localKey: { readonly key: Uint8Array; readonly salt: Uint8Array } | null;
  /** starts sending and receiving for the negotiated stream */
  start(audio: AcceptableAudio, callId: string): MediaSession;
  /** the INVITE failed or was cancelled: give the port back */
  release(): void;
}

/** An established call, as the voice dialogue sees it. */
export interface Call {
  readonly callId: string;
  /** the caller's number or user part from From (or P-Asserted-Identity), when there is one */
  readonly callerId: string | null;
  /** the number dialled (the Request-URI's user part) */
  readonly dialled: string | null;
  readonly transport: 'udp' | 'tcp' | 'tls';
  /** the peer's address (the gateway), for logs and limits */
  readonly remoteAddress: string;
  readonly media: MediaSession;
  /** resolves when the call has ended, by either side */
  readonly ended: Promise<'caller-hangup' | 'local-hangup' | 'timeout' | 'error'>;
  /** sends BYE and ends the call */
  hangUp(): Promise<void>;
  /**
   * blind transfer (REFER, RFC 3515) to a SIP URI; resolves with whether it went through: the
   * peer accepted the REFER and reported no failure (NOTIFY). False: the caller is still here.
   */
  transfer(target: string): Promise<boolean>;
}
