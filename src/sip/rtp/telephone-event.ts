/**
 * The RFC 4733 telephone-event payload (§2.3): event code (8 bits), E — the end bit, R
 * (reserved), volume (6 bits, −dBm0), duration (16 bits, in timestamp units from the
 * event's RTP timestamp). A payload may hold more than one 4-byte block only with RFC 2198
 * redundancy (another payload type), so the first block is the event; a shorter payload
 * is a failure value.
 */
export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  readonly volume: number;
  readonly duration: number;
}

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

export function serializeTelephoneEvent(e: TelephoneEvent): Buffer {
  const out = Buffer.alloc(4);
  out[0] = e.event & 0xff;
  out[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  out.writeUInt16BE(e.duration & 0xffff, 2);
  return out;
}

/** The DTMF key of an event code (0–15), or null for other events (flash, tones). */
export function dtmfKey(event: number): string | null {
  return '0123456789*#ABCD'[event] ?? null;
}
