/** composeRows: what makes a transaction one object with every aggregate's methods (the store tests run them on both engines). */
import { describe, expect, it } from 'vitest';
import { sqliteAdapter } from '../sqlite/sqlite-adapter.js';
import { composeRows, Rows, type Db } from './rows.js';

class NameReads extends Rows {
  name(): string {
    return `name from ${String(this.db)}`;
  }
}
class NameRows extends NameReads {
  rename(): string {
    return `renamed on ${this.adapter.name}`;
  }
}
class CountRows extends Rows {
  count(): number {
    return 1;
  }
}
class OtherNameRows extends Rows {
  name(): string {
    return 'another name';
  }
}

const adapter = sqliteAdapter;
// the handle is only held and handed to the methods: a label shows which one they got
const db = 'db' as unknown as Db;

describe('composeRows', () => {
  it("gives one object every row class's methods and their bases', on the one handle", () => {
    const Composed = composeRows(NameRows, CountRows);
    const rows = new Composed(db, adapter);
    expect([rows.name(), rows.rename(), rows.count()]).toEqual(['name from db', 'renamed on sqlite', 1]);
  });

  it('takes a read class and the class that extends it together (the reads are shared, not defined twice)', () => {
    const rows = new (composeRows(NameReads, NameRows))(db, adapter);
    expect(rows.name()).toBe('name from db');
  });

  it('refuses two row classes that define the same method: one would silently replace the other', () => {
    expect(() => composeRows(NameRows, OtherNameRows)).toThrow(/name is defined by two row classes/);
  });
});
