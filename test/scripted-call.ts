/**
 * A call for the dialogue's tests: its media is an in-memory stand-in for the media port
 * that hears which prompts were played (by matching the samples against the committed clips)
 * and presses the keys a script gives for a prompt. Only the media port is stood in for;
 * the dialogue, the services, the store and the rules are the real ones.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { expect } from 'vitest';
import {
  runLogonDialogue,
  type DialogueOutcome,
  type LogonDialogueOptions,
} from '../src/sip/dialogue/logon-dialogue.js';
import type { AcceptableAudio } from '../src/sip/sdp/audio-offer.js';
import type { Call, Digit, MediaSession, PlayOutcome } from '../src/sip/call-media.js';
import { PROMPT_IDS, PROMPT_LANGUAGES, type PromptId, type PromptLanguage } from '../src/sip/prompts/catalog.js';
import type { PromptLibrary } from '../src/sip/prompts/prompt-library.js';

/** One played prompt, as the caller heard it. */
export interface Heard {
  language: PromptLanguage | null;
  ids: PromptId[];
  bargeIn: boolean;
  outcome: PlayOutcome;
}

/** When a prompt containing `at` is played, press `keys` (during it, or after it when it takes no barge-in). */
export interface Step {
  at: PromptId;
  keys: string;
}

/** Splits samples back into the clips they were joined from (longest match first). */
function clipsOf(library: PromptLibrary, samples: Int16Array): { language: PromptLanguage | null; ids: PromptId[] } {
  const clips = PROMPT_LANGUAGES.flatMap((language) =>
    PROMPT_IDS.map((id) => ({ language, id, samples: library.clip(language, id) })),
  ).sort((a, b) => b.samples.length - a.samples.length);
  const ids: PromptId[] = [];
  let language: PromptLanguage | null = null;
  let at = 0;
  while (at < samples.length) {
    const hit = clips.find((c) => {
      if (at + c.samples.length > samples.length) return false;
      for (let i = 0; i < c.samples.length; i++) if (c.samples[i] !== samples[at + i]) return false;
      return true;
    });
    if (!hit) throw new Error(`samples at ${at} are no prompt of the catalog`);
    if (language !== null && language !== hit.language) throw new Error('one play mixes two languages');
    language = hit.language;
    ids.push(hit.id);
    at += hit.samples.length;
  }
  return { language, ids };
}

export class ScriptedMedia implements MediaSession {
  readonly localPort = 40000;
  readonly localKey = null;
  readonly audio = {} as AcceptableAudio;
  readonly heard: Heard[] = [];
  readonly closed: Promise<void>;
  private readonly listeners = new Set<(d: Digit) => void>();
  private readonly steps: Step[];
  private close_!: () => void;
  private clock = 0;

  constructor(
    private readonly library: PromptLibrary,
    steps: readonly Step[],
  ) {
    this.steps = [...steps];
    this.closed = new Promise((resolve) => {
      this.close_ = resolve;
    });
  }

  /** the steps no prompt asked for: a test that ends with some left went another way */
  get unused(): readonly Step[] {
    return this.steps;
  }

  /** every prompt id heard, in order */
  get ids(): PromptId[] {
    return this.heard.flatMap((h) => h.ids);
  }

  update(): void {}

  onDigit(listener: (digit: Digit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  press(keys: string): void {
    for (const key of keys) {
      this.clock += 200;
      for (const l of [...this.listeners]) l({ key, atMs: this.clock, method: 'rfc4733' });
    }
  }

  async play(samples: Int16Array, options?: { readonly bargeIn?: boolean }): Promise<PlayOutcome> {
    const { language, ids } = clipsOf(this.library, samples);
    const bargeIn = options?.bargeIn ?? false;
    const step = this.steps[0];
    const keys = step && ids.includes(step.at) ? this.steps.shift()!.keys : null;
    const outcome: PlayOutcome = keys !== null && keys !== '' && bargeIn ? 'interrupted' : 'done';
    this.heard.push({ language, ids, bargeIn, outcome });
    // the caller keys while it plays (barge-in) or once it has played
    if (keys !== null) {
      if (bargeIn) this.press(keys);
      else setImmediate(() => this.press(keys));
    }
    return outcome;
  }

  stopPlayback(): void {}

  async close(): Promise<void> {
    this.close_();
  }
}

/** letters only: a test that looks for PIN digits in log lines finds none in call ids */
function randomCallId(): string {
  return `call-${Array.from({ length: 12 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
}

export class ScriptedCall implements Call {
  readonly transport = 'udp' as const;
  readonly remoteAddress = '127.0.0.1';
  readonly ended: Promise<'caller-hangup' | 'local-hangup' | 'timeout' | 'error'>;
  hungUpBy: 'caller' | 'us' | null = null;
  private end!: (how: 'caller-hangup' | 'local-hangup') => void;

  constructor(
    readonly media: ScriptedMedia,
    readonly callerId: string | null,
    readonly callId = randomCallId(),
    readonly dialled: string | null = '14255550100',
  ) {
    this.ended = new Promise((resolve) => {
      this.end = resolve;
    });
  }

  async hangUp(): Promise<void> {
    if (this.hungUpBy) return;
    this.hungUpBy = 'us';
    this.end('local-hangup');
    await this.media.close();
  }

  /** the caller puts the phone down */
  callerHangsUp(): void {
    if (this.hungUpBy) return;
    this.hungUpBy = 'caller';
    this.end('caller-hangup');
    void this.media.close();
  }

  async transfer(): Promise<boolean> {
    return false;
  }
}

/** A call whose gateway completes or fails a transfer as told, and which remembers every target. */
export class TransferringCall extends ScriptedCall {
  readonly transfers: string[] = [];
  accept = true;
  // (...args): the stand-in it extends takes no target
  override async transfer(...args: unknown[]): Promise<boolean> {
    this.transfers.push(String(args[0]));
    return this.accept;
  }
}

/** The dialogue's logger, writing each line into `lines` (a test looks for PIN digits there). */
export function capturingLogger(lines: string[]): Logger {
  return pino(
    { level: 'info', timestamp: false, base: null },
    new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
}

/** Dialogue timings that keep scripted calls short: 150 ms of silence, or between keys, ends a wait. */
export const FAST_TIMINGS = { noInputMs: 150, interDigitMs: 150, noInputLimit: 2, maxCallMs: 30_000 };

/** Runs the logon dialogue on a scripted call (FAST_TIMINGS unless told), and checks it asked for every scripted key. */
export async function dialScripted<C extends ScriptedCall>(
  call: C,
  options: LogonDialogueOptions,
): Promise<{ outcome: DialogueOutcome; call: C }> {
  const outcome = await runLogonDialogue(call, { timings: FAST_TIMINGS, ...options });
  expect(call.media.unused, 'every scripted key was asked for').toEqual([]);
  return { outcome, call };
}
