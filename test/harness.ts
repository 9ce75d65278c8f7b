/**
 * Real stores for tests, on every engine: SQLite in a temporary file and PostgreSQL in a
 * fresh database of the server the global setup started. No fakes: the services run
 * against the same adapters as production, only with a cheap KDF cost.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { makeDeps, openStore } from '../src/compose.js';
import type { Deps } from '../src/services/ports/deps.js';
import type { KdfParams } from '../src/crypto/kdf-params.js';
import type { TollFraudOptions } from '../src/services/toll-fraud-guard.js';
import { deriveSecrets } from '../src/crypto/secrets.js';

export type Engine = 'sqlite' | 'postgres';

const KNOWN_ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/**
 * The engines a run covers, from UMPIN_TEST_ENGINES (unset: both). A name that is not an
 * engine throws, naming it: a typo such as `postgresql` must not quietly leave an engine out.
 */
export function selectEngines(value: string | undefined): Engine[] {
  if (value === undefined) return [...KNOWN_ENGINES];
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(KNOWN_ENGINES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0)
    throw new Error(
      `UMPIN_TEST_ENGINES=${JSON.stringify(value)}: ${unknown.map((n) => JSON.stringify(n)).join(', ')} is not an engine; use ${KNOWN_ENGINES.join(', ')} or both, separated by a comma`,
    );
  return KNOWN_ENGINES.filter((e) => names.includes(e));
}

/** UMPIN_TEST_ENGINES=sqlite narrows a local run; CI runs both. */
export const ENGINES: Engine[] = selectEngines(process.env.UMPIN_TEST_ENGINES);

/** Cheap enough for hundreds of hashes per test; the default cost has its own end-to-end test. */
export const TEST_KDF: KdfParams = { m: 64, t: 1, p: 1 };

export class TestClock {
  constructor(public t = Date.UTC(2026, 10, 25, 9, 0, 0)) {}
  /** time moves on by a millisecond per reading, so rows written one after another keep their order */
  now = (): number => this.t++;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestDb {
  engine: Engine;
  /** UMPIN_DATABASE_URL for a child process: a PostgreSQL URL or the SQLite file path */
  url: string;
  dataDir: string;
  masterKey: string;
  /** PostgreSQL: where the cluster's WAL stood once the database was made, for scans of what was written since */
  walStart?: string;
  drop(): Promise<void>;
}

/**
 * A database filled once and copied for each test that starts from it (see databaseTemplate):
 * its master key goes with it, since its sealed payloads and PIN hashes were made with it.
 */
export interface DatabaseTemplate {
  engine: Engine;
  /** the SQLite file, or the PostgreSQL database's name */
  source: string;
  masterKey: string;
  /** the test clock when it was filled: a copy's clock goes on from there */
  clockAt: number;
}

export async function freshDatabase(engine: Engine, from?: DatabaseTemplate): Promise<TestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'umpin-test-'));
  const masterKey = from?.masterKey ?? randomBytes(32).toString('base64');
  if (engine === 'sqlite') {
    if (from) copyFileSync(from.source, join(dataDir, 'umpin.db'));
    return {
      engine,
      url: join(dataDir, 'umpin.db'),
      dataDir,
      masterKey,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const admin = inject('pgUrl');
  const name = `umpin_t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  // a file copy of a small template is a third of the time of copying it through the WAL
  await c.query(
    from ? `create database ${name} template ${from.source} strategy file_copy` : `create database ${name}`,
  );
  const walStart = (await c.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn')).rows[0]!.lsn;
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    engine,
    url: u.toString(),
    dataDir,
    masterKey,
    walStart,
    drop: async () => {
      const c2 = new pg.Client({ connectionString: admin });
      await c2.connect();
      await c2.query(`drop database if exists ${name} with (force)`);
      await c2.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestContext {
  deps: Deps;
  db: TestDb;
  clock: TestClock;
  close(): Promise<void>;
}

/** kdf: the PIN hash cost (cheap by default); tollFraud: the guard's thresholds (the defaults unless a test counts past them). */
export async function testContext(
  engine: Engine,
  opts: { kdf?: KdfParams; tollFraud?: Partial<TollFraudOptions>; from?: DatabaseTemplate } = {},
): Promise<TestContext> {
  const db = await freshDatabase(engine, opts.from);
  const secrets = deriveSecrets(Buffer.from(db.masterKey, 'base64'));
  const store = openStore({ engine, databaseUrl: db.url });
  await store.migrate();
  const clock = new TestClock(opts.from?.clockAt);
  const deps = makeDeps(store, secrets, opts.kdf ?? TEST_KDF, clock, { tollFraud: opts.tollFraud });
  return {
    deps,
    db,
    clock,
    close: async () => {
      await store.close();
      await db.drop();
    },
  };
}

const templates = new Map<string, Promise<DatabaseTemplate>>();

/**
 * A database on this engine filled once per test process by `fill` (the same name, the same
 * filling), then copied whole for each test context made from it: a file copy on SQLite, a
 * `create database … template` on PostgreSQL. Suites that start hundreds of contexts from
 * the same organisation pay for filling it once instead of each time.
 */
export function databaseTemplate(
  engine: Engine,
  name: string,
  fill: (ctx: TestContext) => Promise<void>,
): Promise<DatabaseTemplate> {
  const key = `${engine}:${name}`;
  let made = templates.get(key);
  if (!made) {
    made = (async () => {
      const db = await freshDatabase(engine);
      const secrets = deriveSecrets(Buffer.from(db.masterKey, 'base64'));
      const store = openStore({ engine, databaseUrl: db.url });
      await store.migrate();
      const clock = new TestClock();
      await fill({ deps: makeDeps(store, secrets, TEST_KDF, clock), db, clock, close: async () => {} });
      // closing folds SQLite's WAL into the file and leaves no session on the PostgreSQL database to copy
      await store.close();
      if (engine === 'sqlite' && existsSync(`${db.url}-wal`)) throw new Error(`${db.url}-wal is left after closing`);
      process.once('exit', () => rmSync(db.dataDir, { recursive: true, force: true }));
      const source = engine === 'sqlite' ? db.url : new URL(db.url).pathname.slice(1);
      return { engine, source, masterKey: db.masterKey, clockAt: clock.t };
    })();
    templates.set(key, made);
  }
  return made;
}

/**
 * How calls started together meet in one in-process store, for the names of tests that start
 * them together. SQLite has one connection (and better-sqlite3 waits for a lock synchronously,
 * so a second connection in the same process would stall the first): the calls interleave up
 * to their transactions, which run one after another. PostgreSQL's pool runs them side by side.
 * Truly concurrent writers on SQLite are separate processes (test/lockout-concurrency.test.ts,
 * the extension race in src/store/store.contract.test.ts, test/mail-crash.test.ts).
 */
export function togetherOn(engine: Engine): string {
  return engine === 'sqlite'
    ? 'sqlite: one connection, the transactions one after another'
    : 'postgres: side by side on pooled connections';
}

/** Environment for a child `umpin` process on the same database and secrets. */
export function childEnv(db: TestDb, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    UMPIN_DATA_DIR: db.dataDir,
    UMPIN_DATABASE_URL: db.url,
    UMPIN_SECRET_KEY: db.masterKey,
    UMPIN_KDF: `m=${TEST_KDF.m},t=${TEST_KDF.t},p=${TEST_KDF.p}`,
    ...extra,
  };
}
