import type { DialPlan } from '../../domain/dial-plan.js';

export interface DialPlanReads {
  /** By GUID or name (case-insensitively). */
  findDialPlans(identity: string): Promise<DialPlan[]>;
  getDialPlan(id: string): Promise<DialPlan | null>;
  listDialPlans(): Promise<DialPlan[]>;
}

export interface DialPlanRepository extends DialPlanReads {
  /**
   * Holds the row until the transaction ends, before reading it for a read-modify-write
   * (multi-valued edits): one write that changes nothing, so on PostgreSQL it takes the row
   * lock (as SELECT ... FOR UPDATE would) and on SQLite the database's write lock. A
   * concurrent edit of the same row waits, then reads this one's result; neither is lost.
   */
  lockDialPlan(id: string): Promise<void>;
  insertDialPlan(dp: DialPlan): Promise<void>;
  updateDialPlan(dp: DialPlan): Promise<void>;
  deleteDialPlan(id: string): Promise<void>;
}
