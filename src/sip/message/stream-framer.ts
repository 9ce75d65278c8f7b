/**
 * Framing SIP messages on a byte stream (TCP, TLS): RFC 3261 §18.3 — the header section
 * ends at the first empty line and Content-Length, mandatory on streams, says how many body
 * bytes follow. Between messages a peer may send CRLF keep-alives (RFC 5626 §4.4.1: a
 * double CRLF "ping" the transport answers with a single CRLF "pong"; a lone CRLF is a
 * pong or noise and is skipped).
 *
 * Memory stays bounded: the framer holds at most one message's worth of bytes (the limit)
 * plus the chunk being pushed; a header section that runs past the limit, or a
 * Content-Length that would, is refused as soon as it is seen, without waiting for the
 * bytes. Such a failure, or a missing or malformed Content-Length, leaves the stream
 * unframeable: the framer reports it once and ignores everything after (the transport
 * closes the connection). A message that frames but does not parse (a bad header line)
 * is reported and skipped; the stream goes on.
 *
 * The result does not depend on how the bytes are chunked.
 */
import { findHeaderEnd } from './header-end.js';
import { DEFAULT_SIP_LIMITS, type SipLimits } from './limits.js';
import { parseFailure, type SipParseFailure } from './parse-failure.js';
import { contentLengthOf, parseHead } from './parse-head.js';
import { assemble } from './parse-message.js';
import type { SipMessage } from './sip-message.js';

export type FramerEvent =
  | { readonly type: 'message'; readonly message: SipMessage }
  /** A double-CRLF keep-alive ping: answer with one CRLF. */
  | { readonly type: 'keepalive' }
  /** A framed message that does not parse: the stream goes on. */
  | { readonly type: 'invalid'; readonly failure: SipParseFailure }
  /** The stream cannot be framed any more: close it. */
  | { readonly type: 'fatal'; readonly failure: SipParseFailure };

/**
 * The Content-Length of a head that does not parse (a bad header line), found line by line
 * so that the malformed message can be skipped and the stream go on; null when there is no
 * single clear value.
 */
function lenientContentLength(head: string): number | null {
  const values = [...head.matchAll(/^(?:content-length|l)[ \t]*:[ \t]*([0-9]{1,10})[ \t]*\r?$/gim)].map((m) =>
    Number(m[1]),
  );
  return values.length > 0 && values.every((v) => v === values[0]) ? values[0]! : null;
}

export class SipStreamFramer {
  readonly #limits: SipLimits;
  #buf = Buffer.alloc(0);
  #len = 0;
  /** Where to resume the search for the header end. */
  #scan = 0;
  /** The current message's header section, once found. */
  #pending: { bodyStart: number; length: number; head: ReturnType<typeof parseHead> } | null = null;
  #dead = false;

  constructor(limits: SipLimits = DEFAULT_SIP_LIMITS) {
    this.#limits = limits;
  }

  /** True after a fatal event: nothing more will be framed. */
  get failed(): boolean {
    return this.#dead;
  }

  /** Bytes held for a message not yet complete. */
  get buffered(): number {
    return this.#len;
  }

  push(chunk: Uint8Array): FramerEvent[] {
    if (this.#dead || chunk.length === 0) return [];
    this.#append(chunk);
    const events: FramerEvent[] = [];
    let pos = 0;
    for (;;) {
      const step = this.#frame(pos, events);
      if (step === null) break;
      pos = step;
      if (this.#dead) {
        this.#len = 0;
        return events;
      }
    }
    this.#consume(pos);
    return events;
  }

  /**
   * Frames what starts at pos: returns the position after what was consumed, or null when
   * more bytes are needed.
   */
  #frame(pos: number, events: FramerEvent[]): number | null {
    const buf = this.#buf;
    const end = this.#len;
    if (this.#pending === null) {
      if (pos >= end) return null;
      // keep-alives between messages
      if (buf[pos] === 0x0d) {
        if (pos + 1 >= end) return null;
        if (buf[pos + 1] !== 0x0a) return this.#fatal(events, 'a CR not followed by LF between messages');
        if (pos + 2 >= end) return null;
        if (buf[pos + 2] !== 0x0d) return pos + 2;
        if (pos + 3 >= end) return null;
        if (buf[pos + 3] !== 0x0a) return this.#fatal(events, 'a CR not followed by LF between messages');
        events.push({ type: 'keepalive' });
        return pos + 4;
      }
      if (buf[pos] === 0x0a) return pos + 1;
      const found = findHeaderEnd(buf, Math.max(this.#scan, pos), end);
      if ('resumeAt' in found) {
        this.#scan = found.resumeAt;
        // the message will be at least one byte longer than what is here
        if (end - pos >= this.#limits.maxMessageBytes) return this.#fatal(events, this.#overLimit(), 'too-large');
        return null;
      }
      this.#scan = 0;
      const headBytes = found.bodyStart - pos;
      if (headBytes > this.#limits.maxMessageBytes) return this.#fatal(events, this.#overLimit(), 'too-large');
      const head = parseHead(buf.toString('utf8', pos, found.headEnd), this.#limits);
      const length = head.ok
        ? contentLengthOf(head.headers)
        : lenientContentLength(buf.toString('latin1', pos, found.headEnd));
      if (length === null) {
        if (!head.ok) return this.#failWith(events, head);
        return this.#fatal(events, 'a message on a stream without Content-Length', 'content-length-missing');
      }
      if (typeof length === 'object') return this.#failWith(events, length);
      if (headBytes + length > this.#limits.maxMessageBytes) {
        return this.#fatal(events, `Content-Length ${length}: ${this.#overLimit()}`, 'too-large');
      }
      this.#pending = { bodyStart: headBytes, length, head };
      // rebase so that the pending message starts at 0
      this.#consume(pos);
      return 0;
    }
    const p = this.#pending;
    if (end - pos < p.bodyStart + p.length) return null;
    const body = Buffer.from(buf.subarray(pos + p.bodyStart, pos + p.bodyStart + p.length));
    this.#pending = null;
    if (p.head.ok) events.push({ type: 'message', message: assemble(p.head.start, p.head.headers, body) });
    else events.push({ type: 'invalid', failure: p.head });
    return pos + p.bodyStart + p.length;
  }

  #overLimit(): string {
    return `a message over the limit of ${this.#limits.maxMessageBytes} bytes`;
  }

  #failWith(events: FramerEvent[], failure: SipParseFailure): number {
    this.#fail(events, failure);
    return 0;
  }

  #fatal(events: FramerEvent[], detail: string, reason: SipParseFailure['reason'] = 'header-syntax'): number {
    this.#fail(events, parseFailure(reason, detail));
    return 0;
  }

  #fail(events: FramerEvent[], failure: SipParseFailure): void {
    this.#dead = true;
    this.#len = 0;
    this.#pending = null;
    this.#buf = Buffer.alloc(0);
    events.push({ type: 'fatal', failure });
  }

  #append(chunk: Uint8Array): void {
    const need = this.#len + chunk.length;
    if (need > this.#buf.length) {
      const grown = Buffer.allocUnsafe(
        Math.max(need, Math.min(this.#buf.length * 2, this.#limits.maxMessageBytes * 2)),
      );
      this.#buf.copy(grown, 0, 0, this.#len);
      this.#buf = grown;
    }
    this.#buf.set(chunk, this.#len);
    this.#len = need;
  }

  #consume(count: number): void {
    if (count <= 0) return;
    this.#buf.copyWithin(0, count, this.#len);
    this.#len -= count;
    this.#scan = Math.max(0, this.#scan - count);
  }
}
