import { describe, expect, it } from 'vitest';
import {
  BARESIP_CANCEL,
  BARESIP_INVITE,
  BARESIP_OFFER,
  LINPHONE_INVITE,
  message,
  OK_RESPONSE,
  OPTIONS_COMPACT,
  SIPP_ACK,
  SIPP_BYE,
  SIPP_INVITE,
} from '../../../test/sip-peer-messages.js';
import { parseMessage } from './parse-message.js';
import { serializeMessage } from './serialize-message.js';
import type { SipMessage } from './sip-message.js';

function parsed(text: string | Buffer): SipMessage {
  const r = parseMessage(Buffer.from(text));
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.message;
}

describe('parsing a SIP message from a datagram', () => {
  it("reads sipp's INVITE: request line, headers, the SDP body", () => {
    const m = parsed(SIPP_INVITE);
    expect(m.kind).toBe('request');
    if (m.kind !== 'request') return;
    expect(m.method).toBe('INVITE');
    expect(m.uri).toBe('sip:7000@127.0.0.1:5060');
    expect(m.headers.get('call-id')).toBe('1-4242@127.0.1.1');
    expect(m.headers.get('CSEQ')).toBe('1 INVITE');
    expect(m.body.toString()).toMatch(/^v=0\r\n/);
    expect(m.body.length).toBe(Number(m.headers.get('content-length')));
  });

  it("keeps baresip's empty Supported header and splits its Allow list", () => {
    const m = parsed(BARESIP_INVITE);
    expect(m.headers.has('supported')).toBe(true);
    expect(m.headers.get('supported')).toBe('');
    expect(m.headers.values('supported')).toEqual([]);
    expect(m.headers.values('allow')).toContain('REFER');
    expect(m.body.toString()).toBe(BARESIP_OFFER);
  });

  it("splits linphonec's Contact only outside quotes and angle brackets", () => {
    const m = parsed(LINPHONE_INVITE);
    expect(m.headers.values('contact')).toEqual([
      '<sip:127.0.0.1:5062;transport=udp>;+org.linphone.specs="ephemeral/1.1,groupchat/1.1,lime"',
    ]);
    expect(m.headers.values('supported')).toEqual(['replaces', 'outbound', 'gruu', 'path', 'record-aware']);
  });

  it('reads ACK, BYE, CANCEL and a response', () => {
    expect(parsed(SIPP_ACK)).toMatchObject({ kind: 'request', method: 'ACK' });
    expect(parsed(SIPP_BYE)).toMatchObject({ kind: 'request', method: 'BYE' });
    expect(parsed(BARESIP_CANCEL)).toMatchObject({ kind: 'request', method: 'CANCEL' });
    expect(parsed(OK_RESPONSE)).toMatchObject({ kind: 'response', status: 200, reason: 'OK' });
  });

  it('expands compact header names, whatever their case', () => {
    const m = parsed(OPTIONS_COMPACT);
    expect(m.headers.get('Via')).toBe('SIP/2.0/TCP 127.0.0.1:49152;branch=z9hG4bK-opt-1');
    expect(m.headers.get('from')).toMatch(/^"Health/);
    expect(m.headers.get('To')).toBe('<sip:umpin@127.0.0.1>');
    expect(m.headers.get('Call-ID')).toBe('opt-1@127.0.0.1');
    expect(m.headers.get('content-length')).toBe('0');
    expect(parsed(message(['BYE sip:a@b SIP/2.0', 'V: SIP/2.0/UDP h;branch=z9hG4bK1'])).headers.get('via')).toBe(
      'SIP/2.0/UDP h;branch=z9hG4bK1',
    );
  });

  it('unfolds continuation lines and joins several lines of one list header in order', () => {
    const m = parsed(
      message([
        'OPTIONS sip:a@b SIP/2.0',
        'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKa,',
        '\tSIP/2.0/UDP p2.example.com;branch=z9hG4bKb',
        'Subject: I know you are there,',
        '   pick up the phone',
        'v: SIP/2.0/UDP p3.example.com;branch=z9hG4bKc',
      ]),
    );
    expect(m.headers.values('via').map((v) => v.split(' ')[1]!.split(';')[0])).toEqual([
      'p1.example.com',
      'p2.example.com',
      'p3.example.com',
    ]);
    expect(m.headers.values('subject')).toEqual(['I know you are there, pick up the phone']);
  });

  it('tolerates empty lines before the start line and bare LF line ends', () => {
    const m = parsed(`\r\n\r\nBYE sip:a@b SIP/2.0\nCall-ID: x\n\n`);
    expect(m).toMatchObject({ kind: 'request', method: 'BYE' });
    expect(m.headers.get('call-id')).toBe('x');
  });

  it('bounds the body by Content-Length and drops what follows in the datagram', () => {
    const m = parsed(`${message(['MESSAGE sip:a@b SIP/2.0'], 'hello')}TRAILING JUNK`);
    expect(m.body.toString()).toBe('hello');
  });

  it('takes the rest of the datagram as the body when Content-Length is absent', () => {
    const m = parsed(message(['MESSAGE sip:a@b SIP/2.0'], 'hello there', null));
    expect(m.body.toString()).toBe('hello there');
  });

  it('refuses a Content-Length beyond the datagram, a non-number, and disagreeing values', () => {
    expect(parseMessage(Buffer.from(message(['BYE sip:a@b SIP/2.0'], 'abc', 99)))).toMatchObject({
      ok: false,
      reason: 'body-truncated',
    });
    expect(parseMessage(Buffer.from(message(['BYE sip:a@b SIP/2.0', 'Content-Length: 1x'], '', null)))).toMatchObject({
      ok: false,
      reason: 'content-length',
    });
    expect(
      parseMessage(Buffer.from(message(['BYE sip:a@b SIP/2.0', 'l: 0', 'Content-Length: 3'], 'abc', null))),
    ).toMatchObject({ ok: false, reason: 'content-length' });
    expect(parseMessage(Buffer.from(message(['BYE sip:a@b SIP/2.0'], '', 99999999999)))).toMatchObject({
      ok: false,
      reason: 'content-length',
    });
  });

  it('names what is wrong with the start line, the version or a header line', () => {
    expect(parseMessage(Buffer.from('HELLO\r\n\r\n'))).toMatchObject({ ok: false, reason: 'start-line' });
    expect(parseMessage(Buffer.from('INVITE sip:a@b SIP/3.0\r\n\r\n'))).toMatchObject({ ok: false, reason: 'version' });
    expect(parseMessage(Buffer.from('SIP/2.0 99 Odd\r\n\r\n'))).toMatchObject({ ok: false, reason: 'start-line' });
    const bad = parseMessage(Buffer.from('INVITE sip:a@b SIP/2.0\r\nVia SIP/2.0/UDP x\r\n\r\n'));
    expect(bad).toMatchObject({ ok: false, reason: 'header-syntax' });
    if (!bad.ok) expect(bad.detail).toContain('Via SIP/2.0/UDP x');
    expect(parseMessage(Buffer.from('\r\n\r\n'))).toMatchObject({ ok: false, reason: 'empty' });
    expect(parseMessage(Buffer.from('INVITE sip:a@b SIP/2.0\r\nVia: x'))).toMatchObject({
      ok: false,
      reason: 'no-header-end',
    });
  });

  it('refuses a datagram over the size limit and a message with too many headers', () => {
    const limits = { maxMessageBytes: 1000, maxHeaders: 10 };
    const big = message(['MESSAGE sip:a@b SIP/2.0'], 'x'.repeat(1000));
    expect(parseMessage(Buffer.from(big), limits)).toMatchObject({ ok: false, reason: 'too-large' });
    const many = message(
      ['OPTIONS sip:a@b SIP/2.0', ...Array.from({ length: 11 }, (_, i) => `X-${i}: ${i}`)],
      '',
      null,
    );
    expect(parseMessage(Buffer.from(many), limits)).toMatchObject({ ok: false, reason: 'too-many-headers' });
  });

  it('a datagram at the header limit without a Content-Length parses again once serialized with one', () => {
    const limits = { maxMessageBytes: 1000, maxHeaders: 10 };
    const full = message(
      ['OPTIONS sip:a@b SIP/2.0', ...Array.from({ length: 10 }, (_, i) => `X-${i}: ${i}`)],
      '',
      null,
    );
    const r = parseMessage(Buffer.from(full), limits);
    if (!r.ok) throw new Error(r.reason);
    expect(parseMessage(serializeMessage(r.message), limits)).toMatchObject({ ok: true });
    // one Content-Length goes uncounted, a second does not
    const twice = message(
      ['OPTIONS sip:a@b SIP/2.0', ...Array.from({ length: 10 }, (_, i) => `X-${i}: ${i}`), 'l: 0', 'Content-Length: 0'],
      '',
      null,
    );
    expect(parseMessage(Buffer.from(twice), limits)).toMatchObject({ ok: false });
  });

  it('serializes back what it parsed, with a Content-Length that matches the body', () => {
    for (const text of [SIPP_INVITE, BARESIP_INVITE, LINPHONE_INVITE, OPTIONS_COMPACT, OK_RESPONSE]) {
      expect(serializeMessage(parsed(text)).toString()).toBe(text);
    }
    const noLength = parsed(message(['MESSAGE sip:a@b SIP/2.0'], 'hi', null));
    expect(serializeMessage(noLength).toString()).toBe(message(['MESSAGE sip:a@b SIP/2.0'], 'hi'));
  });
});
