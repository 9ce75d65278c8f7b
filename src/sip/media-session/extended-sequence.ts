/**
 * A 16-bit RTP sequence number extended to a packet index (RFC 3711 §3.3.1, RFC 3550 A.1):
 * of the values congruent to it, the one nearest the highest index seen so far, so a packet
 * a little late or a little early across a rollover lands on the right side of it.
 */
export function extendSequence(highest: number | null, sequence: number): number {
  if (highest === null) return sequence;
  const roc = Math.floor(highest / 65536);
  let index = roc * 65536 + sequence;
  if (index - highest > 32768) index -= 65536;
  else if (highest - index > 32768) index += 65536;
  return index;
}
