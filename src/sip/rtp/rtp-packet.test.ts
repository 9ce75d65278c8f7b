import { describe, expect, it } from 'vitest';
import { parseRtp, serializeRtp } from './rtp-packet.js';
import { dtmfKey, parseTelephoneEvent, serializeTelephoneEvent } from './telephone-event.js';

describe('RTP packets (RFC 3550)', () => {
  it('reads every header field, CSRCs, the extension and padding', () => {
    const bytes = serializeRtp({
      marker: true,
      payloadType: 101,
      sequence: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      csrcs: [1, 2],
      extension: { profile: 0xbede, data: Buffer.from([1, 2, 3, 4]) },
      payload: Buffer.from([9, 8, 7]),
      padding: 5,
    });
    expect(bytes[0]).toBe(0x80 | 0x20 | 0x10 | 2);
    const r = parseRtp(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.packet).toMatchObject({
      marker: true,
      payloadType: 101,
      sequence: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      csrcs: [1, 2],
      padding: 5,
    });
    expect([...r.packet.payload]).toEqual([9, 8, 7]);
    expect(r.packet.extension?.profile).toBe(0xbede);
    expect([...r.packet.extension!.data]).toEqual([1, 2, 3, 4]);
  });

  it('reads a plain 20 ms G.711 frame', () => {
    const frame = serializeRtp({
      payloadType: 0,
      sequence: 1,
      timestamp: 160,
      ssrc: 7,
      payload: Buffer.alloc(160, 0xff),
    });
    expect(frame.length).toBe(172);
    expect(parseRtp(frame)).toMatchObject({
      ok: true,
      packet: { marker: false, payloadType: 0, padding: 0, extension: null },
    });
  });

  it('refuses malformed packets cleanly', () => {
    // the payload, read as an extension header, would announce 5 words
    const good = serializeRtp({
      payloadType: 0,
      sequence: 1,
      timestamp: 1,
      ssrc: 1,
      payload: Buffer.from([0, 0, 0, 5]),
    });
    expect(parseRtp(good.subarray(0, 11))).toEqual({ ok: false, failure: 'too-short' });
    expect(parseRtp(Buffer.from([0x40, ...good.subarray(1)]))).toEqual({ ok: false, failure: 'version' });
    expect(parseRtp(Buffer.from([0x8f, ...good.subarray(1)]))).toEqual({ ok: false, failure: 'csrc-overrun' });
    expect(parseRtp(Buffer.from([0x90, ...good.subarray(1)]))).toMatchObject({
      ok: false,
      failure: 'extension-overrun',
    });
    const padded = Buffer.from(good);
    padded[0] = 0xa0;
    padded[padded.length - 1] = 0;
    expect(parseRtp(padded)).toEqual({ ok: false, failure: 'padding' });
    padded[padded.length - 1] = 200;
    expect(parseRtp(padded)).toEqual({ ok: false, failure: 'padding' });
  });
});

describe('RFC 4733 telephone-event payloads', () => {
  it('reads event, end bit, volume and duration', () => {
    expect(parseTelephoneEvent(Buffer.from([11, 0x80 | 10, 0x03, 0x20]))).toEqual({
      event: 11,
      end: true,
      volume: 10,
      duration: 800,
    });
    expect(parseTelephoneEvent(Buffer.from([1, 2, 3]))).toBeNull();
    const e = { event: 5, end: false, volume: 63, duration: 65535 };
    expect(parseTelephoneEvent(serializeTelephoneEvent(e))).toEqual(e);
  });

  it('names the keys 0–9, *, #, A–D and nothing beyond', () => {
    expect([...Array(16).keys()].map(dtmfKey).join('')).toBe('0123456789*#ABCD');
    expect(dtmfKey(16)).toBeNull();
  });
});
