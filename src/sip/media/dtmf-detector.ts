/**
 * In-band DTMF detection (ITU-T Q.24) on 8 kHz 16-bit linear audio, streaming: feed chunks
 * of any size, each key pressed comes out once, with the time its tone began.
 *
 * How: eight Goertzel filters at the nominal frequencies run over sub-blocks of 5 ms; each
 * sub-block's complex result is kept, so a 20 ms window every 5 ms costs no more per sample
 * than one filter bank (the window's DFT is the sum of its sub-blocks' results). For the
 * strongest row and column:
 * - the phase advance from one sub-block to the next measures the tone's frequency offset
 *   (unambiguous to ±100 Hz), which decides the ±1.5 % accept / ±3.5 % reject window at
 *   ±2.5 % for every frequency alike — a fixed-length Goertzel bin's bandwidth cannot;
 * - the sub-blocks summed with that rotation undone give each tone's power whatever its
 *   offset, so a tone 1.5 % off is not weaker than one on frequency;
 * - the two tones must hold most of the window's energy (speech and noise spread theirs),
 *   each stand out from the other frequencies of its group, be loud enough, and keep their
 *   ratio (twist) within limits.
 * A key is reported once the same key has been seen in 4 windows in a row (a tone of 30 ms
 * or more; never one of 24 ms or less) and released after 6 windows without it, so a 10 ms
 * dropout does not split one key press into two while a pause of 20 ms or more separates two.
 * Pure computation: no I/O, no timers.
 */
import { DTMF_COLUMNS, DTMF_KEYS, DTMF_ROWS } from './dtmf-keypad.js';
import { sinePower } from './dbm0.js';

export const DTMF_SAMPLE_RATE = 8000;

/** Samples per sub-block (5 ms): the time step of the detector. */
const SUB = 40;
/** Sub-blocks per analysis window (20 ms). */
const SUBS = 4;
const WINDOW = SUB * SUBS;

/** Largest accepted frequency offset: halfway between Q.24's must-accept 1.5 % and must-reject 3.5 %. */
const MAX_OFFSET = 0.025;
/** Weakest accepted tone (Q.24: detect down to −25 dBm0 per tone, with twist; silent at −55). */
const MIN_TONE_DBM0 = -38;
/** A sub-block below this level holds no part of a key worth filtering: 10 dB under the weakest tone heard. */
export const QUIET_DBM0 = MIN_TONE_DBM0 - 10;
/** High tone weaker than the low one (normal twist): Q.24 asks for 8 dB, accepted to 10. */
export const MAX_NORMAL_TWIST_DB = 10;
/** High tone stronger than the low one (reverse twist): Q.24 asks for 4 dB, accepted to 6. */
export const MAX_REVERSE_TWIST_DB = 6;
/** Each tone must exceed every other frequency of its group by this much (talk-off guard). */
const RELATIVE_PEAK_DB = 8;
/** The two tones' share of the window's energy: a window three quarters filled by a clean tone. */
const MIN_TONE_SHARE = 0.75;
/** Windows in a row with the same key before it counts: 4 windows span 35 ms of tone. */
const WINDOWS_ON = 4;
/** Windows in a row without it before it is released: a 10 ms dropout spoils at most 4. */
const WINDOWS_OFF = 6;

const FREQUENCIES = [...DTMF_ROWS, ...DTMF_COLUMNS];
const BANK = FREQUENCIES.length;

export interface DetectedDigit {
  digit: string;
  /** When the tone began, in ms from the first sample fed (to within a few ms). */
  startMs: number;
}

const dbToRatio = (db: number) => 10 ** (db / 10);

/**
 * e^{−jω·SUB·k} for each filter and sub-block k: every frequency is a whole number of Hz, so a
 * filter turns a whole number of times in 200 sub-blocks (1 s) and the table repeats.
 */
const PHASE_PERIOD = DTMF_SAMPLE_RATE / SUB;
const PHASE_RE = new Float64Array(BANK * PHASE_PERIOD);
const PHASE_IM = new Float64Array(BANK * PHASE_PERIOD);
for (let f = 0; f < BANK; f++) {
  for (let k = 0; k < PHASE_PERIOD; k++) {
    const turn = (2 * Math.PI * ((FREQUENCIES[f]! * SUB * k) % DTMF_SAMPLE_RATE)) / DTMF_SAMPLE_RATE;
    PHASE_RE[f * PHASE_PERIOD + k] = Math.cos(turn);
    PHASE_IM[f * PHASE_PERIOD + k] = -Math.sin(turn);
  }
}

