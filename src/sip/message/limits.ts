/**
 * Size limits of the SIP parsers. They bound the work and memory one peer can cause: a
 * message over maxMessageBytes is refused (a stream framer stops buffering at that point),
 * and maxHeaders caps the header lines, so a pathological message costs at most linear time
 * in a bounded input.
 */
export interface SipLimits {
  /** Start line, headers and body together. */
  readonly maxMessageBytes: number;
  /** Header lines after unfolding, besides one Content-Length. */
  readonly maxHeaders: number;
}

export const DEFAULT_SIP_LIMITS: SipLimits = { maxMessageBytes: 64 * 1024, maxHeaders: 200 };
