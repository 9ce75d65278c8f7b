/** What PostgreSQL does its own way (engine-adapter.ts). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { EngineAdapter, MigrationDdl, SqlFragments } from '../kysely/engine-adapter.js';
import type { Database } from '../kysely/schema.js';
import { uniqueNames, uniqueNamesDown } from './unique-names-migration.js';
import { mailboxExtensions, mailboxExtensionsDown } from './mailbox-extensions-migration.js';
import { vacuumUntilVisible } from './vacuum-until-visible.js';

export const postgresAdapter: EngineAdapter = Object.freeze({
  name: 'postgres',
  claimSkipsLocked: true,
  searchSortsFenced: true,
  async bulkLoad<T>(db: Kysely<Database>, fn: () => Promise<T>): Promise<T> {
    const result = await fn();
    for (const t of ['recipient', 'recipient_name', 'um_mailbox', 'extension', 'pin_state'])
      await vacuumUntilVisible(db, t);
    return result;
  },
  async nextValues(db: Kysely<Database> | Transaction<Database>, sequence: string, n: number): Promise<number[]> {
    // nextval takes no lock that lasts: writers on every server draw from it side by side
    const r = await sql<{
      v: string;
    }>`select nextval(${sequence}::regclass)::text as v from generate_series(1, ${n}::int)`.execute(db);
    return r.rows.map((x) => Number(x.v)).sort((a, b) => a - b);
  },
  sql: Object.freeze<SqlFragments>({
    // text columns follow the database's locale unless collated "C"
    bytewise: (e) => sql`(${e}) collate "C"`,
    addressDomain: (e) => sql`split_part(${e}, '@', 2)`,
    // GUIDs stay text here (0018-guid-blobs changes SQLite only)
    guid: (v) => sql`${v}`,
    guidText: (e) => e,
    guidColumn: (column, alias) => sql<string>`${sql.ref(column)}`.as(alias),
    // string_to_array('', ',') is the empty array
    listItems: (list, alias) => sql`unnest(string_to_array(${list}, ',')) as ${sql.id(alias)}(value)`,
    firstListItem: (list) => sql`split_part(${list}, ',', 1)`,
  }),
  // the table name unquoted (sql.raw), as these statements were first run
  migrationDdl: Object.freeze<MigrationDdl>({
    async bytewiseColumns(db, table, columns) {
      // byte order, as SQLite's BINARY, whatever the database locale
      for (const c of columns)
        await sql`alter table ${sql.raw(table)} alter column ${sql.ref(c)} type text collate "C"`.execute(db);
    },
    async statisticsTarget(db, table, columns, target) {
      for (const c of columns)
        await sql`alter table ${sql.raw(table)} alter column ${sql.ref(c)} set statistics ${sql.lit(target ?? -1)}`.execute(
          db,
        );
    },
    async notifyChanges(db, tables) {
      // each process LISTENs on umpin_changes (change-listener.ts); a commit by any process, or by hand in psql, NOTIFYs it
      await sql`create or replace function umpin_notify_change() returns trigger language plpgsql as $$
        begin
          perform pg_notify('umpin_changes', tg_table_name);
          return null;
        end $$`.execute(db);
      for (const t of tables) {
        await sql`create trigger ${sql.id(`${t}_changed`)} after insert or update or delete or truncate on ${sql.table(t)} for each statement execute function umpin_notify_change()`.execute(
          db,
        );
      }
    },
    async dropChangeNotifications(db, tables, keepFunction = false) {
      for (const t of tables)
        await sql`drop trigger if exists ${sql.id(`${t}_changed`)} on ${sql.table(t)}`.execute(db);
      if (!keepFunction) await sql`drop function if exists umpin_notify_change()`.execute(db);
    },
    async createSequence(db, name, start) {
      await sql`create sequence ${sql.id(name)} start with ${sql.lit(start)} minvalue 1`.execute(db);
    },
    async dropSequence(db, name) {
      await sql`drop sequence if exists ${sql.id(name)}`.execute(db);
    },
    // a heap and its primary key index: nothing to ask for
    keyOnlyTable: (table) => table,
    // GUIDs stay text: the size goal is SQLite's, and uuid columns would change what every
    // raw statement and index here compares (a step of its own, if PostgreSQL's size calls for it)
    guidBlobs: async () => {},
    guidTexts: async () => {},
    uniqueNames,
    uniqueNamesDown,
    compactPinHashes: async () => {},
    textPinHashes: async () => {},
    mailboxExtensions,
    mailboxExtensionsDown,
    changeIndexes: (_db, _tables, body) => body(),
  }),
});
