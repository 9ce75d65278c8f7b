/**
 * RTP fixed header (RFC 3550 §5.1): version 2, padding, extension, CSRC count, marker,
 * payload type, sequence number, timestamp, SSRC, then the CSRC list, the header
 * extension (§5.3.1) and the payload, whose last octet counts the padding when P is set.
 * A packet that is short, of another version, or whose counts overrun it is a failure
 * value: a media port receives whatever anyone sends it.
 */
export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  /** The header extension (profile and data, a multiple of 4 bytes), or null. */
  readonly extension: { readonly profile: number; readonly data: Uint8Array } | null;
  /** The payload without padding. */
  readonly payload: Uint8Array;
  /** Padding octets that followed the payload (0 when P was clear). */
  readonly padding: number;
}

export type RtpFailure = 'too-short' | 'version' | 'csrc-overrun' | 'extension-overrun' | 'padding';

export type RtpParse =
  | { readonly ok: true; readonly packet: RtpPacket }
  | { readonly ok: false; readonly failure: RtpFailure };

export function parseRtp(data: Uint8Array): RtpParse {
  const fail = (failure: RtpFailure): RtpParse => ({ ok: false, failure });
  if (data.length < 12) return fail('too-short');
  const b0 = data[0]!;
  const b1 = data[1]!;
  if (b0 >> 6 !== 2) return fail('version');
  const hasPadding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const cc = b0 & 0x0f;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 12 + 4 * cc;
  if (offset > data.length) return fail('csrc-overrun');
  const csrcs: number[] = [];
  for (let i = 0; i < cc; i++) csrcs.push(view.getUint32(12 + 4 * i));
  let extension: RtpPacket['extension'] = null;
  if (hasExtension) {
    if (offset + 4 > data.length) return fail('extension-overrun');
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    const start = offset + 4;
    if (start + 4 * words > data.length) return fail('extension-overrun');
    extension = { profile, data: data.subarray(start, start + 4 * words) };
    offset = start + 4 * words;
  }
  let end = data.length;
  let padding = 0;
  if (hasPadding) {
    padding = data[data.length - 1]!;
    if (padding === 0 || offset + padding > data.length) return fail('padding');
    end -= padding;
  }
  return {
    ok: true,
    packet: {
      marker: (b1 & 0x80) !== 0,
      payloadType: b1 & 0x7f,
      sequence: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrcs,
      extension,
      payload: data.subarray(offset, end),
      padding,
    },
  };
}

export interface RtpHeaderFields {
  readonly marker?: boolean;
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs?: readonly number[];
  readonly extension?: { readonly profile: number; readonly data: Uint8Array } | null;
  readonly payload: Uint8Array;
  /** Padding octets to append (1–255), or 0. */
  readonly padding?: number;
}

/** Writes a packet; values out of their field's range are a programming error. */
export function serializeRtp(p: RtpHeaderFields): Buffer {
  const csrcs = p.csrcs ?? [];
  const ext = p.extension ?? null;
  const padding = p.padding ?? 0;
  if (csrcs.length > 15 || p.payloadType < 0 || p.payloadType > 127 || padding < 0 || padding > 255) {
    throw new RangeError('RTP header field out of range');
  }
  if (ext !== null && ext.data.length % 4 !== 0) throw new RangeError('an RTP header extension is whole 32-bit words');
  const extLen = ext === null ? 0 : 4 + ext.data.length;
  const out = Buffer.alloc(12 + 4 * csrcs.length + extLen + p.payload.length + padding);
  out[0] = 0x80 | (padding > 0 ? 0x20 : 0) | (ext !== null ? 0x10 : 0) | csrcs.length;
  out[1] = (p.marker ? 0x80 : 0) | p.payloadType;
  out.writeUInt16BE(p.sequence & 0xffff, 2);
  out.writeUInt32BE(p.timestamp >>> 0, 4);
  out.writeUInt32BE(p.ssrc >>> 0, 8);
  let o = 12;
  for (const c of csrcs) {
    out.writeUInt32BE(c >>> 0, o);
    o += 4;
  }
  if (ext !== null) {
    out.writeUInt16BE(ext.profile & 0xffff, o);
    out.writeUInt16BE(ext.data.length / 4, o + 2);
    out.set(ext.data, o + 4);
    o += 4 + ext.data.length;
  }
  out.set(p.payload, o);
  o += p.payload.length;
  if (padding > 0) out[out.length - 1] = padding;
  return out;
}
