import { describe, expect, it } from 'vitest';
import {
  BARESIP_CANCEL,
  BARESIP_INVITE,
  LINPHONE_INVITE,
  message,
  OPTIONS_COMPACT,
  SIPP_ACK,
  SIPP_BYE,
  SIPP_INVITE,
} from '../../../test/sip-peer-messages.js';
import { parseMessage } from './parse-message.js';
import type { SipRequest } from './sip-message.js';
import { validateRequest } from './validate-request.js';

function request(text: string): SipRequest {
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.message.kind !== 'request') throw new Error('not a request');
  return r.message;
}

const BASE = [
  'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-v1',
  'From: <sip:a@127.0.0.1>;tag=f1',
  'To: <sip:7000@127.0.0.1>',
  'Call-ID: v1@127.0.0.1',
  'CSeq: 1 INVITE',
  'Max-Forwards: 70',
];

function without(name: string, replacement?: string): string[] {
  return BASE.flatMap((l) => (l.startsWith(`${name}:`) ? (replacement === undefined ? [] : [replacement]) : [l]));
}

describe('what a UAS needs from a request', () => {
  it('reads the essentials of every peer request', () => {
    for (const text of [
      SIPP_INVITE,
      BARESIP_INVITE,
      LINPHONE_INVITE,
      SIPP_ACK,
      SIPP_BYE,
      BARESIP_CANCEL,
      OPTIONS_COMPACT,
    ]) {
      const v = validateRequest(request(text));
      expect(v.ok, text.split('\r\n')[0]).toBe(true);
    }
    const v = validateRequest(request(BARESIP_INVITE));
    if (!v.ok) return;
    expect(v.essentials.vias[0]).toMatchObject({ transport: 'UDP', host: '127.0.0.1', port: 35060 });
    expect(v.essentials.cseq).toEqual({ seq: 29871, method: 'INVITE' });
    expect(v.essentials.from.params).toEqual([{ name: 'tag', value: '8a9b0c1d2e3f4a5b' }]);
    expect(v.essentials.requestUri).toMatchObject({ user: '7000', port: 5060 });
    expect(v.essentials.maxForwards).toBe(70);
    expect(v.essentials.contacts).toHaveLength(1);
  });

  it('answers 400 naming a malformed Via below the top, and drops a request whose top Via is unreadable', () => {
    const second = request(message(['INVITE sip:7000@127.0.0.1 SIP/2.0', ...BASE, 'Via: SIP/2.0/UDP ;;;']));
    expect(validateRequest(second)).toEqual({ ok: false, status: 400, reason: 'Malformed Via', canRespond: true });
    const top = request(message(['INVITE sip:7000@127.0.0.1 SIP/2.0', ...without('Via', 'Via: SIP/2.0/UDP')]));
    expect(validateRequest(top)).toEqual({ ok: false, status: 400, reason: 'Malformed Via', canRespond: false });
    const none = request(message(['INVITE sip:7000@127.0.0.1 SIP/2.0', ...without('Via')]));
    expect(validateRequest(none)).toMatchObject({ ok: false, reason: 'Missing Via', canRespond: false });
  });

  it('answers 400 naming each missing or malformed mandatory header', () => {
    const cases: [string[], string][] = [
      [without('From'), 'Missing From'],
      [without('To'), 'Missing To'],
      [without('Call-ID'), 'Missing Call-ID'],
      [without('CSeq'), 'Missing CSeq'],
      [without('From', 'From: <sip:a@127.0.0.1'), 'Malformed From'],
      [without('CSeq', 'CSeq: 1 BYE'), 'CSeq method does not match the request'],
      [without('CSeq', 'CSeq: x INVITE'), 'Malformed CSeq'],
      [without('Max-Forwards', 'Max-Forwards: 300'), 'Malformed Max-Forwards'],
      [[...BASE, 'To: <sip:b@127.0.0.1>'], 'More than one To'],
      [[...BASE, 'Contact: <sip:a@b'], 'Malformed Contact'],
    ];
    for (const [headers, reason] of cases) {
      expect(validateRequest(request(message(['INVITE sip:7000@127.0.0.1 SIP/2.0', ...headers]))), reason).toEqual({
        ok: false,
        status: 400,
        reason,
        canRespond: true,
      });
    }
  });

  it('answers 416 to a Request-URI of another scheme and accepts a missing Max-Forwards', () => {
    expect(validateRequest(request(message(['INVITE tel:+15551234 SIP/2.0', ...BASE])))).toMatchObject({ status: 416 });
    const v = validateRequest(request(message(['INVITE sip:7000@127.0.0.1 SIP/2.0', ...without('Max-Forwards')])));
    expect(v.ok && v.essentials.maxForwards).toBeNull();
  });
});
