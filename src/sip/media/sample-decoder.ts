/**
 * Raw 8 kHz audio bytes to 16-bit linear samples, chunk by chunk: 16-bit little-endian
 * linear (a sample may straddle two chunks), μ-law or A-law bytes.
 */
import { decodeAlaw, decodeUlaw } from './g711.js';

export const SAMPLE_FORMATS = ['s16', 'ulaw', 'alaw'] as const;
export type SampleFormat = (typeof SAMPLE_FORMATS)[number];

export class SampleDecoder {
  /** the first byte of a 16-bit sample whose second byte is in the next chunk, or −1 */
  private carry = -1;

  constructor(readonly format: SampleFormat) {}

  decode(bytes: Uint8Array): Int16Array {
    if (this.format === 'ulaw') return decodeUlaw(bytes);
    if (this.format === 'alaw') return decodeAlaw(bytes);
    let i = 0;
    const first = this.carry;
    const total = bytes.length + (first >= 0 ? 1 : 0);
    const out = new Int16Array(total >> 1);
    let o = 0;
    if (first >= 0 && bytes.length > 0) {
      out[o++] = ((first | (bytes[0]! << 8)) << 16) >> 16;
      i = 1;
    }
    for (; i + 1 < bytes.length; i += 2) out[o++] = ((bytes[i]! | (bytes[i + 1]! << 8)) << 16) >> 16;
    this.carry = i < bytes.length ? bytes[i]! : first >= 0 && bytes.length === 0 ? first : -1;
    return out;
  }

  /** True when the bytes ended in the middle of a 16-bit sample. */
  get halfSampleLeft(): boolean {
    return this.carry >= 0;
  }
}
