/**
 * The caller's keys for one call: prompts played with barge-in, and entries collected with a
 * no-input timeout (re-prompting), an inter-digit timeout (which ends an entry as if # was
 * pressed) and a maximum length. Keys pressed during a prompt, or before it (type-ahead),
 * belong to the entry that follows. The keys themselves stay in memory: nothing here logs.
 */
import type { Call } from '../call-media.js';
import type { PromptLanguage } from '../prompts/catalog.js';
import type { PromptLibrary, PromptPart } from '../prompts/prompt-library.js';

export interface KeypadTimings {
  /** silence after a prompt before "I didn't hear anything" */
  noInputMs: number;
  /** no-input timeouts in a row before goodbye */
  noInputLimit: number;
  /** silence after a key that ends the entry */
  interDigitMs: number;
}

export const DEFAULT_KEYPAD_TIMINGS: Readonly<KeypadTimings> = Object.freeze({
  noInputMs: 5_000,
  noInputLimit: 2,
  interDigitMs: 5_000,
});

/** Thrown through the dialogue when the call ends under it (the caller hung up, or the media closed). */
export class CallEnded extends Error {
  constructor() {
    super('the call ended');
    this.name = 'CallEnded';
  }
}

/** Thrown when the caller keyed nothing through every re-prompt: the dialogue says goodbye. */
export class NoInput extends Error {
  constructor() {
    super('no input');
    this.name = 'NoInput';
  }
}

export type Entry = { kind: 'digits'; value: string } | { kind: 'star' };

export class Keypad {
  private readonly keys: string[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private readonly unsubscribe: () => void;
  /** the language prompts are spoken in: the dial plan's until the mailbox is known */
  language: PromptLanguage;

  constructor(
    private readonly call: Call,
    private readonly prompts: PromptLibrary,
    language: PromptLanguage,
    private readonly timings: KeypadTimings,
  ) {
    this.language = language;
    this.unsubscribe = call.media.onDigit((d) => {
      this.keys.push(d.key);
      this.wake?.();
    });
    const end = () => {
      this.ended = true;
      this.wake?.();
    };
    call.ended.then(end, end);
    call.media.closed.then(end, end);
  }

  close(): void {
    this.unsubscribe();
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  /** Plays the parts (interrupted by a key); skipped when the caller already keyed ahead. */
  async say(parts: readonly PromptPart[], options: { bargeIn?: boolean } = {}): Promise<void> {
    if (this.ended) throw new CallEnded();
    const bargeIn = options.bargeIn ?? true;
    if (bargeIn && this.keys.length > 0) return;
    const outcome = await this.call.media.play(this.prompts.render(this.language, parts), { bargeIn });
    if (outcome === 'closed' || this.ended) throw new CallEnded();
  }

  /** The next key, or null after `ms` without one. */
  private next(ms: number): Promise<string | null> {
    if (this.ended) return Promise.reject(new CallEnded());
    const key = this.keys.shift();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(null);
      }, ms);
      this.wake = () => {
        this.wake = null;
        clearTimeout(timer);
        if (this.ended) reject(new CallEnded());
        else resolve(this.keys.shift() ?? null);
      };
    });
  }

  /**
   * Plays the prompt and collects keys up to #. `before`: said ahead of the prompt the first
   * time only (a greeting, "that PIN is not correct"). `star`: a * as the first key answers
   * 'star' (elsewhere a * starts the entry over). Keys beyond `maxDigits` are dropped (the
   * services then judge the entry). Throws NoInput after noInputLimit silent prompts, CallEnded.
   */
  async entry(
    parts: readonly PromptPart[],
    options: { maxDigits: number; star?: boolean; before?: readonly PromptPart[] },
  ): Promise<Entry> {
    for (let silent = 0; ; ) {
      await this.say(silent === 0 ? [...(options.before ?? []), ...parts] : parts);
      let value = '';
      let heard = false;
      for (;;) {
        const key = await this.next(heard ? this.timings.interDigitMs : this.timings.noInputMs);
        if (key === null) break;
        heard = true;
        if (key === '#') return { kind: 'digits', value };
        if (key === '*') {
          if (options.star && value === '') return { kind: 'star' };
          value = '';
          continue;
        }
        if (/^[0-9]$/.test(key) && value.length < options.maxDigits) value += key;
      }
      if (heard) return { kind: 'digits', value };
      silent++;
      if (silent >= this.timings.noInputLimit) {
        await this.say(['no-input', 'goodbye'], { bargeIn: false });
        throw new NoInput();
      }
      await this.say(['no-input'], { bargeIn: false });
    }
  }

  /**
   * One key for a menu whose silence is a choice (the voice-mail menu: staying on the line
   * transfers): plays the menu once and waits; null when no key came in noInputMs.
   */
  async choiceOrSilence(parts: readonly PromptPart[], before: readonly PromptPart[] = []): Promise<string | null> {
    await this.say([...before, ...parts]);
    return this.next(this.timings.noInputMs);
  }

  /** One key for a menu (no #): plays the menu, waits, re-prompts on silence like entry(). */
  async choice(parts: readonly PromptPart[], before: readonly PromptPart[] = []): Promise<string> {
    for (let silent = 0; ; ) {
      await this.say(silent === 0 ? [...before, ...parts] : parts);
      const key = await this.next(this.timings.noInputMs);
      if (key !== null) return key;
      silent++;
      if (silent >= this.timings.noInputLimit) {
        await this.say(['no-input', 'goodbye'], { bargeIn: false });
        throw new NoInput();
      }
      await this.say(['no-input'], { bargeIn: false });
    }
  }
}
