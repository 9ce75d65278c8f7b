/**
 * Queries compiled once. Kysely builds and compiles a query on every call: for a small
 * select that is 5–20 µs of JavaScript, more than SQLite takes to run it, on reads that
 * every API request makes. Here a query is built once with marked placeholders; each call
 * binds its own values in their places and runs the same SQL text (which the SQLite
 * adapter's statement cache then finds prepared).
 *
 * Only for queries whose shape never depends on the values: build() must pass its
 * arguments straight into the query, not inspect or transform them.
 */
import type { Compilable, CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const MARK = '\u0000umpin-prepared-argument:';

/**
 * Runs one statement kept prepared under its name on the engine's own handle, outside
 * transactions, without Kysely's connection hand-over: better-sqlite3's statement on SQLite,
 * a named statement through the pool on PostgreSQL. Null when it cannot run now (SQLite: a
 * transaction is open on the connection); the query then goes through Kysely.
 */
export type NamedRunner = (
  name: string,
  sql: string,
  parameters: readonly unknown[],
) => Promise<Record<string, unknown>[]> | Record<string, unknown>[] | null;

const runners = new WeakMap<object, NamedRunner>();

/**
 * The database whose point statements run as named statements: PostgreSQL parses and plans
 * each once per connection instead of on every call (its share of a telephone logon's CPU);
 * SQLite runs them on its handle at once (the PIN-status read of every API request).
 */
export function runNamedStatementsOn(db: Kysely<Database>, run: NamedRunner): void {
  runners.set(db.getExecutor().adapter, run);
}

let statements = 0;

export function prepared<A extends readonly unknown[], R>(
  build: (db: Db, ...args: A) => Compilable<R>,
  opts: {
    /**
     * a statement whose plan does not follow its values, run as a named statement where the
     * engine keeps them: a point statement (equality on keys), or a list page whose every branch
     * is held to its index (recipient-queries.ts compiledPage); its generic plan is then the plan
     * any values would get
     */
    named?: boolean;
  } = {},
): (db: Db, ...args: A) => Promise<R[]> {
  const name = `umpin_prepared_${++statements}`;
  // one compilation per database (its adapter): the SQL differs between engines ($1 or ?)
  const compilations = new WeakMap<object, { query: CompiledQuery<R>; slots: Array<number | null> }>();
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let compiled = compilations.get(adapter);
    if (compiled === undefined) {
      const marks = args.map((_, i) => `${MARK}${i}`) as unknown as A;
      const query = build(db, ...marks).compile();
      // which argument each bound parameter is, or null for a constant the query binds itself
      const slots = query.parameters.map((p) =>
        typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : null,
      );
      if (new Set(slots.filter((s) => s !== null)).size !== args.length)
        throw new Error(`prepared query: not every argument reached the SQL: ${query.sql}`);
      compiled = { query, slots };
      compilations.set(adapter, compiled);
    }
    const { query, slots } = compiled;
    const parameters = slots.map((s, i) => (s === null ? query.parameters[i] : args[s]));
    if (opts.named && !db.isTransaction) {
      const rows = runners.get(adapter)?.(name, query.sql, parameters);
      if (rows !== undefined && rows !== null) return (await rows) as R[];
    }
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
