/**
 * One call's media on loopback: real UDP sockets, sessions talking to each other, and a peer
 * that writes RTP and SRTP itself (serializeRtp; werift-rtp's SrtpSession as the peer's SRTP).
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { ProtectionProfileAes128CmHmacSha1_80, RtpHeader, SrtpSession } from 'werift-rtp';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { Digit, MediaSession } from '../src/sip/call-media.js';
import { encodeUlaw } from '../src/sip/media/g711.js';
import { RtpMediaSessions } from '../src/sip/media-session/rtp-media-sessions.js';
import type { RtpMediaSession } from '../src/sip/media-session/rtp-media-session.js';
import { RtpPortsExhausted } from '../src/sip/media-session/rtp-socket.js';
import { parseRtp, type RtpPacket, serializeRtp } from '../src/sip/rtp/rtp-packet.js';
import { serializeTelephoneEvent } from '../src/sip/rtp/telephone-event.js';
import type { AcceptableAudio } from '../src/sip/sdp/audio-offer.js';
import { dtmfFrequencies } from '../src/sip/media/dtmf-keypad.js';
import { keyed, seeded } from './dtmf-battery.js';

const EVENT_PT = 101;
const ALL_EVENTS = new Set(Array.from({ length: 16 }, (_, i) => i));

function audioTo(port: number, over: Partial<AcceptableAudio> = {}): AcceptableAudio {
  return {
    ok: true,
    index: 0,
    profile: 'RTP/AVP',
    remoteAddress: '127.0.0.1',
    remotePort: port,
    codec: { name: 'PCMU', payloadType: 0 },
    telephoneEvent: { payloadType: EVENT_PT, events: ALL_EVENTS },
    ptime: 20,
    direction: 'sendrecv',
    crypto: null,
    ...over,
  };
}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A UDP socket standing in for the far end, recording what it receives. */
class RawPeer {
  readonly received: { data: Buffer; from: { address: string; port: number } }[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (data, from) => this.received.push({ data, from }));
  }
  static async open(address = '127.0.0.1'): Promise<RawPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, resolve));
    return new RawPeer(socket);
  }
  get port(): number {
    return this.socket.address().port;
  }
  send(data: Buffer, port: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(data, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );
  }
  rtp(): RtpPacket[] {
    return this.received.flatMap((r) => {
      const p = parseRtp(r.data);
      return p.ok ? [p.packet] : [];
    });
  }
  close(): void {
    this.socket.close();
  }
}

/** The packets one RTP stream of the peer's sends: one sequence space for its audio and events. */
class PeerStream {
  sequence = 1;
  timestamp = 8000;
  constructor(readonly ssrc: number) {}
  audio(samples: Int16Array): Buffer {
    const p = serializeRtp({
      payloadType: 0,
      sequence: this.sequence++,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      payload: encodeUlaw(samples),
    });
    this.timestamp += samples.length;
    return p;
  }
  event(key: string, timestamp: number, end: boolean, duration: number, sequence = this.sequence++): Buffer {
    return serializeRtp({
      marker: !end && duration <= 160,
      payloadType: EVENT_PT,
      sequence,
      timestamp,
      ssrc: this.ssrc,
      payload: serializeTelephoneEvent({ event: '0123456789*#ABCD'.indexOf(key), end, volume: 10, duration }),
    });
  }
}

/** 20 ms frames of a key's two tones (or silence for ''), `ms` long. */
function toneFrames(key: string, ms: number): Int16Array[] {
  const frames: Int16Array[] = [];
  const f = key === '' ? null : dtmfFrequencies(key);
  for (let n = 0; n < ms / 20; n++) {
    const frame = new Int16Array(160);
    if (f !== null) {
      for (let i = 0; i < 160; i++) {
        const t = (n * 160 + i) / 8000;
        frame[i] = Math.round(6000 * Math.sin(2 * Math.PI * f.row * t) + 5000 * Math.sin(2 * Math.PI * f.column * t));
      }
    }
    frames.push(frame);
  }
  return frames;
}

