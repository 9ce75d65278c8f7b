/**
 * The committed prompts, decoded once at start-up, and the joining of prompt ids and digit
 * strings into one stretch of 8 kHz linear audio for MediaSession.play.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  digitPrompt,
  PROMPT_IDS,
  PROMPT_LANGUAGES,
  promptFile,
  type PromptId,
  type PromptLanguage,
} from './catalog.js';
import { decodeImaAdpcm } from './ima-adpcm.js';

/** One piece of what is said: a prompt, or a string of keys spoken one by one ("10231" → one, zero, two, three, one). */
export type PromptPart = PromptId | { readonly digits: string };

/**
 * Where the audio is: beside this module when the build copied it there, else in the source
 * tree (running from dist/ in a checkout, or under tsx and vitest).
 */
export function defaultAudioDir(): string {
  for (const rel of ['./audio/', '../../../src/sip/prompts/audio/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error('the prompt audio (src/sip/prompts/audio) is missing');
}

export class PromptLibrary {
  private constructor(private readonly clips: ReadonlyMap<string, Int16Array>) {}

  /** Reads and decodes every prompt of the catalog in every language; a missing file fails here, not on a call. */
  static load(dir: string = defaultAudioDir()): PromptLibrary {
    const clips = new Map<string, Int16Array>();
    for (const language of PROMPT_LANGUAGES) {
      for (const id of PROMPT_IDS) {
        const file = `${dir.endsWith('/') ? dir : `${dir}/`}${promptFile(language, id)}`;
        clips.set(`${language}/${id}`, decodeImaAdpcm(new Uint8Array(readFileSync(file))));
      }
    }
    return new PromptLibrary(clips);
  }

  clip(language: PromptLanguage, id: PromptId): Int16Array {
    return this.clips.get(`${language}/${id}`)!;
  }

  /** The parts, one after another, as one buffer of samples (keys without a clip, A-D, are skipped). */
  render(language: PromptLanguage, parts: readonly PromptPart[]): Int16Array {
    const clips = parts.flatMap((p) =>
      typeof p === 'string'
        ? [this.clip(language, p)]
        : [...p.digits].flatMap((k) => {
            const id = digitPrompt(k);
            return id ? [this.clip(language, id)] : [];
          }),
    );
    const out = new Int16Array(clips.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of clips) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** The ids a sequence of parts plays, digits expanded: what a caller hears, for logs of counts and for tests. */
export function spokenIds(parts: readonly PromptPart[]): PromptId[] {
  return parts.flatMap((p) =>
    typeof p === 'string' ? [p] : [...p.digits].flatMap((k) => (digitPrompt(k) ? [digitPrompt(k)!] : [])),
  );
}
