/**
 * What a SIP parser reports instead of throwing: a transport drops (or, for a request it
 * can still answer, answers 400 to) a message that fails, and must never die of one. The
 * reason is a closed set so that callers can branch on it; the detail says what was wrong
 * in words for a log line (it quotes at most a short, printable excerpt of the input).
 */
export type SipParseFailureReason =
  /** Nothing but whitespace. */
  | 'empty'
  /** No blank line ends the header section. */
  | 'no-header-end'
  /** The first line is neither a request line nor a status line. */
  | 'start-line'
  /** Not SIP/2.0 (a UAS answers 505). */
  | 'version'
  /** A header line is not `name: value`. */
  | 'header-syntax'
  /** More header lines than the limit. */
  | 'too-many-headers'
  /** The message (or what a stream has buffered of it) is over the size limit. */
  | 'too-large'
  /** Content-Length is not a number, or several disagree. */
  | 'content-length'
  /** A stream message without Content-Length: the stream cannot be framed any more. */
  | 'content-length-missing'
  /** Content-Length promises more body than the datagram holds. */
  | 'body-truncated';

export interface SipParseFailure {
  readonly ok: false;
  readonly reason: SipParseFailureReason;
  readonly detail: string;
}

export function parseFailure(reason: SipParseFailureReason, detail: string): SipParseFailure {
  return { ok: false, reason, detail };
}

/** A short, printable excerpt of untrusted input for a failure's detail. */
export function excerpt(text: string, max = 40): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut.replace(/[^\x20-\x7e]/g, '?'));
}
