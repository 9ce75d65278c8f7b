/**
 * The GUID conversion at SQLite's store edge (guid-blobs.ts): which values of a Kysely query
 * become blobs (those of GUID columns, by table and column, through aliases and subqueries;
 * never a name that merely looks like a GUID), and that blobs read back as GUID text.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../kysely/kysely-store.js';
import { guidText } from './guid-blobs.js';
import { openSqliteStore } from './sqlite-store.js';

const LOOKALIKE = '00000000-0000-4000-8000-000000000000';
/** the values a compiled query binds through unhex, in order */
const converted = (q: { compile(): { sql: string } }) => q.compile().sql.match(/unhex\(\?, '-'\)/g)?.length ?? 0;

describe('GUIDs as blobs on SQLite', () => {
  let store: KyselyStore;
  beforeEach(async () => {
    store = openSqliteStore(':memory:');
    await store.migrate();
  });
  afterEach(() => store.close());

  it('turns a blob into the GUID text randomUUID writes, wherever the blob sits in its buffer', () => {
    for (let i = 0; i < 200; i++) {
      const id = randomUUID();
      expect(guidText(Buffer.from(id.replaceAll('-', ''), 'hex'))).toBe(id);
      const inside = Buffer.concat([
        Buffer.from([i, 255]),
        Buffer.from(id.replaceAll('-', ''), 'hex'),
        Buffer.from([i]),
      ]);
      expect(guidText(inside.subarray(2, 18))).toBe(id);
    }
    expect(guidText(Buffer.alloc(16, 0xff))).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
    expect(guidText(Buffer.alloc(16))).toBe('00000000-0000-0000-0000-000000000000');
  });

  it('converts values compared with GUID columns, by table and column, through aliases and subqueries', () => {
    const db = store.kysely;
    const id = randomUUID();
    expect(converted(db.selectFrom('recipient').selectAll().where('id', '=', id))).toBe(1);
    expect(converted(db.selectFrom('recipient').selectAll().where('display_name', '=', LOOKALIKE))).toBe(0);
    expect(converted(db.selectFrom('recipient_name').selectAll().where('name_key', '=', LOOKALIKE))).toBe(0);
    expect(converted(db.selectFrom('pin_state as ps').selectAll().where('ps.recipient_id', 'in', [id, id]))).toBe(2);
    expect(
      converted(
        db
          .selectFrom('recipient')
          .selectAll()
          .where((eb) => eb(eb.refTuple('recipient.display_name_key', 'recipient.id'), '>', eb.tuple('a', id))),
      ),
    ).toBe(1);
    // a subquery's own table, and the outer one's by its qualified name
    expect(
      converted(
        db
          .selectFrom('um_mailbox')
          .selectAll()
          .where(
            'recipient_id',
            'in',
            db.selectFrom('extension').select('extension.recipient_id').where('number', '=', id),
          )
          .where('um_mailbox.policy_id', '=', id),
      ),
    ).toBe(1);
    // the same column name is no GUID in a table the list does not name
    expect(converted(db.selectFrom('admin_account').selectAll().where('id', '=', id))).toBe(0);
    expect(converted(db.selectFrom('recipient').selectAll().where('um_policy_id', 'is', null))).toBe(0);
  });

  it('converts what is inserted into and set on GUID columns, and reads it back as text', async () => {
    const db = store.kysely;
    const raw = db.withoutPlugins();
    const [a, b] = [randomUUID(), randomUUID()];
    await db
      .insertInto('recipient_name')
      .values([
        { name_key: LOOKALIKE, recipient_id: a },
        { name_key: 'kim', recipient_id: b },
      ])
      .execute();
    // what SQLite holds (rows read back already carry the GUID's text: row-reader.ts)
    const stored = await raw
      .selectFrom('recipient_name')
      .select([sql<string>`typeof(name_key)`.as('name'), sql<string>`typeof(recipient_id)`.as('who')])
      .orderBy('name_key')
      .execute();
    expect(stored).toEqual([
      { name: 'text', who: 'blob' },
      { name: 'text', who: 'blob' },
    ]);
    await db.updateTable('recipient_name').set({ recipient_id: b }).where('recipient_id', '=', a).execute();
    expect(
      await db.selectFrom('recipient_name').select(['name_key', 'recipient_id as who']).orderBy('name_key').execute(),
    ).toEqual([
      { name_key: LOOKALIKE, who: b },
      { name_key: 'kim', who: b },
    ]);
    // a text that is no GUID names nothing (it becomes null, which equals nothing)
    expect(await db.selectFrom('recipient_name').selectAll().where('recipient_id', '=', 'kim').execute()).toEqual([]);
  });
});