export class DtmfDetector {
  // per filter: the Goertzel coefficient 2·cos ω, cos ω and sin ω for its final step, its last two values
  private readonly coef = new Float64Array(BANK);
  private readonly cosW = new Float64Array(BANK);
  private readonly sinW = new Float64Array(BANK);
  private readonly s1 = new Float64Array(BANK);
  private readonly s2 = new Float64Array(BANK);
  // the last SUBS sub-blocks, a ring: each filter's complex result, and the sub-block's energy
  private readonly zRe = new Float64Array(BANK * SUBS);
  private readonly zIm = new Float64Array(BANK * SUBS);
  /** each slot's sub-block number, and whether its results are on the common phase reference yet */
  private readonly subNumber = new Float64Array(SUBS);
  private readonly referenced = new Uint8Array(SUBS);
  private readonly subEnergy = new Float64Array(SUBS);
  private slot = 0;
  private subsDone = 0;
  /** the start of a sub-block whose end has not arrived yet */
  private readonly pending = new Int16Array(SUB);
  private filled = 0;

  // key state, in windows
  private runDigit = '';
  private runLength = 0;
  private runStart = 0;
  private current = '';
  private misses = 0;
  /** the share of the last window its key's tones fill, for the time the key began */
  private share = 0;

  private readonly minTone = sinePower(MIN_TONE_DBM0) * WINDOW;
  private readonly quiet = sinePower(QUIET_DBM0) * SUB;
  private readonly minTwist = dbToRatio(-MAX_NORMAL_TWIST_DB);
  private readonly maxTwist = dbToRatio(MAX_REVERSE_TWIST_DB);
  private readonly relativePeak = dbToRatio(RELATIVE_PEAK_DB);

  constructor() {
    for (let f = 0; f < BANK; f++) {
      const w = (2 * Math.PI * FREQUENCIES[f]!) / DTMF_SAMPLE_RATE;
      this.coef[f] = 2 * Math.cos(w);
      this.cosW[f] = Math.cos(w);
      this.sinW[f] = Math.sin(w);
    }
  }

  /** Feeds samples (8 kHz, 16-bit linear); returns the keys whose press was recognised in them. */
  push(samples: Int16Array): DetectedDigit[] {
    const out: DetectedDigit[] = [];
    const n = samples.length;
    let i = 0;
    if (this.filled > 0) {
      // finish the sub-block the last chunk began
      i = Math.min(SUB - this.filled, n);
      this.pending.set(samples.subarray(0, i), this.filled);
      this.filled += i;
      if (this.filled < SUB) return out;
      this.subBlock(this.pending, 0, out);
      this.filled = 0;
    }
    for (; i + SUB <= n; i += SUB) this.subBlock(samples, i, out);
    this.pending.set(samples.subarray(i), 0);
    this.filled = n - i;
    return out;
  }

  /** One sub-block, samples[i, i + SUB): its energy, its eight Goertzel results, then a window's decision. */
  private subBlock(samples: Int16Array, i: number, out: DetectedDigit[]): void {
    const end = i + SUB;
    let e = 0;
    for (let k = i; k < end; k++) {
      const x = samples[k]!;
      e += x * x;
    }
    // far too quiet to hold part of a key: its filters would find nothing (most of a call is such)
    if (e < this.quiet) {
      this.s1.fill(0);
      this.s2.fill(0);
    } else this.filter8(samples, i, end);
    this.endSubBlock(e, out);
  }

