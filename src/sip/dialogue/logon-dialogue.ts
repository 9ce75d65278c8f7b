/**
 * The telephone logon, one run per established call: greeting; the caller's own mailbox
 * offered when the calling number names one (* for another), else the extension and #; the
 * PIN and #; then what verifyLogon answers — signed in (1 changes the PIN, * hangs up), a new
 * PIN chosen twice (a refusal spoken with its rule), try again (hang up after the dial plan's
 * LogonFailuresBeforeDisconnect), a new PIN mailed, locked out. Where the mailbox's dial plan
 * has a VoiceMailUri, the signed-in menu also offers the PBX's voice mail (# or silence): a
 * blind transfer only a signed-in caller reaches, to a target that carries the extension only.
 * The services decide every outcome (verifyLogon, changePin: the same guarded operations as
 * the REST voice API); this file only asks and speaks.
 *
 * PIN secrecy: keyed PINs live in local variables for the length of one service call. They
 * are never logged (the log lines carry the call id, steps and outcomes, counts), never put
 * in an error, and the services keep them out of the audit.
 */
import { UmpinError } from '../../domain/errors.js';
import type { CallOutcome, ChangeReason, ChangePinResult, LogonResult } from '../../domain/logon.js';
import { MAX_PIN_LENGTH } from '../../domain/pin-policy.js';
import type { Actor } from '../../services/actor.js';
import type { Deps } from '../../services/ports/deps.js';
import { voiceCallee, voiceCallPlan, type VoiceCallPlan } from '../../services/voice-call.js';
import { changePin, pinlessLogon, verifyLogon, type MailboxLocator } from '../../services/voice-logon.js';
import type { Call } from '../call-media.js';
import { promptLanguage } from '../prompts/catalog.js';
import type { PromptLibrary, PromptPart } from '../prompts/prompt-library.js';
import { sipGatewayActor } from './gateway-actor.js';
import { operatorUri } from './operator-uri.js';
import { CallEnded, DEFAULT_KEYPAD_TIMINGS, Keypad, NoInput, type KeypadTimings } from './keypad.js';
import { isSpokenRefusal, refusalPrompt } from './refusal-prompts.js';

/** The log the dialogue writes to: pino's shape (object first), so the server's logger fits as is. */
export interface DialogueLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface LogonDialogueOptions {
  deps: Deps;
  prompts: PromptLibrary;
  log: DialogueLog;
  /** who the services see; by default the SIP gateway of the call (sipGatewayActor) */
  actor?: Actor;
  timings?: Partial<LogonDialogueTimings>;
}

export interface LogonDialogueTimings extends KeypadTimings {
  /** the longest a call may last in the dialogue before it is ended */
  maxCallMs: number;
}

export const DEFAULT_DIALOGUE_TIMINGS: Readonly<LogonDialogueTimings> = Object.freeze({
  ...DEFAULT_KEYPAD_TIMINGS,
  maxCallMs: 10 * 60_000,
});

/** How a call's dialogue ended, for the endpoint's metrics and log. */
export type DialogueOutcome = CallOutcome;

/** New PINs refused (or mistyped) in a row before the dialogue gives up. */
const MAX_NEW_PIN_TRIES = 8;
/** A keyed PIN may be one digit longer than the longest allowed, so that the service can name the rule. */
const PIN_ENTRY_DIGITS = MAX_PIN_LENGTH + 1;
const EXTENSION_ENTRY_DIGITS = 20;

const REASON_PROMPT: Record<ChangeReason, PromptPart> = {
  'first-time': 'first-time',
  expired: 'pin-expired',
  'too-short': 'pin-below-minimum',
};

/** A logon that ended the call, and what was said. */
class Finished extends Error {
  constructor(readonly outcome: DialogueOutcome) {
    super(outcome);
  }
}

/**
 * Runs the logon dialogue on an established call and hangs up at its end (unless the caller
 * did first). Resolves with how it ended; never rejects for what a caller does.
 */
