/**
 * Arbitraries for fuzzing the SIP, SDP and RTP parsers: mutations of real-looking input
 * (byte flips, insertions of the tokens the grammars turn on, deletions, duplications)
 * and random chunkings of a byte stream. Positions are taken modulo the input's length so
 * that every generated mutation applies.
 */
import fc from 'fast-check';

/** Tokens the SIP and SDP grammars branch on, and values that stress limits. */
export const GRAMMAR_TOKENS = [
  '\r\n',
  '\r\n\r\n',
  '\n',
  '\r',
  ' ',
  '\t',
  '\r\n ',
  ':',
  ';',
  ',',
  '"',
  '\\',
  '<',
  '>',
  '@',
  '=',
  '/',
  '[',
  ']',
  '?',
  '&',
  '%',
  '*',
  '\u0000',
  '\u00ff',
  '\u{1F600}',
  'SIP/2.0',
  'sip:',
  'sips:',
  'tel:',
  'Content-Length: 4294967295',
  'Content-Length: 99999999999',
  'l: 3',
  'Via: SIP/2.0/UDP ',
  'v: SIP/2.0/TCP [::1]:5060',
  ';branch=z9hG4bK',
  ';rport',
  ';received=',
  ';tag=',
  'CSeq: 1 ',
  '2147483648',
  '65536',
  'Max-Forwards: 0',
  'Contact: *',
  'm=audio 0 RTP/SAVP ',
  'm=audio 4000 RTP/AVP 0 8 101',
  'm=video 5000 RTP/AVP 96',
  'c=IN IP4 0.0.0.0',
  'c=IN IP6 ::1',
  'a=rtpmap:101 telephone-event/8000',
  'a=rtpmap:0 PCMU/8000/2',
  'a=fmtp:101 0-15,16-300',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:',
  'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd',
  '|2^20|1:4',
  '|2^64',
  'a=sendonly',
  'a=inactive',
  'a=ptime:0',
  'v=0',
];

export type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly byte: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number; readonly times: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...GRAMMAR_TOKENS), fc.string({ maxLength: 8 })),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    op: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 60 }),
    times: fc.integer({ min: 1, max: 50 }),
  }),
);

export function mutate(input: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = input;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.op === 'flip') {
      if (b.length === 0) continue;
      b = Buffer.from(b);
      b[at % b.length] = m.byte;
    } else if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text), b.subarray(at)]);
    else if (m.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
    else {
      const piece = b.subarray(at, at + m.length);
      b = Buffer.concat([b.subarray(0, at), ...Array<Buffer>(m.times).fill(piece), b.subarray(at)]);
    }
  }
  return b;
}

/** A seed picked from `seeds`, mutated 0 to `max` times. */
export function mutatedArb(seeds: readonly string[], max = 6): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutationArb, { maxLength: max }))
    .map(([seed, ms]) => mutate(Buffer.from(seed), ms));
}

/** Cuts `data` at the given fractions: the chunks of a stream as a socket may deliver them. */
export function chunk(data: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    if (p <= from) continue;
    chunks.push(data.subarray(from, p));
    from = p;
  }
  chunks.push(data.subarray(from));
  return chunks;
}

export const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });
