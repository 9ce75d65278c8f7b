/**
 * GUIDs as 16-byte blobs on SQLite (migration 0018-guid-blobs): a 36-character text GUID takes
 * 37 bytes in every table and index that holds it, a blob 17. The services and the store's
 * code keep seeing GUIDs as strings; the conversion happens here, at the store's edge, for
 * every query Kysely builds:
 * - a value compared with, inserted into or set on a GUID column (known by table and column)
 *   is bound as the text it is and turned into its blob by SQLite (`unhex(?, '-')`), so a
 *   query compiled once with placeholders (prepared.ts) converts whatever is bound later, and a
 *   text that is no GUID becomes null and matches nothing, as a wrong text GUID did before;
 * - a blob read back is a GUID, turned into its text as the row is read (row-reader.ts): by the
 *   column's declared type, and by the value's for an expression, whatever alias the query gave;
 *   the only other blob is the PIN hash (below), decoded there by its column.
 * Raw `sql` templates that bind a GUID say so themselves (SqlFragments.guid).
 * The same walk converts the values of PIN hash columns (pin-hash-blobs.ts, migration 0020),
 * through a SQL function of the store's connection; a blob read under a PIN hash's name is
 * decoded as one, never as a GUID.
 */
import {
  BinaryOperationNode,
  ColumnNode,
  ColumnUpdateNode,
  type DeleteQueryNode,
  IdentifierNode,
  type InsertQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PrimitiveValueListNode,
  type QueryResult,
  RawNode,
  ReferenceNode,
  type RootOperationNode,
  type SelectQueryNode,
  TableNode,
  TupleNode,
  type UnknownRow,
  type UpdateQueryNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
  AliasNode,
  JoinNode,
} from 'kysely';
import { PIN_HASH_BLOB_OF, PIN_HASH_COLUMNS } from './pin-hash-blobs.js';

/** The GUID columns migration 0018 converted, by table: what it does never changes. */
export const GUID_COLUMNS_0018: Readonly<Record<string, readonly string[]>> = Object.freeze({
  dial_plan: ['id'],
  mailbox_policy: ['id', 'dial_plan_id'],
  recipient: ['id', 'um_policy_id'],
  um_mailbox: ['recipient_id', 'policy_id', 'dial_plan_id'],
  um_mailbox_kept_properties: ['recipient_id', 'policy_id', 'dial_plan_id'],
  recipient_name: ['recipient_id'],
  extension: ['dial_plan_id', 'recipient_id'],
  pin_state: ['recipient_id'],
  pin_history: ['recipient_id'],
  pin_reminder: ['recipient_id'],
  web_session: ['recipient_id'],
  sign_in_code: ['recipient_id'],
  outbox: ['recipient_id'],
  pin_link: ['recipient_id'],
});

/**
 * The columns that hold a GUID, by table. A later migration that adds a GUID column adds it
 * here (not to 0018's list) and makes it a blob on SQLite.
 */
export const GUID_COLUMNS: Readonly<Record<string, readonly string[]>> = GUID_COLUMNS_0018;

/**
 * The name a hot read's GUID column goes by while it comes back as its 32 hex digits
 * (SqlFragments.guidColumn), followed by the name the row gets it under: the row reader adds
 * the dashes. A prefix none of the store's own names has; no caller's text becomes a name.
 */
export const HEX_GUID = 'hex_guid:';

/** A GUID's 32 hex digits (lower-case) with its dashes; '', which SQLite's hex() makes of null, is null. */
export function dashedGuid(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (v === '') return null;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
}

/** Each byte's two hex digits. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A blob read back as the GUID's text, lower-case with its dashes (as randomUUID writes it).
 * Byte by byte from a table: 0.2 µs against 0.5 through a hex Buffer and its slices, on each of
 * the three GUIDs of every row a list page reads.
 */
export function guidText(b: Uint8Array): string {
  const h = HEX;
  return (
    h[b[0]!]! +
    h[b[1]!]! +
    h[b[2]!]! +
    h[b[3]!]! +
    '-' +
    h[b[4]!]! +
    h[b[5]!]! +
    '-' +
    h[b[6]!]! +
    h[b[7]!]! +
    '-' +
    h[b[8]!]! +
    h[b[9]!]! +
    '-' +
    h[b[10]!]! +
    h[b[11]!]! +
    h[b[12]!]! +
    h[b[13]!]! +
    h[b[14]!]! +
    h[b[15]!]!
  );
}

