/**
 * The INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026's Accepted state):
 * - created: 100 Trying goes out at once, so the caller stops retransmitting the INVITE;
 * - proceeding: a retransmitted INVITE gets the last provisional response again;
 * - a 2xx: Accepted — on UDP the 2xx is retransmitted (T1 doubling to T2, §13.3.1.4) until the
 *   user agent reports the ACK; Timer L (64·T1) without one calls onNoAck, and the user agent
 *   ends the call with a BYE. Copies of the INVITE are absorbed until Timer L either way. The 2xx retransmission sits here rather than in the user agent
 *   core only to keep one timer discipline in one place;
 * - 3xx–6xx: Completed — retransmitted on UDP by Timer G until the ACK (absorbed here), Timer H
 *   gives up; the ACK moves to Confirmed, where Timer I (T4 on UDP, 0 on streams) absorbs
 *   stray ACKs before the transaction ends.
 * Streams retransmit nothing (§17.2.1: the transport is reliable).
 */
import { buildResponse } from '../message/response-builder.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { Flow } from '../transport/flow.js';
import type { ServerTransaction } from './server-transaction.js';
import { nextInterval, type TimerValues, timerI, transactionTimeout } from './timers.js';

export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

export class InviteServerTransaction implements ServerTransaction {
  readonly request: SipRequest;
  readonly flow: Flow;
  readonly #timers: TimerValues;
  readonly #onTerminated: () => void;
  readonly #onNoAck: () => void;
  #state: InviteServerState = 'proceeding';
  #last: SipResponse | null = null;
  #retransmit: NodeJS.Timeout | null = null;
  #deadline: NodeJS.Timeout | null = null;
  #acked = false;

  constructor(
    request: SipRequest,
    flow: Flow,
    timers: TimerValues,
    hooks: { onTerminated: () => void; onNoAck: () => void },
  ) {
    this.request = request;
    this.flow = flow;
    this.#timers = timers;
    this.#onTerminated = hooks.onTerminated;
    this.#onNoAck = hooks.onNoAck;
  }

  get state(): InviteServerState {
    return this.#state;
  }

  get answered(): boolean {
    return this.#state !== 'proceeding';
  }

  /** The final response given, if any. */
  get finalResponse(): SipResponse | null {
    return this.#last !== null && this.#last.status >= 200 ? this.#last : null;
  }

  /** Sends 100 Trying (§17.2.1: at once, unless the TU answers within 200 ms — we never wait). */
  trying(): void {
    this.respond(buildResponse(this.request, 100));
  }

  respond(response: SipResponse): void {
    if (this.#state !== 'proceeding') return;
    this.#last = response;
    this.flow.send(response);
    if (response.status < 200) return;
    this.#state = response.status < 300 ? 'accepted' : 'completed';
    if (!this.flow.reliable) this.#scheduleRetransmit(this.#timers.t1);
    this.#deadline = setTimeout(() => {
      this.#stopRetransmit();
      const unacknowledged = this.#state === 'accepted' && !this.#acked;
      this.#terminate();
      if (unacknowledged) this.#onNoAck();
    }, transactionTimeout(this.#timers));
  }

  /** A retransmission of the INVITE: answer it with what we last sent. */
  retransmission(): void {
    if (this.#acked) return;
    if (this.#last !== null && this.#state !== 'confirmed' && this.#state !== 'terminated') this.flow.send(this.#last);
  }

  /** The ACK of a 3xx–6xx (same branch): stop retransmitting, absorb stragglers for Timer I. */
  ack(): void {
    if (this.#state !== 'completed') return;
    this.#state = 'confirmed';
    this.#stopRetransmit();
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#deadline = setTimeout(() => this.#terminate(), timerI(this.#timers, this.flow.reliable));
  }

  /**
   * The user agent received the ACK of our 2xx (a transaction of its own, §13.3.1.4): the 2xx
   * is no longer retransmitted, but the transaction stays Accepted until Timer L so that a late
   * copy of the INVITE is still absorbed rather than taken for a new call (RFC 6026 §7.1).
   */
  acknowledged(): void {
    if (this.#state !== 'accepted' || this.#acked) return;
    this.#acked = true;
    this.#stopRetransmit();
  }

  /** Stops every timer (endpoint shutdown). */
  dispose(): void {
    this.#stopRetransmit();
    this.#terminate();
  }

  #scheduleRetransmit(interval: number): void {
    this.#retransmit = setTimeout(() => {
      if ((this.#state === 'accepted' || this.#state === 'completed') && this.#last) {
        this.flow.send(this.#last);
        this.#scheduleRetransmit(nextInterval(this.#timers, interval));
      }
    }, interval);
  }

  #stopRetransmit(): void {
    if (this.#retransmit) clearTimeout(this.#retransmit);
    this.#retransmit = null;
  }

  #terminate(): void {
    if (this.#state === 'terminated') return;
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#deadline = null;
    this.#state = 'terminated';
    this.#onTerminated();
  }
}
