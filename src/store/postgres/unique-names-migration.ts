/**
 * Migration 0019-unique-names on PostgreSQL (the migration runs in one transaction here):
 * recipient_name becomes the table of unique names, its primary key the uniqueness of alias,
 * address and UPN together; recipient's three unique constraints and its upn_key column go.
 */
import { sql, type Kysely } from 'kysely';

const run = async (db: Kysely<unknown>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

/** A recipient's unique names: alias, address, and the UPN where it is not the address (an alias has no @). */
const UNIQUE_NAMES_SQL = `select alias_key as name_key, id from recipient
  union all select smtp_key, id from recipient where smtp_key <> alias_key
  union all select upn_key, id from recipient where upn_key <> smtp_key and upn_key <> alias_key`;

export async function uniqueNames(db: Kysely<unknown>): Promise<void> {
  // in byte order, as the recipient's key columns (0004): -SortBy and prefix ranges read this key in page order
  await run(
    db,
    `create table recipient_name_0019 (name_key text collate "C" not null, recipient_id text not null,
      constraint recipient_name_0019_pk primary key (name_key))`,
  );
  // a name already there is passed over and counted below: a unique violation would end the transaction before it could be named
  await run(
    db,
    `insert into recipient_name_0019 (name_key, recipient_id) ${UNIQUE_NAMES_SQL} order by 1 on conflict do nothing`,
  );
  const counts = await sql<{ written: string; names: string }>`select
    (select count(*) from recipient_name_0019)::text as written,
    (select count(*) from (${sql.raw(UNIQUE_NAMES_SQL)}) n)::text as names`.execute(db);
  const c = counts.rows[0];
  if (c?.written !== c?.names) {
    const shared = await sql<{ name_key: string }>`select name_key from (${sql.raw(UNIQUE_NAMES_SQL)}) n
      group by name_key having count(*) > 1 order by name_key limit 1`.execute(db);
    throw new Error(
      `0019-unique-names: "${shared.rows[0]?.name_key}" is the alias, address or UPN of two recipients; give one of them another and upgrade again`,
    );
  }
  await run(db, 'drop table recipient_name');
  await run(db, 'alter table recipient_name_0019 rename to recipient_name');
  await run(db, 'alter table recipient_name rename constraint recipient_name_0019_pk to recipient_name_pk');
  // the unique constraints (whatever PostgreSQL named them) on alias_key and smtp_key; upn_key's goes with its column
  const unique = await sql<{ conname: string }>`select conname from pg_constraint
    where conrelid = 'recipient'::regclass and contype = 'u'`.execute(db);
  for (const u of unique.rows) await sql`alter table recipient drop constraint ${sql.id(u.conname)}`.execute(db);
  await run(db, 'alter table recipient drop column upn_key');
  await run(db, 'analyze recipient_name');
}

/** Down: 0018's shape again. */
export async function uniqueNamesDown(db: Kysely<unknown>): Promise<void> {
  await run(db, 'alter table recipient add column upn_key text');
  // as key() made it: the UPN is ASCII (an address's form), lower-cased as such whatever the locale
  await run(db, 'update recipient set upn_key = lower(user_principal_name collate "C")');
  await run(db, 'alter table recipient alter column upn_key set not null');
  for (const c of ['alias_key', 'smtp_key', 'upn_key'])
    await run(db, `alter table recipient add constraint recipient_${c}_key unique (${c})`);
  await run(
    db,
    `create table recipient_name_0018 (name_key text not null, recipient_id text not null,
      constraint recipient_name_0018_pk primary key (name_key, recipient_id))`,
  );
  await run(
    db,
    `insert into recipient_name_0018 (name_key, recipient_id)
      select id, id from recipient
      union select alias_key, id from recipient
      union select smtp_key, id from recipient
      union select upn_key, id from recipient
      union select display_name_key, id from recipient`,
  );
  await run(db, 'drop table recipient_name');
  await run(db, 'alter table recipient_name_0018 rename to recipient_name');
  await run(db, 'alter table recipient_name rename constraint recipient_name_0018_pk to recipient_name_pk');
}
