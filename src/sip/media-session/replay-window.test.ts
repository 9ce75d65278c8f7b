import { describe, expect, it } from 'vitest';
import { ReplayWindow } from './replay-window.js';

function receive(w: ReplayWindow, sequence: number) {
  const index = w.index(sequence);
  const check = w.check(index);
  if (check === 'fresh') w.accept(index);
  return check;
}

describe('the SRTP replay window (RFC 3711 §3.3.2)', () => {
  it('takes new packets, in order or a little out of it, and refuses each one a second time', () => {
    const w = new ReplayWindow();
    expect([100, 102, 101, 103].map((s) => receive(w, s))).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
    expect(receive(w, 101)).toBe('duplicate');
    expect(receive(w, 103)).toBe('duplicate');
  });

  it('refuses a packet 64 or more behind the highest, and takes one 63 behind', () => {
    const w = new ReplayWindow();
    receive(w, 1000);
    expect(receive(w, 1000 + 64)).toBe('fresh');
    expect(receive(w, 1000 + 1)).toBe('fresh');
    expect(receive(w, 1000)).toBe('too-old');
    expect(receive(w, 1000 + 1)).toBe('duplicate');
  });

  it('follows the sequence number across its rollover and back', () => {
    const w = new ReplayWindow();
    receive(w, 65534);
    expect(w.index(1)).toBe(65537);
    expect(receive(w, 1)).toBe('fresh');
    expect(w.index(65535)).toBe(65535);
    expect(receive(w, 65535)).toBe('fresh');
    expect(receive(w, 0)).toBe('fresh');
    expect(receive(w, 65534)).toBe('duplicate');
  });

  it('forgets the whole window after a jump of more than 64', () => {
    const w = new ReplayWindow();
    receive(w, 10);
    receive(w, 11);
    expect(receive(w, 200)).toBe('fresh');
    expect(receive(w, 199)).toBe('fresh');
    expect(receive(w, 11)).toBe('too-old');
  });

  it('refuses a packet from before the first rollover of a stream', () => {
    const w = new ReplayWindow();
    receive(w, 5);
    expect(w.index(65530)).toBeLessThan(0);
    expect(receive(w, 65530)).toBe('too-old');
  });
});
