import { describe, expect, it } from 'vitest';
import { parseRtp } from './rtp-packet.js';
import { serializeRtp } from './rtp-packet.js';
import { serializeTelephoneEvent } from './telephone-event.js';
import { TelephoneEventTracker } from './telephone-event-tracker.js';

interface Ev {
  ssrc?: number;
  pt?: number;
  seq: number;
  ts: number;
  event: number;
  end?: boolean;
  duration: number;
  marker?: boolean;
}

function packet(e: Ev) {
  const bytes = serializeRtp({
    payloadType: e.pt ?? 101,
    marker: e.marker ?? false,
    sequence: e.seq,
    timestamp: e.ts,
    ssrc: e.ssrc ?? 0x1234,
    payload: serializeTelephoneEvent({ event: e.event, end: e.end ?? false, volume: 10, duration: e.duration }),
  });
  const r = parseRtp(bytes);
  if (!r.ok) throw new Error('bad packet');
  return r.packet;
}

/** One event as a sender emits it: updates every 20 ms, then `ends` end packets. */
function event(o: {
  ssrc?: number;
  pt?: number;
  seq: number;
  ts: number;
  event: number;
  updates: number;
  first?: number;
  step?: number;
  ends?: number;
  sameSeqEnds?: boolean;
}): Ev[] {
  const out: Ev[] = [];
  const step = o.step ?? 160;
  let seq = o.seq;
  let d = o.first ?? 0;
  for (let i = 0; i < o.updates; i++) {
    out.push({ ssrc: o.ssrc, pt: o.pt, seq: seq++, ts: o.ts, event: o.event, duration: d, marker: i === 0 });
    d += step;
  }
  const endSeq = seq;
  for (let i = 0; i < (o.ends ?? 3); i++) {
    out.push({
      ssrc: o.ssrc,
      pt: o.pt,
      seq: o.sameSeqEnds ? endSeq : seq++,
      ts: o.ts,
      event: o.event,
      end: true,
      duration: d,
    });
  }
  return out;
}

function keys(tracker: TelephoneEventTracker, evs: Ev[]): string {
  return evs.map((e) => tracker.push(packet(e))?.key ?? '').join('');
}

describe('the per-call RFC 4733 event tracker', () => {
  it("yields each of play_dtmf's digits once: distinct sequence numbers on the end packets", () => {
    const evs = [1, 2, 3, 4, 11].flatMap((ev, i) =>
      event({ seq: 100 + i * 20, ts: 8000 * (i + 1), event: ev, updates: 6 }),
    );
    expect(keys(new TelephoneEventTracker([101]), evs)).toBe('1234#');
  });

  it('yields sipp pcap events once though their end packets share one sequence number', () => {
    // as in /usr/share/sip-tester/dtmf_2833_0.pcap: 7 updates of 320, then 3 ends at d=2240 on one sequence number
    const evs = event({ seq: 12080, ts: 17632, event: 0, updates: 7, step: 320, sameSeqEnds: true });
    expect(evs.slice(-3).map((e) => [e.seq, e.duration])).toEqual([
      [12087, 2240],
      [12087, 2240],
      [12087, 2240],
    ]);
    expect(keys(new TelephoneEventTracker([101]), evs)).toBe('0');
  });

  it("takes baresip's first duration of 160 and a first duration of 0 alike", () => {
    const t = new TelephoneEventTracker([101]);
    expect(keys(t, event({ seq: 1, ts: 100, event: 7, updates: 9, first: 160 }))).toBe('7');
    expect(keys(t, event({ seq: 20, ts: 2000, event: 7, updates: 9, first: 0 }))).toBe('7');
  });

  it('counts the same key pressed twice: two timestamps are two events', () => {
    const evs = [1, 1, 1, 1].flatMap((ev, i) => event({ seq: 10 * i, ts: 1000 * (i + 1), event: ev, updates: 3 }));
    expect(keys(new TelephoneEventTracker([101]), evs)).toBe('1111');
  });

  it('survives reordering, odd durations and lost starts: a digit still comes once', () => {
    const evs = event({ seq: 50, ts: 4000, event: 9, updates: 5, step: 97 });
    const shuffled = [evs[6]!, evs[2]!, evs[0]!, evs[7]!, evs[1]!, evs[5]!, evs[3]!, evs[4]!];
    const t = new TelephoneEventTracker([101]);
    const out = shuffled.map((e) => t.push(packet(e)));
    expect(out.filter((k) => k !== null).map((k) => k!.key)).toEqual(['9']);
    expect(out[0]?.endedAlready).toBe(true);
    // an event of only end packets (the start was lost)
    expect(keys(t, [{ seq: 70, ts: 9000, event: 0, end: true, duration: 800 }])).toBe('0');
  });

  it('treats a new SSRC as a new stream whose timestamps may restart', () => {
    const first = event({ ssrc: 1, seq: 1000, ts: 160, event: 1, updates: 4 });
    const second = event({ ssrc: 2, seq: 5, ts: 160, event: 2, updates: 4 });
    expect(
      keys(
        new TelephoneEventTracker([96]),
        [...first, ...second].map((e) => ({ ...e, pt: 96 })),
      ),
    ).toBe('12');
  });

  it('ignores other payload types (audio), events beyond D and short payloads', () => {
    const t = new TelephoneEventTracker([101]);
    const audio = parseRtp(
      serializeRtp({ payloadType: 0, sequence: 1, timestamp: 1, ssrc: 1, payload: Buffer.alloc(160) }),
    );
    expect(audio.ok && t.push(audio.packet)).toBeNull();
    expect(keys(t, [{ seq: 2, ts: 5, event: 16, duration: 0 }])).toBe('');
    const short = parseRtp(
      serializeRtp({ payloadType: 101, sequence: 3, timestamp: 9, ssrc: 1, payload: Buffer.alloc(3) }),
    );
    expect(short.ok && t.push(short.packet)).toBeNull();
  });

  it('keeps state per call: two calls with identical RTP identifiers each get their digit', () => {
    const evs = event({ seq: 1, ts: 160, event: 3, updates: 3 });
    const a = new TelephoneEventTracker([101]);
    const b = new TelephoneEventTracker([101]);
    expect(keys(a, evs)).toBe('3');
    expect(keys(b, evs)).toBe('3');
  });
});
