/**
 * The in-band DTMF battery: every key at the edges of ITU-T Q.24, synthesised here (8 kHz,
 * 16-bit linear, seeded so every run hears the same audio), and speech from espeak-ng for
 * talk-off. The detector's tests and the benchmark's accuracy table both use it.
 */
import { execFileSync } from 'node:child_process';
import { sinePeak, sinePower } from '../src/sip/media/dbm0.js';
import { DTMF_DIGITS, dtmfFrequencies } from '../src/sip/media/dtmf-keypad.js';
import { ensureDebianPackages } from './debian-packages.js';

export const RATE = 8000;

export interface BatteryCase {
  /** the Q.24 edge it tests, as the accuracy table's row */
  group: string;
  /** which key or sentence */
  name: string;
  samples: Int16Array;
  /** the keys a detector must report: '' for none */
  expect: string;
}

/** A seeded generator (mulberry32), so the battery is the same audio in every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ToneSpec {
  ms: number;
  /** level of the low (row) tone, dBm0 */
  rowDbm0?: number;
  /** level of the high (column) tone relative to the low one, dB: −8 is 8 dB of normal twist */
  twistDb?: number;
  /** relative frequency offsets, e.g. 0.015 */
  rowOffset?: number;
  columnOffset?: number;
}

/** A key's two tones as floating-point samples (not yet clipped), with random phases. */
export function toneSamples(digit: string, spec: ToneSpec, random: () => number): Float64Array {
  const { row, column } = dtmfFrequencies(digit);
  const n = Math.round((spec.ms * RATE) / 1000);
  const level = spec.rowDbm0 ?? -10;
  const a = sinePeak(level);
  const b = sinePeak(level + (spec.twistDb ?? 0));
  const wr = (2 * Math.PI * row * (1 + (spec.rowOffset ?? 0))) / RATE;
  const wc = (2 * Math.PI * column * (1 + (spec.columnOffset ?? 0))) / RATE;
  const pr = random() * 2 * Math.PI;
  const pc = random() * 2 * Math.PI;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a * Math.sin(wr * i + pr) + b * Math.sin(wc * i + pc);
  return out;
}

/** Pieces of audio (tones as floats, silences as sample counts) joined and clipped to 16 bits. */
export function join(parts: Array<Float64Array | number>): Int16Array {
  const n = parts.reduce<number>((s, p) => s + (typeof p === 'number' ? p : p.length), 0);
  const out = new Int16Array(n);
  let at = 0;
  for (const p of parts) {
    if (typeof p === 'number') at += p;
    else {
      for (let i = 0; i < p.length; i++) out[at + i] = Math.max(-32768, Math.min(32767, Math.round(p[i]!)));
      at += p.length;
    }
  }
  return out;
}

const ms = (x: number) => Math.round((x * RATE) / 1000);

/** Adds white Gaussian noise `snrDb` below `signalPower` (mean square), clipping to 16 bits. */
export function addNoise(samples: Int16Array, signalPower: number, snrDb: number, random: () => number): Int16Array {
  const sigma = Math.sqrt(signalPower / 10 ** (snrDb / 10));
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! + sigma * g)));
  }
  return out;
}

/** One key in silence: 200 ms (plus a random part of a sub-block, so tones start anywhere) before, 300 ms after. */
function single(group: string, name: string, expect: boolean, spec: ToneSpec, random: () => number): BatteryCase {
  const lead = ms(200) + Math.floor(random() * 40);
  const digit = name[0]!;
  return {
    group,
    name,
    samples: join([lead, toneSamples(digit, spec, random), ms(300)]),
    expect: expect ? digit : '',
  };
}

/** The keys as a caller keys them: tones of `toneMs` with pauses between, `pauseMs` each (cycled). */
export function keyed(digits: string, toneMs: number, pausesMs: number[], random: () => number): Int16Array {
  const parts: Array<Float64Array | number> = [ms(150)];
  [...digits].forEach((d, i) => {
    parts.push(toneSamples(d, { ms: toneMs, rowDbm0: -8, twistDb: -2 }, random));
    parts.push(ms(pausesMs[i % pausesMs.length]!));
  });
  parts.push(ms(300));
  return join(parts);
}

/** Group labels, in the accuracy table's order. */
export const GROUPS = {
  d40: 'duration 40 ms (detect)',
  d23: 'duration 23 ms (reject)',
  f15: 'frequency ±1.5 % (detect)',
  f35: 'frequency ±3.5 %, one tone (reject)',
  tw8: 'normal twist 8 dB (detect)',
  tw4: 'reverse twist 4 dB (detect)',
  tw12: 'normal twist 12 dB (reject)',
  tw8r: 'reverse twist 8 dB (reject)',
  l0: 'level 0 dBm0 per tone (detect)',
  l25: 'level −25 dBm0 per tone (detect)',
  l55: 'level −55 dBm0 per tone (silent)',
  drop: '10 ms dropout mid-tone (one key)',
  noise: 'white noise, 15 dB SNR (detect)',
  pin: 'PIN sequences, 16-bit linear',
  speechEn: 'speech, English (no keys)',
  speechZh: 'speech, Mandarin (no keys)',
} as const;

