import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { speak } from '../../../scripts/prompts.js';
import { ensureDebianPackages } from '../../../test/debian-packages.js';
import { digitPrompt, PROMPT_IDS, PROMPT_LANGUAGES, promptFile, promptLanguage } from './catalog.js';
import { decodeImaAdpcm, encodeImaAdpcm } from './ima-adpcm.js';
import { defaultAudioDir, PromptLibrary, spokenIds } from './prompt-library.js';

const SAMPLES_PER_SECOND = 8000;
const seconds = (file: string) => (statSync(file).size * 2) / SAMPLES_PER_SECOND;

describe('the committed prompts', () => {
  const dir = defaultAudioDir();

  it('every prompt of the catalog has a file in both languages, of a plausible length, with speech in it', () => {
    for (const language of PROMPT_LANGUAGES) {
      for (const id of PROMPT_IDS) {
        const file = join(dir, promptFile(language, id));
        const s = seconds(file);
        const [min, max] = id.startsWith('digit-') ? [0.15, 1.5] : [0.4, 12];
        expect(s, `${file} lasts ${s} s`).toBeGreaterThan(min);
        expect(s, `${file} lasts ${s} s`).toBeLessThan(max);
        const samples = decodeImaAdpcm(new Uint8Array(readFileSync(file)));
        const rms = Math.sqrt(samples.reduce((a, x) => a + x * x, 0) / samples.length);
        // levelled to -3 dBFS at the peaks: speech, not silence and not noise at full scale
        expect(rms, `${file} is silent`).toBeGreaterThan(1000);
        expect(rms, `${file} is too loud`).toBeLessThan(16000);
      }
    }
  });

  // 800 kB until the two prompts of issue 14's PIN settings (PINComplexity, PinChangeAllowed) came
  it('keeps the set small (under 830 kB)', () => {
    let total = 0;
    for (const language of PROMPT_LANGUAGES)
      for (const id of PROMPT_IDS) total += statSync(join(dir, promptFile(language, id))).size;
    expect(total).toBeLessThan(830_000);
  });

  it('joins prompts and digits one clip per key, in the caller’s language', () => {
    const lib = PromptLibrary.load();
    const parts = ['enter-pin', { digits: '10*#' }] as const;
    expect(spokenIds(parts)).toEqual(['enter-pin', 'digit-1', 'digit-0', 'digit-star', 'digit-pound']);
    const joined = lib.render('zh-TW', parts);
    const expected = ['enter-pin', 'digit-1', 'digit-0', 'digit-star', 'digit-pound'] as const;
    expect(joined.length).toBe(expected.reduce((n, id) => n + lib.clip('zh-TW', id).length, 0));
    expect(joined.subarray(0, lib.clip('zh-TW', 'enter-pin').length)).toEqual(lib.clip('zh-TW', 'enter-pin'));
    expect(digitPrompt('A')).toBeUndefined();
    expect(promptLanguage('zh-TW')).toBe('zh-TW');
    expect(promptLanguage('zh-Hant-TW')).toBe('zh-TW');
    expect(promptLanguage('en-GB')).toBe('en-US');
    expect(promptLanguage(null)).toBe('en-US');
  });

  it('IMA ADPCM keeps speech within a few per cent', () => {
    const tone = Int16Array.from({ length: 8000 }, (_, i) =>
      Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / 8000)),
    );
    const back = decodeImaAdpcm(encodeImaAdpcm(tone));
    let err = 0;
    let sig = 0;
    for (let i = 800; i < tone.length; i++) {
      err += (back[i]! - tone[i]!) ** 2;
      sig += tone[i]! ** 2;
    }
    expect(10 * Math.log10(sig / err)).toBeGreaterThan(20);
  });

  it('npm run prompts speaks them again with espeak-ng and sox (lengths alike, not bit for bit)', () => {
    ensureDebianPackages({ '/usr/bin/espeak-ng': 'espeak-ng', '/usr/bin/sox': 'sox' });
    const tmp = mkdtempSync(join(tmpdir(), 'umpin-prompts-'));
    try {
      for (const language of PROMPT_LANGUAGES) {
        for (const id of ['enter-pin', 'digit-7'] as const) {
          const out = join(tmp, promptFile(language, id));
          speak(language, id, out);
          const committed = seconds(join(dir, promptFile(language, id)));
          expect(Math.abs(seconds(out) - committed), `${language}/${id}`).toBeLessThan(0.25 * committed + 0.1);
        }
      }
      expect(execFileSync('espeak-ng', ['--version'], { encoding: 'utf8' })).toMatch(/eSpeak NG/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
