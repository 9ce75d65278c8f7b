/**
 * SRTP for one call (RFC 3711, AES_CM_128_HMAC_SHA1_80 with SDES keys): werift-rtp does the
 * cipher and the HMAC; the packet index (rollover counter) and replay protection are ours.
 * werift's own rollover guess follows the last packet, in order or not, and it keeps no
 * replay window, so its ciphers are handed the rollover counter computed here: the index
 * nearest the highest authenticated one, per SSRC.
 *
 * Receiving: length and version, then the replay window (before the HMAC: a replay costs
 * nothing), then authentication and decryption, and only then does the window move.
 * Sending: our own sequence numbers, so the rollover counter is exact.
 */
import { ProtectionProfileAes128CmHmacSha1_80, RtpHeader, SrtpSession } from 'werift-rtp';
import { ReplayWindow } from './replay-window.js';

export const SRTP_AUTH_TAG_LENGTH = 10;
/** SSRCs whose replay windows are kept; the least recently seen goes first. */
const MAX_STREAMS = 8;

export interface SrtpKeys {
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
}

export type SrtpFailure = 'malformed' | 'duplicate' | 'too-old' | 'auth';

export type Unprotected =
  | { readonly ok: true; readonly packet: Buffer }
  | { readonly ok: false; readonly failure: SrtpFailure };

export class SrtpTransform {
  readonly #session: SrtpSession;
  readonly #windows = new Map<number, ReplayWindow>();

  /** local: our key (we encrypt with it); remote: the peer's from its a=crypto line. */
  constructor(local: SrtpKeys, remote: SrtpKeys) {
    this.#session = new SrtpSession({
      keys: {
        localMasterKey: Buffer.from(local.key),
        localMasterSalt: Buffer.from(local.salt),
        remoteMasterKey: Buffer.from(remote.key),
        remoteMasterSalt: Buffer.from(remote.salt),
      },
      profile: ProtectionProfileAes128CmHmacSha1_80,
    });
  }

  /** An SRTP datagram to the plain RTP packet (without the tag), or why it is dropped. */
  unprotect(data: Buffer): Unprotected {
    if (data.length < 12 + SRTP_AUTH_TAG_LENGTH || data[0]! >> 6 !== 2) return { ok: false, failure: 'malformed' };
    const sequence = data.readUInt16BE(2);
    const ssrc = data.readUInt32BE(8);
    const window = this.#windows.get(ssrc) ?? new ReplayWindow();
    const index = window.index(sequence);
    const check = window.check(index);
    if (check !== 'fresh') return { ok: false, failure: check };
    let packet: Buffer;
    try {
      [packet] = this.#session.remoteContext.cipher.decryptRtp(data, Math.floor(index / 65536));
    } catch {
      // werift throws SrtpAuthenticationError for a bad tag and for a header it cannot read
      return { ok: false, failure: 'auth' };
    }
    window.accept(index);
    this.#windows.delete(ssrc);
    this.#windows.set(ssrc, window);
    if (this.#windows.size > MAX_STREAMS) this.#windows.delete(this.#windows.keys().next().value!);
    return { ok: true, packet };
  }

  /** A serialised RTP packet to SRTP; rolloverCounter is the sender's (its extended sequence ÷ 2^16). */
  protect(rtp: Buffer, rolloverCounter: number): Buffer {
    const header = RtpHeader.deSerialize(rtp);
    return this.#session.localContext.cipher.encryptRtp(header, rtp.subarray(header.payloadOffset), rolloverCounter);
  }
}
