/**
 * What differs between the engines, as capabilities the shared code asks for (as Kysely's
 * dialect adapters do): each engine's store (sqlite/, postgres/) hands one to KyselyStore,
 * and no code here names an engine.
 */
import type { AliasedRawBuilder, CreateTableBuilder, Kysely, RawBuilder, Transaction } from 'kysely';
import type { Database } from './schema.js';

export interface EngineAdapter {
  /** for diagnostics (Store.engine) */
  readonly name: 'sqlite' | 'postgres';
  /**
   * Concurrent outbox claimers lock the rows they claim and skip each other's (FOR UPDATE
   * SKIP LOCKED). False where a write transaction already makes the claim the only writer.
   */
  readonly claimSkipsLocked: boolean;
  /**
   * How a search page sorts the candidates it reads by alias or address (in that key's order)
   * into its display-name order (recipient-queries.ts, searchPage). False: sorted by an
   * expression no index gives (`k || ''`), in one pass. True: read in a subquery fenced off by
   * OFFSET 0 and sorted by the plain key outside it, with only the candidates at or before the
   * display-name branch's last row. At 1,000,000 mailboxes that took PostgreSQL's alias branch
   * for `che` from 2.05 to 1.43 ms and for `h` from 6.0 to 4.3 (the expression is computed for
   * every candidate, the bound sorts 188 of 7,126); SQLite runs the subquery as a co-routine and
   * the bound as a second read of the display names, each dearer than what they save there.
   */
  readonly searchSortsFenced: boolean;
  /**
   * Runs fn, a load of many large transactions, with the engine set for it, then refreshes
   * the planner's statistics (Store.bulkLoad).
   */
  bulkLoad<T>(db: Kysely<Database>, fn: () => Promise<T>): Promise<T>;
  /**
   * n new values of a sequence (made by MigrationDdl.createSequence), in increasing order.
   * Where writers run side by side, taking them holds nothing until commit (a rolled-back
   * transaction leaves its values unused).
   */
  nextValues(db: Kysely<Database> | Transaction<Database>, sequence: string, n: number): Promise<number[]>;
  /** Expressions the engines spell differently (the recipient filters and sorts). */
  readonly sql: SqlFragments;
  /** The engine's own statements in migrations (migrations.ts). */
  readonly migrationDdl: MigrationDdl;
}

export interface SqlFragments {
  /** e compared and ordered in code point order (= UTF-8 byte order), whatever the database's locale */
  bytewise(e: RawBuilder<unknown>): RawBuilder<unknown>;
  /** The domain of an SMTP address (the text after its one @). */
  addressDomain(e: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * A GUID bound in a raw `sql` template, as the GUID columns hold it (SQLite: a 16-byte blob,
   * migration 0018; Kysely-built queries convert by themselves, sqlite/guid-blobs.ts).
   */
  guid(value: string): RawBuilder<unknown>;
  /** A GUID column as the text GUID, for comparing it as text (-Filter on Guid). */
  guidText(e: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * A GUID column selected as `alias` by a read that returns many rows (list pages), in the
   * form its text comes back cheapest. SQLite: its hex digits, under a name that tells the row
   * reader to add the dashes (sqlite/guid-blobs.ts, HEX_GUID): better-sqlite3 returns each blob
   * as a Buffer of its own, about 0.45 µs apiece, which was a quarter of a 100-row page's
   * statement with its three GUIDs a row.
   */
  guidColumn<A extends string>(column: string, alias: A): AliasedRawBuilder<string, A>;
  /**
   * A FROM item of the items of a ','-separated list (um_mailbox.extensions, migration 0021), as
   * `alias` with one column, value; none for ''. Its argument may name a table before it.
   */
  listItems(list: RawBuilder<unknown>, alias: string): RawBuilder<unknown>;
  /** The first item of a ','-separated list ('' for ''). */
  firstListItem(list: RawBuilder<unknown>): RawBuilder<unknown>;
}

/**
 * Each is a step of the migration named, and does nothing where the engine needs none. Existing
 * databases have run them: what each runs never changes (a new need is a new method).
 */
export interface MigrationDdl {
  /** 0004-scale: the table's text columns compare in code point order, as the recipient-queries' prefix ranges need. */
  bytewiseColumns(db: Kysely<any>, table: string, columns: readonly string[]): Promise<void>;
  /** 0005-search-statistics: the planner's statistics target of the columns; null: the engine's default again. */
  statisticsTarget(db: Kysely<any>, table: string, columns: readonly string[], target: number | null): Promise<void>;
  /** 0006-change-notifications: a committed change to any of the tables reaches the change listener (read-cache.ts). */
  notifyChanges(db: Kysely<any>, tables: readonly string[]): Promise<void>;
  /** 0006-change-notifications, down (and the function they call too, unless other tables' triggers still do). */
  dropChangeNotifications(db: Kysely<any>, tables: readonly string[], keepFunction?: boolean): Promise<void>;
  /** 0014-audit-chains: a sequence for nextValues, whose first value is start. */
  createSequence(db: Kysely<any>, name: string, start: number): Promise<void>;
  /** 0014-audit-chains, down. */
  dropSequence(db: Kysely<any>, name: string): Promise<void>;
  /**
   * 0017-identity-key: the table is stored in its primary key's order, the key being all it
   * holds (SQLite: WITHOUT ROWID, one B-tree instead of a table and an index; PostgreSQL has no such thing).
   */
  keyOnlyTable<T extends string, C extends string>(table: CreateTableBuilder<T, C>): CreateTableBuilder<T, C>;
  /**
   * 0018-guid-blobs: the GUID columns as the engine stores them best (SQLite: 16-byte blobs, the
   * tables keyed by a mailbox's GUID WITHOUT ROWID; PostgreSQL keeps its text).
   */
  guidBlobs(db: Kysely<any>): Promise<void>;
  /** 0018-guid-blobs, down. */
  guidTexts(db: Kysely<any>): Promise<void>;
  /**
   * 0019-unique-names: recipient_name keyed by the name alone, holding each recipient's alias,
   * address and UPN (the uniqueness of all three); recipient without its unique keys and upn_key.
   */
  uniqueNames(db: Kysely<any>): Promise<void>;
  /** 0019-unique-names, down. */
  uniqueNamesDown(db: Kysely<any>): Promise<void>;
  /**
   * 0020-compact-pin-hash: the PIN hashes as the engine stores them best (SQLite: a compact
   * blob where it gives the PHC string back exactly; PostgreSQL keeps its text).
   */
  compactPinHashes(db: Kysely<any>): Promise<void>;
  /** 0020-compact-pin-hash, down. */
  textPinHashes(db: Kysely<any>): Promise<void>;
  /**
   * 0021-mailbox-extensions: um_mailbox.extensions filled from the extension rows; extension
   * without its foreign key to recipient and its (recipient_id, position) index.
   */
  mailboxExtensions(db: Kysely<any>): Promise<void>;
  /** 0021-mailbox-extensions, down. */
  mailboxExtensionsDown(db: Kysely<any>): Promise<void>;
  /**
   * 0023-one-display-index, 0024-fewer-index-entries: `body` changes the indexes of `tables`;
   * SQLite does so in one transaction, makes the planner's row counts of the tables again, and
   * writes the file anew without the pages the dropped indexes freed. PostgreSQL runs it in the
   * migration's transaction.
   */
  changeIndexes(db: Kysely<any>, tables: readonly string[], body: () => Promise<void>): Promise<void>;
}
