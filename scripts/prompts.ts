/**
 * Speaks every prompt of src/sip/prompts/catalog.ts into the committed audio files:
 * espeak-ng (Mandarin with the cmn-latn-pinyin voice: the plain cmn voice reads Chinese as
 * pinyin with English tone numbers), then sox to 8 kHz mono, silence trimmed so that clips joined together sound like one sentence.
 * Run with `npm run prompts` after changing the words; commit the audio with them.
 *
 *   npm run prompts               all prompts
 *   npm run prompts -- greeting   only these ids (both languages)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PROMPT_IDS,
  PROMPT_LANGUAGES,
  PROMPT_WORDS,
  promptFile,
  type PromptId,
  type PromptLanguage,
} from '../src/sip/prompts/catalog.js';
import { encodeImaAdpcm } from '../src/sip/prompts/ima-adpcm.js';

export const AUDIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'sip', 'prompts', 'audio');

/** espeak-ng voice and speed (words per minute) per language. */
const VOICES: Record<PromptLanguage, { voice: string; speed: number }> = {
  'en-US': { voice: 'en-us', speed: 185 },
  'zh-TW': { voice: 'cmn-latn-pinyin', speed: 215 },
};

/**
 * The sox effects after resampling: silence trimmed at the start and shortened to 150 ms
 * inside and at the end (clips are joined without gaps, and the set stays small), a little
 * air added back, levelled to -3 dBFS.
 */
const EFFECTS = ['silence', '-l', '1', '0.02', '0.5%', '-1', '0.15', '0.5%', 'pad', '0.03', '0.03', 'norm', '-3'];

/** 8 kHz mono 16-bit little-endian samples on stdout, which we encode ourselves. */
const LINEAR = ['-t', 'raw', '-r', '8000', '-c', '1', '-e', 'signed-integer', '-b', '16', '-L'];

/** Speaks one prompt into `out` (an .ima file). */
export function speak(language: PromptLanguage, id: PromptId, out: string): void {
  const tmp = mkdtempSync(join(tmpdir(), 'umpin-prompt-'));
  try {
    const wav = join(tmp, 'speech.wav');
    const { voice, speed } = VOICES[language];
    execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-w', wav, PROMPT_WORDS[id][language]]);
    mkdirSync(dirname(out), { recursive: true });
    const raw = execFileSync('sox', [wav, ...LINEAR, '-', ...EFFECTS], { maxBuffer: 64 << 20 });
    const samples = new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    writeFileSync(out, encodeImaAdpcm(samples));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function toolVersions(): string {
  const espeak = execFileSync('espeak-ng', ['--version'], { encoding: 'utf8' }).trim();
  const sox = execFileSync('sox', ['--version'], { encoding: 'utf8' }).trim();
  return `${espeak}\n${sox}\n`;
}

function main(args: string[]): void {
  const ids = args.length > 0 ? (args as PromptId[]) : PROMPT_IDS;
  for (const id of ids) if (!PROMPT_IDS.includes(id)) throw new Error(`no prompt ${id} in the catalog`);
  for (const language of PROMPT_LANGUAGES) {
    for (const id of ids) speak(language, id, join(AUDIO_DIR, promptFile(language, id)));
  }
  writeFileSync(join(AUDIO_DIR, 'generated-with.txt'), toolVersions());
  process.stdout.write(`${ids.length * PROMPT_LANGUAGES.length} prompts written to ${AUDIO_DIR}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
