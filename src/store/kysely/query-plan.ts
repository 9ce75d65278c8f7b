/**
 * A query's plan as the engine states it, one line a step (SQLite's `explain query plan`
 * detail, PostgreSQL's `explain`): what the plan tests read to show a hot query seeks an index.
 */
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Db } from './rows.js';
import type { Database } from './schema.js';

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

/** A value as an SQL literal, for EXECUTE's arguments (a utility statement takes no bound parameters). */
function literal(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  throw new Error(`no literal for ${typeof v}`);
}

/** A step of a PostgreSQL plan, as EXPLAIN (FORMAT JSON) gives it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/**
 * PostgreSQL's plan of the query as a tree: for the values it binds, or (generic) the plan a
 * named statement runs once the server stops planning it for each call's values, made for any
 * values (plan_cache_mode force_generic_plan), on one connection of the pool.
 */
export async function postgresPlanTree(
  db: Kysely<Database>,
  q: { compile(): CompiledQuery },
  generic: boolean,
): Promise<PlanNode> {
  const c = q.compile();
  const root = (rows: Array<{ 'QUERY PLAN': unknown }>) =>
    (rows[0]!['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0]!.Plan;
  if (!generic)
    return root(
      (
        await db.executeQuery<{ 'QUERY PLAN': unknown }>(
          CompiledQuery.raw(`explain (format json) ${c.sql}`, [...c.parameters]),
        )
      ).rows,
    );
  return db.connection().execute(async (conn) => {
    await sql`set plan_cache_mode = force_generic_plan`.execute(conn);
    try {
      await sql.raw(`prepare umpin_generic_plan as ${c.sql}`).execute(conn);
      const args = c.parameters.length ? `(${c.parameters.map(literal).join(', ')})` : '';
      return root(
        (
          await sql
            .raw<{ 'QUERY PLAN': unknown }>(`explain (format json) execute umpin_generic_plan${args}`)
            .execute(conn)
        ).rows,
      );
    } finally {
      await sql`deallocate umpin_generic_plan`.execute(conn);
      await sql`reset plan_cache_mode`.execute(conn);
    }
  });
}
