/** The composition root: the only place that picks and wires adapters. */
import { randomInt } from 'node:crypto';
import type { Config } from './config.js';
import { Argon2PinHasher } from './crypto/argon2-pin-hasher.js';
import { HmacAuditSigner } from './crypto/audit-signer.js';
import { AesGcmPayloadCipher } from './crypto/payload-cipher.js';
import { loadOrCreateSecrets } from './crypto/secrets.js';
import type { Deps } from './services/ports.js';
import { openPostgresStore } from './store/postgres/postgres-store.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';

export function openStore(config: Pick<Config, 'engine' | 'databaseUrl'>): Store {
  return config.engine === 'postgres' ? openPostgresStore(config.databaseUrl) : openSqliteStore(config.databaseUrl);
}

export interface App {
  config: Config;
  deps: Deps;
  close(): Promise<void>;
}

export async function compose(config: Config, opts: { migrate?: boolean } = {}): Promise<App> {
  const secrets = loadOrCreateSecrets(config.dataDir, config.secretKey);
  const store = openStore(config);
  if (opts.migrate ?? true) await store.migrate();
  const deps: Deps = {
    store,
    hasher: new Argon2PinHasher(secrets.pepper, config.kdf),
    cipher: new AesGcmPayloadCipher(secrets.outboxKey),
    signer: new HmacAuditSigner(secrets.auditKey),
    clock: { now: () => Date.now() },
    randomInt: (max) => randomInt(max),
  };
  return { config, deps, close: () => store.close() };
}