/** SQL that turns a bound GUID text into its blob (null for a text that is no GUID). */
export const BLOB_OF = ['unhex(', ", '-')"] as const;

/** SQL around a bound value, as [before, after] */
type Wrap = readonly [string, string];

/** What SQLite wraps a bound value of a converted column in, by table and column. */
const CONVERTED = new Map<string, Map<string, Wrap>>();
for (const [columns, wrap] of [
  [GUID_COLUMNS, BLOB_OF],
  [PIN_HASH_COLUMNS, PIN_HASH_BLOB_OF],
] as const)
  for (const [t, cs] of Object.entries(columns)) {
    const table = CONVERTED.get(t) ?? new Map<string, Wrap>();
    for (const c of cs) table.set(c, wrap);
    CONVERTED.set(t, table);
  }

const toBlob = (v: OperationNode, wrap: Wrap = BLOB_OF): OperationNode =>
  ValueNode.is(v) && !v.immediate && v.value !== null && v.value !== undefined ? RawNode.create([...wrap], [v]) : v;

const nameOf = (n: OperationNode | undefined): string | undefined => {
  if (n === undefined) return undefined;
  if (TableNode.is(n)) return n.table.identifier.name;
  if (IdentifierNode.is(n)) return n.name;
  return undefined;
};

/** The tables a query reads or writes, by the name (or alias) its columns are qualified with. */
type Scope = Map<string, string>;

function scopeOf(froms: readonly OperationNode[]): Scope {
  const scope: Scope = new Map();
  for (const f of froms) {
    const node = JoinNode.is(f) ? f.table : f;
    if (TableNode.is(node)) {
      const t = nameOf(node)!;
      scope.set(t, t);
    } else if (AliasNode.is(node) && TableNode.is(node.node)) {
      scope.set(nameOf(node.alias)!, nameOf(node.node)!);
    }
  }
  return scope;
}

type Node = OperationNode & Record<string, unknown>;

const isNode = (v: unknown): v is Node =>
  typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string';

/** The tables whose columns a query names: its FROM and JOINs, the table it writes. */
function queryTables(node: Node): readonly OperationNode[] | null {
  switch (node.kind) {
    case 'SelectQueryNode': {
      const q = node as unknown as SelectQueryNode;
      return [...(q.from?.froms ?? []), ...(q.joins ?? [])];
    }
    case 'DeleteQueryNode': {
      const q = node as unknown as DeleteQueryNode;
      return [...q.from.froms, ...(q.joins ?? [])];
    }
    case 'UpdateQueryNode': {
      const q = node as unknown as UpdateQueryNode;
      return [...(q.table ? [q.table] : []), ...(q.from?.froms ?? []), ...(q.joins ?? [])];
    }
    case 'InsertQueryNode': {
      const q = node as unknown as InsertQueryNode;
      return q.into ? [q.into] : [];
    }
    default:
      return null;
  }
}

/**
 * The query with the values of GUID columns converted. A walk that copies only the nodes on
 * the way to a change (Kysely's OperationNodeTransformer copies the whole tree, which doubled
 * the cost of building a list page's query); nodes are frozen, so sharing them is safe.
 */
class GuidConverter {
  /** innermost query last; a qualified column may name an outer query's table (a correlated subquery) */
  readonly #scopes: Scope[] = [];

  convert(node: OperationNode): OperationNode {
    const tables = queryTables(node as Node);
    if (tables !== null) this.#scopes.push(scopeOf(tables));
    try {
      return this.#own(this.#children(node as Node));
    } finally {
      if (tables !== null) this.#scopes.pop();
    }
  }

