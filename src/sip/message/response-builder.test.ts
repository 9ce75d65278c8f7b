import { describe, expect, it } from 'vitest';
import { BARESIP_INVITE, LINPHONE_INVITE, message, OK_RESPONSE, SIPP_ACK } from '../../../test/sip-peer-messages.js';
import { parseMessage } from './parse-message.js';
import { stampReceived } from './received-via.js';
import { buildResponse } from './response-builder.js';
import { serializeMessage } from './serialize-message.js';
import type { SipRequest } from './sip-message.js';
import { validateResponse } from './validate-response.js';

function request(text: string): SipRequest {
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.message.kind !== 'request') throw new Error('not a request');
  return r.message;
}

describe('building a response to a request', () => {
  it('copies Via, From, To, Call-ID and CSeq, and adds our To tag above 100', () => {
    const invite = request(BARESIP_INVITE);
    const ringing = buildResponse(invite, 180, { toTag: 'um1' });
    expect(ringing.reason).toBe('Ringing');
    expect(ringing.headers.fields()).toEqual([
      { name: 'Via', value: 'SIP/2.0/UDP 127.0.0.1:35060;branch=z9hG4bK3c1a0e4f5b6a7c8d;rport' },
      { name: 'From', value: '<sip:tester@127.0.0.1>;tag=8a9b0c1d2e3f4a5b' },
      { name: 'To', value: '<sip:7000@127.0.0.1:5060>;tag=um1' },
      { name: 'Call-ID', value: '2f3e4d5c6b7a8990' },
      { name: 'CSeq', value: '29871 INVITE' },
    ]);
    expect(buildResponse(invite, 100, { toTag: 'um1' }).headers.get('to')).toBe('<sip:7000@127.0.0.1:5060>');
  });

  it('keeps a To tag already there, and the order of several Via lines', () => {
    const ack = request(SIPP_ACK);
    expect(buildResponse(ack, 200, { toTag: 'other' }).headers.get('to')).toBe(
      '7000 <sip:7000@127.0.0.1:5060>;tag=umpin-1',
    );
    const proxied = request(
      message([
        'OPTIONS sip:a@b SIP/2.0',
        'Via: SIP/2.0/UDP p1;branch=z9hG4bK1, SIP/2.0/UDP p2;branch=z9hG4bK2',
        'Via: SIP/2.0/UDP p3;branch=z9hG4bK3',
        'From: <sip:x@y>;tag=1',
        'To: <sip:a@b>',
        'Call-ID: c',
        'CSeq: 1 OPTIONS',
        'Timestamp: 54',
      ]),
    );
    const trying = buildResponse(proxied, 100);
    expect(trying.headers.values('via').map((v) => v.split(' ')[1]!.split(';')[0])).toEqual(['p1', 'p2', 'p3']);
    expect(trying.headers.get('timestamp')).toBe('54');
  });

  it('carries a body with its Content-Type and a Content-Length that the serializer writes', () => {
    const ok = buildResponse(request(LINPHONE_INVITE), 200, {
      toTag: 't',
      headers: [['Contact', '<sip:umpin@127.0.0.1:5060>']],
      body: Buffer.from('v=0\r\n'),
      contentType: 'application/sdp',
    });
    const text = serializeMessage(ok).toString();
    expect(text).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(text).toContain('\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n');
    expect(text).toContain('To: sip:7000@127.0.0.1;tag=t\r\n');
  });

  it('stamps received and rport on the top Via (RFC 3581)', () => {
    const stamped = stampReceived(request(BARESIP_INVITE), '192.0.2.7', 40000);
    expect(stamped.headers.get('via')).toBe(
      'SIP/2.0/UDP 127.0.0.1:35060;branch=z9hG4bK3c1a0e4f5b6a7c8d;rport=40000;received=192.0.2.7',
    );
    const same = request(
      message([
        'OPTIONS sip:a@b SIP/2.0',
        'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1, SIP/2.0/UDP p2;branch=z9hG4bK2',
      ]),
    );
    expect(stampReceived(same, '10.0.0.1', 5060)).toBe(same);
    expect(stampReceived(same, '10.0.0.2', 5060).headers.values('via')).toEqual([
      'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=10.0.0.2',
      'SIP/2.0/UDP p2;branch=z9hG4bK2',
    ]);
  });
});

describe('what a client transaction needs from a response', () => {
  it('reads the top Via, the tags and CSeq of a response, and drops one it cannot match', () => {
    const r = parseMessage(Buffer.from(OK_RESPONSE));
    if (!r.ok || r.message.kind !== 'response') throw new Error('not a response');
    const v = validateResponse(r.message);
    expect(v.ok && v.essentials).toMatchObject({ status: 200, cseq: { method: 'REFER' }, viaCount: 1 });
    const bad = parseMessage(Buffer.from(OK_RESPONSE.replace('CSeq: 1 REFER', 'CSeq: REFER')));
    if (!bad.ok || bad.message.kind !== 'response') throw new Error('not a response');
    expect(validateResponse(bad.message)).toEqual({ ok: false, reason: 'Missing or malformed CSeq' });
  });
});
