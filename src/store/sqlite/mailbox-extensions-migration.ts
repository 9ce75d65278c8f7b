/**
 * Migration 0021-mailbox-extensions on SQLite: um_mailbox gains its extensions as a column,
 * filled from the extension rows in their order; extension loses its foreign key to recipient
 * (SQLite cannot drop one in place: the table is made anew from its own definition without it,
 * its rows copied in key order, its other indexes made again) and its (recipient_id, position)
 * index. Without that index the key's check would read the whole extension table at every
 * delete of a recipient; the store finds a mailbox's rows by their key instead
 * (mailbox-extensions.ts). One transaction, foreign keys off while the table is swapped and
 * checked before the commit; then VACUUM, so the old table's pages leave the file.
 */
import type { Kysely } from 'kysely';
import { FILL_EXTENSIONS_SQL, STRAY_EXTENSIONS_SQL, strayExtensionError } from '../kysely/extension-list.js';
import { inOneRebuildTransaction, rows, run } from './table-rebuild.js';

const MIGRATION = '0021-mailbox-extensions';
const WITH_KEY = '"recipient_id" blob not null references "recipient" ("id")';
const WITHOUT_KEY = '"recipient_id" blob not null';
const POSITION_INDEX = 'extension_recipient_position';

/** extension made anew from its definition with `from` replaced by `to`, its indexes but `skip` made again. */
async function rebuildExtension(db: Kysely<unknown>, from: string, to: string, skip: string | null): Promise<void> {
  const [def] = await rows<{ sql: string }>(
    db,
    "select sql from sqlite_schema where type = 'table' and name = 'extension'",
  );
  if (!def?.sql.includes(from)) throw new Error(`${MIGRATION}: extension's definition has no ${from}`);
  const indexes = await rows<{ name: string; sql: string }>(
    db,
    "select name, sql from sqlite_schema where type = 'index' and tbl_name = 'extension' and sql is not null",
  );
  const ddl = def.sql
    .replace(from, to)
    .replace(/^CREATE TABLE (IF NOT EXISTS )?("?)extension\2/i, 'CREATE TABLE "extension_0021"');
  await run(db, ddl);
  // in key order, so the table fills its pages instead of splitting them
  await run(db, 'insert into "extension_0021" select * from "extension" order by "dial_plan_id", "number"');
  await run(db, 'drop table "extension"');
  await run(db, 'alter table "extension_0021" rename to "extension"');
  for (const i of indexes) if (i.name !== skip) await run(db, i.sql);
}

export async function mailboxExtensions(db: Kysely<unknown>): Promise<void> {
  await inOneRebuildTransaction(db, MIGRATION, ['um_mailbox', 'extension'], async () => {
    const [stray] = await rows<{ number: string }>(db, `${STRAY_EXTENSIONS_SQL} limit 1`);
    if (stray) throw strayExtensionError(stray.number);
    await run(db, `alter table "um_mailbox" add column "extensions" text default '' not null`);
    await run(db, FILL_EXTENSIONS_SQL);
    await rebuildExtension(db, WITH_KEY, WITHOUT_KEY, POSITION_INDEX);
  });
  // the old table's pages and the rows' old places are free but still in the file: written anew without them
  await run(db, 'vacuum');
}

/** Down: 0020's shape again (the foreign key and the index; no column). The rows were kept all along. */
export async function mailboxExtensionsDown(db: Kysely<unknown>): Promise<void> {
  await inOneRebuildTransaction(db, MIGRATION, ['um_mailbox', 'extension'], async () => {
    await rebuildExtension(db, WITHOUT_KEY, WITH_KEY, null);
    await run(db, `create index "${POSITION_INDEX}" on "extension" ("recipient_id", "position")`);
    await run(db, 'alter table "um_mailbox" drop column "extensions"');
  });
}
