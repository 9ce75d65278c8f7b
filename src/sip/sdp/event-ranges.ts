/**
 * The events a telephone-event payload type carries (RFC 4733 §7.1.1): the fmtp of
 * `telephone-event` lists codes and ranges, `0-15` or `0-11,16`. Without an fmtp a receiver
 * assumes 0-15. sdp-transform leaves the fmtp text alone, so it is read here.
 */
export const DEFAULT_EVENTS = '0-15';

/** The set of event codes (0–255), or null when the list is malformed. */
export function parseEventRanges(text: string): Set<number> | null {
  const events = new Set<number>();
  const t = text.trim();
  if (t === '') return null;
  for (const part of t.split(',')) {
    const m = /^\s*([0-9]{1,3})(?:\s*-\s*([0-9]{1,3}))?\s*$/.exec(part);
    if (!m) return null;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 255 || hi > 255 || hi < lo) return null;
    for (let e = lo; e <= hi; e++) events.add(e);
  }
  return events;
}

/** Writes a set of codes back as ranges: {0..15, 16} → `0-16`. */
export function formatEventRanges(events: Iterable<number>): string {
  const sorted = [...new Set(events)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
