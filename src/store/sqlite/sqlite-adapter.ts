/** What SQLite does its own way (engine-adapter.ts). */
import { sql, type AliasedRawBuilder, type Kysely, type Transaction } from 'kysely';
import { totalmem } from 'node:os';
import type { EngineAdapter, MigrationDdl, SqlFragments } from '../kysely/engine-adapter.js';
import type { Database } from '../kysely/schema.js';
import { HEX_GUID } from './guid-blobs.js';
import { guidBlobs, guidTexts } from './guid-blob-migration.js';
import { compactPinHashes, textPinHashes } from './pin-hash-blob-migration.js';
import { DROP_PLANNER_SAMPLES_SQL } from './planner-samples.js';
import { uniqueNames, uniqueNamesDown } from './unique-names-migration.js';
import { mailboxExtensions, mailboxExtensionsDown } from './mailbox-extensions-migration.js';
import { inOneAnalyzedTransaction } from './table-rebuild.js';

const nothing = async (): Promise<void> => {};

export const sqliteAdapter: EngineAdapter = Object.freeze({
  name: 'sqlite',
  // no row locks: every transaction here begins immediate, so a claim is the only writer
  claimSkipsLocked: false,
  searchSortsFenced: false,
  async bulkLoad<T>(db: Kysely<Database>, fn: () => Promise<T>): Promise<T> {
    // Random keys (names, addresses) land all over their indexes: with the default 2 MB cache
    // every insert reads and rewrites pages through the WAL; up to a quarter of the memory keeps them here.
    const before = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size ?? -2000;
    const kib = Math.min(1 << 20, Math.floor(totalmem() / 4 / 1024));
    await sql.raw(`pragma cache_size = -${kib}`).execute(db);
    const pages = async () =>
      Number((await sql<{ n: number }>`select page_count as n from pragma_page_count`.execute(db)).rows[0]!.n);
    try {
      const pagesBefore = await pages();
      const result = await fn();
      await sql`analyze`.execute(db);
      // row counts for the planner, but no samples (planner-samples.ts)
      for (const statement of DROP_PLANNER_SAMPLES_SQL) await sql.raw(statement).execute(db);
      // A load that made most of the file leaves its B-trees' pages 10-14 % empty (split in half
      // at random keys): written anew, packed, as an upgrade's copy leaves them
      // (docs/database-size.md). Not for a load that added little to a large file.
      const after = await pages();
      if (after - pagesBefore >= after / 2) await sql`vacuum`.execute(db);
      return result;
    } finally {
      await sql.raw(`pragma cache_size = ${Number(before)}`).execute(db);
    }
  },
  async nextValues(db: Kysely<Database> | Transaction<Database>, sequence: string, n: number): Promise<number[]> {
    // no sequences: a row a sequence, which the one writer (who holds the write lock from BEGIN) moves on
    const r = await sql<{
      value: number;
    }>`update sequence_value set value = value + ${n} where name = ${sequence} returning value`.execute(db);
    const last = Number(r.rows[0]!.value);
    return Array.from({ length: n }, (_, i) => last - n + 1 + i);
  },
  sql: Object.freeze<SqlFragments>({
    // BINARY, the default collation, is code point order already
    bytewise: (e) => e,
    addressDomain: (e) => sql`substr(${e}, instr(${e}, '@') + 1)`,
    guid: (v) => sql`unhex(${v}, '-')`,
    guidText: (e) =>
      sql`lower(substr(hex(${e}), 1, 8) || '-' || substr(hex(${e}), 9, 4) || '-' || substr(hex(${e}), 13, 4) || '-' || substr(hex(${e}), 17, 4) || '-' || substr(hex(${e}), 21))`,
    guidColumn: (column, alias) =>
      sql<string>`lower(hex(${sql.ref(column)}))`.as(`${HEX_GUID}${alias}`) as unknown as AliasedRawBuilder<
        string,
        typeof alias
      >,
    // the list as a JSON array of strings (its items are digits: nothing to escape); '' would be [""]
    listItems: (list, alias) =>
      sql`json_each(case when ${list} = '' then '[]' else '["' || replace(${list}, ',', '","') || '"]' end) as ${sql.id(alias)}`,
    firstListItem: (list) => sql`substr(${list}, 1, instr(${list} || ',', ',') - 1)`,
  }),
  migrationDdl: Object.freeze<MigrationDdl>({
    // text columns are BINARY already
    bytewiseColumns: nothing,
    // the planner keeps no histogram to be wrong about
    statisticsTarget: nothing,
    // the data_version pragma tells each process of other processes' commits (sqlite-store.ts)
    notifyChanges: nothing,
    dropChangeNotifications: nothing,
    async createSequence(db, name, start) {
      await sql`create table if not exists sequence_value (name text primary key, value integer not null)`.execute(db);
      await sql`insert into sequence_value (name, value) values (${name}, ${start - 1})`.execute(db);
    },
    async dropSequence(db, name) {
      await sql`delete from sequence_value where name = ${name}`.execute(db);
    },
    keyOnlyTable: (table) => table.modifyEnd(sql`without rowid`),
    guidBlobs,
    guidTexts,
    uniqueNames,
    uniqueNamesDown,
    compactPinHashes,
    textPinHashes,
    mailboxExtensions,
    mailboxExtensionsDown,
    async changeIndexes(db, tables, body) {
      await inOneAnalyzedTransaction(db, tables, body);
      await sql`vacuum`.execute(db);
    },
  }),
});
