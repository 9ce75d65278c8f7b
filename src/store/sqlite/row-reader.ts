/**
 * A reader statement's rows as objects, made in JavaScript from the arrays better-sqlite3 reads
 * in its raw mode. better-sqlite3 builds an object row by defining each column on an empty object
 * from C++, one property at a time: for a list page of 100 rows and 27 columns at 1,000,000
 * mailboxes that was about 40 % of the statement's CPU (1.2 ms against 0.7 ms for the same
 * statement's arrays). An object literal of the statement's columns, made once per statement,
 * gives V8 one shape for every row and costs about what the arrays do.
 *
 * The GUIDs come back as their text here as well (guid-blobs.ts): a column the schema declares
 * `blob` holds a GUID, and so does a 16-byte blob in a column without a declared type (an
 * expression's). A hot read (a list page) asks for its GUIDs as hex digits instead, under a
 * name that starts with HEX_GUID (SqlFragments.guidColumn): the row gets them under the rest of
 * the name, with their dashes; a Buffer a blob costs more than the text. A PIN hash, read under
 * its own name, comes back as its PHC string (pin-hash-blobs.ts). Any other blob is handed over
 * as it is.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { dashedGuid, guidText, HEX_GUID } from './guid-blobs.js';
import { PIN_HASH_RESULT, storedPinHashText } from './pin-hash-blobs.js';

type Row = Record<string, unknown>;

/** A GUID column's value: its text, or null. */
const guid = (v: unknown): unknown => (v instanceof Uint8Array ? guidText(v) : v);
/** An expression's value: a 16-byte blob is a GUID; anything else as it is. */
const maybeGuid = (v: unknown): unknown => (v instanceof Uint8Array && v.byteLength === 16 ? guidText(v) : v);

/**
 * The row maker of a statement's columns. Made with `new Function` so that the object is a
 * literal of known keys (that is what makes it cheap); the keys are the statement's own column
 * names, written as JSON string literals, and the values are read by index: no text of a row or
 * of a caller ever becomes code.
 */
function rowMaker(columns: readonly BetterSqlite3.ColumnDefinition[]): (r: unknown[]) => Row {
  const value = (c: BetterSqlite3.ColumnDefinition, i: number) => {
    const type = c.type?.toLowerCase();
    if (c.name === PIN_HASH_RESULT) return `h(r[${i}])`;
    if (c.name.startsWith(HEX_GUID)) return `x(r[${i}])`;
    if (type === 'blob') return `g(r[${i}])`;
    if (type === undefined || type === null) return `m(r[${i}])`;
    return `r[${i}]`;
  };
  const name = (c: BetterSqlite3.ColumnDefinition) =>
    c.name.startsWith(HEX_GUID) ? c.name.slice(HEX_GUID.length) : c.name;
  const body = `return {${columns.map((c, i) => `${JSON.stringify(name(c))}: ${value(c, i)}`).join(', ')}};`;
  const make = new Function('g', 'm', 'h', 'x', `return (r) => { ${body} };`) as (
    g: typeof guid,
    m: typeof maybeGuid,
    h: typeof storedPinHashText,
    x: typeof dashedGuid,
  ) => (r: unknown[]) => Row;
  return make(guid, maybeGuid, storedPinHashText, dashedGuid);
}

export interface RowReader {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): Row[];
  iterate(parameters: readonly unknown[]): IterableIterator<Row>;
  run(parameters: readonly unknown[]): BetterSqlite3.RunResult;
}

/** The statement, reading its rows through one row maker (a statement that writes runs as it is). */
export function rowReader(statement: BetterSqlite3.Statement): RowReader {
  if (!statement.reader)
    return {
      reader: false,
      all: (parameters) => statement.all(parameters) as Row[],
      iterate: (parameters) => statement.iterate(parameters) as IterableIterator<Row>,
      run: (parameters) => statement.run(parameters),
    };
  let columns = statement.columns().length;
  let make = rowMaker(statement.columns());
  const raw = statement.raw(true);
  // SQLite prepares a statement again when the schema changed (a migration run by this or another
  // process): a `table.*` then names the table's columns as they are now
  const row = (r: unknown[]): Row => {
    if (r.length !== columns) {
      columns = statement.columns().length;
      make = rowMaker(statement.columns());
    }
    return make(r);
  };
  return {
    reader: true,
    all: (parameters) => (raw.all(parameters) as unknown[][]).map(row),
    *iterate(parameters) {
      for (const r of raw.iterate(parameters) as IterableIterator<unknown[]>) yield row(r);
    },
    run: (parameters) => raw.run(parameters),
  };
}
