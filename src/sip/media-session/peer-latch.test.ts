import { describe, expect, it } from 'vitest';
import { PeerLatch } from './peer-latch.js';

const A = { address: '192.0.2.1', port: 4000 };
const B = { address: '198.51.100.7', port: 5000 };

describe('symmetric RTP', () => {
  it('latches to the first packet’s source', () => {
    const l = new PeerLatch();
    expect(l.latched).toBeNull();
    expect(l.admit(A, 1)).toBe(true);
    expect(l.latched).toEqual(A);
  });

  it('takes other ports of the latched address without moving the latch', () => {
    const l = new PeerLatch();
    l.admit(A, 1);
    expect(l.admit({ ...A, port: 4002 }, 2)).toBe(true);
    expect(l.admit({ ...A, port: 4002 }, 1)).toBe(true);
    expect(l.latched).toEqual(A);
  });

  it('refuses a known SSRC from another address, and moves to a new stream from one', () => {
    const l = new PeerLatch();
    l.admit(A, 1);
    expect(l.admit(B, 1)).toBe(false);
    expect(l.latched).toEqual(A);
    expect(l.admit(B, 2)).toBe(true);
    expect(l.latched).toEqual(B);
    expect(l.admit(A, 1)).toBe(false);
  });

  it('latches afresh once forgotten', () => {
    const l = new PeerLatch();
    l.admit(A, 1);
    l.forget();
    expect(l.admit(B, 1)).toBe(true);
    expect(l.latched).toEqual(B);
  });
});