const sessions = new RtpMediaSessions({ address: '127.0.0.1', ports: null });
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function open(remotePort: number, over: Partial<AcceptableAudio> = {}, secure = false) {
  const pending = await sessions.allocate({ secure });
  const session = pending.start(audioTo(remotePort, over), `call-${pending.localPort}`);
  cleanup.push(() => session.close());
  const digits: Digit[] = [];
  session.onDigit((d) => digits.push(d));
  return { session, digits };
}

async function peer(address?: string): Promise<RawPeer> {
  const p = await RawPeer.open(address);
  cleanup.push(() => p.close());
  return p;
}

const keys = (digits: Digit[]) => digits.map((d) => d.key).join('');

describe('media sessions on loopback', () => {
  it('one session hears the in-band DTMF another plays, in μ-law and in A-law', async () => {
    for (const codec of [
      { name: 'PCMU', payloadType: 0 },
      { name: 'PCMA', payloadType: 8 },
    ] as const) {
      const a = await sessions.allocate({ secure: false });
      const b = await sessions.allocate({ secure: false });
      const alice = a.start(audioTo(b.localPort, { codec, telephoneEvent: null }), 'alice');
      const bob = b.start(audioTo(a.localPort, { codec, telephoneEvent: null }), 'bob');
      cleanup.push(
        () => alice.close(),
        () => bob.close(),
      );
      const heard: Digit[] = [];
      bob.onDigit((d) => heard.push(d));
      expect(await alice.play(keyed('159#', 100, [100], seeded(7)))).toBe('done');
      await until('four digits', () => heard.length >= 4);
      await pause(100);
      expect(keys(heard)).toBe('159#');
      expect(heard.every((d) => d.method === 'inband')).toBe(true);
      expect(bob.counters.digitsInband).toBe(4);
    }
  });

  it('hears RFC 4733 keys once each: redundant end packets, reordering, a key repeated, an SSRC change', async () => {
    const far = await peer();
    const { session, digits } = await open(far.port);
    const s = new PeerStream(0xaaaa);
    const packets = [
      // '1': start, update, three end packets with distinct sequence numbers
      s.event('1', 1000, false, 160),
      s.event('1', 1000, false, 320),
      s.event('1', 1000, true, 800),
      s.event('1', 1000, true, 800),
      s.event('1', 1000, true, 800),
      // '2': three end packets sharing one sequence number (sipp's pcaps)
      s.event('2', 3000, false, 0),
    ];
    const endSeq = s.sequence++;
    packets.push(s.event('2', 3000, true, 640, endSeq), s.event('2', 3000, true, 640, endSeq));
    packets.push(s.event('2', 3000, true, 640, endSeq));
    // '2' again, a new event: its end packet overtakes its start
    const start = s.event('2', 6000, false, 160);
    const end = s.event('2', 6000, true, 960);
    packets.push(end, start);
    // a new SSRC whose timestamps restart at the first event's
    const t = new PeerStream(0xbbbb);
    packets.push(t.event('3', 1000, false, 160), t.event('3', 1000, true, 480), t.event('3', 1000, true, 480));
    // only end packets, with an odd duration
    packets.push(t.event('#', 9000, true, 1234), t.event('#', 9000, true, 1234));
    for (const p of packets) await far.send(p, session.localPort);
    await until('five digits', () => digits.length >= 5);
    await pause(100);
    expect(keys(digits)).toBe('1223#');
    expect(digits.every((d) => d.method === 'rfc4733')).toBe(true);
  });

  it('counts a key sent both ways once: events first, and in-band first with the event late', async () => {
    const far = await peer();
    const { session, digits } = await open(far.port);
    const s = new PeerStream(0x1111);
    const send = (p: Buffer) => far.send(p, session.localPort);
    // '7' and '8' as a gateway passing tones through and sending events: both from the start
    for (const key of ['7', '8']) {
      const ts = s.timestamp;
      const frames = toneFrames(key, 100);
      for (const [i, frame] of frames.entries()) {
        await send(s.event(key, ts, false, 160 * (i + 1)));
        await send(s.audio(frame));
      }
      for (let i = 0; i < 3; i++) await send(s.event(key, ts, true, 800));
      for (const frame of toneFrames('', 200)) await send(s.audio(frame));
    }
    await until('two digits', () => digits.length >= 2);
    await pause(200);
    expect(keys(digits)).toBe('78');
    expect(digits.map((d) => d.method)).toEqual(['rfc4733', 'rfc4733']);

    // another call whose gateway sends the event only at the end, after the tone was heard
    const other = await open(far.port);
    const u = new PeerStream(0x2222);
    const sendOther = (p: Buffer) => far.send(p, other.session.localPort);
    const ts = u.timestamp;
    for (const frame of [...toneFrames('4', 100), ...toneFrames('', 200)]) await sendOther(u.audio(frame));
    await until('the in-band 4', () => other.digits.length >= 1);
    for (let i = 0; i < 3; i++) await sendOther(u.event('4', ts, true, 800));
    const ts5 = u.timestamp;
    for (const [i, frame] of toneFrames('5', 100).entries()) {
      await sendOther(u.event('5', ts5, false, 160 * (i + 1)));
      await sendOther(u.audio(frame));
    }
    for (let i = 0; i < 3; i++) await sendOther(u.event('5', ts5, true, 800));
    for (const frame of toneFrames('', 200)) await sendOther(u.audio(frame));
    await until('the 5', () => other.digits.length >= 2);
    await pause(200);
    expect(keys(other.digits)).toBe('45');
    expect(other.digits.map((d) => d.method)).toEqual(['inband', 'rfc4733']);
  });

  it('hears in-band keys through reordered and lost packets', async () => {
    const far = await peer();
    const { session, digits } = await open(far.port, { telephoneEvent: null });
    const s = new PeerStream(0x3333);
    const packets: Buffer[] = [];
    for (const key of ['6', '0', '0']) {
      for (const frame of [...toneFrames(key, 120), ...toneFrames('', 120)]) packets.push(s.audio(frame));
    }
    for (const frame of toneFrames('', 200)) packets.push(s.audio(frame));
    // swap neighbours throughout, and lose one frame in the middle of the first tone
    for (let i = 0; i + 1 < packets.length; i += 3) [packets[i], packets[i + 1]] = [packets[i + 1]!, packets[i]!];
    packets.splice(3, 1);
    for (const p of packets) await far.send(p, session.localPort);
    await until('three digits', () => digits.length >= 3);
    await pause(100);
    expect(keys(digits)).toBe('600');
    expect(session.counters.lostFrames).toBe(1);

    // a sender with silence suppression: a frame lost, then the tone's last frames, then nothing
    const quiet = await open(far.port, { telephoneEvent: null });
    const q = new PeerStream(0x4444);
    const tone = [...toneFrames('', 60), ...toneFrames('8', 100)].map((f) => q.audio(f));
    tone.splice(4, 1);
    for (const p of tone) await far.send(p, quiet.session.localPort);
    await until('the 8', () => quiet.digits.length >= 1);
    expect(keys(quiet.digits)).toBe('8');
  });

  it('speaks SRTP both ways with werift-rtp as the peer, refusing a replay and a tampered packet', async () => {
    const far = await peer();
    const theirs = { key: randomBytes(16), salt: randomBytes(14) };
    const pending = await sessions.allocate({ secure: true });
    expect(pending.localKey?.key.length).toBe(16);
    expect(pending.localKey?.salt.length).toBe(14);
    const session = pending.start(
      audioTo(far.port, {
        profile: 'RTP/SAVP',
        crypto: {
          tag: 1,
          suite: 'AES_CM_128_HMAC_SHA1_80',
          key: theirs.key,
          salt: theirs.salt,
          lifetime: null,
          mki: null,
          sessionParams: [],
        },
      }),
      'secure',
    );
    cleanup.push(() => session.close());
    const digits: Digit[] = [];
    session.onDigit((d) => digits.push(d));
    const srtp = new SrtpSession({
      keys: {
        localMasterKey: theirs.key,
        localMasterSalt: theirs.salt,
        remoteMasterKey: Buffer.from(pending.localKey!.key),
        remoteMasterSalt: Buffer.from(pending.localKey!.salt),
      },
      profile: ProtectionProfileAes128CmHmacSha1_80,
    });
    let sequence = 500;
    const protect = (key: string, timestamp: number, end: boolean) =>
      srtp.encrypt(
        serializeTelephoneEvent({ event: '0123456789*#'.indexOf(key), end, volume: 10, duration: end ? 800 : 160 }),
        new RtpHeader({ payloadType: EVENT_PT, sequenceNumber: sequence++, timestamp, ssrc: 0x5151 }),
      );
    const send = (p: Buffer) => far.send(p, session.localPort);
    const start9 = protect('9', 16000, false);
    await send(start9);
    for (let i = 0; i < 3; i++) await send(protect('9', 16000, true));
    await until('the 9', () => digits.length >= 1);
    await send(start9); // replayed
    const tampered = Buffer.from(protect('1', 24000, false));
    tampered[14]! ^= 0x20;
    await send(tampered);
    // plain RTP where SRTP is due: its last 10 bytes are no tag
    await send(
      serializeRtp({
        payloadType: EVENT_PT,
        sequence: sequence++,
        timestamp: 1,
        ssrc: 0x5151,
        payload: Buffer.alloc(14),
      }),
    );
    await send(protect('0', 32000, false));
    await until('the 0', () => digits.length >= 2);
    await pause(100);
    expect(keys(digits)).toBe('90');
    expect(session.counters.srtpReplays).toBe(1);
    expect(session.counters.srtpAuthFailures).toBe(2);

    // what the session sends decrypts at the peer into consecutive G.711 frames
    await until('twenty frames', () => far.received.length >= 20);
    const frames = far.received.slice(0, 20).map((r) => parseRtp(srtp.decrypt(r.data)));
    expect(frames.every((f) => f.ok && f.packet.payloadType === 0 && f.packet.payload.length === 160)).toBe(true);
    const seqs = frames.map((f) => (f.ok ? f.packet.sequence : -1));
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0]! + i) & 0xffff));
    expect(far.received[0]!.data.subarray(12, 172)).not.toEqual(Buffer.alloc(160, 0xff));
  });

  it('sends 20 ms frames on the clock while the event loop is blocked 30 ms in every 50', async () => {
    const far = await peer();
    const lateness: number[] = [];
    const paced = new RtpMediaSessions({
      address: '127.0.0.1',
      ports: null,
      observer: { frameSent: (ms) => lateness.push(ms) },
      // never skip here, however starved a shared machine is: every frame must arrive (skipping has its own test)
      maxBurstFrames: 10_000,
    });
    const pending = await paced.allocate({ secure: false });
    const session = pending.start(audioTo(far.port), 'paced');
    cleanup.push(() => session.close());
    await until('the first frame', () => far.received.length > 0);
    const random = seeded(3);
    const prompt = Int16Array.from({ length: 3 * 8000 }, () => Math.round((random() - 0.5) * 20000));
    const busy = setInterval(() => {
      const end = performance.now() + 30;
      while (performance.now() < end) {
        // the load: a handler that keeps the loop for 30 ms
      }
    }, 50);
    let outcome: string;
    try {
      outcome = await session.play(prompt);
    } finally {
      clearInterval(busy);
    }
    expect(outcome).toBe('done');
    const sent = session.counters.packetsOut;
    const recorded = lateness.length;
    await until('every frame sent', () => far.received.length >= sent);
    const packets = far.rtp().slice(0, sent);
    // every frame, in order, on the 20 ms grid of timestamps, the marker on the first only
    const first = packets[0]!;
    for (const [i, p] of packets.entries()) {
      expect(p.sequence).toBe((first.sequence + i) & 0xffff);
      expect(p.timestamp).toBe((first.timestamp + 160 * i) % 2 ** 32);
      expect(p.marker).toBe(i === 0);
      expect(p.ssrc).toBe(first.ssrc);
    }
    expect(session.counters.skippedFrames).toBe(0);
    // the prompt, frame after frame, with nothing lost or repeated
    const expected = encodeUlaw(prompt);
    const at = packets.findIndex((p) => Buffer.from(p.payload).equals(Buffer.from(expected.subarray(0, 160))));
    expect(at).toBeGreaterThan(0);
    for (let f = 0; f < 150; f++) {
      expect(Buffer.from(packets[at + f]!.payload).equals(Buffer.from(expected.subarray(f * 160, f * 160 + 160)))).toBe(
        true,
      );
    }
    // each frame's send time against its schedule is recorded (figures in the log, not asserted)
    expect(recorded).toBe(sent);
    const sorted = [...lateness].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(2);
    console.log(
      `send lateness under load over ${sorted.length} frames: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms; frames more than 20 ms late: ${session.counters.lateFrames}`,
    );
  });

  it('survives random datagrams and still hears the next real key', async () => {
    const far = await peer();
    const { session, digits } = await open(far.port);
    const secure = await sessions.allocate({ secure: true });
    const secureSession = secure.start(
      audioTo(far.port, {
        profile: 'RTP/SAVP',
        crypto: {
          tag: 1,
          suite: 'AES_CM_128_HMAC_SHA1_80',
          key: randomBytes(16),
          salt: randomBytes(14),
          lifetime: null,
          mki: null,
          sessionParams: [],
        },
      }),
      'fuzzed',
    );
    cleanup.push(() => secureSession.close());
    const random = seeded(11);
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
      // half look like RTP version 2, so they get past the first check
      if (i % 2 === 0 && bytes.length > 0) bytes[0] = 0x80 | (bytes[0]! & 0x3f);
      await far.send(bytes, session.localPort);
      await far.send(bytes, secureSession.localPort);
      // let the sessions drain their sockets (one process): loopback drops what overflows a buffer
      if (i % 50 === 0) await pause(1);
    }
    // (loopback drops what overflows a socket's buffer on a busy machine, so no exact count arrives)
    await until('the datagrams', () => session.counters.packetsIn > 100 && secureSession.counters.packetsIn > 100);
    expect(session.counters.malformed).toBeGreaterThan(0);
    expect(
      secureSession.counters.malformed +
        secureSession.counters.srtpAuthFailures +
        secureSession.counters.srtpReplays +
        secureSession.counters.rtcp,
    ).toBe(secureSession.counters.packetsIn);
    const s = new PeerStream(0x7777);
    await until('the star', () => {
      void far.send(s.event('*', 123456, false, 160, 40000), session.localPort);
      return digits.some((d) => d.key === '*');
    });
    await until('the star as an event', () => digits.some((d) => d.key === '*' && d.method === 'rfc4733'));
  });

  it('latches to where the peer sends from, refuses a known stream from elsewhere, and follows a new one', async () => {
    const sdpAddress = await peer();
    const nat = await peer();
    const elsewhere = await peer('127.0.0.2');
    const { session, digits } = await open(sdpAddress.port);
    await until('frames to the SDP address', () => sdpAddress.received.length > 0);
    expect(session.remote).toEqual({ address: '127.0.0.1', port: sdpAddress.port });
    expect(session.lastPacketMs).toBeNull();

    const s = new PeerStream(1);
    await nat.send(s.audio(new Int16Array(160)), session.localPort);
    await until('frames to the source', () => nat.received.length > 0);
    expect(session.remote).toEqual({ address: '127.0.0.1', port: nat.port });
    expect(session.lastPacketMs).toBeGreaterThanOrEqual(0);
    expect(session.lastPacketMs).toBeLessThanOrEqual(session.elapsedMs);

    // the same SSRC from another address: not our peer's stream
    await elsewhere.send(s.event('1', 500, false, 160), session.localPort);
    await until('the refusal', () => session.counters.foreignSource === 1);
    expect(digits).toEqual([]);
    expect(session.remote).toEqual({ address: '127.0.0.1', port: nat.port });

    // a new stream from there: the relay moved, and so do we
    const t = new PeerStream(2);
    await elsewhere.send(t.event('2', 700, false, 160), session.localPort);
    await until('frames to the new source', () => elsewhere.received.length > 0);
    expect(session.remote).toEqual({ address: '127.0.0.2', port: elsewhere.port });
    expect(keys(digits)).toBe('2');
  });

  it('sends nothing on hold, resumes with the marker bit and the clock’s timestamp, and barges in', async () => {
    const far = await peer();
    const { session, digits } = await open(far.port);
    await until('frames', () => far.received.length > 2);
    session.update(audioTo(far.port, { direction: 'sendonly' }));
    const held = session.counters.packetsOut;
    await pause(200);
    expect(session.counters.packetsOut).toBe(held);
    const before = far.rtp().at(-1)!;
    session.update(audioTo(far.port));
    await until('frames again', () => session.counters.packetsOut > held + 1);
    await until('them to arrive', () => far.received.length >= session.counters.packetsOut);
    const resumed = far.rtp()[held]!;
    expect(resumed.marker).toBe(true);
    expect(resumed.sequence).toBe((before.sequence + 1) & 0xffff);
    expect(((resumed.timestamp - before.timestamp) >>> 0) % 160).toBe(0);
    expect((resumed.timestamp - before.timestamp) >>> 0).toBeGreaterThan(160);

    const s = new PeerStream(9);
    const long = new Int16Array(8000 * 10).fill(1000);
    const interrupted = session.play(long, { bargeIn: true });
    await far.send(s.event('5', 100, false, 160), session.localPort);
    expect(await interrupted).toBe('interrupted');
    expect(keys(digits)).toBe('5');

    const kept = session.play(new Int16Array(8000 / 2), { bargeIn: false });
    await far.send(s.event('6', 2000, false, 160), session.localPort);
    expect(await kept).toBe('done');
    expect(keys(digits)).toBe('56');

    const cut = session.play(long);
    const closing: MediaSession = session;
    await closing.close();
    expect(await cut).toBe('closed');
    expect(await session.play(long)).toBe('closed');
    await closing.closed;
  });
});