  #children(node: Node): Node {
    let out: Node | null = null;
    for (const key of Object.keys(node)) {
      const v = node[key];
      let changed: unknown = v;
      if (Array.isArray(v)) {
        let copy: unknown[] | null = null;
        for (let i = 0; i < v.length; i++) {
          const c = v[i] as unknown;
          if (!isNode(c)) continue;
          const w = this.convert(c);
          if (w !== c) {
            copy ??= v.slice();
            copy[i] = w;
          }
        }
        if (copy !== null) changed = Object.freeze(copy);
      } else if (isNode(v)) {
        changed = this.convert(v);
      }
      if (changed !== v) {
        out ??= { ...node };
        out[key] = changed;
      }
    }
    return out === null ? node : (Object.freeze(out) as Node);
  }

  #own(node: Node): OperationNode {
    switch (node.kind) {
      case 'BinaryOperationNode': {
        const { leftOperand: l, operator, rightOperand: r } = node as unknown as BinaryOperationNode;
        if (TupleNode.is(l) && TupleNode.is(r) && l.values.length === r.values.length) {
          const wraps = l.values.map((x) => this.#wrapOf(x));
          if (wraps.every((w) => w === undefined)) return node;
          return BinaryOperationNode.create(
            l,
            operator,
            TupleNode.create(r.values.map((v, i) => (wraps[i] ? toBlob(v, wraps[i]) : v))),
          );
        }
        const lw = this.#wrapOf(l);
        if (lw) {
          const v = this.#values(r, lw);
          return v === r ? node : BinaryOperationNode.create(l, operator, v);
        }
        const rw = this.#wrapOf(r);
        if (rw) {
          const v = this.#values(l, rw);
          return v === l ? node : BinaryOperationNode.create(v, operator, r);
        }
        return node;
      }
      case 'ColumnUpdateNode': {
        const u = node as unknown as ColumnUpdateNode;
        const w = this.#wrapOf(u.column);
        if (!w) return node;
        const v = toBlob(u.value, w);
        return v === u.value ? node : ColumnUpdateNode.create(u.column, v);
      }
      case 'InsertQueryNode': {
        const q = node as unknown as InsertQueryNode;
        const wraps = (q.columns ?? []).map((c) => this.#wrapOf(c));
        if (wraps.every((w) => w === undefined) || q.values === undefined || !ValuesNode.is(q.values)) return node;
        const rows = q.values.values.map((row) => {
          const items = PrimitiveValueListNode.is(row) ? row.values.map((x) => ValueNode.create(x)) : row.values;
          return ValueListNode.create(items.map((v, i) => (wraps[i] ? toBlob(v, wraps[i]) : v)));
        });
        return Object.freeze({ ...q, values: ValuesNode.create(rows) });
      }
      default:
        return node;
    }
  }

  /** how a value bound to the column is converted; undefined for a column that is not converted */
  #wrapOf(n: OperationNode): Wrap | undefined {
    let table: string | undefined;
    let column: string | undefined;
    if (ReferenceNode.is(n) && ColumnNode.is(n.column)) {
      column = n.column.column.name;
      table = nameOf(n.table);
    } else if (ColumnNode.is(n)) {
      column = n.column.name;
    } else return undefined;
    if (table !== undefined) {
      for (let i = this.#scopes.length - 1; i >= 0; i--) {
        const t = this.#scopes[i]!.get(table);
        if (t !== undefined) return CONVERTED.get(t)?.get(column);
      }
      return CONVERTED.get(table)?.get(column);
    }
    // unqualified: a column of the innermost query's tables
    const inner = this.#scopes.at(-1);
    if (inner === undefined) return undefined;
    for (const t of inner.values()) {
      const w = CONVERTED.get(t)?.get(column);
      if (w) return w;
    }
    return undefined;
  }

  /** the value side of a comparison with a converted column, converted */
  #values(v: OperationNode, wrap: Wrap): OperationNode {
    if (ValueNode.is(v)) return toBlob(v, wrap);
    if (PrimitiveValueListNode.is(v))
      return ValueListNode.create(v.values.map((x) => toBlob(ValueNode.create(x), wrap)));
    if (ValueListNode.is(v)) {
      const converted = v.values.map((x) => toBlob(x, wrap));
      return converted.some((x, i) => x !== v.values[i]) ? ValueListNode.create(converted) : v;
    }
    return v;
  }
}

/** The plugin on SQLite's Kysely (sqlite-store.ts); migrations run without it (kysely-store.ts). */
export class GuidBlobPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return new GuidConverter().convert(args.node) as RootOperationNode;
  }

  // rows come back with their GUIDs as text already: the store's statements read through row-reader.ts
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
