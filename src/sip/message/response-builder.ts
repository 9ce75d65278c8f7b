/**
 * Building a UAS's response to a request (RFC 3261 §8.2.6): the same Via lines in the same
 * order, From, Call-ID and CSeq copied, To copied with our tag added when it has none (a
 * 100 Trying never gets one), Timestamp echoed on a 100. Extra headers and a body come
 * from the caller; Content-Length is written by the serializer.
 */
import { hasParameter } from './parameters.js';
import { parseNameAddr } from './name-addr.js';
import { SipHeaders } from './sip-headers.js';
import type { SipRequest, SipResponse } from './sip-message.js';
import { reasonPhrase } from './reason-phrases.js';

export interface ResponseOptions {
  readonly reason?: string;
  /** Our To tag: added when the request's To has no tag and the status is above 100. */
  readonly toTag?: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer;
  /** Content-Type of the body, e.g. application/sdp. */
  readonly contentType?: string;
}

export function buildResponse(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const src = request.headers;
  const headers = new SipHeaders();
  for (const v of src.lines('via')) headers.append('Via', v);
  const from = src.get('from');
  if (from !== undefined) headers.append('From', from);
  const to = src.get('to');
  if (to !== undefined) headers.append('To', withToTag(to, status, options.toTag));
  const callId = src.get('call-id');
  if (callId !== undefined) headers.append('Call-ID', callId);
  const cseq = src.get('cseq');
  if (cseq !== undefined) headers.append('CSeq', cseq);
  const timestamp = src.get('timestamp');
  if (status === 100 && timestamp !== undefined) headers.append('Timestamp', timestamp);
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  const body = options.body ?? Buffer.alloc(0);
  if (body.length > 0 && options.contentType !== undefined) headers.append('Content-Type', options.contentType);
  return { kind: 'response', status, reason: options.reason ?? reasonPhrase(status), headers, body };
}

function withToTag(to: string, status: number, tag: string | undefined): string {
  if (tag === undefined || status === 100) return to;
  const parsed = parseNameAddr(to);
  // a To we cannot read is answered as received: the 400 that follows needs no tag to be matched
  if (parsed === null || hasParameter(parsed.params, 'tag')) return to;
  return `${to};tag=${tag}`;
}
