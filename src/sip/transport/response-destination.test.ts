import { describe, expect, it } from 'vitest';
import { SipHeaders } from '../message/sip-headers.js';
import type { SipResponse } from '../message/sip-message.js';
import { responseDestination } from './response-destination.js';

function response(via: string): SipResponse {
  return {
    kind: 'response',
    status: 200,
    reason: 'OK',
    headers: new SipHeaders([{ name: 'Via', value: via }]),
    body: Buffer.alloc(0),
  };
}

describe('where a UDP response goes (RFC 3261 §18.2.2, RFC 3581)', () => {
  it('to received and rport when the request was stamped', () => {
    expect(
      responseDestination(response('SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;rport=40000;received=198.51.100.7')),
    ).toEqual({
      address: '198.51.100.7',
      port: 40000,
    });
  });

  it('to received at the sent-by port without rport, and to sent-by (port 5060) otherwise', () => {
    expect(responseDestination(response('SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bK1;received=198.51.100.7'))).toEqual({
      address: '198.51.100.7',
      port: 5070,
    });
    expect(responseDestination(response('SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1'))).toEqual({
      address: '2001:db8::1',
      port: 5060,
    });
  });

  it('nowhere without a readable Via', () => {
    expect(responseDestination(response('garbage'))).toBeNull();
  });
});
