import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackages } from '../../../test/debian-packages.js';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from './g711.js';

/** sox converting raw 8 kHz mono audio from one encoding to another, without dither. */
function sox(input: Uint8Array, from: string[], to: string[]): Buffer {
  return execFileSync('sox', ['-D', '-t', 'raw', '-r', '8000', '-c', '1', ...from, '-', '-t', 'raw', ...to, '-'], {
    input,
    maxBuffer: 16 << 20,
  });
}
const S16 = ['-e', 'signed', '-b', '16'];
const LAWS = {
  ulaw: { sox: ['-e', 'u-law'], encode: encodeUlaw, decode: decodeUlaw },
  alaw: { sox: ['-e', 'a-law'], encode: encodeAlaw, decode: decodeAlaw },
};

const asInt16 = (b: Buffer) => new Int16Array(b.buffer, b.byteOffset, b.length >> 1);

describe('G.711 matches sox bit for bit', () => {
  beforeAll(() => ensureDebianPackages({ '/usr/bin/sox': 'sox' }));

  for (const [name, law] of Object.entries(LAWS)) {
    it(`${name}: every one of the 256 codes decodes to sox's sample`, () => {
      const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
      expect([...law.decode(codes)]).toEqual([...asInt16(sox(codes, law.sox, S16))]);
    });

    it(`${name}: every one of the 65,536 16-bit samples encodes to sox's code`, () => {
      const all = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
      const ours = law.encode(all);
      const theirs = sox(new Uint8Array(all.buffer), S16, law.sox);
      const differ = [...ours].flatMap((c, i) => (c === theirs[i] ? [] : [`${all[i]}: ${c} vs ${theirs[i]}`]));
      expect(differ.slice(0, 10)).toEqual([]);
    });

    it(`${name}: decoding then encoding gives every code back`, () => {
      const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
      const back = law.encode(law.decode(codes));
      // μ-law has two zeros (0x7f and 0xff): both decode to 0, which encodes as 0xff
      expect([...back].filter((c, i) => c !== i)).toEqual(name === 'ulaw' ? [0xff] : []);
    });
  }
});
