/**
 * What the user agent sees of a server transaction (RFC 3261 §17.2): the request, the flow it
 * came by, and respond(). Retransmitted requests never reach the user agent; the transaction
 * answers them with its last response.
 */
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { Flow } from '../transport/flow.js';

export interface ServerTransaction {
  readonly request: SipRequest;
  readonly flow: Flow;
  /** True once a final (≥ 200) response was given. */
  readonly answered: boolean;
  respond(response: SipResponse): void;
}
