/**
 * The store, written once over Kysely for both engines: one row module per aggregate
 * (organization.ts, dial-plans.ts, policies.ts, recipients.ts, pins.ts, audit.ts, outbox.ts,
 * access.ts) composed into the store's reads and a transaction's repositories, transactions,
 * and the read cache. What differs between engines comes from the engine's adapter
 * (engine-adapter.ts), chosen in sqlite/ and postgres/.
 */
import { Migrator, sql, type Kysely } from 'kysely';
import type { ApiTokenRecord } from '../../domain/api-token.js';
import type { DialPlan } from '../../domain/dial-plan.js';
import type { Organization } from '../../domain/organization.js';
import type { MailboxPolicy } from '../../domain/policy.js';
import type { Store, StoreReads, StoreTx } from '../../services/ports/store.js';
import type { AccessUse } from '../../services/ports/access.js';
import type { LimitCounters } from '../../services/ports/limit-counters.js';
import type { OutboxQueue } from '../../services/ports/outbox.js';
import type { PinStatusMatch } from '../../services/ports/pin-status.js';
import { AccessReadRows, AccessRows, AccessUseRows } from './access.js';
import { AuditReadRows, AuditRows } from './audit.js';
import { DialPlanReadRows, DialPlanRows } from './dial-plans.js';
import type { EngineAdapter } from './engine-adapter.js';
import { KeptUmPropertyReadRows, KeptUmPropertyRows } from './kept-um-properties.js';
import { LimitCounterRows } from './limit-counters.js';
import { migrationProvider } from './migrations.js';
import { OrganizationReadRows, OrganizationRows } from './organization.js';
import { OutboxQueueRows, OutboxReadRows, OutboxRows } from './outbox.js';
import { PinLinkReadRows, PinLinkRows } from './pin-links.js';
import { PinRows, PinReadRows } from './pins.js';
import { PinStatusReadRows } from './pin-status-query.js';
import { MailboxPolicyReadRows, MailboxPolicyRows } from './policies.js';
import { ReadCache, type ChangeSignal } from './read-cache.js';
import { identityKey, RecipientReadRows, RecipientRows } from './recipients.js';
import { composeRows, type Db } from './rows.js';
import { MailboxPageReadRows } from './um-mailbox-page-query.js';
import type { Database } from './schema.js';

type RowsOf<T> = new (db: Db, adapter: EngineAdapter) => T;

/** Every repository, on a transaction (or, for a single statement, on the database). */
const TxRows: RowsOf<StoreTx> = composeRows(
  OrganizationRows,
  DialPlanRows,
  MailboxPolicyRows,
  RecipientRows,
  KeptUmPropertyRows,
  PinRows,
  AuditRows,
  OutboxRows,
  AccessRows,
  PinLinkRows,
  PinStatusReadRows,
  MailboxPageReadRows,
);

/** What the store does outside a transaction: every read, the outbox's leases, last-use times, limit counters. */
const StoreRows: RowsOf<StoreReads & OutboxQueue & AccessUse & LimitCounters> = composeRows(
  OrganizationReadRows,
  DialPlanReadRows,
  MailboxPolicyReadRows,
  RecipientReadRows,
  KeptUmPropertyReadRows,
  PinReadRows,
  AuditReadRows,
  OutboxReadRows,
  AccessReadRows,
  PinLinkReadRows,
  PinStatusReadRows,
  MailboxPageReadRows,
  OutboxQueueRows,
  AccessUseRows,
  LimitCounterRows,
);

/** The engine adapters (sqlite/, postgres/) hand over a configured Kysely instance and their capabilities. */
export class KyselyStore extends StoreRows implements Store {
  readonly engine: 'sqlite' | 'postgres';
  readonly #kysely: Kysely<Database>;
  readonly #adapter: EngineAdapter;
  /** rarely-changed rows read on every request (read-cache.ts); none without a change signal */
  readonly #cache: ReadCache | null;

  constructor(db: Kysely<Database>, adapter: EngineAdapter, changes?: ChangeSignal) {
    super(db, adapter);
    this.#kysely = db;
    this.#adapter = adapter;
    this.engine = adapter.name;
    this.#cache = changes ? new ReadCache({ signal: changes }) : null;
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.#cache ? this.#cache.get(key, load) : load();
  }

