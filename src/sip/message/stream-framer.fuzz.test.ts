/**
 * Fuzzing the stream framer: streams of mutated peer messages and keep-alives, cut into
 * random chunks, give exactly the events the same bytes give in one chunk (messages,
 * keep-alives, skipped and fatal failures), under the default limit and a small one that
 * makes the size checks fire.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it, vi } from 'vitest';
import { chunk, cutsArb, mutatedArb } from '../../../test/sip-fuzz.js';
import { PEER_MESSAGES } from '../../../test/sip-peer-messages.js';
import { serializeMessage } from './serialize-message.js';
import { type FramerEvent, SipStreamFramer } from './stream-framer.js';

// a generous timeout only catches a hang or a quadratic blow-up, never a busy machine
vi.setConfig({ testTimeout: 120_000 });

/** Cases: part of the 1,000,000 across the SIP, SDP and RTP fuzzers. */
const RUNS = { framer: 40_000 };

const SEEDS = [...PEER_MESSAGES];

function framerSummary(events: FramerEvent[]): string[] {
  return events.map((e) => (e.type === 'message' ? serializeMessage(e.message).toString('latin1') : JSON.stringify(e)));
}

describe('fuzzing the SIP stream framer', () => {
  it('the stream framer: any chunking gives the same events as one chunk', () => {
    const stream = fc.array(fc.oneof(mutatedArb(SEEDS, 2), fc.constant(Buffer.from('\r\n\r\n'))), {
      minLength: 1,
      maxLength: 4,
    });
    const limits = fc.constantFrom(
      { maxMessageBytes: 64 * 1024, maxHeaders: 200 },
      { maxMessageBytes: 400, maxHeaders: 8 },
    );
    fc.assert(
      fc.property(stream, cutsArb, limits, (parts, cuts, lim) => {
        const data = Buffer.concat(parts);
        const whole = framerSummary(new SipStreamFramer(lim).push(data));
        const framer = new SipStreamFramer(lim);
        const pieces = framerSummary(chunk(data, cuts).flatMap((c) => framer.push(c)));
        assert.deepEqual(pieces, whole);
        assert.ok(framer.buffered <= data.length);
      }),
      { numRuns: RUNS.framer },
    );
  });
});
