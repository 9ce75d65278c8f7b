/**
 * Migration 0019-unique-names on SQLite. recipient_name becomes the one table of unique names
 * (name_key its primary key: a recipient's lower-cased alias, address and UPN, each once), which
 * is then the uniqueness constraint of all three together; recipient loses its three unique
 * indexes and its upn_key column. SQLite cannot drop a UNIQUE column or constraint in place, so
 * recipient is made anew from its own definition without them, its rows copied across in key
 * order, its other indexes made again, as 0018 does (guid-blob-migration.ts). One transaction,
 * foreign keys off while the tables are swapped and checked before the commit.
 */
import type { Kysely } from 'kysely';
import { guidTextSql, inOneRebuildTransaction, rows, run } from './table-rebuild.js';

/** A recipient's unique names: alias, address, and the UPN where it is not the address (an alias has no @). */
export const UNIQUE_NAMES_SQL = `select alias_key as name_key, id from recipient
  union all select smtp_key, id from recipient where smtp_key <> alias_key
  union all select upn_key, id from recipient where upn_key <> smtp_key and upn_key <> alias_key`;

/** The first name two recipients share, or null (only an older umpin without the service's rule, or a hand edit, makes one). */
export async function sharedName(db: Kysely<unknown>): Promise<string | null> {
  const [shared] = await rows<{ name_key: string }>(
    db,
    `select name_key from (${UNIQUE_NAMES_SQL}) group by name_key having count(*) > 1 order by name_key limit 1`,
  );
  return shared?.name_key ?? null;
}

/** recipient's definition as 0018 left it, each of the three unique keys found and changed, or an error naming what is not there. */
function edit(ddl: string, changes: ReadonlyArray<readonly [string, string]>): string {
  let out = ddl;
  for (const [from, to] of changes) {
    if (!out.includes(from)) throw new Error(`0019-unique-names: recipient's definition has no ${from}`);
    out = out.replace(from, to);
  }
  return out;
}

const UNIQUE_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['"alias_key" text not null unique', '"alias_key" text not null'],
  ['"smtp_key" text not null unique', '"smtp_key" text not null'],
  [', "upn_key" text not null unique', ''],
];

async function rebuildRecipient(db: Kysely<unknown>, changes: ReadonlyArray<readonly [string, string]>, upn: boolean) {
  const [def] = await rows<{ sql: string }>(
    db,
    "select sql from sqlite_schema where type = 'table' and name = 'recipient'",
  );
  if (!def) throw new Error('0019-unique-names: no table recipient');
  const indexes = await rows<{ sql: string }>(
    db,
    "select sql from sqlite_schema where type = 'index' and tbl_name = 'recipient' and sql is not null",
  );
  const before = (await rows<{ name: string }>(db, "select name from pragma_table_info('recipient')")).map(
    (c) => c.name,
  );
  const ddl = edit(def.sql, changes).replace(
    /^CREATE TABLE (IF NOT EXISTS )?("?)recipient\2/i,
    'CREATE TABLE "recipient_0019"',
  );
  await run(db, ddl);
  const kept = before.filter((c) => c !== 'upn_key').map((c) => `"${c}"`);
  // going down, the UPN's key is made again as key() makes it (the UPN is ASCII: an address's form)
  const columns = upn ? [...kept, '"upn_key"'] : kept;
  const values = upn ? [...kept, 'lower("user_principal_name")'] : kept;
  await run(
    db,
    `insert into "recipient_0019" (${columns.join(', ')}) select ${values.join(', ')} from "recipient" order by "id"`,
  );
  await run(db, 'drop table "recipient"');
  await run(db, 'alter table "recipient_0019" rename to "recipient"');
  for (const i of indexes) await run(db, i.sql);
}

export async function uniqueNames(db: Kysely<unknown>): Promise<void> {
  await inOneRebuildTransaction(db, '0019-unique-names', ['recipient', 'recipient_name'], async () => {
    await run(
      db,
      'create table "recipient_name_0019" ("name_key" text not null primary key, "recipient_id" blob not null) without rowid',
    );
    // in key order, so the table fills its pages instead of splitting them; a name already
    // there is passed over here and counted below (cheaper than grouping every name first)
    await run(
      db,
      `insert or ignore into "recipient_name_0019" ("name_key", "recipient_id") ${UNIQUE_NAMES_SQL} order by 1`,
    );
    const [n] = await rows<{ written: number; names: number }>(
      db,
      `select (select count(*) from "recipient_name_0019") as written, (select count(*) from (${UNIQUE_NAMES_SQL})) as names`,
    );
    if (Number(n?.written) !== Number(n?.names))
      throw new Error(
        `0019-unique-names: "${await sharedName(db)}" is the alias, address or UPN of two recipients; give one of them another and upgrade again`,
      );
    await run(db, 'drop table "recipient_name"');
    await run(db, 'alter table "recipient_name_0019" rename to "recipient_name"');
    await rebuildRecipient(db, UNIQUE_KEYS, false);
  });
  // the old tables' pages are free but still in the file: written anew without them
  await run(db, 'vacuum');
}

/** Down: 0018's shape again (the three unique keys and upn_key on recipient; every name, GUID and display name included, in recipient_name). */
export async function uniqueNamesDown(db: Kysely<unknown>): Promise<void> {
  await inOneRebuildTransaction(db, '0019-unique-names', ['recipient', 'recipient_name'], async () => {
    await rebuildRecipient(
      db,
      [
        ['"alias_key" text not null', '"alias_key" text not null unique'],
        ['"smtp_key" text not null', '"smtp_key" text not null unique'],
        ['"user_principal_name" text not null', '"user_principal_name" text not null, "upn_key" text not null unique'],
      ],
      true,
    );
    await run(db, 'drop table "recipient_name"');
    await run(
      db,
      'create table "recipient_name" ("name_key" text not null, "recipient_id" blob not null, constraint "recipient_name_pk" primary key ("name_key", "recipient_id")) without rowid',
    );
    await run(
      db,
      `insert into "recipient_name" ("name_key", "recipient_id")
        select ${guidTextSql('id')}, id from recipient
        union select alias_key, id from recipient
        union select smtp_key, id from recipient
        union select upn_key, id from recipient
        union select display_name_key, id from recipient
        order by 1, 2`,
    );
  });
}
