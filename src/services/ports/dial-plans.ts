import type { DialPlan } from '../../domain/dial-plan.js';

export interface DialPlanReads {
  /** By GUID or name (case-insensitively). */
  findDialPlans(identity: string): Promise<DialPlan[]>;
  getDialPlan(id: string): Promise<DialPlan | null>;
  listDialPlans(): Promise<DialPlan[]>;
}

export interface DialPlanRepository extends DialPlanReads {
  insertDialPlan(dp: DialPlan): Promise<void>;
  updateDialPlan(dp: DialPlan): Promise<void>;
  deleteDialPlan(id: string): Promise<void>;
}
