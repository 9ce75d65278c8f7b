/**
 * The non-INVITE client transaction (RFC 3261 §17.1.2), for the BYE and REFER we send:
 * Trying — on UDP Timer E retransmits the request (T1 doubling, capped at T2; at T2 once a
 * provisional response came) — until a final response, or Timer F (64·T1) gives up with a
 * timeout (the user agent treats it as 408). Completed then absorbs response retransmissions
 * for Timer K (T4 on UDP, 0 on streams).
 */
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { Flow } from '../transport/flow.js';
import { nextInterval, type TimerValues, timerI, transactionTimeout } from './timers.js';

export type ClientOutcome =
  | { readonly kind: 'response'; readonly response: SipResponse }
  | { readonly kind: 'timeout' };

export class NonInviteClientTransaction {
  readonly request: SipRequest;
  readonly flow: Flow;
  readonly outcome: Promise<ClientOutcome>;
  readonly #timers: TimerValues;
  readonly #onTerminated: () => void;
  #resolve!: (o: ClientOutcome) => void;
  #state: 'trying' | 'proceeding' | 'completed' | 'terminated' = 'trying';
  #timerE: NodeJS.Timeout | null = null;
  #timerF: NodeJS.Timeout | null = null;
  #timerK: NodeJS.Timeout | null = null;

  constructor(request: SipRequest, flow: Flow, timers: TimerValues, onTerminated: () => void) {
    this.request = request;
    this.flow = flow;
    this.#timers = timers;
    this.#onTerminated = onTerminated;
    this.outcome = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get state(): string {
    return this.#state;
  }

  start(): void {
    this.flow.send(this.request);
    if (!this.flow.reliable) this.#scheduleE(this.#timers.t1);
    this.#timerF = setTimeout(() => {
      this.#resolve({ kind: 'timeout' });
      this.#terminate();
    }, transactionTimeout(this.#timers));
  }

  receive(response: SipResponse): void {
    if (this.#state === 'completed' || this.#state === 'terminated') return;
    if (response.status < 200) {
      this.#state = 'proceeding';
      return;
    }
    this.#state = 'completed';
    this.#clear();
    this.#resolve({ kind: 'response', response });
    this.#timerK = setTimeout(() => this.#terminate(), timerI(this.#timers, this.flow.reliable));
  }

  dispose(): void {
    this.#resolve({ kind: 'timeout' });
    this.#terminate();
  }

  #scheduleE(interval: number): void {
    this.#timerE = setTimeout(() => {
      if (this.#state !== 'trying' && this.#state !== 'proceeding') return;
      this.flow.send(this.request);
      this.#scheduleE(this.#state === 'proceeding' ? this.#timers.t2 : nextInterval(this.#timers, interval));
    }, interval);
  }

  #clear(): void {
    if (this.#timerE) clearTimeout(this.#timerE);
    if (this.#timerF) clearTimeout(this.#timerF);
    this.#timerE = null;
    this.#timerF = null;
  }

  #terminate(): void {
    if (this.#state === 'terminated') return;
    this.#clear();
    if (this.#timerK) clearTimeout(this.#timerK);
    this.#state = 'terminated';
    this.#onTerminated();
  }
}
