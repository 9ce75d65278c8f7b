/**
 * CSeq (RFC 3261 §20.16): a sequence number below 2³¹ and the method; it orders requests
 * in a dialog and, with the branch, tells which transaction a response or an ACK belongs to.
 */
export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export function parseCSeq(text: string): CSeq | null {
  const m = /^\s*([0-9]{1,10})\s+([!%'*+\-.0-9A-Z^_`a-z~]+)\s*$/.exec(text);
  if (!m) return null;
  const seq = Number(m[1]);
  return seq < 2 ** 31 ? { seq, method: m[2]! } : null;
}

export function serializeCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}
