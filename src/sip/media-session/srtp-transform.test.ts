import { randomBytes } from 'node:crypto';
import { ProtectionProfileAes128CmHmacSha1_80, RtpHeader, SrtpSession } from 'werift-rtp';
import { describe, expect, it } from 'vitest';
import { parseRtp, serializeRtp } from '../rtp/rtp-packet.js';
import { SrtpTransform } from './srtp-transform.js';

const ours = { key: randomBytes(16), salt: randomBytes(14) };
const theirs = { key: randomBytes(16), salt: randomBytes(14) };

/** The peer's SRTP, done by werift-rtp's own session (its key is `theirs`). */
function peer() {
  return new SrtpSession({
    keys: {
      localMasterKey: theirs.key,
      localMasterSalt: theirs.salt,
      remoteMasterKey: ours.key,
      remoteMasterSalt: ours.salt,
    },
    profile: ProtectionProfileAes128CmHmacSha1_80,
  });
}

function peerPacket(session: SrtpSession, sequence: number, payload = Buffer.from([1, 2, 3, 4])) {
  const header = new RtpHeader({ payloadType: 0, sequenceNumber: sequence, timestamp: sequence * 160, ssrc: 0x1234 });
  return session.encrypt(payload, header);
}

describe('SRTP with werift-rtp as the peer', () => {
  it('decrypts what the peer sends and the peer decrypts what we send', () => {
    const us = new SrtpTransform(ours, theirs);
    const them = peer();
    const got = us.unprotect(peerPacket(them, 7, Buffer.from('hello')));
    expect(got.ok).toBe(true);
    if (got.ok) {
      const p = parseRtp(got.packet);
      expect(p.ok && Buffer.from(p.packet.payload).toString()).toBe('hello');
      expect(p.ok && p.packet.sequence).toBe(7);
    }
    const rtp = serializeRtp({ payloadType: 8, sequence: 42, timestamp: 999, ssrc: 77, payload: Buffer.from('world') });
    const sent = us.protect(rtp, 0);
    expect(sent.length).toBe(rtp.length + 10);
    expect(sent.subarray(12, 17).toString()).not.toBe('world');
    const plain = parseRtp(them.decrypt(sent));
    expect(plain.ok && Buffer.from(plain.packet.payload).toString()).toBe('world');
  });

  it('refuses a replayed packet and one replayed from beyond the window', () => {
    const us = new SrtpTransform(ours, theirs);
    const them = peer();
    const captured = peerPacket(them, 100);
    expect(us.unprotect(captured).ok).toBe(true);
    expect(us.unprotect(captured)).toEqual({ ok: false, failure: 'duplicate' });
    for (let s = 101; s < 200; s++) expect(us.unprotect(peerPacket(them, s)).ok).toBe(true);
    expect(us.unprotect(captured)).toEqual({ ok: false, failure: 'too-old' });
  });

  it('refuses a tampered packet, a wrong key, and a stub, and still takes the next good one', () => {
    const us = new SrtpTransform(ours, theirs);
    const them = peer();
    const good = peerPacket(them, 5);
    const tampered = Buffer.from(good);
    tampered[13]! ^= 0x01;
    expect(us.unprotect(tampered)).toEqual({ ok: false, failure: 'auth' });
    const stranger = new SrtpTransform(ours, { key: randomBytes(16), salt: randomBytes(14) });
    expect(stranger.unprotect(good)).toEqual({ ok: false, failure: 'auth' });
    expect(us.unprotect(good.subarray(0, 15))).toEqual({ ok: false, failure: 'malformed' });
    // a forged packet did not enter the replay window: the genuine one is still fresh
    expect(us.unprotect(good).ok).toBe(true);
  });

  it('follows the peer across a sequence number rollover, both ways', () => {
    const us = new SrtpTransform(ours, theirs);
    const them = peer();
    for (let s = 65530; s < 65536 + 6; s++) {
      const r = us.unprotect(peerPacket(them, s & 0xffff, Buffer.from([s & 0xff])));
      expect(r.ok, `sequence ${s}`).toBe(true);
      if (r.ok) expect(r.packet.at(-1)).toBe(s & 0xff);
    }
    for (let s = 65533; s < 65536 + 3; s++) {
      const rtp = serializeRtp({
        payloadType: 0,
        sequence: s & 0xffff,
        timestamp: s,
        ssrc: 9,
        payload: Buffer.from([s & 0xff]),
      });
      const plain = them.decrypt(us.protect(rtp, Math.floor(s / 65536)));
      expect(plain.at(-1)).toBe(s & 0xff);
    }
  });
});
