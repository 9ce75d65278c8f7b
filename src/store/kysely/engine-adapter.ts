/**
 * What differs between the engines, as capabilities the shared code asks for (as Kysely's
 * dialect adapters do): each engine's store (sqlite/, postgres/) hands one to KyselyStore,
 * and no code here names an engine.
 */
import type { Kysely } from 'kysely';
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
   * Runs fn, a load of many large transactions, with the engine set for it, then refreshes
   * the planner's statistics (Store.bulkLoad).
   */
  bulkLoad<T>(db: Kysely<Database>, fn: () => Promise<T>): Promise<T>;
}
