/**
 * Our own TLS connections to a gateway (a BYE once the caller's connection has closed): the
 * gateway's certificate is checked, and a PBX with a self-signed certificate is reached by
 * trusting that certificate (UMPIN_SIP_TLS_CA), never by not checking.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage } from '../message/parse-message.js';
import type { SipRequest } from '../message/sip-message.js';
import type { SipLogger } from './flow.js';
import { StreamTransport } from './stream-transport.js';
import { DEFAULT_TRANSPORT_LIMITS } from './transport-limits.js';

async function certificate(commonName: string) {
  return generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
}

function bye(): SipRequest {
  const text =
    'BYE sip:pbx@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKa1\r\n' +
    'From: <sip:umpin@127.0.0.1>;tag=a\r\nTo: <sip:5551234@127.0.0.1>;tag=b\r\nCall-ID: c1\r\n' +
    'CSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n';
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.message.kind !== 'request') throw new Error('bad test message');
  return r.message;
}

describe('TLS connections we open to a gateway', () => {
  let pbx: Server;
  let pbxPort: number;
  let pbxCert: string;
  let ours: { cert: string; private: string };
  const received: string[] = [];
  const clientCertificates: boolean[] = [];

  beforeAll(async () => {
    const pems = await certificate('pbx.contoso.com');
    pbxCert = pems.cert;
    ours = await certificate('umpin SIP');
    // a PBX that asks for a client certificate but does not require one it trusts
    pbx = createServer({ cert: pems.cert, key: pems.private, requestCert: true, rejectUnauthorized: false }, (s) => {
      clientCertificates.push(Object.keys(s.getPeerCertificate()).length > 0);
      s.on('data', (chunk: Buffer) => received.push(chunk.toString('utf8')));
      s.on('error', () => undefined);
    });
    pbx.listen(0, '127.0.0.1');
    await once(pbx, 'listening');
    pbxPort = (pbx.address() as { port: number }).port;
  });

  afterAll(async () => {
    pbx.close();
  });

  function transport(log: SipLogger, peerCa?: string): StreamTransport {
    return new StreamTransport({
      kind: 'tls',
      host: '127.0.0.1',
      port: 0,
      limits: DEFAULT_TRANSPORT_LIMITS,
      log,
      deliver: () => undefined,
      tls: { cert: ours.cert, key: ours.private },
      ...(peerCa === undefined ? {} : { peerCa }),
    });
  }

  it('reaches a self-signed PBX once its certificate is trusted, and shows it ours', async () => {
    const t = transport({ debug() {}, info() {}, warn() {}, error() {} }, pbxCert);
    const before = received.length;
    const flow = t.connectTo('127.0.0.1', pbxPort);
    flow.send(bye());
    await expect.poll(() => received.slice(before).join('')).toContain('BYE sip:pbx@127.0.0.1 SIP/2.0');
    expect(clientCertificates.at(-1)).toBe(true);
    await t.close();
  });

  it('refuses a PBX whose certificate nobody vouches for, and says which setting trusts it', async () => {
    const warnings: string[] = [];
    const t = transport({ debug() {}, info() {}, warn: (_f, m) => void warnings.push(m), error() {} });
    const before = received.length;
    const flow = t.connectTo('127.0.0.1', pbxPort);
    flow.send(bye());
    await expect.poll(() => warnings.join('\n')).toContain('UMPIN_SIP_TLS_CA');
    await expect.poll(() => flow.isOpen()).toBe(false);
    expect(received.slice(before).join('')).not.toContain('BYE');
    await t.close();
  });
});
