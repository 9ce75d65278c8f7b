import { describe, expect, it } from 'vitest';
import { parseMessage } from '../message/parse-message.js';
import type { SipRequest } from '../message/sip-message.js';
import { validateRequest } from '../message/validate-request.js';
import { Dialog } from './dialog.js';

function invite(extra: string): SipRequest {
  const text =
    'INVITE sip:8000@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK1\r\n' +
    'From: "Tony" <sip:5551234@pbx.contoso.com>;tag=abc\r\nTo: <sip:8000@192.0.2.1>\r\nCall-ID: d1\r\n' +
    `CSeq: 7 INVITE\r\nContact: <sip:5551234@192.0.2.9:5070>\r\n${extra}Content-Length: 0\r\n\r\n`;
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.message.kind !== 'request') throw new Error('bad');
  return r.message;
}

function dialogOf(request: SipRequest): Dialog {
  const v = validateRequest(request);
  if (!v.ok) throw new Error(v.reason);
  return new Dialog(v.essentials, request, 'ours', 'udp');
}

describe('a UAS dialog', () => {
  it('builds a BYE to the remote target with the tags swapped and a higher CSeq each time', () => {
    const d = dialogOf(invite(''));
    expect(d.matches('d1', 'ours', 'abc')).toBe(true);
    expect(d.matches('d1', 'other', 'abc')).toBe(false);
    const local = { address: '192.0.2.1', port: 5060, contact: '<sip:umpin@192.0.2.1:5060>' };
    const bye = d.createRequest('BYE', local);
    const refer = d.createRequest('REFER', local);
    expect(bye.uri).toBe('sip:5551234@192.0.2.9:5070');
    expect(bye.headers.get('from')).toBe('<sip:8000@192.0.2.1>;tag=ours');
    expect(bye.headers.get('to')).toBe('"Tony" <sip:5551234@pbx.contoso.com>;tag=abc');
    const seq = (r: SipRequest) => Number(r.headers.get('cseq')!.split(' ')[0]);
    expect(seq(refer)).toBe(seq(bye) + 1);
    expect(bye.headers.get('via')).toMatch(/^SIP\/2\.0\/UDP 192\.0\.2\.1:5060;branch=z9hG4bK/);
    expect(d.nextHop()).toEqual({ host: '192.0.2.9', port: 5070 });
  });

  it('routes by the Record-Route set and refuses an older CSeq', () => {
    const d = dialogOf(invite('Record-Route: <sip:proxy.contoso.com:5080;lr>\r\n'));
    const bye = d.createRequest('BYE', { address: '192.0.2.1', port: 5060, contact: '<sip:umpin@192.0.2.1>' });
    expect(bye.headers.get('route')).toBe('<sip:proxy.contoso.com:5080;lr>');
    expect(d.nextHop()).toEqual({ host: 'proxy.contoso.com', port: 5080 });
    expect(d.acceptSequence(7)).toBe(false);
    expect(d.acceptSequence(8)).toBe(true);
  });
});
