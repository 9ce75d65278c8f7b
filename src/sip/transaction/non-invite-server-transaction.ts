/**
 * The non-INVITE server transaction (RFC 3261 §17.2.2): Trying until the user agent answers
 * (a retransmission then is absorbed silently), Proceeding after a provisional response,
 * Completed after the final one — retransmitted requests get it again — until Timer J
 * (64·T1 on UDP, at once on streams) ends the transaction.
 */
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { Flow } from '../transport/flow.js';
import type { ServerTransaction } from './server-transaction.js';
import { type TimerValues, timerJ } from './timers.js';

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteServerTransaction implements ServerTransaction {
  readonly request: SipRequest;
  readonly flow: Flow;
  readonly #timers: TimerValues;
  readonly #onTerminated: () => void;
  #state: NonInviteServerState = 'trying';
  #last: SipResponse | null = null;
  #timerJ: NodeJS.Timeout | null = null;

  constructor(request: SipRequest, flow: Flow, timers: TimerValues, onTerminated: () => void) {
    this.request = request;
    this.flow = flow;
    this.#timers = timers;
    this.#onTerminated = onTerminated;
  }

  get state(): NonInviteServerState {
    return this.#state;
  }

  get answered(): boolean {
    return this.#state === 'completed' || this.#state === 'terminated';
  }

  respond(response: SipResponse): void {
    if (this.#state === 'completed' || this.#state === 'terminated') return;
    this.#last = response;
    this.flow.send(response);
    if (response.status < 200) {
      this.#state = 'proceeding';
      return;
    }
    this.#state = 'completed';
    this.#timerJ = setTimeout(() => this.#terminate(), timerJ(this.#timers, this.flow.reliable));
  }

  retransmission(): void {
    if (this.#last !== null && this.#state !== 'terminated') this.flow.send(this.#last);
  }

  dispose(): void {
    this.#terminate();
  }

  #terminate(): void {
    if (this.#state === 'terminated') return;
    if (this.#timerJ) clearTimeout(this.#timerJ);
    this.#state = 'terminated';
    this.#onTerminated();
  }
}