export async function runLogonDialogue(call: Call, options: LogonDialogueOptions): Promise<DialogueOutcome> {
  const timings = { ...DEFAULT_DIALOGUE_TIMINGS, ...options.timings };
  const actor = options.actor ?? sipGatewayActor(call);
  const { log } = options;
  const started = Date.now();
  let keypad: Keypad | null = null;
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<DialogueOutcome>((resolve) => {
    timer = setTimeout(() => resolve('max-call-length'), timings.maxCallMs);
  });
  const run = async (): Promise<DialogueOutcome> => {
    const plan = await voiceCallPlan(options.deps, actor, { dialled: call.dialled });
    keypad = new Keypad(call, options.prompts, promptLanguage(plan.language), timings);
    return new LogonDialogue(call, options.deps, actor, log, keypad, plan).run();
  };
  const running = run();
  // past the maximum length the call is hung up under the dialogue, which then unwinds by itself
  running.catch(() => {});
  let outcome: DialogueOutcome;
  try {
    outcome = await Promise.race([running, tooLong]);
  } catch (err) {
    if (err instanceof CallEnded) outcome = 'caller-hangup';
    else if (err instanceof NoInput) outcome = 'no-input';
    else if (err instanceof Finished) outcome = err.outcome;
    else {
      log.warn({ callId: call.callId, err: errorSummary(err) }, 'voice dialogue failed');
      outcome = 'error';
    }
  } finally {
    clearTimeout(timer);
  }
  (keypad as Keypad | null)?.close();
  log.info(
    { callId: call.callId, outcome, seconds: Math.round((Date.now() - started) / 1000) },
    'voice dialogue ended',
  );
  if (outcome !== 'caller-hangup' && !(keypad as Keypad | null)?.hasEnded) {
    call.media.stopPlayback();
    await call.hangUp().catch(() => {});
  }
  return outcome;
}

/** An error as a log line may show it: its type and code, never its message's inputs. */
function errorSummary(err: unknown): Record<string, unknown> {
  if (err instanceof UmpinError) return { type: 'UmpinError', code: err.code };
  return { type: err instanceof Error ? err.name : typeof err };
}

class LogonDialogue {
  /** wrong PINs in this call, against the dial plan's LogonFailuresBeforeDisconnect */
  private failures = 0;
  /**
   * The PIN in force, as keyed on this call (at the logon, or chosen since): changePin needs
   * the old PIN, and a signed-in caller is not asked for it again. Memory only, for the call.
   */
  private current = '';
  /** where 0 transfers the caller (the named mailbox's OperatorNumber, else the dial plan's OperatorExtension); null: 0 is a key like any other */
  private operator: string | null = null;

  constructor(
    private readonly call: Call,
    private readonly deps: Deps,
    private readonly actor: Actor,
    private readonly log: DialogueLog,
    private readonly keypad: Keypad,
    private readonly plan: VoiceCallPlan,
  ) {
    this.operator = plan.operatorExtension;
  }

  private note(step: string, fields: Record<string, unknown> = {}): void {
    this.log.info({ callId: this.call.callId, step, ...fields }, 'voice dialogue');
  }

  async run(): Promise<DialogueOutcome> {
    const callerId = this.call.callerId ?? undefined;
    const own = callerId
      ? await voiceCallee(this.deps, this.actor, { callerId, dialPlan: this.plan.dialPlan ?? undefined })
      : null;
    if (own) this.keypad.language = promptLanguage(own.language);
    this.note('answered', { offered: own !== null, language: this.keypad.language });
    if (own && callerId) {
      // from the mailbox's own extension, where it and its policy allow it: no PIN (pinlessLogon has the rule)
      const loc: MailboxLocator = { extension: own.extension, callerId, dialPlan: own.dialPlan };
      const pinless = await this.pinless(loc);
      if (pinless) {
        this.operator = own.operatorNumber;
        this.note('logon', { outcome: 'pinless' });
        return this.signedIn(loc, ['greeting'], !(pinless.outcome === 'ok' && pinless.pinChangeAllowed === false));
      }
    }

    let before: PromptPart[] = ['greeting'];
    let offer = own;
    /** the mailbox the caller is trying, once named: a wrong PIN asks for the PIN again, not the extension */
    let named: { extension: string; dialPlan: string | undefined } | null = null;
    for (;;) {
      let pin: string;
      if (offer) {
        const e = await this.keypad.entry(['offer-mailbox', { digits: offer.extension }, 'offer-mailbox-then'], {
          maxDigits: PIN_ENTRY_DIGITS,
          star: true,
          before,
        });
        before = [];
        if (e.kind === 'star') {
          this.note('another-mailbox');
          offer = null;
          named = null;
          this.operator = this.plan.operatorExtension;
          continue;
        }
        named = { extension: offer.extension, dialPlan: offer.dialPlan };
        this.operator = offer.operatorNumber;
        pin = e.value;
        if (pin === '0' && (await this.toOperator())) continue;
      } else {
        if (!named) {
          const e = await this.keypad.entry(['enter-extension'], {
            maxDigits: this.plan.extensionDigits ?? EXTENSION_ENTRY_DIGITS,
            before,
          });
          before = [];
          if (e.kind === 'star' || e.value === '') continue;
          if (e.value === '0' && (await this.toOperator())) continue;
          named = { extension: e.value, dialPlan: this.plan.dialPlan ?? undefined };
          const callee = await voiceCallee(this.deps, this.actor, named);
          // an unknown extension still gets the PIN prompt: the caller learns nothing until the logon fails
          if (callee) this.keypad.language = promptLanguage(callee.language);
          this.operator = callee ? callee.operatorNumber : this.plan.operatorExtension;
        }
        const e = await this.keypad.entry(['enter-pin'], { maxDigits: PIN_ENTRY_DIGITS, before });
        before = [];
        pin = e.kind === 'digits' ? e.value : '';
        if (pin === '0' && (await this.toOperator())) continue;
      }
      const loc: MailboxLocator = { extension: named.extension, callerId, dialPlan: named.dialPlan };
      const result = await this.logon(loc, pin);
      if (result === 'unrecognized' || result === 'invalid' || result.outcome === 'wrong') {
        this.failures++;
        const outcome = typeof result === 'string' ? result : result.outcome;
        this.note('logon', { outcome, failures: this.failures });
        if (this.failures >= this.plan.logonFailuresBeforeDisconnect)
          return this.finish('logon-failed', ['logon-failed']);
        before = ['pin-wrong'];
        // an extension that named no mailbox is asked for again, with the PIN
        if (result === 'unrecognized') {
          named = null;
          offer = null;
        }
        continue;
      }
      if (result.outcome === 'ok' || result.outcome === 'must-change') this.current = pin;
      return this.afterLogon(loc, result);
    }
  }

