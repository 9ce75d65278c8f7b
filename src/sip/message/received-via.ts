/**
 * Stamping the top Via of a received request with where it really came from (RFC 3261
 * §18.2.1, RFC 3581 §4): `received` when the sent-by host is not the source address, and
 * with an empty `rport` both `rport=<source port>` and `received`. Responses then go back
 * to the address and port the request came from, which gets them through a NAT. The
 * transport calls this before the transaction layer sees the request.
 */
import { getParameter, withParameter } from './parameters.js';
import type { SipRequest } from './sip-message.js';
import { parseVia, serializeVia } from './via.js';

export function stampReceived(request: SipRequest, sourceAddress: string, sourcePort: number): SipRequest {
  const top = request.headers.values('via')[0];
  if (top === undefined) return request;
  const via = parseVia(top);
  if (via === null) return request;
  const rport = getParameter(via.params, 'rport');
  const bare = via.host.startsWith('[') ? via.host.slice(1, -1) : via.host;
  let params = via.params;
  if (rport === null) {
    params = withParameter(params, 'rport', String(sourcePort));
    params = withParameter(params, 'received', sourceAddress);
  } else if (bare.toLowerCase() !== sourceAddress.toLowerCase()) {
    params = withParameter(params, 'received', sourceAddress);
  } else return request;
  const stamped = serializeVia({ ...via, params });
  const headers = request.headers.clone();
  const lines = headers.lines('via');
  // the top Via may share its line with others: rewrite only the first element
  const firstLine = lines[0]!;
  const rest = firstLine === top ? '' : firstLine.slice(firstLine.indexOf(top) + top.length).replace(/^\s*,/, '');
  headers.replaceFirst('via', rest.trim() === '' ? stamped : `${stamped}, ${rest.trim()}`);
  return { ...request, headers };
}
