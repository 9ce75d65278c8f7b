import { describe, expect, it } from 'vitest';
import { SampleDecoder } from './sample-decoder.js';

const samples = Int16Array.from([0, 1, -1, 32767, -32768, 12345, -2222, 300]);
const le = new Uint8Array(samples.buffer.slice(0));

describe('SampleDecoder', () => {
  it('16-bit little-endian in chunks of every size, samples straddling chunks', () => {
    for (const size of [1, 2, 3, 5, 16]) {
      const d = new SampleDecoder('s16');
      const got: number[] = [];
      for (let i = 0; i < le.length; i += size) got.push(...d.decode(le.subarray(i, i + size)));
      expect(got, `chunks of ${size}`).toEqual([...samples]);
      expect(d.halfSampleLeft).toBe(false);
    }
  });

  it('notices a trailing half sample', () => {
    const d = new SampleDecoder('s16');
    d.decode(le.subarray(0, 3));
    expect(d.halfSampleLeft).toBe(true);
  });

  it('μ-law and A-law bytes', () => {
    expect([...new SampleDecoder('ulaw').decode(Uint8Array.from([0xff, 0x80, 0x00]))]).toEqual([0, 32124, -32124]);
    expect([...new SampleDecoder('alaw').decode(Uint8Array.from([0xd5, 0xaa, 0x2a]))]).toEqual([8, 32256, -32256]);
  });
});