  /** pinlessLogon: signed in, or null to ask for the PIN; a refused mailbox ends the call as a refused logon does. */
  /** The pinless logon's result when it signed the caller in, else null. */
  private async pinless(loc: MailboxLocator): Promise<LogonResult | null> {
    try {
      return await pinlessLogon(this.deps, this.actor, loc);
    } catch (err) {
      await this.refused(err);
      return null;
    }
  }

  /**
   * 0: a blind transfer to the named mailbox's OperatorNumber. Ends the dialogue when the
   * gateway takes the transfer; false (ask again) when there is no operator or it was refused.
   */
  private async toOperator(): Promise<boolean> {
    if (this.operator === null) return false;
    const accepted = await this.call.transfer(operatorUri(this.operator, this.call.remoteAddress));
    this.note('operator', { accepted });
    if (accepted) throw new Finished('transferred');
    return false;
  }

  /** verifyLogon, with the errors a caller can cause turned into outcomes. */
  private async logon(loc: MailboxLocator, pin: string): Promise<LogonResult | 'unrecognized' | 'invalid'> {
    try {
      return await verifyLogon(this.deps, this.actor, { ...loc, pin });
    } catch (err) {
      return this.refused(err);
    }
  }

  /** An error of verifyLogon or changePin: what the caller caused becomes a try or the end of the call. */
  private async refused(err: unknown): Promise<'unrecognized' | 'invalid'> {
    if (!(err instanceof UmpinError)) throw err;
    switch (err.code) {
      case 'UMPIN_CALLER_NOT_RECOGNIZED':
        return 'unrecognized';
      // an empty or overlong PIN: a failed try in this call, which the mailbox does not count
      case 'UMPIN_PIN_NOT_DIGITS':
      case 'UMPIN_PIN_TOO_LONG':
        return 'invalid';
      case 'UMPIN_RATE_LIMITED':
        this.note('logon', { outcome: 'rate-limited' });
        return this.finishing('rate-limited', ['try-later']);
      case 'UMPIN_ACCESS_DENIED':
        this.note('logon', { outcome: 'no-voice-access' });
        return this.finishing('no-voice-access', ['no-voice-access']);
      default:
        throw err;
    }
  }

  private async afterLogon(loc: MailboxLocator, result: LogonResult): Promise<DialogueOutcome> {
    this.note('logon', { outcome: result.outcome, failures: this.failures });
    switch (result.outcome) {
      case 'auto-reset':
        return this.finish('auto-reset', ['auto-reset', 'goodbye']);
      case 'locked-out':
        return this.finish('locked-out', ['locked-out']);
      case 'wrong':
        return this.finish('logon-failed', ['logon-failed']);
      case 'must-change':
        return this.signedIn(loc, await this.newPin(loc, [REASON_PROMPT[result.reason]]));
      case 'ok':
        return this.signedIn(loc, [], result.pinChangeAllowed !== false);
    }
  }