  /**
   * The eight Goertzel recurrences over samples[i, end), from rest, into s1 and s2. All eight
   * in one loop: each recurrence waits on its own previous step, so one filter at a time would
   * leave the processor idle.
   */
  private filter8(samples: Int16Array, i: number, end: number): void {
    const coef = this.coef;
    const c0 = coef[0]!;
    const c1 = coef[1]!;
    const c2 = coef[2]!;
    const c3 = coef[3]!;
    const c4 = coef[4]!;
    const c5 = coef[5]!;
    const c6 = coef[6]!;
    const c7 = coef[7]!;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    let b4 = 0;
    let b5 = 0;
    let b6 = 0;
    let b7 = 0;
    for (let k = i; k < end; k++) {
      const x = samples[k]!;
      let t = x - b0 + c0 * a0;
      b0 = a0;
      a0 = t;
      t = x - b1 + c1 * a1;
      b1 = a1;
      a1 = t;
      t = x - b2 + c2 * a2;
      b2 = a2;
      a2 = t;
      t = x - b3 + c3 * a3;
      b3 = a3;
      a3 = t;
      t = x - b4 + c4 * a4;
      b4 = a4;
      a4 = t;
      t = x - b5 + c5 * a5;
      b5 = a5;
      a5 = t;
      t = x - b6 + c6 * a6;
      b6 = a6;
      a6 = t;
      t = x - b7 + c7 * a7;
      b7 = a7;
      a7 = t;
    }
    const { s1, s2 } = this;
    s1[0] = a0;
    s1[1] = a1;
    s1[2] = a2;
    s1[3] = a3;
    s1[4] = a4;
    s1[5] = a5;
    s1[6] = a6;
    s1[7] = a7;
    s2[0] = b0;
    s2[1] = b1;
    s2[2] = b2;
    s2[3] = b3;
    s2[4] = b4;
    s2[5] = b5;
    s2[6] = b6;
    s2[7] = b7;
  }

  /** The end of the stream: silence after the last sample, so a key still sounding is reported. */
  end(): DetectedDigit[] {
    return this.push(new Int16Array(WINDOW + SUB * WINDOWS_OFF));
  }

  private endSubBlock(energy: number, out: DetectedDigit[]): void {
    const base = this.slot * BANK;
    for (let f = 0; f < BANK; f++) {
      // Goertzel's final step: y = s1 − e^{−jω}·s2 (put on the common phase reference only when needed)
      const s2 = this.s2[f]!;
      const yRe = this.s1[f]! - this.cosW[f]! * s2;
      const yIm = this.sinW[f]! * s2;
      this.zRe[base + f] = yRe;
      this.zIm[base + f] = yIm;
    }
    this.subNumber[this.slot] = this.subsDone;
    this.referenced[this.slot] = 0;
    this.subEnergy[this.slot] = energy;
    this.slot = (this.slot + 1) % SUBS;
    this.subsDone++;
    if (this.subsDone >= SUBS) this.track(this.classify(), out);
  }

  /** The key heard in the last window, or ''. */
  private classify(): string {
    let total = 0;
    for (let i = 0; i < SUBS; i++) total += this.subEnergy[i]!;
    if (total < this.minTone * 2) return '';
    // the strongest row and column by the energy of their sub-blocks (insensitive to a frequency offset)
    let row = -1;
    let rowPower = 0;
    let col = -1;
    let colPower = 0;
    for (let f = 0; f < BANK; f++) {
      let p = 0;
      for (let i = 0; i < SUBS; i++) {
        const re = this.zRe[i * BANK + f]!;
        const im = this.zIm[i * BANK + f]!;
        p += re * re + im * im;
      }
      p = (2 * p) / SUB;
      if (f < 4) {
        if (p > rowPower) {
          rowPower = p;
          row = f;
        }
      } else if (p > colPower) {
        colPower = p;
        col = f;
      }
    }
    if (rowPower < this.minTone || colPower < this.minTone || rowPower + colPower < 0.5 * total) return '';
    this.reference();
    const r = this.tonePower(row);
    if (r < 0) return '';
    const c = this.tonePower(col);
    if (c < 0) return '';
    if (r < this.minTone || c < this.minTone) return '';
    // high tone's power over the low one's
    const twist = c / r;
    if (twist < this.minTwist || twist > this.maxTwist) return '';
    if (r + c < MIN_TONE_SHARE * total) return '';
    for (let f = 0; f < BANK; f++) {
      if (f === row || f === col) continue;
      if (this.windowPower(f) * this.relativePeak > (f < 4 ? r : c)) return '';
    }
    this.share = Math.min(1, (r + c) / total);
    return DTMF_KEYS[row]![col - 4]!;
  }

