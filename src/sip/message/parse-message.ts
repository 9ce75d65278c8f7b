/**
 * Parsing one whole SIP message: what a UDP transport does with a datagram (RFC 3261
 * §18.3) and what the stream framer does with the bytes it has framed. On a datagram,
 * Content-Length — when present — bounds the body and bytes beyond it are dropped; when
 * absent the body runs to the end of the datagram. Never throws: a failure is a value.
 */
import { findHeaderEnd } from './header-end.js';
import { DEFAULT_SIP_LIMITS, type SipLimits } from './limits.js';
import { parseFailure, type SipParseFailure } from './parse-failure.js';
import { contentLengthOf, parseHead, type StartLine } from './parse-head.js';
import type { SipHeaders } from './sip-headers.js';
import type { SipMessage } from './sip-message.js';

export type SipParseResult = { readonly ok: true; readonly message: SipMessage } | SipParseFailure;

export function parseMessage(data: Uint8Array, limits: SipLimits = DEFAULT_SIP_LIMITS): SipParseResult {
  if (data.length > limits.maxMessageBytes) {
    return parseFailure('too-large', `${data.length} bytes, over the limit of ${limits.maxMessageBytes}`);
  }
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const start = skipLeadingLineEnds(bytes);
  if (start >= bytes.length) return parseFailure('empty', 'the message is empty');
  const end = findHeaderEnd(bytes, start, bytes.length);
  let headEnd: number;
  let bodyStart: number;
  if ('headEnd' in end) {
    headEnd = end.headEnd;
    bodyStart = end.bodyStart;
  } else {
    // a message without a body may end with its last header line's CRLF (§7.5 lenience)
    const tail = bytes.length - start;
    if (tail >= 1 && bytes[bytes.length - 1] === 0x0a) {
      headEnd = bytes.length - (bytes.length - 2 >= start && bytes[bytes.length - 2] === 0x0d ? 2 : 1);
      bodyStart = bytes.length;
    } else return parseFailure('no-header-end', 'no empty line ends the header section');
  }
  const head = parseHead(bytes.toString('utf8', start, headEnd), limits);
  if (!head.ok) return head;
  const length = contentLengthOf(head.headers);
  if (typeof length === 'object' && length !== null) return length;
  const available = bytes.length - bodyStart;
  if (length !== null && length > available) {
    return parseFailure('body-truncated', `Content-Length is ${length} but the body has ${available} bytes`);
  }
  const body = Buffer.from(bytes.subarray(bodyStart, bodyStart + (length ?? available)));
  return { ok: true, message: assemble(head.start, head.headers, body) };
}

/** Empty lines before the start line are ignored (§7.5); keep-alive CRLFs look like this too. */
export function skipLeadingLineEnds(bytes: Uint8Array, from = 0): number {
  let i = from;
  while (i < bytes.length && (bytes[i] === 0x0d || bytes[i] === 0x0a)) i++;
  return i;
}

export function assemble(start: StartLine, headers: SipHeaders, body: Buffer): SipMessage {
  return start.kind === 'request'
    ? { kind: 'request', method: start.method, uri: start.uri, headers, body }
    : { kind: 'response', status: start.status, reason: start.reason, headers, body };
}
