/**
 * Migration 0020-compact-pin-hash on SQLite: every PIN hash that has a compact form
 * (pin-hash-blobs.ts) is stored as it, in both tables that hold one; going down turns them
 * back into their PHC text. The column's declared type stays TEXT: its affinity keeps a blob
 * a blob. Rows are converted in key order, a batch a transaction, so the write-ahead log stays
 * small and a run that stops part-way leaves a database the store reads (it reads both forms)
 * and a second run finishes.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { GUID_COLUMNS } from './guid-blobs.js';
import { PIN_HASH_COLUMNS, pinHashBlob, pinHashText } from './pin-hash-blobs.js';

/** Each table's key, in its order (both are WITHOUT ROWID since 0018: the key is the table's order). */
const KEYS: Readonly<Record<string, readonly string[]>> = {
  pin_state: ['recipient_id'],
  pin_history: ['recipient_id', 'version'],
};

const BATCH = 5000;

async function run<R>(db: Kysely<unknown>, text: string, parameters: readonly unknown[] = []): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]))).rows;
}

/** The stored value a row's hash becomes; undefined to leave it as it is. */
type Convert = (stored: unknown, table: string) => unknown;

/** The rows changed. */
async function convertTable(db: Kysely<unknown>, table: string, convert: Convert, batch: number): Promise<number> {
  const key = KEYS[table]!;
  const [column] = PIN_HASH_COLUMNS[table]!;
  const keys = key.map((k) => `"${k}"`).join(', ');
  // the rows' GUIDs read back as their text (row-reader.ts): bound again as their blobs
  const param = (k: string) => (GUID_COLUMNS[table]?.includes(k) ? `unhex(?, '-')` : '?');
  const first = `select ${keys}, "${column}" as h from "${table}" order by ${keys} limit ${batch}`;
  const next = `select ${keys}, "${column}" as h from "${table}" where (${keys}) > (${key.map(param).join(', ')}) order by ${keys} limit ${batch}`;
  const update = `update "${table}" set "${column}" = ? where ${key.map((k) => `"${k}" = ${param(k)}`).join(' and ')}`;
  let after: unknown[] | null = null;
  let changed = 0;
  for (;;) {
    await run(db, 'begin immediate');
    let rows: Record<string, unknown>[];
    try {
      rows = await run<Record<string, unknown>>(db, after === null ? first : next, after ?? []);
      for (const r of rows) {
        const to = convert(r.h, table);
        if (to === undefined) continue;
        await run(db, update, [to, ...key.map((k) => r[k])]);
        changed++;
      }
      await run(db, 'commit');
    } catch (e) {
      await run(db, 'rollback');
      throw e;
    }
    if (rows.length < batch) return changed;
    const last = rows.at(-1)!;
    after = key.map((k) => last[k]);
  }
}

const toBlob: Convert = (stored) => (typeof stored === 'string' ? (pinHashBlob(stored) ?? undefined) : undefined);

const toText: Convert = (stored, table) => {
  if (!(stored instanceof Uint8Array)) return undefined;
  const text = pinHashText(stored);
  // never a message with the value: the hash is secret too
  if (text === null) throw new Error(`0020-compact-pin-hash: ${table} holds a PIN hash blob this version cannot read`);
  return text;
};

/** `batch`: rows a transaction (tests take a few, to cross batches). */
export async function compactPinHashes(db: Kysely<unknown>, batch = BATCH): Promise<void> {
  let changed = 0;
  for (const table of Object.keys(KEYS)) changed += await convertTable(db, table, toBlob, batch);
  // the converted rows left a third of each page of pin_state free: the file is written anew without it
  if (changed > 0) await run(db, 'vacuum');
}

export async function textPinHashes(db: Kysely<unknown>, batch = BATCH): Promise<void> {
  for (const table of Object.keys(KEYS)) await convertTable(db, table, toText, batch);
}
