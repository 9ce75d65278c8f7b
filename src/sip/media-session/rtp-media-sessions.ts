/**
 * Opens calls' media: the MediaSessions of src/sip/call-media.ts over UDP. One socket per
 * call, bound on the configured address to an even port of the configured range (or any
 * port when the range is null), with a fresh SRTP master key and salt for a secure call.
 */
import { randomBytes } from 'node:crypto';
import type { MediaSessions } from '../call-media.js';
import type { MediaObserver } from './media-counters.js';
import { PendingRtpMedia } from './pending-rtp-media.js';
import type { PortRange } from './port-range.js';
import { bindRtpSocket } from './rtp-socket.js';

export interface RtpMediaSessionsOptions {
  /** the address RTP sockets bind to (the one the SDP answer advertises, or 0.0.0.0 / ::) */
  readonly address: string;
  /** Config.rtpPorts; null = a port the system picks (tests) */
  readonly ports: PortRange | null;
  /** metrics hooks */
  readonly observer?: MediaObserver;
  /** frames held waiting for a missing packet before it counts as lost (default 3 = 60 ms) */
  readonly reorderDepth?: number;
  /** frames the sender catches up at once after falling behind; older ones are skipped (default 10 = 200 ms) */
  readonly maxBurstFrames?: number;
}

/** AES_CM_128_HMAC_SHA1_80's master key and salt lengths (RFC 4568 §6.2.1). */
const KEY_BYTES = 16;
const SALT_BYTES = 14;

export class RtpMediaSessions implements MediaSessions {
  readonly #options: RtpMediaSessionsOptions;

  constructor(options: RtpMediaSessionsOptions) {
    this.#options = options;
  }

  async allocate(options: { readonly secure: boolean }): Promise<PendingRtpMedia> {
    const socket = await bindRtpSocket(this.#options.address, this.#options.ports);
    const key = options.secure ? { key: randomBytes(KEY_BYTES), salt: randomBytes(SALT_BYTES) } : null;
    return new PendingRtpMedia(socket, key, this.#options);
  }
}
