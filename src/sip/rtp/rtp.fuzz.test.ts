/**
 * Fuzzing RTP: random datagrams parse to a packet or a named failure, and a parsed packet
 * writes back to bytes that parse to the same packet; the RFC 4733 tracker, fed random
 * event packets with colliding SSRCs, timestamps and sequence numbers in any order with
 * duplicates, yields exactly one key per (SSRC, timestamp) of a DTMF event, and ignores
 * garbage.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it, vi } from 'vitest';
import { parseRtp, type RtpPacket, serializeRtp } from './rtp-packet.js';
import { serializeTelephoneEvent } from './telephone-event.js';
import { TelephoneEventTracker } from './telephone-event-tracker.js';

vi.setConfig({ testTimeout: 120_000 });

/** Cases: part of the 1,000,000 across the SIP, SDP and RTP fuzzers. */
const RUNS = { packets: 250_000, tracker: 100_000 };

function packetOf(bytes: Buffer): RtpPacket {
  const r = parseRtp(bytes);
  assert.ok(r.ok);
  return r.packet;
}

describe('fuzzing RTP and RFC 4733', () => {
  it('random datagrams: a packet or a named failure, and a parsed packet round-trips', () => {
    const datagrams = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ minLength: 12, maxLength: 200 }).map((b) => {
        b[0] = 0x80 | (b[0]! & 0x3f);
        return b;
      }),
    );
    fc.assert(
      fc.property(datagrams, (bytes) => {
        const r = parseRtp(bytes);
        if (!r.ok) return;
        const p = r.packet;
        const again = parseRtp(serializeRtp({ ...p, extension: p.extension, csrcs: p.csrcs }));
        assert.ok(again.ok);
        assert.deepEqual(
          {
            ...again.packet,
            payload: [...again.packet.payload],
            extension: again.packet.extension && [...again.packet.extension.data],
          },
          { ...p, payload: [...p.payload], extension: p.extension && [...p.extension.data] },
        );
      }),
      { numRuns: RUNS.packets },
    );
  });

  it('the tracker: one key per (SSRC, timestamp) of a DTMF event, in any order, with any duplicates', () => {
    const ev = fc.record({
      ssrc: fc.integer({ min: 1, max: 4 }),
      timestamp: fc.constantFrom(0, 160, 320, 0xffffffff),
      sequence: fc.constantFrom(0, 1, 2, 65535),
      event: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 16, max: 255 })),
      end: fc.boolean(),
      duration: fc.oneof(fc.constantFrom(0, 160, 65535), fc.integer({ min: 0, max: 65535 })),
      payloadType: fc.constantFrom(96, 101, 0),
      short: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 30 }), (evs) => {
        const tracker = new TelephoneEventTracker([96, 101]);
        const expected = new Set<string>();
        const got: string[] = [];
        for (const e of evs) {
          const payload = e.short
            ? Buffer.from([e.event])
            : serializeTelephoneEvent({ event: e.event, end: e.end, volume: 10, duration: e.duration });
          const p = packetOf(
            serializeRtp({
              payloadType: e.payloadType,
              sequence: e.sequence,
              timestamp: e.timestamp,
              ssrc: e.ssrc,
              payload,
            }),
          );
          const key = `${e.ssrc}/${e.timestamp}`;
          // the first DTMF packet of an identity decides; later ones, of any event, are the same event
          if (e.payloadType !== 0 && !e.short && e.event <= 15 && !expected.has(key)) expected.add(key);
          const k = tracker.push(p);
          if (k !== null) got.push(`${k.ssrc}/${k.timestamp}`);
        }
        assert.deepEqual(got, [...expected]);
      }),
      { numRuns: RUNS.tracker },
    );
  });
});
