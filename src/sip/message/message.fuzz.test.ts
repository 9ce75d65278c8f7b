/**
 * Fuzzing the SIP message layer: random bytes and mutations of real-looking peer
 * messages never make a parser throw or hang; what parses serializes stably
 * (serialize(parse(x)) parses back to the same bytes); the typed header parsers, the
 * request check and the response builder take whatever a parsed message holds.
 *
 * The stream framer's fuzzer is stream-framer.fuzz.test.ts (its own file, so that the two
 * run in parallel).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { PEER_MESSAGES, PEER_OFFERS } from '../../../test/sip-peer-messages.js';
import { mutatedArb } from '../../../test/sip-fuzz.js';
import { parseCSeq } from './cseq.js';
import { parseNameAddr, serializeNameAddr } from './name-addr.js';
import { parseMessage } from './parse-message.js';
import { stampReceived } from './received-via.js';
import { buildResponse } from './response-builder.js';
import { serializeMessage } from './serialize-message.js';
import { parseSipUri, serializeSipUri } from './sip-uri.js';
import { splitList } from './split-list.js';
import { SipStreamFramer } from './stream-framer.js';
import { validateRequest } from './validate-request.js';
import { parseVia, serializeVia } from './via.js';

// a generous timeout only catches a hang or a quadratic blow-up, never a busy machine
vi.setConfig({ testTimeout: 120_000 });

/** Cases per property; with the framer's, SDP's and RTP's fuzzers they make 1,000,000. */
const RUNS = { randomBytes: 150_000, mutated: 200_000, headerValues: 60_000 };

const SEEDS = [...PEER_MESSAGES];
const HEADER_SEEDS = [
  ...PEER_MESSAGES.flatMap((m) => m.split('\r\n\r\n')[0]!.split('\r\n').slice(1)).map((l) =>
    l.slice(l.indexOf(':') + 1).trim(),
  ),
  ...PEER_OFFERS.slice(0, 1),
];

const REASONS = new Set([
  'empty',
  'no-header-end',
  'start-line',
  'version',
  'header-syntax',
  'too-many-headers',
  'too-large',
  'content-length',
  'content-length-missing',
  'body-truncated',
]);

/** Everything a transport and the layers above would do with one datagram. */
function exercise(data: Buffer): void {
  const r = parseMessage(data);
  if (!r.ok) {
    assert.ok(REASONS.has(r.reason) && typeof r.detail === 'string', r.reason);
    return;
  }
  const once = serializeMessage(r.message);
  const again = parseMessage(once);
  assert.ok(again.ok, 'what serializes parses again');
  assert.ok(serializeMessage(again.message).equals(once), 'serialize(parse(x)) is stable');
  if (r.message.kind === 'request') {
    const v = validateRequest(r.message);
    if (!v.ok) assert.ok(v.status === 400 || v.status === 416);
    serializeMessage(buildResponse(r.message, 400, { toTag: 'fz' }));
    serializeMessage(stampReceived(r.message, '192.0.2.1', 5060));
  }
}

describe('fuzzing the SIP message parser', () => {
  it('random bytes: a message or a named failure, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => exercise(Buffer.from(bytes))),
      { numRuns: RUNS.randomBytes },
    );
  });

  it('mutated peer messages: never an exception, and serialize(parse(x)) is stable', () => {
    fc.assert(fc.property(mutatedArb(SEEDS), exercise), { numRuns: RUNS.mutated });
  });

  it('header values: the typed parsers return a value or null, and what they read writes back the same', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedArb(HEADER_SEEDS, 4).map((b) => b.toString('utf8')),
          fc.string({ maxLength: 80 }),
        ),
        (v) => {
          splitList(v);
          parseCSeq(v);
          const via = parseVia(v);
          if (via) expect(parseVia(serializeVia(via))).toEqual(via);
          const uri = parseSipUri(v);
          if (uri) expect(parseSipUri(serializeSipUri(uri))).toEqual(uri);
          const addr = parseNameAddr(v);
          if (addr) expect(parseNameAddr(serializeNameAddr(addr))).toEqual(addr);
        },
      ),
      { numRuns: RUNS.headerValues },
    );
  });

  it('pathological input finishes: many headers, a huge Content-Length, long lines, deep folding', () => {
    const many = `OPTIONS sip:a@b SIP/2.0\r\n${'X: y\r\n'.repeat(10_000)}\r\n`;
    expect(parseMessage(Buffer.from(many), { maxMessageBytes: 1 << 20, maxHeaders: 200 })).toMatchObject({
      ok: false,
      reason: 'too-many-headers',
    });
    const huge = 'BYE sip:a@b SIP/2.0\r\nContent-Length: 4294967295\r\n\r\n';
    expect(parseMessage(Buffer.from(huge))).toMatchObject({ ok: false, reason: 'body-truncated' });
    expect(new SipStreamFramer().push(Buffer.from(huge))).toMatchObject([
      { type: 'fatal', failure: { reason: 'too-large' } },
    ]);
    const longVia = `SIP/2.0/UDP ${'a'.repeat(60_000)};${';'.repeat(1000)}`;
    expect(parseVia(longVia)).toBeNull();
    const folded = `OPTIONS sip:a@b SIP/2.0\r\nSubject: x${'\r\n y'.repeat(15_000)}\r\n\r\n`;
    expect(parseMessage(Buffer.from(folded)).ok).toBe(true);
    const params = `<sip:a@b>${';p="\\"'.repeat(8000)}`;
    expect(parseNameAddr(params)).toBeNull();
    const framer = new SipStreamFramer();
    const events = [];
    for (let i = 0; i < 2000 && !framer.failed; i++) events.push(...framer.push(Buffer.from('a'.repeat(1000))));
    expect(events).toMatchObject([{ type: 'fatal', failure: { reason: 'too-large' } }]);
  });
});
