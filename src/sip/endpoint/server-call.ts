/**
 * One call the endpoint answered, from its INVITE to its end: the dialog, the media (pending
 * until the ACK, then a session), the INVITE transaction whose 2xx waits for its ACK, and the
 * `Call` the voice dialogue gets. It ends once, whichever way — the caller's BYE, our
 * hangUp(), the maximum call length, a lost ACK, the dialogue failing — and then releases its
 * media, its connection hold and its timer.
 */
import type { AcceptableAudio } from '../sdp/audio-offer.js';
import type { Call, MediaSession, PendingMedia } from '../call-media.js';
import type { Dialog } from '../dialog/dialog.js';
import type { ClientOutcome } from '../transaction/non-invite-client-transaction.js';
import type { InviteServerTransaction } from '../transaction/invite-server-transaction.js';
import type { Flow, SipLogger, TransportKind } from '../transport/flow.js';

export type EndReason = 'caller-hangup' | 'local-hangup' | 'timeout' | 'error';

export type CallState = 'answered' | 'established' | 'ended';

/**
 * How long a transfer waits, after the REFER was accepted, for the NOTIFY that reports its
 * final outcome (RFC 3515 section 2.4.5): 64*T1, as long as a transaction may take. A peer
 * that reports nothing by then is taken at its word (it accepted the REFER).
 */
export const REFER_NOTIFY_WAIT_MS = 32_000;

export interface CallWiring {
  /** Sends a request in the dialog through a client transaction. */
  send(method: string, extra?: { headers?: readonly (readonly [string, string])[] }): Promise<ClientOutcome>;
  /** The endpoint forgets the call. */
  forget(): void;
  log: SipLogger;
}

export class ServerCall implements Call {
  readonly callId: string;
  readonly callerId: string | null;
  readonly dialled: string | null;
  readonly transport: TransportKind;
  readonly remoteAddress: string;
  readonly dialog: Dialog;
  readonly flow: Flow;
  readonly ended: Promise<EndReason>;
  /** The SDP answers we gave: o= session id and version, the last answer's text. */
  readonly sessionId: string;
  sessionVersion = 1;
  lastAnswer: string;
  /** The INVITE (or re-INVITE) transaction whose 2xx still waits for an ACK. */
  awaitingAck: InviteServerTransaction | null;
  /** A re-INVITE is being answered (a second one gets 491). */
  reinviting = false;
  readonly secure: boolean;
  #state: CallState = 'answered';
  #pending: PendingMedia | null;
  /** Null until the ACK brings the caller's answer to a delayed offer of ours. */
  #audio: AcceptableAudio | null;
  #session: MediaSession | null = null;
  #resolveEnded!: (reason: EndReason) => void;
  #releaseHold: () => void;
  #timer: NodeJS.Timeout | null = null;
  readonly #wiring: CallWiring;
  readonly #startedAt = Date.now();
  /** the transfer in progress waits here for the final status a NOTIFY (Event: refer) reports */
  #referOutcome: ((succeeded: boolean) => void) | null = null;

