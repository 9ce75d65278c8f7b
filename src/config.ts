import { resolve } from 'node:path';
import { UmpinError } from './domain/errors.js';
import { DEFAULT_KDF, parseKdfParams, type KdfParams } from './crypto/kdf-params.js';

/** Configuration comes from the environment only (documented in the README). */
export interface Config {
  dataDir: string;
  /** "postgres://…" for PostgreSQL; otherwise the SQLite file path */
  databaseUrl: string;
  engine: 'sqlite' | 'postgres';
  httpPort: number;
  httpHost: string;
  kdf: KdfParams;
  secretKey: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.UMPIN_DATA_DIR || './data');
  const url = env.UMPIN_DATABASE_URL || '';
  const engine = /^postgres(ql)?:\/\//i.test(url) ? 'postgres' : 'sqlite';
  const databaseUrl = engine === 'postgres' ? url : url.replace(/^sqlite:(\/\/)?/i, '') || resolve(dataDir, 'umpin.db');
  const port = Number(env.UMPIN_HTTP_PORT || 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UmpinError({ code: 'UMPIN_VALUE_INVALID', field: 'UMPIN_HTTP_PORT', params: { field: 'UMPIN_HTTP_PORT', rule: 'a TCP port number 0-65535' } });
  }
  return {
    dataDir,
    databaseUrl,
    engine,
    httpPort: port,
    httpHost: env.UMPIN_HTTP_HOST || '0.0.0.0',
    kdf: env.UMPIN_KDF ? parseKdfParams(env.UMPIN_KDF) : { ...DEFAULT_KDF },
    secretKey: env.UMPIN_SECRET_KEY,
  };
}
