/**
 * Migration 0018-guid-blobs on SQLite: every GUID column (guid-blobs.ts GUID_COLUMNS_0018) becomes a
 * 16-byte blob, and the tables keyed by a mailbox's GUID are stored in their key's order
 * (WITHOUT ROWID: no separate TEXT-key index, no rowid in each index entry). SQLite cannot
 * change a column's type or a table's key in place, so each table is made anew from its own
 * definition (whatever columns later migrations added), its rows copied across converted, and
 * its indexes made again. Foreign keys are off while tables are swapped, and checked before
 * the commit.
 */
import { sql, type Kysely } from 'kysely';
import { guidTextSql, inOneRebuildTransaction, rows } from './table-rebuild.js';
import { GUID_COLUMNS_0018 as GUID_COLUMNS } from './guid-blobs.js';

/** The tables keyed by a mailbox's GUID (or led by it), stored in key order; recipient_name already was (0017). */
const KEY_ORDERED = new Set(['recipient', 'um_mailbox', 'pin_state', 'extension', 'pin_history', 'recipient_name']);

/** Text GUID to blob; null for a text that is no GUID (refused before the copy). */
const toBlob = (c: string) => `unhex("${c}", '-')`;

/** Blob to the text GUID randomUUID writes (lower-case, dashed). */
const toText = guidTextSql;

interface Direction {
  /** the declared type a GUID column has before and after */
  from: 'text' | 'blob';
  to: 'text' | 'blob';
  convert: (column: string) => string;
  keyOrdered: (table: string) => boolean;
}

const UP: Direction = { from: 'text', to: 'blob', convert: toBlob, keyOrdered: (t) => KEY_ORDERED.has(t) };
const DOWN: Direction = { from: 'blob', to: 'text', convert: toText, keyOrdered: (t) => t === 'recipient_name' };

async function rebuild(db: Kysely<unknown>, table: string, d: Direction): Promise<void> {
  const [def] = await rows<{ sql: string }>(
    db,
    `select sql from sqlite_schema where type = 'table' and name = '${table}'`,
  );
  if (!def) throw new Error(`0018-guid-blobs: no table ${table}`);
  const indexes = await rows<{ sql: string }>(
    db,
    `select sql from sqlite_schema where type = 'index' and tbl_name = '${table}' and sql is not null`,
  );
  const guids = new Set(GUID_COLUMNS[table]);
  const info = await rows<{ name: string; pk: number }>(db, `select name, pk from pragma_table_info('${table}')`);
  const columns = info.map((c) => c.name);
  // copied in key order, a table stored in key order fills its pages instead of splitting them
  const key = info
    .filter((c) => c.pk > 0)
    .sort((x, y) => x.pk - y.pk)
    .map((c) => `${guids.has(c.name) ? d.convert(c.name) : `"${c.name}"`}`);
  if (d === UP)
    for (const c of guids) {
      // a value that is no GUID would become null: refuse rather than lose it
      const [bad] = await rows<{ n: number }>(
        db,
        `select count(*) as n from "${table}" where "${c}" is not null and (length("${c}") <> 36 or ${toBlob(c)} is null)`,
      );
      if (Number(bad?.n) > 0)
        throw new Error(`0018-guid-blobs: ${table}.${c} holds a value that is no GUID (${bad?.n} rows)`);
    }
  const temp = `${table}_0018`;
  let ddl = def.sql.replace(/^CREATE TABLE (IF NOT EXISTS )?("?)[a-z_]+\2/i, `CREATE TABLE "${temp}"`);
  for (const c of guids) ddl = ddl.replace(new RegExp(`"${c}" ${d.from}\\b`), `"${c}" ${d.to}`);
  ddl = ddl.replace(/\s*without rowid\s*$/i, '');
  if (d.keyOrdered(table)) ddl += ' without rowid';
  await sql.raw(ddl).execute(db);
  const select = columns.map((c) => (guids.has(c) ? `${d.convert(c)}` : `"${c}"`)).join(', ');
  const list = columns.map((c) => `"${c}"`).join(', ');
  const order = key.length > 0 ? ` order by ${key.join(', ')}` : '';
  await sql.raw(`insert into "${temp}" (${list}) select ${select} from "${table}"${order}`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${temp}" rename to "${table}"`).execute(db);
  for (const i of indexes) await sql.raw(i.sql).execute(db);
}

async function convertAll(db: Kysely<unknown>, d: Direction): Promise<void> {
  const tables = Object.keys(GUID_COLUMNS);
  await inOneRebuildTransaction(db, '0018-guid-blobs', tables, async () => {
    for (const table of tables) await rebuild(db, table, d);
  });
  // The old tables' pages are free now but still in the file (1.1 GB of 2.5 at 1,000,000
  // mailboxes): the file is written anew without them, its B-trees packed (40 s there).
  if (d === UP) await sql.raw('vacuum').execute(db);
}

export const guidBlobs = (db: Kysely<unknown>): Promise<void> => convertAll(db, UP);
export const guidTexts = (db: Kysely<unknown>): Promise<void> => convertAll(db, DOWN);
