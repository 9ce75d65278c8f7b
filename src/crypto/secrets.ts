import { hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UmpinError } from '../domain/errors.js';

/** Keys derived from one master secret kept outside the database. */
export interface ServerSecrets {
  /** argon2 "secret" input: keys every PIN hash. */
  pepper: Buffer;
  /** AES-256-GCM key for outbox payloads that carry a clear PIN. */
  outboxKey: Buffer;
  /** HMAC key of the audit chain: a database-only attacker cannot re-forge the links. */
  auditKey: Buffer;
  /** HMAC key for digests of bearer secrets (API tokens, session ids, CSRF and setup tokens): only digests are stored. */
  tokenKey: Buffer;
}

export const SECRET_FILE_NAME = 'secret.key';
const MASTER_BYTES = 32;

function derive(master: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `umpin/${label}/v1`, 32));
}

export function deriveSecrets(master: Buffer): ServerSecrets {
  return {
    pepper: derive(master, 'pepper'),
    outboxKey: derive(master, 'outbox'),
    auditKey: derive(master, 'audit'),
    tokenKey: derive(master, 'token'),
  };
}

function decodeMaster(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const buf = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (buf.length !== MASTER_BYTES) {
    throw new UmpinError({
      code: 'UMPIN_SECRET_INVALID',
      params: { source, rule: `expected ${MASTER_BYTES} bytes as base64 or hex` },
    });
  }
  return buf;
}

/**
 * The master secret comes from UMPIN_SECRET_KEY, or from <dataDir>/secret.key, created on
 * first run with mode 0600 (O_EXCL, so two processes starting at once agree on one key).
 * A key file readable by group or others is refused rather than trusted.
 */
export function loadOrCreateSecrets(dataDir: string, envValue: string | undefined): ServerSecrets {
  if (envValue !== undefined && envValue !== '') return deriveSecrets(decodeMaster(envValue, 'UMPIN_SECRET_KEY'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, SECRET_FILE_NAME);
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(MASTER_BYTES).toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const fd = openSync(path, 'r');
  try {
    if ((fstatSync(fd).mode & 0o077) !== 0) throw new UmpinError({ code: 'UMPIN_SECRET_INSECURE', params: { path } });
    return deriveSecrets(decodeMaster(readFileSync(fd, 'utf8'), path));
  } finally {
    closeSync(fd);
  }
}
