/**
 * SRTP replay protection (RFC 3711 §3.3.2) for one SSRC: the highest authenticated packet
 * index and a 64-packet window below it. A packet is checked before it is authenticated (a
 * replay costs no HMAC) and entered only after it authenticated, so a forged packet cannot
 * move the window.
 */
import { extendSequence } from './extended-sequence.js';

export const REPLAY_WINDOW = 64;

export type ReplayCheck = 'fresh' | 'duplicate' | 'too-old';

export class ReplayWindow {
  #highest: number | null = null;
  /** bit k set: index highest − k was received */
  #mask = 0n;

  /** The packet index (ROC · 2^16 + SEQ) a sequence number stands for; negative before the first rollover. */
  index(sequence: number): number {
    return extendSequence(this.#highest, sequence);
  }

  check(index: number): ReplayCheck {
    if (index < 0) return 'too-old';
    if (this.#highest === null || index > this.#highest) return 'fresh';
    const age = this.#highest - index;
    if (age >= REPLAY_WINDOW) return 'too-old';
    return (this.#mask >> BigInt(age)) & 1n ? 'duplicate' : 'fresh';
  }

  accept(index: number): void {
    if (this.#highest === null || index > this.#highest) {
      const shift = this.#highest === null ? REPLAY_WINDOW : index - this.#highest;
      this.#mask = shift >= REPLAY_WINDOW ? 1n : ((this.#mask << BigInt(shift)) | 1n) & ((1n << 64n) - 1n);
      this.#highest = index;
    } else {
      this.#mask |= 1n << BigInt(this.#highest - index);
    }
  }
}
