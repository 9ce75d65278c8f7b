/**
 * The TLS listener's certificate and key: the configured PEM files when given, otherwise a
 * self-signed certificate generated once into the data directory (`sip-tls/`, key mode 0600)
 * and reused on every start, so a PBX can pin or trust it. Its subject names the host and
 * its SubjectAltName carries loopback and the listen address. With UMPIN_SIP_TLS_CA, also the
 * certificates that vouch for the gateways umpin connects to itself.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { UmpinError } from '../../domain/errors.js';

export interface TlsCredentials {
  readonly cert: string;
  readonly key: string;
  /** Where the certificate is, for a PBX's administrator to trust it. */
  readonly certPath: string;
  /** UMPIN_SIP_TLS_CA: the certificates that vouch for gateways we connect to; unset, the system's */
  readonly ca?: string;
}

export async function loadTlsCredentials(options: {
  certPath?: string | undefined;
  keyPath?: string | undefined;
  dataDir: string;
  host: string;
  caPath?: string | undefined;
}): Promise<TlsCredentials> {
  const own = await loadOwnCredentials(options);
  return options.caPath === undefined ? own : { ...own, ca: readPeerCa(options.caPath) };
}

async function loadOwnCredentials(options: {
  certPath?: string | undefined;
  keyPath?: string | undefined;
  dataDir: string;
  host: string;
}): Promise<TlsCredentials> {
  if (options.certPath && options.keyPath) {
    return {
      cert: readFileSync(options.certPath, 'utf8'),
      key: readFileSync(options.keyPath, 'utf8'),
      certPath: options.certPath,
    };
  }
  const dir = join(options.dataDir, 'sip-tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath };
  }
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (isIP(options.host) !== 0 && options.host !== '0.0.0.0' && options.host !== '::' && options.host !== '127.0.0.1')
    altNames.push({ type: 7, ip: options.host });
  const notAfter = new Date();
  notAfter.setFullYear(notAfter.getFullYear() + 10);
  const pems = await generate([{ name: 'commonName', value: 'umpin SIP' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, certPath };
}

/** UMPIN_SIP_TLS_CA's certificates; a file that cannot be read stops the start with the variable named. */
function readPeerCa(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_SIP_TLS_CA',
      params: { field: 'UMPIN_SIP_TLS_CA', rule: `a readable PEM file of certificates (${(err as Error).message})` },
    });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_SIP_TLS_CA',
      params: { field: 'UMPIN_SIP_TLS_CA', rule: 'a PEM file of certificates (-----BEGIN CERTIFICATE-----)' },
    });
  }
  return text;
}