  /**
   * Turns the window's sub-block results onto one phase reference: sub-block k's result times
   * e^{−jω·SUB·k}, so summing them gives the window's DFT. Done only for windows that may hold a
   * key (silence and most speech stop before), each sub-block once.
   */
  private reference(): void {
    for (let slot = 0; slot < SUBS; slot++) {
      if (this.referenced[slot]) continue;
      this.referenced[slot] = 1;
      const k = this.subNumber[slot]! % PHASE_PERIOD;
      for (let f = 0; f < BANK; f++) {
        const at = slot * BANK + f;
        const pRe = PHASE_RE[f * PHASE_PERIOD + k]!;
        const pIm = PHASE_IM[f * PHASE_PERIOD + k]!;
        const yRe = this.zRe[at]!;
        const yIm = this.zIm[at]!;
        this.zRe[at] = pRe * yRe - pIm * yIm;
        this.zIm[at] = pRe * yIm + pIm * yRe;
      }
    }
  }

  /** The window's power at filter f's nominal frequency (its 20 ms DFT bin). */
  private windowPower(f: number): number {
    let re = 0;
    let im = 0;
    for (let i = 0; i < SUBS; i++) {
      re += this.zRe[i * BANK + f]!;
      im += this.zIm[i * BANK + f]!;
    }
    return (2 * (re * re + im * im)) / WINDOW;
  }

  /**
   * The power of the tone near filter f over the window, its rotation from sub-block to
   * sub-block (its frequency offset) undone; −1 when the offset is beyond MAX_OFFSET.
   */
  private tonePower(f: number): number {
    let re = 0;
    let im = 0;
    let prev = this.slot;
    for (let i = 1; i < SUBS; i++) {
      const cur = (this.slot + i) % SUBS;
      const aRe = this.zRe[cur * BANK + f]!;
      const aIm = this.zIm[cur * BANK + f]!;
      const bRe = this.zRe[prev * BANK + f]!;
      const bIm = this.zIm[prev * BANK + f]!;
      // z[i] · conj(z[i−1])
      re += aRe * bRe + aIm * bIm;
      im += aIm * bRe - aRe * bIm;
      prev = cur;
    }
    const theta = Math.atan2(im, re);
    const offset = (theta * DTMF_SAMPLE_RATE) / (2 * Math.PI * SUB) / FREQUENCIES[f]!;
    if (Math.abs(offset) > MAX_OFFSET) return -1;
    const uRe = Math.cos(theta);
    const uIm = -Math.sin(theta);
    let rotRe = 1;
    let rotIm = 0;
    let sRe = 0;
    let sIm = 0;
    for (let i = 0; i < SUBS; i++) {
      const cur = (this.slot + i) % SUBS;
      const zRe = this.zRe[cur * BANK + f]!;
      const zIm = this.zIm[cur * BANK + f]!;
      sRe += zRe * rotRe - zIm * rotIm;
      sIm += zRe * rotIm + zIm * rotRe;
      const t = rotRe * uRe - rotIm * uIm;
      rotIm = rotRe * uIm + rotIm * uRe;
      rotRe = t;
    }
    return (2 * (sRe * sRe + sIm * sIm)) / WINDOW;
  }

  /** Debounces the windows' keys into key presses. */
  private track(digit: string, out: DetectedDigit[]): void {
    const windowEnd = this.subsDone * SUB;
    if (digit !== '' && digit === this.runDigit) this.runLength++;
    else {
      this.runDigit = digit;
      this.runLength = digit === '' ? 0 : 1;
      // the tone began this share of a window before the end of the first window that heard it
      if (digit !== '') this.runStart = windowEnd - this.share * WINDOW;
    }
    if (digit !== '' && digit === this.current) {
      this.misses = 0;
      return;
    }
    if (this.current !== '' && ++this.misses >= WINDOWS_OFF) this.current = '';
    if (this.runLength >= WINDOWS_ON && digit !== this.current) {
      this.current = digit;
      this.misses = 0;
      out.push({ digit, startMs: (this.runStart * 1000) / DTMF_SAMPLE_RATE });
    }
  }
}

/** All the keys heard in a recording (8 kHz, 16-bit linear), in order. */
export function detectDtmf(samples: Int16Array): DetectedDigit[] {
  const d = new DtmfDetector();
  return [...d.push(samples), ...d.end()];
}
