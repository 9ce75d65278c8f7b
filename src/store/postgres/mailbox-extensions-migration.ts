/**
 * Migration 0021-mailbox-extensions on PostgreSQL (in the migration's transaction): um_mailbox
 * gains its extensions as a column, filled from the extension rows in their order; extension
 * loses its foreign key to recipient and its (recipient_id, position) index, without which the
 * key's check would read the whole table at every delete of a recipient. The store finds a
 * mailbox's rows by their key instead (mailbox-extensions.ts).
 */
import { sql, type Kysely } from 'kysely';
import { FILL_EXTENSIONS_SQL, STRAY_EXTENSIONS_SQL, strayExtensionError } from '../kysely/extension-list.js';

/** The name PostgreSQL gave the key made with the column in 0001-core. */
const RECIPIENT_KEY = 'extension_recipient_id_fkey';

export async function mailboxExtensions(db: Kysely<unknown>): Promise<void> {
  const stray = await sql.raw<{ number: string }>(`${STRAY_EXTENSIONS_SQL} limit 1`).execute(db);
  if (stray.rows[0]) throw strayExtensionError(stray.rows[0].number);
  await sql`alter table um_mailbox add column extensions text not null default ''`.execute(db);
  await sql.raw(FILL_EXTENSIONS_SQL).execute(db);
  // by what it is rather than by name: whatever a database named it
  const keys = await sql<{ conname: string }>`select conname from pg_constraint
    where conrelid = 'extension'::regclass and confrelid = 'recipient'::regclass and contype = 'f'`.execute(db);
  for (const k of keys.rows) await sql`alter table extension drop constraint ${sql.id(k.conname)}`.execute(db);
  await sql`drop index extension_recipient_position`.execute(db);
}

/** Down: 0020's shape again (the foreign key and the index; no column). The rows were kept all along. */
export async function mailboxExtensionsDown(db: Kysely<unknown>): Promise<void> {
  await sql`alter table extension add constraint ${sql.id(RECIPIENT_KEY)} foreign key (recipient_id) references recipient (id)`.execute(
    db,
  );
  await sql`create index extension_recipient_position on extension (recipient_id, position)`.execute(db);
  await sql`alter table um_mailbox drop column extensions`.execute(db);
}
