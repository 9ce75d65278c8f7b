import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { KyselyStore } from '../kysely/kysely-store.js';
import { runNamedStatementsOn } from '../kysely/prepared.js';
import type { Database } from '../kysely/schema.js';
import { postgresChangeSignal } from './change-listener.js';
import { postgresAdapter } from './postgres-adapter.js';

const INT8_OID = 20;

export function openPostgresStore(url: string, poolSize = 10): KyselyStore {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // bigint columns hold epoch milliseconds and sequence numbers: well within 2^53
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // a named statement: each pooled connection parses and plans it once, as the hot reads need
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // A migration that changes what a kept statement returns (a table's columns) makes PostgreSQL
  // refuse to run it on the connections that prepared it (0A000, "cached plan must not change
  // result type"), and pg would keep sending it: the statements are named anew from then on.
  let generation = 0;
  const run = async (name: string, text: string, values: readonly unknown[]) =>
    (await pool.query({ name: `${name}_${generation}`, text, values: [...values] })).rows;
  runNamedStatementsOn(kysely, async (name, text, values) => {
    try {
      return await run(name, text, values);
    } catch (e) {
      if ((e as { code?: unknown }).code !== '0A000') throw e;
      generation++;
      return run(name, text, values);
    }
  });
  return new KyselyStore(kysely, postgresAdapter, postgresChangeSignal(url));
}
