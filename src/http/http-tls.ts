/**
 * HTTPS served by umpin itself, for sites without a proxy in front: the certificate and key
 * from UMPIN_HTTP_TLS_CERT/KEY, read at start, and read again on SIGHUP so that a renewed
 * certificate (certbot's deploy hook: `kill -HUP`) takes effect without dropping anyone.
 * New connections get the new files; a pair that cannot be read or does not match leaves
 * the running one in place, with an error line.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type Server as TlsServer } from 'node:tls';
import type { FastifyBaseLogger } from 'fastify';
import { UmpinError } from '../domain/errors.js';

export interface HttpTlsFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

/** The PEM pair, checked by building a TLS context from it; an error names the variable. */
export function readHttpTls(files: HttpTlsFiles): { cert: string; key: string } {
  const read = (path: string, field: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new UmpinError({
        code: 'UMPIN_VALUE_INVALID',
        field,
        params: { field, rule: `a readable PEM file (${(err as Error).message})` },
      });
    }
  };
  const pair = { cert: read(files.certPath, 'UMPIN_HTTP_TLS_CERT'), key: read(files.keyPath, 'UMPIN_HTTP_TLS_KEY') };
  try {
    createSecureContext(pair);
  } catch (err) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_HTTP_TLS_CERT',
      params: {
        field: 'UMPIN_HTTP_TLS_CERT',
        rule: `a PEM certificate that matches the key in UMPIN_HTTP_TLS_KEY (${(err as Error).message})`,
      },
    });
  }
  return pair;
}

/** On each SIGHUP, the files again; returns a function that stops listening for it. */
export function reloadOnHangup(server: TlsServer, files: HttpTlsFiles, log: FastifyBaseLogger): () => void {
  const reload = () => {
    try {
      server.setSecureContext({ ...readHttpTls(files), minVersion: 'TLSv1.2' });
      log.info({ cert: files.certPath }, 'HTTPS certificate reloaded');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'HTTPS certificate not reloaded: the running one stays');
    }
  };
  process.on('SIGHUP', reload);
  return () => process.off('SIGHUP', reload);
}
