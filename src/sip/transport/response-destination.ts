/**
 * Where a response to a request received over UDP goes (RFC 3261 §18.2.2 with RFC 3581 §4):
 * to the `received` address when the top Via has one (else its sent-by host), at the `rport`
 * value when there is one (else the sent-by port, else 5060). The transport stamped received
 * and rport on arrival, so for a peer behind NAT this is the address the request came from.
 */
import { getParameter } from '../message/parameters.js';
import type { SipMessage } from '../message/sip-message.js';
import { parseVia } from '../message/via.js';

export function responseDestination(response: SipMessage): { address: string; port: number } | null {
  const top = response.headers.values('via')[0];
  const via = top === undefined ? null : parseVia(top);
  if (via === null) return null;
  const received = getParameter(via.params, 'received');
  const rport = getParameter(via.params, 'rport');
  const host = received ?? via.host;
  const address = host.startsWith('[') ? host.slice(1, -1) : host;
  const port = rport !== undefined && rport !== null ? Number(rport) : (via.port ?? 5060);
  return { address, port };
}
