/**
 * Who the services see on a telephone logon: the SIP gateway the call came through, trusted
 * as the REST voice API trusts a token with the Voice Gateway role (the endpoint admits calls
 * from configured gateway addresses only). The Actor type has no kind for a gateway; an API
 * token is kind 'admin' with the VoiceGateway role, and so is this. Audit entries name the
 * gateway and show the calling number as the source ("sip:<caller>").
 */
import type { Actor } from '../../services/actor.js';

export function sipGatewayActor(call: { readonly callerId: string | null; readonly remoteAddress: string }): Actor {
  const caller = (call.callerId ?? '').replace(/[^0-9+*#A-Za-z._-]/g, '').slice(0, 64);
  return {
    kind: 'admin',
    name: `sip-gateway:${call.remoteAddress}`,
    roles: ['VoiceGateway'],
    source: `sip:${caller === '' ? 'anonymous' : caller}`,
  };
}
