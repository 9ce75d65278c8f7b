/**
 * IMA ADPCM (4 bits a sample, 32 kbit/s at 8 kHz): how the committed prompts are stored, at
 * half the size of G.711 and with telephone quality to spare. One stream per file, no
 * header: the predictor and step index start at zero (every prompt starts with silence),
 * two samples a byte, the first in the low nibble.
 */

const INDEX_ADJUST = [-1, -1, -1, -1, 2, 4, 6, 8] as const;

const STEPS = [
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118,
  130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060,
  1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484,
  7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
] as const;

interface State {
  predictor: number;
  index: number;
}

/** Applies one code to the state (the decoder's step, shared by the encoder so both track alike). */
function step(s: State, code: number): number {
  const st = STEPS[s.index]!;
  let diff = st >> 3;
  if (code & 4) diff += st;
  if (code & 2) diff += st >> 1;
  if (code & 1) diff += st >> 2;
  s.predictor = Math.max(-32768, Math.min(32767, code & 8 ? s.predictor - diff : s.predictor + diff));
  s.index = Math.max(0, Math.min(STEPS.length - 1, s.index + INDEX_ADJUST[code & 7]!));
  return s.predictor;
}

export function encodeImaAdpcm(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(samples.length / 2));
  const s: State = { predictor: 0, index: 0 };
  for (let i = 0; i < samples.length; i++) {
    const st = STEPS[s.index]!;
    let delta = samples[i]! - s.predictor;
    let code = 0;
    if (delta < 0) {
      code = 8;
      delta = -delta;
    }
    if (delta >= st) {
      code |= 4;
      delta -= st;
    }
    if (delta >= st >> 1) {
      code |= 2;
      delta -= st >> 1;
    }
    if (delta >= st >> 2) code |= 1;
    step(s, code);
    out[i >> 1]! |= i & 1 ? code << 4 : code;
  }
  return out;
}

export function decodeImaAdpcm(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length * 2);
  const s: State = { predictor: 0, index: 0 };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[2 * i] = step(s, b & 0x0f);
    out[2 * i + 1] = step(s, b >> 4);
  }
  return out;
}
