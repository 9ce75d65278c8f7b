/**
 * Writing a SIP message for the wire: start line, the header lines as they are (names as
 * written, order kept), a Content-Length that always matches the body (so the same bytes
 * frame on a stream), an empty line, the body. serialize(parse(x)) is stable: serializing
 * what it parses back gives the same bytes.
 */
import { SIP_VERSION, type SipMessage } from './sip-message.js';

export function serializeMessage(message: SipMessage): Buffer {
  const start =
    message.kind === 'request'
      ? `${message.method} ${message.uri} ${SIP_VERSION}`
      : `${SIP_VERSION} ${message.status} ${message.reason}`;
  const lines = [start];
  let lengthWritten = false;
  for (const f of message.headers.fields()) {
    if (/^(?:content-length|l)$/i.test(f.name)) {
      if (lengthWritten) continue;
      lengthWritten = true;
      lines.push(`${f.name}: ${message.body.length}`);
    } else lines.push(f.value === '' ? `${f.name}:` : `${f.name}: ${f.value}`);
  }
  if (!lengthWritten) lines.push(`Content-Length: ${message.body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  return message.body.length === 0 ? head : Buffer.concat([head, message.body]);
}