/** The synthetic cases: every key at every edge, and PIN sequences. */
export function syntheticBattery(): BatteryCase[] {
  const random = seeded(0x0d7f);
  const out: BatteryCase[] = [];
  for (const d of DTMF_DIGITS) {
    out.push(single(GROUPS.d40, d, true, { ms: 40 }, random));
    out.push(single(GROUPS.d23, d, false, { ms: 23 }, random));
    out.push(single(GROUPS.f15, `${d} +1.5 %`, true, { ms: 60, rowOffset: 0.015, columnOffset: 0.015 }, random));
    out.push(single(GROUPS.f15, `${d} −1.5 %`, true, { ms: 60, rowOffset: -0.015, columnOffset: -0.015 }, random));
    out.push(single(GROUPS.f35, `${d} low +3.5 %`, false, { ms: 60, rowOffset: 0.035 }, random));
    out.push(single(GROUPS.f35, `${d} high −3.5 %`, false, { ms: 60, columnOffset: -0.035 }, random));
    out.push(single(GROUPS.tw8, d, true, { ms: 60, rowDbm0: -6, twistDb: -8 }, random));
    out.push(single(GROUPS.tw4, d, true, { ms: 60, rowDbm0: -10, twistDb: 4 }, random));
    out.push(single(GROUPS.tw12, d, false, { ms: 60, rowDbm0: -6, twistDb: -12 }, random));
    out.push(single(GROUPS.tw8r, d, false, { ms: 60, rowDbm0: -14, twistDb: 8 }, random));
    out.push(single(GROUPS.l0, d, true, { ms: 60, rowDbm0: 0 }, random));
    out.push(single(GROUPS.l25, d, true, { ms: 60, rowDbm0: -25 }, random));
    out.push(single(GROUPS.l55, d, false, { ms: 60, rowDbm0: -55 }, random));
    const lead = ms(200) + Math.floor(random() * 40);
    out.push({
      group: GROUPS.drop,
      name: d,
      samples: join([lead, toneSamples(d, { ms: 50 }, random), ms(10), toneSamples(d, { ms: 50 }, random), ms(300)]),
      expect: d,
    });
    // noise throughout, 15 dB below the power of the two tones together
    const level = -20;
    const clean = join([ms(200), toneSamples(d, { ms: 60, rowDbm0: level }, random), ms(300)]);
    out.push({
      group: GROUPS.noise,
      name: d,
      samples: addNoise(clean, 2 * sinePower(level), 15, random),
      expect: d,
    });
  }
  for (const pin of ['1985848#', '1111', '0000#', '*9#', '24681357#', 'ABCD']) {
    out.push({ group: GROUPS.pin, name: pin, samples: keyed(pin, 70, [60, 90, 120, 75], random), expect: pin });
  }
  return out;
}

/** Spoken sentences for talk-off (English, and Mandarin in Traditional characters), spoken digits included. */
export const SENTENCES = {
  en: [
    'Please enter your PIN, followed by the pound key.',
    'Your new PIN is one nine eight five eight four eight. Press star to enter another extension.',
    'Zero, one, two, three, four, five, six, seven, eight, nine. Pound. Star.',
    'Welcome to the voice mail system. You have three new messages and one saved message.',
    'That PIN is too short. It must have at least six digits, and it must not repeat a recent PIN.',
  ],
  zh: [
    '請輸入您的 PIN 碼，然後按井字鍵。',
    '您的分機號碼是 一 零 二 三 一。若要輸入其他分機，請按星號鍵。',
    '零 一 二 三 四 五 六 七 八 九。井字鍵。星號鍵。',
    '歡迎使用語音信箱系統。您有三封新留言和一封已儲存的留言。',
    '這個 PIN 碼太短了。至少需要六位數字，而且不能與最近使用過的 PIN 碼相同。',
  ],
} as const;

/** espeak-ng speech as 8 kHz 16-bit linear, normalised to 1 dB below full scale (the loudest a line carries). */
export function speak(text: string, voice: string): Int16Array {
  ensureDebianPackages({ '/usr/bin/sox': 'sox', '/usr/bin/espeak-ng': 'espeak-ng' });
  const wav = execFileSync('espeak-ng', ['-v', voice, '--stdout', text], { maxBuffer: 64 << 20 });
  const raw = execFileSync(
    'sox',
    ['-t', 'wav', '-', '-t', 'raw', '-r', String(RATE), '-c', '1', '-e', 'signed', '-b', '16', '-', 'norm', '-1'],
    { input: wav, maxBuffer: 64 << 20 },
  );
  return new Int16Array(raw.buffer, raw.byteOffset, raw.length >> 1).slice();
}

/** The talk-off cases: each sentence in a male and a female voice. */
export function speechBattery(): BatteryCase[] {
  const out: BatteryCase[] = [];
  for (const [lang, voices, group] of [
    ['en', ['en', 'en+f3'], GROUPS.speechEn],
    ['zh', ['cmn-latn-pinyin', 'cmn-latn-pinyin+f3'], GROUPS.speechZh],
  ] as const) {
    for (const voice of voices)
      SENTENCES[lang].forEach((text, i) => {
        out.push({ group, name: `${voice} #${i + 1}`, samples: speak(text, voice), expect: '' });
      });
  }
  return out;
}
