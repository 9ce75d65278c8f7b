/**
 * A query's plan as the engine states it, one line a step (SQLite's `explain query plan`
 * detail, PostgreSQL's `explain`): what the plan tests read to show a hot query seeks an index.
 */
import { CompiledQuery } from 'kysely';
import type { Db } from './rows.js';

export async function queryPlan(
  db: Db,
  engine: 'sqlite' | 'postgres',
  q: { compile(): CompiledQuery },
): Promise<string[]> {
  const c = q.compile();
  if (engine === 'sqlite') {
    const r = await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${c.sql}`, [...c.parameters]),
    );
    return r.rows.map((x) => x.detail);
  }
  const r = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${c.sql}`, [...c.parameters]));
  return r.rows.map((x) => x['QUERY PLAN'].trim());
}
