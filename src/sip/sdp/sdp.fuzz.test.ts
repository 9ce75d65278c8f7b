/**
 * Fuzzing SDP offer/answer: generated offers (m-lines, rtpmap, fmtp, crypto, direction and
 * connection lines with hostile values) and mutations of the peers' offers never make the
 * negotiation throw or hang; an accepted offer's choice is one the offer made (G.711 at a
 * type it listed, telephone-event at an 8 kHz type it mapped), and our answer, read as an
 * offer, negotiates to the same choice. SDES lines of any text parse or refuse cleanly.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'sdp-transform';
import { describe, it, vi } from 'vitest';
import { mutatedArb } from '../../../test/sip-fuzz.js';
import { PEER_OFFERS } from '../../../test/sip-peer-messages.js';
import { type LocalMedia, negotiateAnswer } from './negotiate-answer.js';
import { parseSdesCrypto } from './sdes-crypto.js';

vi.setConfig({ testTimeout: 120_000 });

/** Cases: part of the 1,000,000 across the SIP, SDP and RTP fuzzers. */
const RUNS = { offers: 150_000, crypto: 50_000 };

const KEY = { key: Buffer.alloc(16, 7), salt: Buffer.alloc(14, 9) };

const pt = fc.oneof(fc.constantFrom(0, 8, 18, 96, 100, 101, 127), fc.integer({ min: 0, max: 300 }));
const word = fc.oneof(
  fc.constantFrom('', ' ', 'x', '-', '/', ':', '0.0.0.0', '::1', '2^20', '|', '0-15'),
  fc.string({ maxLength: 10 }),
);
const line: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('audio', 'video', 'AUDIO'),
      fc.oneof(fc.constantFrom(0, 4000, 65535, 65536, -1), fc.integer()),
      fc.constantFrom('RTP/AVP', 'RTP/SAVP', 'RTP/SAVPF', 'UDP/TLS/RTP/SAVP', 'rtp/avp', 'x'),
      fc.array(pt, { maxLength: 6 }),
    )
    .map(([t, port, proto, pts]) => `m=${t} ${port} ${proto} ${pts.join(' ')}`),
  fc
    .tuple(
      pt,
      fc.constantFrom('PCMU', 'PCMA', 'pcma', 'telephone-event', 'opus', 'G729'),
      fc.constantFrom('8000', '48000', '8000/2', '', 'x'),
    )
    .map(([p, c, r]) => `a=rtpmap:${p} ${c}/${r}`),
  fc.tuple(pt, word).map(([p, w]) => `a=fmtp:${p} ${w}`),
  fc
    .tuple(
      fc.constantFrom('1', '2', 'x', ''),
      fc.constantFrom('AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32', 'F8_128_HMAC_SHA1_80'),
      fc.constantFrom(
        'inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd',
        'inline:',
        'inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2^20|1:4',
      ),
      word,
    )
    .map(([t, s, k, extra]) => `a=crypto:${t} ${s} ${k}${extra}`),
  fc.constantFrom(
    'a=sendrecv',
    'a=sendonly',
    'a=recvonly',
    'a=inactive',
    'a=ptime:20',
    'a=ptime:x',
    'c=IN IP4 192.0.2.1',
    'c=IN IP4 0.0.0.0',
    'c=IN IP6 ::1',
    'c=IN IP4',
    't=0 0',
    's=-',
    'o=- 1 1 IN IP4 192.0.2.1',
  ),
  fc.tuple(fc.constantFrom('a', 'b', 'c', 'i', 'k', 'm', 'o', 'x', ''), word).map(([k, w]) => `${k}=${w}`),
);
const generated = fc
  .tuple(fc.array(line, { maxLength: 16 }), fc.constantFrom('\r\n', '\n'))
  .map(([lines, eol]) => `v=0${eol}${lines.join(eol)}${eol}`);
const offers = fc.oneof(
  generated,
  mutatedArb([...PEER_OFFERS], 5).map((b) => b.toString('utf8')),
);
const locals = fc.record({
  address: fc.constantFrom('127.0.0.1', '::1'),
  port: fc.constant(20000),
  sessionId: fc.constant('1'),
  sessionVersion: fc.constant(1),
  requireSrtp: fc.boolean(),
  srtpKey: fc.constantFrom(KEY, undefined),
}) as fc.Arbitrary<LocalMedia>;

describe('fuzzing SDP offer/answer', () => {
  it('any offer: an answer made of what was offered, or a named refusal; the answer negotiates to the same choice', () => {
    fc.assert(
      fc.property(offers, locals, (offer, local) => {
        const n = negotiateAnswer(offer, local);
        if (!n.ok) {
          assert.equal(typeof n.reason, 'string');
          return;
        }
        const { audio } = n;
        const offered = String(parse(offer).media[audio.index]?.payloads ?? '')
          .split(/\s+/)
          .map(Number);
        assert.ok(offered.includes(audio.codec.payloadType), 'the codec is at a type the offer listed');
        if (audio.telephoneEvent) assert.ok(offered.includes(audio.telephoneEvent.payloadType));
        assert.ok(!local.requireSrtp || audio.profile === 'RTP/SAVP');
        assert.ok((audio.profile === 'RTP/SAVP') === (audio.crypto !== null));
        const back = negotiateAnswer(n.answer, { ...local, requireSrtp: audio.profile === 'RTP/SAVP' });
        assert.ok(back.ok, `our answer must read as an acceptable offer: ${n.answer}`);
        assert.deepEqual(back.audio.codec, audio.codec);
        assert.equal(back.audio.telephoneEvent?.payloadType, audio.telephoneEvent?.payloadType);
        assert.equal(back.audio.profile, audio.profile);
        assert.equal(back.audio.direction, n.answerDirection);
      }),
      { numRuns: RUNS.offers },
    );
  });

  it('any crypto attribute: a 16-byte key and 14-byte salt, or a named failure', () => {
    const keyParams = fc.oneof(
      fc.string({ maxLength: 80 }),
      mutatedArb(['inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2^20|1:4'], 4).map((b) => b.toString('latin1')),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.nat(), fc.string({ maxLength: 4 })),
        keyParams,
        fc.string({ maxLength: 20 }),
        (tag, params, session) => {
          const r = parseSdesCrypto(tag, 'AES_CM_128_HMAC_SHA1_80', params, session);
          if (r.ok) assert.ok(r.crypto.key.length === 16 && r.crypto.salt.length === 14);
          else assert.equal(typeof r.failure, 'string');
        },
      ),
      { numRuns: RUNS.crypto },
    );
  });
});
