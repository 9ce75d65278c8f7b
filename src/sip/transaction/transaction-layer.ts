/**
 * The transaction layer (RFC 3261 §17) between the transports and the user agent: it keeps
 * the live transactions, absorbs retransmitted requests (answering them with the last
 * response), takes the ACK of a non-2xx itself, and hands the user agent only what is new —
 * a request with its server transaction, a CANCEL with the INVITE transaction it names, an
 * ACK of a 2xx (a transaction of its own, §17.1.1.3). Responses go to the client transaction
 * whose branch they carry; the rest are dropped (§18.1.2). The table of server transactions is
 * bounded (20,000 by default, about 64·T1 of traffic): beyond it new requests get a stateless 503.
 */
import { randomBytes } from 'node:crypto';
import { buildResponse } from '../message/response-builder.js';
import type { SipRequest } from '../message/sip-message.js';
import type { Flow, Inbound, SipLogger } from '../transport/flow.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { type ClientOutcome, NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { ServerTransaction } from './server-transaction.js';
import type { TimerValues } from './timers.js';
import { clientKeyOf, inviteKeyOf, serverKeyOf } from './transaction-key.js';

export interface TransactionUser {
  /** A new INVITE; 100 Trying has been sent. */
  onInvite(tx: InviteServerTransaction): void;
  /** A CANCEL, with the INVITE transaction it cancels when there is one. */
  onCancel(tx: ServerTransaction, invite: InviteServerTransaction | undefined): void;
  /** An ACK that no transaction took: the ACK of a 2xx. */
  onAck(request: SipRequest, flow: Flow): void;
  /** Any other new request. */
  onRequest(tx: ServerTransaction): void;
  /** A 2xx was never acknowledged (Timer L). */
  onNoAck(tx: InviteServerTransaction): void;
}

/** A branch of RFC 3261 form, unguessable. */
export function newBranch(): string {
  return `z9hG4bK${randomBytes(12).toString('base64url')}`;
}

export class TransactionLayer {
  readonly #timers: TimerValues;
  readonly #log: SipLogger;
  readonly #user: TransactionUser;
  readonly #invites = new Map<string, InviteServerTransaction>();
  readonly #others = new Map<string, NonInviteServerTransaction>();
  readonly #clients = new Map<string, NonInviteClientTransaction>();

  readonly #max: number;

  constructor(timers: TimerValues, log: SipLogger, user: TransactionUser, maxServerTransactions = 20_000) {
    this.#max = maxServerTransactions;
    this.#timers = timers;
    this.#log = log;
    this.#user = user;
  }

  get size(): number {
    return this.#invites.size + this.#others.size + this.#clients.size;
  }

  receive(inbound: Inbound): void {
    const { message, flow } = inbound;
    if (message.kind === 'response') {
      const key = clientKeyOf(message);
      const tx = key === null ? undefined : this.#clients.get(key);
      if (tx) tx.receive(message);
      else this.#log.debug({ transport: flow.transport, status: message.status }, 'SIP response matched nothing');
      return;
    }
    const key = serverKeyOf(message);
    if (key === null) return;
    if (message.method === 'ACK') {
      const invite = this.#invites.get(key);
      if (invite && (invite.state === 'completed' || invite.state === 'confirmed')) {
        invite.ack();
        return;
      }
      this.#user.onAck(message, flow);
      return;
    }
    if (!this.#invites.has(key) && !this.#others.has(key) && this.#invites.size + this.#others.size >= this.#max) {
      // a bound on what a burst of (trusted) requests can hold: answered statelessly, remembered by nobody
      this.#log.warn({ transport: flow.transport, remote: flow.remoteAddress }, 'SIP transaction table full: 503');
      flow.send(buildResponse(message, 503, { headers: [['Retry-After', '5']] }));
      return;
    }
    if (message.method === 'INVITE') {
      const existing = this.#invites.get(key);
      if (existing) {
        existing.retransmission();
        return;
      }
      const tx: InviteServerTransaction = new InviteServerTransaction(message, flow, this.#timers, {
        onTerminated: () => {
          if (this.#invites.get(key) === tx) this.#invites.delete(key);
        },
        onNoAck: () => this.#user.onNoAck(tx),
      });
      this.#invites.set(key, tx);
      tx.trying();
      this.#user.onInvite(tx);
      return;
    }
    const existing = this.#others.get(key);
    if (existing) {
      existing.retransmission();
      return;
    }
    const tx: NonInviteServerTransaction = new NonInviteServerTransaction(message, flow, this.#timers, () => {
      if (this.#others.get(key) === tx) this.#others.delete(key);
    });
    this.#others.set(key, tx);
    if (message.method === 'CANCEL') {
      const inviteKey = inviteKeyOf(message);
      this.#user.onCancel(tx, inviteKey === null ? undefined : this.#invites.get(inviteKey));
    } else this.#user.onRequest(tx);
  }

  /** Sends a non-INVITE request of ours (its top Via carries a fresh branch) and waits for its outcome. */
  request(request: SipRequest, flow: Flow): Promise<ClientOutcome> {
    const key = clientKeyOf(request);
    if (key === null) return Promise.resolve({ kind: 'timeout' });
    const tx: NonInviteClientTransaction = new NonInviteClientTransaction(request, flow, this.#timers, () => {
      if (this.#clients.get(key) === tx) this.#clients.delete(key);
    });
    this.#clients.set(key, tx);
    tx.start();
    return tx.outcome;
  }

  /** Ends every transaction and its timers (shutdown). */
  dispose(): void {
    for (const tx of [...this.#invites.values()]) tx.dispose();
    for (const tx of [...this.#others.values()]) tx.dispose();
    for (const tx of [...this.#clients.values()]) tx.dispose();
  }
}
