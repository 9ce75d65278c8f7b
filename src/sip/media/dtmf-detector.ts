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
 * dropout does not split one key press into two while a 40 ms pause separates two presses.
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

export class DtmfDetector {
  // per filter: Goertzel coefficient, e^{-jω} and e^{-jω·SUB}, the running phase of the sub-block start
  private readonly coef = new Float64Array(BANK);
  private readonly cosW = new Float64Array(BANK);
  private readonly sinW = new Float64Array(BANK);
  private readonly stepRe = new Float64Array(BANK);
  private readonly stepIm = new Float64Array(BANK);
  private readonly phaseRe = new Float64Array(BANK).fill(1);
  private readonly phaseIm = new Float64Array(BANK);
  private readonly s1 = new Float64Array(BANK);
  private readonly s2 = new Float64Array(BANK);
  // the last SUBS sub-blocks, a ring: each filter's result on a common phase reference, and the energy
  private readonly zRe = new Float64Array(BANK * SUBS);
  private readonly zIm = new Float64Array(BANK * SUBS);
  private readonly subEnergy = new Float64Array(SUBS);
  private slot = 0;
  private subsDone = 0;
  private filled = 0;
  private energy = 0;

  // key state, in windows
  private runDigit = '';
  private runLength = 0;
  private runStart = 0;
  private current = '';
  private misses = 0;

  private readonly minTone = sinePower(MIN_TONE_DBM0) * WINDOW;
  private readonly minReverse = dbToRatio(-MAX_NORMAL_TWIST_DB);
  private readonly maxReverse = dbToRatio(MAX_REVERSE_TWIST_DB);
  private readonly relativePeak = dbToRatio(RELATIVE_PEAK_DB);

  constructor() {
    for (let f = 0; f < BANK; f++) {
      const w = (2 * Math.PI * FREQUENCIES[f]!) / DTMF_SAMPLE_RATE;
      this.coef[f] = 2 * Math.cos(w);
      this.cosW[f] = Math.cos(w);
      this.sinW[f] = Math.sin(w);
      this.stepRe[f] = Math.cos(w * SUB);
      this.stepIm[f] = -Math.sin(w * SUB);
    }
  }

  /** Feeds samples (8 kHz, 16-bit linear); returns the keys whose press was recognised in them. */
  push(samples: Int16Array): DetectedDigit[] {
    const out: DetectedDigit[] = [];
    const n = samples.length;
    let i = 0;
    while (i < n) {
      const take = Math.min(SUB - this.filled, n - i);
      const end = i + take;
      for (let f = 0; f < BANK; f++) {
        const c = this.coef[f]!;
        let a = this.s1[f]!;
        let b = this.s2[f]!;
        for (let k = i; k < end; k++) {
          const s = samples[k]! + c * a - b;
          b = a;
          a = s;
        }
        this.s1[f] = a;
        this.s2[f] = b;
      }
      let e = this.energy;
      for (let k = i; k < end; k++) {
        const x = samples[k]!;
        e += x * x;
      }
      this.energy = e;
      this.filled += take;
      i = end;
      if (this.filled === SUB) this.endSubBlock(out);
    }
    return out;
  }

  /** The end of the stream: silence after the last sample, so a key still sounding is reported. */
  end(): DetectedDigit[] {
    return this.push(new Int16Array(WINDOW + SUB * WINDOWS_OFF));
  }

  private endSubBlock(out: DetectedDigit[]): void {
    const base = this.slot * BANK;
    for (let f = 0; f < BANK; f++) {
      // Goertzel's final step: y = s1 − e^{−jω}·s2, then onto the common phase reference
      const s2 = this.s2[f]!;
      const yRe = this.s1[f]! - this.cosW[f]! * s2;
      const yIm = this.sinW[f]! * s2;
      const pRe = this.phaseRe[f]!;
      const pIm = this.phaseIm[f]!;
      this.zRe[base + f] = pRe * yRe - pIm * yIm;
      this.zIm[base + f] = pRe * yIm + pIm * yRe;
      let nRe = pRe * this.stepRe[f]! - pIm * this.stepIm[f]!;
      let nIm = pRe * this.stepIm[f]! + pIm * this.stepRe[f]!;
      const norm = 1 / Math.sqrt(nRe * nRe + nIm * nIm);
      nRe *= norm;
      nIm *= norm;
      this.phaseRe[f] = nRe;
      this.phaseIm[f] = nIm;
      this.s1[f] = 0;
      this.s2[f] = 0;
    }
    this.subEnergy[this.slot] = this.energy;
    this.energy = 0;
    this.filled = 0;
    this.slot = (this.slot + 1) % SUBS;
    this.subsDone++;
    if (this.subsDone >= SUBS) this.track(this.classify(), out);
  }

  /** The key heard in the last window, or '' (with the share of the window its tones fill, for the start time). */
  private share = 0;
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
    const r = this.tonePower(row);
    if (r < 0) return '';
    const c = this.tonePower(col);
    if (c < 0) return '';
    if (r < this.minTone || c < this.minTone) return '';
    const twist = c / r;
    if (twist < this.minReverse || twist > this.maxReverse) return '';
    if (r + c < MIN_TONE_SHARE * total) return '';
    for (let f = 0; f < BANK; f++) {
      if (f === row || f === col) continue;
      if (this.windowPower(f) * this.relativePeak > (f < 4 ? r : c)) return '';
    }
    this.share = Math.min(1, (r + c) / total);
    return DTMF_KEYS[row]![col - 4]!;
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
