/**
 * G.711 companding (ITU-T G.711): μ-law (PCMU) and A-law (PCMA) bytes to and from 16-bit
 * linear samples, bit for bit as sox does: the sample is rounded to the nearest step of the
 * law's linear scale (14 bits for μ-law, 13 for A-law) and companded as the reference
 * implementation (Sun's g711.c, which libspandsp and most PBXs share) does; decoded values are
 * on the 16-bit scale, peaks ±32124 (μ-law) and ±32256 (A-law).
 */

const ULAW_BIAS = 0x84;
/** The largest magnitude μ-law codes, on the 14-bit scale. */
const ULAW_CLIP_14 = 8159;

/** One 16-bit linear sample to its μ-law byte. */
export function linearToUlaw(sample: number): number {
  let pcm = Math.min((sample + 2) >> 2, 8191);
  let mask = 0xff;
  if (pcm < 0) {
    pcm = -pcm;
    mask = 0x7f;
  }
  pcm = Math.min(pcm, ULAW_CLIP_14) + (ULAW_BIAS >> 2);
  const exponent = 31 - Math.clz32(pcm >> 5);
  if (exponent > 7) return 0x7f ^ mask;
  const mantissa = (pcm >> (exponent + 1)) & 0x0f;
  return ((exponent << 4) | mantissa) ^ mask;
}

/** One μ-law byte to its 16-bit linear sample. */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

const ALAW_SEGMENT_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/** One 16-bit linear sample to its A-law byte (even bits inverted, as sent on the wire). */
export function linearToAlaw(sample: number): number {
  let pcm = Math.min((sample + 4) >> 3, 4095);
  let mask = 0xd5;
  if (pcm < 0) {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  let segment = 0;
  while (segment < 8 && pcm > ALAW_SEGMENT_END[segment]!) segment++;
  if (segment >= 8) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (pcm >> 1) & 0x0f : (pcm >> segment) & 0x0f;
  return ((segment << 4) | mantissa) ^ mask;
}

/** One A-law byte to its 16-bit linear sample. */
export function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  if (segment === 0) t += 8;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

const ULAW_DECODE = Int16Array.from({ length: 256 }, (_, b) => ulawToLinear(b));
const ALAW_DECODE = Int16Array.from({ length: 256 }, (_, b) => alawToLinear(b));

/** μ-law bytes to 16-bit linear samples. */
export function decodeUlaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = ULAW_DECODE[bytes[i]!]!;
  return out;
}

/** A-law bytes to 16-bit linear samples. */
export function decodeAlaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = ALAW_DECODE[bytes[i]!]!;
  return out;
}

/** 16-bit linear samples to μ-law bytes. */
export function encodeUlaw(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToUlaw(samples[i]!);
  return out;
}

/** 16-bit linear samples to A-law bytes. */
export function encodeAlaw(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToAlaw(samples[i]!);
  return out;
}
