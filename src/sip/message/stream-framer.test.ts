import { describe, expect, it } from 'vitest';
import { BARESIP_INVITE, message, OPTIONS_COMPACT, SIPP_BYE } from '../../../test/sip-peer-messages.js';
import { type FramerEvent, SipStreamFramer } from './stream-framer.js';

function summary(events: FramerEvent[]): string[] {
  return events.map((e) => {
    if (e.type === 'message') {
      const start = e.message.kind === 'request' ? e.message.method : String(e.message.status);
      return `${start} ${e.message.headers.get('call-id')} ${e.message.body.length}`;
    }
    return e.type === 'keepalive' ? 'keepalive' : `${e.type} ${e.failure.reason}`;
  });
}

function feed(framer: SipStreamFramer, chunks: readonly (string | Buffer)[]): FramerEvent[] {
  return chunks.flatMap((c) => framer.push(Buffer.from(c)));
}

describe('framing SIP messages on a TCP stream', () => {
  it('splits two messages cut at awkward points: inside the CRLF CRLF, inside Content-Length, inside the body', () => {
    const stream = BARESIP_INVITE + OPTIONS_COMPACT;
    const headerEnd = BARESIP_INVITE.indexOf('\r\n\r\n');
    const lengthAt = BARESIP_INVITE.indexOf('Content-Length: ') + 'Content-Len'.length;
    const cuts = [
      3,
      lengthAt,
      headerEnd + 1,
      headerEnd + 3,
      headerEnd + 40,
      BARESIP_INVITE.length - 1,
      BARESIP_INVITE.length + 2,
    ];
    const chunks: string[] = [];
    let from = 0;
    for (const c of cuts) {
      chunks.push(stream.slice(from, c));
      from = c;
    }
    chunks.push(stream.slice(from));
    const framer = new SipStreamFramer();
    expect(summary(feed(framer, chunks))).toEqual(['INVITE 2f3e4d5c6b7a8990 231', 'OPTIONS opt-1@127.0.0.1 0']);
    expect(framer.buffered).toBe(0);
  });

  it('gives the same messages byte by byte as in one chunk', () => {
    const stream = SIPP_BYE + BARESIP_INVITE + SIPP_BYE;
    const whole = summary(new SipStreamFramer().push(Buffer.from(stream)));
    const framer = new SipStreamFramer();
    expect(summary(feed(framer, [...stream]))).toEqual(whole);
    expect(whole).toHaveLength(3);
  });

  it('answers RFC 5626 double-CRLF pings and skips single CRLF pongs between messages', () => {
    const framer = new SipStreamFramer();
    expect(summary(feed(framer, ['\r\n\r\n', '\r', '\n\r\n', SIPP_BYE, '\r\n', '\r\n\r\n', SIPP_BYE]))).toEqual([
      'keepalive',
      'keepalive',
      'BYE 1-4242@127.0.1.1 0',
      // CRLF CRLF CRLF: a ping, then a pong
      'keepalive',
      'BYE 1-4242@127.0.1.1 0',
    ]);
  });

  it('refuses a message without Content-Length: the stream cannot be framed after it', () => {
    const framer = new SipStreamFramer();
    const events = feed(framer, [message(['OPTIONS sip:a@b SIP/2.0', 'Call-ID: x'], '', null), SIPP_BYE]);
    expect(summary(events)).toEqual(['fatal content-length-missing']);
    expect(framer.failed).toBe(true);
    expect(framer.push(Buffer.from(SIPP_BYE))).toEqual([]);
  });

  it('refuses a message over the size limit from its Content-Length, before the body arrives', () => {
    const framer = new SipStreamFramer({ maxMessageBytes: 4096, maxHeaders: 50 });
    const head = message(['MESSAGE sip:a@b SIP/2.0', 'Call-ID: big'], '', 5000).replace(/\r\n\r\n$/, '\r\n\r\n');
    expect(summary(framer.push(Buffer.from(head)))).toEqual(['fatal too-large']);
    expect(framer.buffered).toBe(0);
  });

  it('stops buffering a header section that never ends at the limit', () => {
    const framer = new SipStreamFramer({ maxMessageBytes: 4096, maxHeaders: 50 });
    const events: FramerEvent[] = [];
    events.push(...framer.push(Buffer.from('INVITE sip:a@b SIP/2.0\r\n')));
    for (let i = 0; i < 100 && !framer.failed; i++)
      events.push(...framer.push(Buffer.from(`X-Filler: ${'y'.repeat(90)}\r\n`)));
    expect(summary(events)).toEqual(['fatal too-large']);
    expect(framer.buffered).toBe(0);
  });

  it('skips a message with a bad header line when its Content-Length still frames it', () => {
    const framer = new SipStreamFramer();
    const bad = message(['BYE sip:a@b SIP/2.0', 'Bad line without colon'], 'xy');
    expect(summary(feed(framer, [bad, SIPP_BYE]))).toEqual(['invalid header-syntax', 'BYE 1-4242@127.0.1.1 0']);
  });
});