  override getOrganization(): Promise<Organization | null> {
    return this.#cached('organization', () => super.getOrganization());
  }

  override getDialPlan(id: string): Promise<DialPlan | null> {
    return this.#cached(`dial_plan:${id}`, () => super.getDialPlan(id));
  }

  /** every telephone logon by extension reads the dial plans: a fresh array each call, the cached rows shared as getDialPlan's */
  override async listDialPlans(): Promise<DialPlan[]> {
    return [...(await this.#cached('dial_plans', () => super.listDialPlans()))];
  }

  override getPolicy(id: string): Promise<MailboxPolicy | null> {
    return this.#cached(`mailbox_policy:${id}`, () => super.getPolicy(id));
  }

  /** unknown digests are not kept (null is never cached): a stranger's guesses cannot fill the cache */
  override findApiTokenByDigest(digest: string, fresh = false): Promise<ApiTokenRecord | null> {
    if (fresh) return super.findApiTokenByDigest(digest);
    return this.#cached(`api_token:${digest}`, () => super.findApiTokenByDigest(digest));
  }

  /**
   * Get-UMMailboxPIN's read in two parts. Whom an identity names, with their UM mailbox's dial
   * plan and their policy's PIN lifetime, changes only with a recipient, mailbox or policy: it is
   * kept in the read cache (a name that names nobody is not). The PIN state, which every logon
   * changes, is read afresh by key every time: one seek, where the whole read takes one for each
   * kind of name, the recipient, its mailbox and policy, and the PIN state.
   */
  override async pinStatusByIdentity(identity: string): Promise<PinStatusMatch[]> {
    if (!this.#cache) return super.pinStatusByIdentity(identity);
    const read: { fresh?: PinStatusMatch[] } = {};
    const named = await this.#cache.get(`pin_status:${identityKey(identity)}`, async () => {
      read.fresh = await super.pinStatusByIdentity(identity);
      return read.fresh.length === 0 ? null : read.fresh.map(({ pin: _pin, ...who }) => who);
    });
    if (read.fresh) return read.fresh;
    if (named === null) return [];
    return Promise.all(named.map(async (who) => ({ ...who, pin: await this.pinStateOfRecipient(who.recipientId) })));
  }

  /** One conditional UPDATE, atomic on its own: no transaction round trips on the logon path. */
  recordSuccess(recipientId: string, version: number, upgradedHash: string | null): Promise<boolean> {
    return new PinRows(this.#kysely, this.#adapter).recordSuccess(recipientId, version, upgradedHash);
  }

  override async touchApiToken(id: string, now: number, minIntervalMs: number): Promise<void> {
    try {
      await super.touchApiToken(id, now, minIntervalMs);
    } finally {
      // the cached token still has the old last-used time: once a minute, read it afresh
      this.#cache?.invalidate();
    }
  }

  get kysely(): Kysely<Database> {
    return this.#kysely;
  }

  /** the engine's capabilities, for queries built beside the store (tests, tools) */
  get engineAdapter(): EngineAdapter {
    return this.#adapter;
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    try {
      return await this.#kysely.transaction().execute((trx) => fn(new TxRows(trx, this.#adapter)));
    } finally {
      // whatever it wrote is committed (or rolled back) now; every write goes through here, so
      // no method can forget to say that it touched a cached table
      this.#cache?.invalidate();
    }
  }

  /** The migrations as this engine runs them (migrate() runs them all; tests step through them). */
  migrator(): Migrator {
    // migrations read and write the tables as each step left them, not through the store's plugins (sqlite/guid-blobs.ts)
    return new Migrator({ db: this.#kysely.withoutPlugins(), provider: migrationProvider(this.#adapter) });
  }

  async migrate(): Promise<void> {
    const { error } = await this.migrator().migrateToLatest();
    this.#cache?.invalidate();
    if (error) throw error;
  }

  bulkLoad<T>(fn: () => Promise<T>): Promise<T> {
    return this.#adapter.bulkLoad(this.#kysely, fn);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#kysely);
  }

  async close(): Promise<void> {
    await this.#cache?.close();
    await this.#kysely.destroy();
  }
}
