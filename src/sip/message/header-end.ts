/**
 * Where the header section ends: the first empty line, written CRLF CRLF or — from lenient
 * senders — LF LF (lines may end in a bare LF, RFC 3261 §7.5 asks receivers to be
 * forgiving). Shared by the datagram parser and the stream framer so that both frame alike.
 */

/**
 * Searches data[from, to) for the end of the header section. Returns the index where the
 * head ends (its last line's terminator excluded) and where the body begins, or
 * `resumeAt`: the offset from which to search again once more bytes arrived.
 */
export function findHeaderEnd(
  data: Uint8Array,
  from: number,
  to: number,
): { headEnd: number; bodyStart: number } | { resumeAt: number } {
  let i = Math.max(from, 0);
  for (;;) {
    const lf = data.indexOf(0x0a, i);
    if (lf < 0 || lf >= to) return { resumeAt: to };
    if (lf + 1 >= to) return { resumeAt: lf };
    const next = data[lf + 1];
    const headEnd = lf > 0 && data[lf - 1] === 0x0d ? lf - 1 : lf;
    if (next === 0x0a) return { headEnd, bodyStart: lf + 2 };
    if (next === 0x0d) {
      if (lf + 2 >= to) return { resumeAt: lf };
      if (data[lf + 2] === 0x0a) return { headEnd, bodyStart: lf + 3 };
    }
    i = lf + 1;
  }
}