  constructor(init: {
    dialog: Dialog;
    flow: Flow;
    callerId: string | null;
    dialled: string | null;
    pending: PendingMedia;
    /** null for a delayed offer: our offer went in the 200, the answer comes in the ACK */
    audio: AcceptableAudio | null;
    answer: string;
    sessionId: string;
    invite: InviteServerTransaction;
    secure: boolean;
    wiring: CallWiring;
  }) {
    this.dialog = init.dialog;
    this.callId = init.dialog.callId;
    this.flow = init.flow;
    this.transport = init.flow.transport;
    this.remoteAddress = init.flow.remoteAddress;
    this.callerId = init.callerId;
    this.dialled = init.dialled;
    this.#pending = init.pending;
    this.#audio = init.audio;
    this.lastAnswer = init.answer;
    this.sessionId = init.sessionId;
    this.awaitingAck = init.invite;
    this.secure = init.secure;
    this.#wiring = init.wiring;
    this.#releaseHold = init.flow.hold();
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  get state(): CallState {
    return this.#state;
  }

  get media(): MediaSession {
    if (this.#session === null) throw new Error('the call has no media until it is established');
    return this.#session;
  }

  /** The call waits for the caller's SDP answer in the ACK (we made the offer). */
  get awaitingAnswer(): boolean {
    return this.#audio === null;
  }

  /**
   * The ACK came: media starts and the maximum call length begins to count. `answer` is the
   * stream the ACK's SDP answer gave, when we made the offer.
   */
  establish(maxCallMs: number, answer?: AcceptableAudio): boolean {
    if (this.#state !== 'answered' || this.#pending === null) return false;
    if (answer !== undefined) this.#audio = answer;
    if (this.#audio === null) return false;
    this.#session = this.#pending.start(this.#audio, this.callId);
    this.#pending = null;
    this.#state = 'established';
    this.#timer = setTimeout(() => {
      this.#wiring.log.info({ callId: this.callId }, 'SIP call reached its maximum length');
      void this.#hangUpWith('timeout');
    }, maxCallMs);
    this.#timer.unref();
    return true;
  }

  /** A re-INVITE was accepted: the media follows (hold, resume, codec or address change). */
  updateMedia(audio: AcceptableAudio): void {
    this.#audio = audio;
    this.#session?.update(audio);
  }

  hangUp(): Promise<void> {
    return this.#hangUpWith('local-hangup');
  }

  /** Ends with a BYE of ours, for a reason. */
  async #hangUpWith(reason: EndReason): Promise<void> {
    if (this.#state === 'ended') return;
    const bye = this.#wiring.send('BYE');
    await this.end(reason);
    const outcome = await bye;
    if (outcome.kind === 'timeout') this.#wiring.log.info({ callId: this.callId }, 'SIP BYE not answered');
  }

  /**
   * Blind transfer (REFER, RFC 3515): true when the peer accepted the REFER and then reported
   * the new call's success (a NOTIFY whose message/sipfrag is a 2xx), or reported nothing
   * within REFER_NOTIFY_WAIT_MS, or ended our leg meanwhile (the transferred caller left us);
   * false when it refused the REFER or a NOTIFY reported a failure (3xx-6xx): the caller is
   * still on our leg.
   */
  async transfer(target: string): Promise<boolean> {
    if (this.#state !== 'established') return false;
    if (!/^sips?:[^\s<>"]+$/i.test(target)) return false;
    // listening before the REFER goes: over UDP the NOTIFY may overtake the 202
    let timer: NodeJS.Timeout | undefined;
    const reported = new Promise<boolean>((resolve) => {
      this.#referOutcome = resolve;
      timer = setTimeout(() => resolve(true), REFER_NOTIFY_WAIT_MS);
      timer.unref();
    });
    try {
      const outcome = await this.#wiring.send('REFER', {
        headers: [
          ['Refer-To', `<${target}>`],
          ['Referred-By', `<${this.dialog.localAddress.uri}>`],
        ],
      });
      const accepted = outcome.kind === 'response' && outcome.response.status >= 200 && outcome.response.status < 300;
      this.#wiring.log.info(
        { callId: this.callId, status: outcome.kind === 'response' ? outcome.response.status : 'timeout' },
        'SIP transfer requested',
      );
      if (!accepted) return false;
      const succeeded = await Promise.race([reported, this.ended.then(() => true)]);
      this.#wiring.log.info({ callId: this.callId, succeeded }, 'SIP transfer reported');
      return succeeded;
    } finally {
      clearTimeout(timer);
      this.#referOutcome = null;
    }
  }

  /**
   * A NOTIFY in this dialog: when it reports a transfer's progress (Event: refer, a
   * message/sipfrag body) with a final status, the waiting transfer learns its outcome.
   * Provisional ones (100 Trying, 180 Ringing) are only acknowledged.
   */
  referNotified(event: string | undefined, body: Buffer): void {
    if (this.#referOutcome === null) return;
    if (!/^\s*refer\b/i.test(event ?? '')) return;
    const status = /^SIP\/2\.0\s+([1-6][0-9]{2})\b/.exec(body.toString('latin1').trimStart());
    if (!status) return;
    const code = Number(status[1]);
    if (code < 200) return;
    this.#referOutcome(code < 300);
  }

  /** Releases everything once; the BYE (if any) is the caller's business. */
  async end(reason: EndReason): Promise<void> {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    if (this.#timer) clearTimeout(this.#timer);
    this.awaitingAck?.dispose();
    this.awaitingAck = null;
    this.#releaseHold();
    this.#pending?.release();
    this.#pending = null;
    this.#wiring.forget();
    this.#wiring.log.info(
      { callId: this.callId, reason, seconds: Math.round((Date.now() - this.#startedAt) / 1000) },
      'SIP call ended',
    );
    this.#resolveEnded(reason);
    try {
      await this.#session?.close();
    } catch (err) {
      this.#wiring.log.warn({ callId: this.callId, err: (err as Error).message }, 'SIP media close failed');
    }
  }
}
