/**
 * The detector against the Q.24 battery (test/dtmf-battery.ts): every key at every edge,
 * PIN sequences through both G.711 laws, and espeak-ng speech in English and Mandarin for
 * talk-off. The audio is generated once per file and kept in memory.
 */
import { describe, expect, it } from 'vitest';
import {
  type BatteryCase,
  GROUPS,
  join,
  keyed,
  seeded,
  speechBattery,
  syntheticBattery,
  toneSamples,
} from '../../../test/dtmf-battery.js';
import { detectDtmf, DtmfDetector } from './dtmf-detector.js';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from './g711.js';

const heard = (samples: Int16Array) =>
  detectDtmf(samples)
    .map((d) => d.digit)
    .join('');

const synthetic = syntheticBattery();

function expectGroup(cases: BatteryCase[], group: string): void {
  const inGroup = cases.filter((c) => c.group === group);
  expect(inGroup.length).toBeGreaterThan(0);
  const wrong = inGroup.flatMap((c) => {
    const got = heard(c.samples);
    return got === c.expect ? [] : [`${c.name}: heard '${got}', expected '${c.expect}'`];
  });
  expect(wrong).toEqual([]);
}

describe('DTMF detector, ITU-T Q.24 edges, every key', () => {
  for (const group of Object.values(GROUPS).filter((g) => !g.startsWith('speech'))) {
    it(group, () => expectGroup(synthetic, group));
  }
});

describe('DTMF detector on G.711 audio', () => {
  const random = seeded(1985);
  for (const [law, encode, decode] of [
    ['μ-law', encodeUlaw, decodeUlaw],
    ['A-law', encodeAlaw, decodeAlaw],
  ] as const) {
    it(`${law}: a PIN with pauses as callers leave them, and a repeated key`, () => {
      for (const pin of ['1985848#', '1111', '*0#', '2580#']) {
        const samples = keyed(pin, 65, [50, 140, 80, 300, 60], random);
        expect(heard(decode(encode(samples))), pin).toBe(pin);
      }
    });

    it(`${law}: keys at −25 dBm0 and 15 dB signal-to-noise`, () => {
      const levels = Object.values(GROUPS).filter((g) => g.includes('−25') || g.includes('15 dB'));
      for (const c of synthetic.filter((c) => levels.includes(c.group as (typeof levels)[number])))
        expect(heard(decode(encode(c.samples))), `${c.group} ${c.name}`).toBe(c.expect);
    });
  }
});

describe('DTMF detector, streaming', () => {
  it('hears the same keys at the same times whatever the chunk sizes (RTP frames or odd pieces)', () => {
    const random = seeded(42);
    const audio = keyed('1985848#', 60, [70, 110], random);
    const whole = detectDtmf(audio);
    for (const size of [1, 7, 160, 1000]) {
      const d = new DtmfDetector();
      const got = [];
      for (let i = 0; i < audio.length; i += size) got.push(...d.push(audio.subarray(i, i + size)));
      got.push(...d.end());
      expect(got).toEqual(whole);
    }
  });

  it('reports when each key began, to within 5 ms', () => {
    const random = seeded(3);
    const starts = [1000, 1800, 2455];
    // silences up to each start: 1000 ms, then 1800 ms after an 80 ms key, then 2455 ms after a 45 ms one
    const audio = join([
      8000,
      toneSamples('4', { ms: 80 }, random),
      14_400 - 8640,
      toneSamples('#', { ms: 45 }, random),
      19_640 - 14_760,
      toneSamples('D', { ms: 120 }, random),
      3000,
    ]);
    const got = detectDtmf(audio);
    expect(got.map((d) => d.digit).join('')).toBe('4#D');
    for (const [i, d] of got.entries()) expect(Math.abs(d.startMs - starts[i]!)).toBeLessThanOrEqual(5);
  });

  it('is silent on silence and on noise alone', () => {
    const random = seeded(9);
    expect(heard(new Int16Array(80_000))).toBe('');
    const noise = Int16Array.from({ length: 80_000 }, () => Math.round((random() - 0.5) * 30_000));
    expect(heard(noise)).toBe('');
  });
});

describe('DTMF detector, talk-off: espeak-ng speech with spoken digits', () => {
  const speech = speechBattery();
  it('English: no keys', () => expectGroup(speech, GROUPS.speechEn));
  it('Mandarin (cmn-latn-pinyin): no keys', () => expectGroup(speech, GROUPS.speechZh));
  it('speech is real speech, and keys pressed while someone talks are heard', () => {
    // a key over speech 10 dB quieter than it: the detector must not be deafened by the voice
    const voice = speech[0]!.samples;
    expect(voice.length).toBeGreaterThan(8000);
    const random = seeded(5);
    const key = join([4000, toneSamples('7', { ms: 80, rowDbm0: -3 }, random)]);
    const mixed = Int16Array.from(voice, (v, i) => Math.max(-32768, Math.min(32767, v * 0.3 + (key[i] ?? 0))));
    expect(heard(mixed)).toBe('7');
  });
});
