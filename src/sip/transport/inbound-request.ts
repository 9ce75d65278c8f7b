/**
 * What every transport does with a request before anyone else sees it: stamp the top Via with
 * where it came from (RFC 3581) and check the headers a transaction needs. A request that fails
 * is answered 400 (or 416) with the reason, when a response can be routed, and goes no further.
 */
import { buildResponse } from '../message/response-builder.js';
import { stampReceived } from '../message/received-via.js';
import type { SipRequest } from '../message/sip-message.js';
import { validateRequest } from '../message/validate-request.js';
import type { Flow, SipLogger } from './flow.js';

export function admitRequest(request: SipRequest, flow: Flow, log: SipLogger): SipRequest | null {
  const stamped = stampReceived(request, flow.remoteAddress, flow.remotePort);
  const check = validateRequest(stamped);
  if (check.ok) return stamped;
  log.info(
    {
      transport: flow.transport,
      remote: flow.remoteAddress,
      method: request.method.slice(0, 20),
      reason: check.reason,
    },
    'SIP request refused',
  );
  if (check.canRespond && stamped.method !== 'ACK') {
    flow.send(buildResponse(stamped, check.status, { reason: check.reason }));
  }
  return null;
}
