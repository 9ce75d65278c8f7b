/**
 * SQLite's planner statistics without STAT4 samples. better-sqlite3 is built with STAT4:
 * once ANALYZE has filled `sqlite_stat4` (bulkLoad does, an operator may), SQLite re-prepares
 * a statement every time its parameters are bound anew whenever a sample could change its
 * plan — the identity look-up went from 14 µs to 63 µs per call at 1,000,000 mailboxes, and
 * no list or search plan changed without them. The per-index row counts of `sqlite_stat1`
 * stay: they are what the planner needs to pick the right index.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** Empties sqlite_stat4 (when there is one, with rows) and has the connection reload the statistics. */
export function dropPlannerSamples(db: BetterSqlite3.Database): void {
  const table = db.prepare("select 1 from sqlite_schema where type = 'table' and name = 'sqlite_stat4'").get();
  if (!table || !db.prepare('select 1 from sqlite_stat4 limit 1').get()) return;
  db.exec('delete from sqlite_stat4; analyze sqlite_schema');
}

/** The same as statements Kysely can run (bulkLoad's ANALYZE goes through Kysely). */
export const DROP_PLANNER_SAMPLES_SQL = ['delete from sqlite_stat4', 'analyze sqlite_schema'] as const;
