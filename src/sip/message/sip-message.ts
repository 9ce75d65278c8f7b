/**
 * A SIP message as the parser yields it and the serializer takes it (RFC 3261 §7): a request
 * (method, Request-URI as written) or a response (status, reason phrase), its headers and
 * its body bytes. Typed views of the headers (Via, From, CSeq...) are parsed on demand by
 * validate-request.ts and friends, so that one malformed optional header does not cost the
 * whole message.
 */
import type { SipHeaders } from './sip-headers.js';

export interface SipRequest {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
  readonly headers: SipHeaders;
  readonly body: Buffer;
}

export interface SipResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
  readonly headers: SipHeaders;
  readonly body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export const SIP_VERSION = 'SIP/2.0';
