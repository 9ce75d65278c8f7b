import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { KyselyStore } from '../kysely/kysely-store.js';
import { type NamedRunner, runNamedStatementsOn } from '../kysely/prepared.js';
import { GuidBlobPlugin } from './guid-blobs.js';
import { rowReader, type RowReader } from './row-reader.js';
import { PIN_HASH_BLOB_FUNCTION, storedPinHash } from './pin-hash-blobs.js';
import { oncePerTick, type ChangeSignal } from '../kysely/read-cache.js';
import type { Database } from '../kysely/schema.js';
import { dropPlannerSamples } from './planner-samples.js';
import { sqliteAdapter } from './sqlite-adapter.js';

/**
 * Every transaction here writes, so take the write lock at BEGIN: a deferred transaction
 * that upgrades later fails at once with SQLITE_BUSY when another process writes, instead
 * of waiting for busy_timeout.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

/**
 * Kysely prepares each statement anew; better-sqlite3 statements are reusable, so keep the recent
 * ones, each reading its rows through its row reader (GUIDs as text, row-reader.ts).
 */
function withStatementCache(db: BetterSqlite3.Database, capacity = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(text: string): SqliteStatement {
      let stmt = cache.get(text);
      if (stmt) {
        cache.delete(text);
      } else {
        stmt = rowReader(db.prepare(text));
        if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, stmt);
      return stmt;
    },
  };
}

export function openSqliteStore(path: string): KyselyStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new BetterSqlite3(path);
  // PIN hashes are useless without the pepper, but the file is nobody else's business either
  if (path !== ':memory:') chmodSync(path, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 15000');
  db.pragma('foreign_keys = ON');
  // Reads through a memory map, not a read() system call for each page that SQLite's own small
  // cache misses: a list page touches hundreds of pages of a large directory (at 1,000,000
  // mailboxes a page's CPU fell by about a third). Writes still go through the WAL. SQLite caps
  // the size at its compiled-in maximum; the map costs address space, not memory.
  if (path !== ':memory:') db.pragma(`mmap_size = ${2 ** 31}`);
  // an ANALYZE run since the last open (by an operator, or an older umpin) may have left samples
  dropPlannerSamples(db);
  // what the store's plugin wraps a PIN hash it writes in (pin-hash-blobs.ts): in SQL, so that
  // statements compiled once convert whatever is bound later
  db.function(PIN_HASH_BLOB_FUNCTION, { deterministic: true }, (v: unknown) => storedPinHash(v) as string | Buffer);
  // Big integers come back as numbers: epoch milliseconds fit well within 2^53.
  const kysely = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect(withStatementCache(db)),
    plugins: [new GuidBlobPlugin()],
  });
  runNamedStatementsOn(kysely, directStatements(db));
  return new KyselyStore(kysely, sqliteAdapter, dataVersionSignal(db));
}

/**
 * Other processes on the same file (`umpin shell`, `umpin token revoke` beside a running
 * server) commit through their own connections: SQLite's data_version moves then, and only
 * then, so one cheap pragma per cached read tells whether anything may have changed.
 */
function dataVersionSignal(db: BetterSqlite3.Database): ChangeSignal {
  const dataVersion = db.prepare('pragma data_version').pluck();
  // once per turn of the event loop, not on every cached read: a request reads several
  return oncePerTick({
    version: () => (db.open ? (dataVersion.get() as number) : null),
    close: async () => {},
  });
}

/**
 * The point statements (prepared.ts, `named`), prepared once on the store's connection and run at
 * once: while no transaction is open on it, Kysely's connection mutex would hand it over at once
 * anyway, and a statement of better-sqlite3 runs whole before anything else can.
 */
function directStatements(db: BetterSqlite3.Database): NamedRunner {
  const statements = new Map<string, RowReader>();
  return (name, text, parameters) => {
    if (db.inTransaction) return null;
    let statement = statements.get(name);
    if (statement === undefined) {
      statement = rowReader(db.prepare(text));
      statements.set(name, statement);
    }
    if (statement.reader) return statement.all(parameters);
    statement.run(parameters);
    return [];
  };
}
