/**
 * The start line and header lines of a message (RFC 3261 §7.1, §7.2, §7.3): lines end in
 * CRLF (a bare LF is tolerated), a line starting with a space or tab continues the one
 * before (folding, replaced by one space), and each header line is `name: value` with a
 * token for the name. Anything else is a failure value naming what was wrong.
 */
import type { SipLimits } from './limits.js';
import { excerpt, parseFailure, type SipParseFailure } from './parse-failure.js';
import { type HeaderField, SipHeaders } from './sip-headers.js';

export type StartLine =
  | { readonly kind: 'request'; readonly method: string; readonly uri: string }
  | { readonly kind: 'response'; readonly status: number; readonly reason: string };

export interface ParsedHead {
  readonly ok: true;
  readonly start: StartLine;
  readonly headers: SipHeaders;
}

const REQUEST_LINE = /^([!%'*+\-.0-9A-Z^_`a-z~]+) (\S+) ([Ss][Ii][Pp]\/\S+)$/;
const STATUS_LINE = /^([Ss][Ii][Pp]\/\S+) ([1-6][0-9]{2})(?: ([^\r\n]*))?$/;
const HEADER_LINE = /^([!%'*+\-.0-9A-Z^_`a-z~]+)[ \t]*:[ \t]*([\s\S]*)$/;

export function parseHead(head: string, limits: SipLimits): ParsedHead | SipParseFailure {
  const lines = head.split('\n');
  let first = 0;
  // empty lines before the start line are ignored (§7.5); strip the CR of CRLF
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    lines[i] = l.endsWith('\r') ? l.slice(0, -1) : l;
  }
  while (first < lines.length && lines[first] === '') first++;
  if (first >= lines.length) return parseFailure('empty', 'the message is empty');
  const startText = lines[first]!;
  const start = parseStartLine(startText);
  if (!start.ok) return start;

  const fields: HeaderField[] = [];
  // one Content-Length goes uncounted: the serializer writes one where a message had none (a
  // datagram may omit it), and what it writes must parse again within the same limit
  let lengthSeen = false;
  const tooMany = (f: HeaderField): boolean => {
    if (!lengthSeen && /^(?:content-length|l)$/i.test(f.name)) {
      lengthSeen = true;
      return false;
    }
    return fields.length - (lengthSeen ? 1 : 0) > limits.maxHeaders;
  };
  let current: string | null = null;
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') return parseFailure('header-syntax', 'an empty line inside the header section');
    if (line[0] === ' ' || line[0] === '\t') {
      if (current === null) return parseFailure('header-syntax', 'a continuation line before any header');
      current += ` ${line.trim()}`;
      continue;
    }
    if (current !== null) {
      const f = headerField(current);
      if (!f.ok) return f;
      fields.push(f.field);
      if (tooMany(f.field)) return parseFailure('too-many-headers', `more than ${limits.maxHeaders} headers`);
    }
    current = line;
  }
  if (current !== null) {
    const f = headerField(current);
    if (!f.ok) return f;
    fields.push(f.field);
    if (tooMany(f.field)) return parseFailure('too-many-headers', `more than ${limits.maxHeaders} headers`);
  }
  return { ok: true, start: start.start, headers: new SipHeaders(fields) };
}

function headerField(line: string): { ok: true; field: HeaderField } | SipParseFailure {
  const m = HEADER_LINE.exec(line);
  if (!m) return parseFailure('header-syntax', `not a header line: ${excerpt(line)}`);
  return { ok: true, field: { name: m[1]!, value: m[2]!.trim() } };
}

function parseStartLine(line: string): { ok: true; start: StartLine } | SipParseFailure {
  const req = REQUEST_LINE.exec(line);
  if (req) {
    if (req[3]!.toUpperCase() !== 'SIP/2.0') return parseFailure('version', `unsupported version ${excerpt(req[3]!)}`);
    return { ok: true, start: { kind: 'request', method: req[1]!, uri: req[2]! } };
  }
  const res = STATUS_LINE.exec(line);
  if (res) {
    if (res[1]!.toUpperCase() !== 'SIP/2.0') return parseFailure('version', `unsupported version ${excerpt(res[1]!)}`);
    return { ok: true, start: { kind: 'response', status: Number(res[2]), reason: res[3] ?? '' } };
  }
  return parseFailure('start-line', `not a request or status line: ${excerpt(line)}`);
}

/**
 * The Content-Length of a head: null when absent, a failure when malformed or when several
 * lines disagree (a smuggling attempt on a stream). At most 10 digits, so a huge value is
 * still a number the caller can compare with its limit.
 */
export function contentLengthOf(headers: SipHeaders): number | null | SipParseFailure {
  const values = headers.lines('content-length');
  if (values.length === 0) return null;
  let length: number | null = null;
  for (const v of values) {
    if (!/^[0-9]{1,10}$/.test(v))
      return parseFailure('content-length', `Content-Length is not a number: ${excerpt(v)}`);
    const n = Number(v);
    if (length !== null && n !== length)
      return parseFailure('content-length', 'several Content-Length values disagree');
    length = n;
  }
  return length;
}