describe('RTP ports', () => {
  it('takes even ports of the configured range, fresh keys per secure call, and gives ports back', async () => {
    const base = 40000 + 2 * Math.floor(Math.random() * 5000);
    const ranged = new RtpMediaSessions({ address: '127.0.0.1', ports: { min: base, max: base + 3 } });
    const a = await ranged.allocate({ secure: true });
    const b = await ranged.allocate({ secure: true });
    expect([a.localPort, b.localPort].sort()).toEqual([base, base + 2]);
    expect(Buffer.from(a.localKey!.key).equals(Buffer.from(b.localKey!.key))).toBe(false);
    await expect(ranged.allocate({ secure: false })).rejects.toBeInstanceOf(RtpPortsExhausted);
    a.release();
    const c = await ranged.allocate({ secure: false });
    expect(c.localPort).toBe(a.localPort);
    expect(c.localKey).toBeNull();
    const call: RtpMediaSession = c.start(audioTo(9), 'ranged');
    await call.close();
    expect(() => c.start(audioTo(9), 'again')).toThrow();
    const d = await ranged.allocate({ secure: false });
    const savp = audioTo(9, {
      profile: 'RTP/SAVP',
      crypto: {
        tag: 1,
        suite: 'AES_CM_128_HMAC_SHA1_80',
        key: randomBytes(16),
        salt: randomBytes(14),
        lifetime: null,
        mki: null,
        sessionParams: [],
      },
    });
    expect(() => d.start(savp, 'no key of ours')).toThrow(/RTP\/SAVP/);
    // its port came back: allocating again finds it free
    const e = await ranged.allocate({ secure: false });
    expect(e.localPort).toBe(d.localPort);
    e.release();
    b.release();
  });

  it('reads UMPIN_RTP_PORTS, and refuses a range that breaks the rule, naming it', () => {
    expect(loadConfig({}).rtpPorts).toEqual({ min: 10000, max: 20000 });
    expect(loadConfig({ UMPIN_RTP_PORTS: '30000-30999' }).rtpPorts).toEqual({ min: 30000, max: 30999 });
    for (const bad of ['20000-10000', '80-90', '10000', '10000-70000', 'a-b']) {
      expect(() => loadConfig({ UMPIN_RTP_PORTS: bad })).toThrow(/UMPIN_RTP_PORTS/);
    }
  });
});
