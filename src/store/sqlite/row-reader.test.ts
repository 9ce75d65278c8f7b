/**
 * Rows read through row-reader.ts: the same objects better-sqlite3 makes itself (names, values,
 * order of keys), with GUID blobs as their text, by declared type or, for an expression, by size.
 */
import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEX_GUID } from './guid-blobs.js';
import { rowReader } from './row-reader.js';

const blob = (id: string) => Buffer.from(id.replaceAll('-', ''), 'hex');
const LOOKALIKE = '00000000-0000-4000-8000-000000000000';

describe('rows read through the row reader', () => {
  let db: BetterSqlite3.Database;
  const id = randomUUID();
  beforeEach(() => {
    db = new BetterSqlite3(':memory:');
    db.exec('create table t (id blob primary key, name text, n integer, other blob, raw text) without rowid');
    db.prepare('insert into t values (?, ?, ?, ?, ?)').run(blob(id), LOOKALIKE, 7, null, null);
  });
  afterEach(() => db.close());

  it('makes the objects better-sqlite3 makes, with GUID columns as text and a name that looks like one left alone', () => {
    const text = 'select id, name, n, other, raw as "weird ""name""" from t where id = ?';
    const mine = rowReader(db.prepare(text)).all([blob(id)]);
    const theirs = db.prepare(text).all(blob(id)) as Record<string, unknown>[];
    expect(mine).toEqual([{ ...theirs[0], id }]);
    expect(Object.keys(mine[0]!)).toEqual(Object.keys(theirs[0]!));
  });

  it("reads an expression's 16-byte blob as a GUID, and other blobs as they are", () => {
    const r = rowReader(db.prepare("select max(id) as top, x'0102' as short, cast(? as blob) as long, name from t"));
    const [row] = r.all([Buffer.alloc(48, 1)]);
    expect(row).toEqual({ top: id, short: Buffer.from([1, 2]), long: Buffer.alloc(48, 1), name: LOOKALIKE });
  });

  it("gives a GUID read as its hex digits (a hot read's guidColumn) its dashes, under the name after the marker", () => {
    const r = rowReader(
      db.prepare(
        `select lower(hex(id)) as "${HEX_GUID}id", lower(hex(other)) as "${HEX_GUID}other", name, lower(hex(id)) as plain from t`,
      ),
    );
    const [row] = r.all([]);
    expect(row).toEqual({ id, other: null, name: LOOKALIKE, plain: id.replaceAll('-', '') });
    expect(Object.keys(row!)).toEqual(['id', 'other', 'name', 'plain']);
  });

  it('reads a column without rows, iterates, and runs a statement that writes', () => {
    expect(rowReader(db.prepare('select id from t where n = ?')).all([0])).toEqual([]);
    expect([...rowReader(db.prepare('select id, n from t')).iterate([])]).toEqual([{ id, n: 7 }]);
    const write = rowReader(db.prepare('update t set n = n + 1 where id = ?'));
    expect(write.reader).toBe(false);
    expect(write.run([blob(id)]).changes).toBe(1);
    expect(
      rowReader(db.prepare('insert into t (id, n) values (?, 1) returning id, n')).all([blob(randomUUID())]),
    ).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), n: 1 }]);
  });

  it('names the columns a table has now when a migration changed it under a kept statement', () => {
    const r = rowReader(db.prepare('select t.* from t'));
    expect(Object.keys(r.all([])[0]!)).toEqual(['id', 'name', 'n', 'other', 'raw']);
    db.exec('alter table t add column later integer');
    expect(r.all([])[0]).toMatchObject({ id, n: 7, later: null });
  });
});
