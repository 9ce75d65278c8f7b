/**
 * What SQLite's table-rebuilding migrations share (0018 guid-blob-migration.ts, 0019
 * unique-names-migration.ts, 0021 mailbox-extensions-migration.ts): SQLite cannot change a
 * column's type, drop a UNIQUE column or a table's key in place, so such a migration makes tables
 * anew and swaps them, in one transaction of its own with foreign keys off, checked before the
 * commit. 0023 changes indexes in the same kind of transaction (sqlite-adapter.ts changeIndexes).
 */
import { sql, type Kysely } from 'kysely';
import { DROP_PLANNER_SAMPLES_SQL } from './planner-samples.js';

export const rows = async <T>(db: Kysely<unknown>, text: string): Promise<T[]> =>
  (await sql.raw(text).execute(db)).rows as T[];

export const run = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

/** SQL of the text GUID randomUUID writes (lower-case, dashed) of the blob in column c; null stays null. */
export const guidTextSql = (c: string): string => {
  const h = `lower(hex("${c}"))`;
  // hex(null) is '', not null
  return `case when "${c}" is null then null else substr(${h}, 1, 8) || '-' || substr(${h}, 9, 4) || '-' || substr(${h}, 13, 4) || '-' || substr(${h}, 17, 4) || '-' || substr(${h}, 21) end`;
};

/**
 * Runs `body` in one transaction of its own (Kysely runs SQLite's migrations outside a
 * transaction) and makes the planner's row counts of `tables` again before the commit, where the
 * database had them (no samples: planner-samples.ts).
 */
export async function inOneAnalyzedTransaction(
  db: Kysely<unknown>,
  tables: readonly string[],
  body: () => Promise<void>,
): Promise<void> {
  await run(db, 'begin immediate');
  try {
    const analyzed = (await rows(db, "select 1 from sqlite_schema where name = 'sqlite_stat1'")).length > 0;
    await body();
    if (analyzed) {
      for (const t of tables) await run(db, `analyze "${t}"`);
      for (const s of DROP_PLANNER_SAMPLES_SQL) await run(db, s);
    }
    await run(db, 'commit');
  } catch (e) {
    await run(db, 'rollback');
    throw e;
  }
}

/**
 * inOneAnalyzedTransaction with foreign keys off (a pragma a transaction cannot change), checked
 * before the commit. `migration` names the error.
 */
export async function inOneRebuildTransaction(
  db: Kysely<unknown>,
  migration: string,
  tables: readonly string[],
  body: () => Promise<void>,
): Promise<void> {
  await run(db, 'pragma foreign_keys = off');
  try {
    await inOneAnalyzedTransaction(db, tables, async () => {
      await body();
      const broken = await rows(db, 'pragma foreign_key_check');
      if (broken.length > 0) throw new Error(`${migration}: ${broken.length} foreign keys broken`);
    });
  } finally {
    await run(db, 'pragma foreign_keys = on');
  }
}
