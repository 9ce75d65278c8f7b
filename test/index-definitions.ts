/** The definitions of the named indexes as the engine keeps them, quotes dropped: what migration tests compare. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/store/kysely/schema.js';

export async function indexDefinitions(
  db: Kysely<Database>,
  engine: 'sqlite' | 'postgres',
  names: readonly string[],
): Promise<Record<string, string>> {
  const list = sql.join(names.map((n) => sql.lit(n)));
  const { rows } =
    engine === 'sqlite'
      ? await sql<{ name: string; def: string }>`select name, sql as def from sqlite_schema
          where type = 'index' and name in (${list})`.execute(db)
      : await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes
          where indexname in (${list})`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.def.replaceAll('"', '')]));
}
