/**
 * The store: every repository (one per aggregate, beside this file) in one transaction,
 * written once (store/kysely) and run on SQLite and PostgreSQL. Outside a transaction the
 * store reads, and makes only the single-statement writes that need no transaction (outbox
 * leases, last-use times, a right PIN, limit counters); a use case writes through transaction(), whose
 * StoreTx holds every repository, so its changes and its audit entry commit together.
 */
import type { AccessReads, AccessRepository, AccessUse } from './access.js';
import type { AuditReads, AuditRepository } from './audit.js';
import type { DialPlanReads, DialPlanRepository } from './dial-plans.js';
import type { KeptUmPropertyReads, KeptUmPropertyRepository } from './kept-um-properties.js';
import type { LimitCounters } from './limit-counters.js';
import type { MailboxPolicyReads, MailboxPolicyRepository } from './mailbox-policies.js';
import type { OrganizationReads, OrganizationRepository } from './organization.js';
import type { OutboxQueue, OutboxReads, OutboxRepository } from './outbox.js';
import type { PinLinkReads, PinLinkRepository } from './pin-links.js';
import type { PinReads, PinRepository } from './pins.js';
import type { PinStatusReads } from './pin-status.js';
import type { RecipientReads, RecipientRepository } from './recipients.js';
import type { MailboxPageReads } from './um-mailbox-page.js';

export interface StoreReads
  extends OrganizationReads,
    DialPlanReads,
    MailboxPolicyReads,
    RecipientReads,
    KeptUmPropertyReads,
    PinReads,
    AuditReads,
    OutboxReads,
    AccessReads,
    PinLinkReads,
    PinStatusReads,
    MailboxPageReads {}

export interface StoreTx
  extends StoreReads,
    OrganizationRepository,
    DialPlanRepository,
    MailboxPolicyRepository,
    RecipientRepository,
    KeptUmPropertyRepository,
    PinRepository,
    AuditRepository,
    OutboxRepository,
    AccessRepository,
    PinLinkRepository {}

/** Limit counters (limit-counters.ts) are single statements outside any transaction, like the outbox's leases. */
export interface Store extends StoreReads, OutboxQueue, AccessUse, LimitCounters {
  /** for diagnostics only: engine differences live in the store adapter */
  readonly engine: 'sqlite' | 'postgres';
  /** Runs fn in one write transaction; rolled back when fn throws. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** PinRepository.recordSuccess as a single statement outside a transaction (the logon hot path). */
  recordSuccess(recipientId: string, version: number, upgradedHash: string | null): Promise<boolean>;
  migrate(): Promise<void>;
  /**
   * Runs fn, a load of many large transactions, with the engine set for it (SQLite: a page
   * cache that holds the indexes being filled), then refreshes the planner's statistics
   * (and PostgreSQL's visibility map, which index-only scans read). SQLite writes the file
   * anew, packed, when the load made most of it.
   */
  bulkLoad<T>(fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