  /**
   * The signed-in menu: 1 changes the PIN, * says goodbye. Where the mailbox has a voice mail
   * (its dial plan's VoiceMailUri), # or no key transfers the caller there; when that transfer
   * fails the caller hears so and the menu goes on without it. `said`: what to say first.
   */
  private async signedIn(loc: MailboxLocator, said: PromptPart[], pinChangeAllowed = true): Promise<DialogueOutcome> {
    let before = said;
    // read once signed in, from the mailbox's own dial plan: the PIN is never part of it
    let voiceMail = (await voiceCallee(this.deps, this.actor, loc))?.voiceMail ?? null;
    for (;;) {
      const key =
        voiceMail === null
          ? await this.keypad.choice(['signed-in-menu'], before)
          : await this.keypad.choiceOrSilence(['signed-in-menu', 'voice-mail-option'], before);
      before = [];
      if (voiceMail !== null && (key === null || key === '#')) {
        this.note('menu', { choice: 'voice-mail', by: key === null ? 'no-input' : 'key' });
        if (await this.toVoiceMail(voiceMail)) throw new Finished('transferred-voice-mail');
        voiceMail = null;
        before = ['voice-mail-unavailable'];
        continue;
      }
      if (key === '*') return this.finish('signed-in', ['goodbye']);
      if (key === '0') await this.toOperator();
      if (key === '1') {
        this.note('menu', { choice: 'change-pin' });
        // PinChangeAllowed $false, as the logon said: no PIN is asked for that could not be set
        before = pinChangeAllowed ? await this.newPin(loc, await this.oldPin()) : ['pin-change-not-allowed'];
      }
    }
  }

  /** The blind transfer to the mailbox's voice mail, announced first; whether the gateway completed it. */
  private async toVoiceMail(target: string): Promise<boolean> {
    await this.keypad.say(['transferring'], { bargeIn: false });
    const transferred = await this.call.transfer(target);
    this.note('voice-mail', { transferred });
    return transferred;
  }

  /**
   * A new PIN keyed twice and set by changePin (the old PIN is the one in force), until one is
   * accepted; a refused one is answered with the rules it broke. Returns what to say next.
   */
  private async newPin(loc: MailboxLocator, reason: PromptPart[]): Promise<PromptPart[]> {
    let before = reason;
    for (let tries = 0; tries < MAX_NEW_PIN_TRIES; tries++) {
      const first = await this.keypad.entry(['enter-new-pin'], { maxDigits: PIN_ENTRY_DIGITS, before });
      const second = await this.keypad.entry(['enter-new-pin-again'], { maxDigits: PIN_ENTRY_DIGITS });
      const a = first.kind === 'digits' ? first.value : '';
      const b = second.kind === 'digits' ? second.value : '';
      if (a !== b) {
        this.note('new-pin', { outcome: 'mismatch' });
        before = ['pins-differ'];
        continue;
      }
      let result: ChangePinResult;
      try {
        result = await changePin(this.deps, this.actor, { ...loc, oldPin: this.current, newPin: a, confirmPin: b });
      } catch (err) {
        if (err instanceof UmpinError && err.field === 'NewPin' && isSpokenRefusal(err.code)) {
          this.note('new-pin', { outcome: 'refused', rules: err.issues.map((i) => i.code) });
          before = refusalPrompt(err.issues);
          continue;
        }
        // PinChangeAllowed turned $false during the call: back to the menu, saying so
        if (err instanceof UmpinError && err.code === 'UMPIN_PIN_CHANGE_NOT_ALLOWED') return ['pin-change-not-allowed'];
        await this.refused(err);
        return this.finishing('logon-failed', ['logon-failed']);
      }
      this.note('new-pin', { outcome: result.outcome });
      if (result.outcome === 'changed') {
        this.current = a;
        return ['pin-changed'];
      }
      // the old PIN no longer held (changed or reset meanwhile): counted like a logon
      if (result.outcome === 'auto-reset') return this.finishing('auto-reset', ['auto-reset', 'goodbye']);
      if (result.outcome === 'locked-out') return this.finishing('locked-out', ['locked-out']);
      return this.finishing('logon-failed', ['logon-failed']);
    }
    return this.finishing('logon-failed', ['logon-failed']);
  }

  /**
   * Signed in without a PIN (pinless), a change needs the PIN in force: asked for once, and
   * checked by changePin like a logon. Returns what to say first.
   */
  private async oldPin(): Promise<PromptPart[]> {
    if (this.current !== '') return [];
    const e = await this.keypad.entry(['enter-pin'], { maxDigits: PIN_ENTRY_DIGITS });
    this.current = e.kind === 'digits' ? e.value : '';
    return [];
  }

  /** Says the last words (no barge-in) and ends the dialogue with this outcome. */
  private async finish(outcome: DialogueOutcome, words: PromptPart[]): Promise<DialogueOutcome> {
    await this.keypad.say(words, { bargeIn: false });
    return outcome;
  }

  /** finish() from deep in a step: the words are said, then the dialogue unwinds with the outcome. */
  private async finishing(outcome: DialogueOutcome, words: PromptPart[]): Promise<never> {
    throw new Finished(await this.finish(outcome, words));
  }
}
