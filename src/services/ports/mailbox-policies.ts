import type { MailboxPolicy } from '../../domain/policy.js';

export interface MailboxPolicyReads {
  /** By GUID or name (case-insensitively). */
  findPolicies(identity: string): Promise<MailboxPolicy[]>;
  getPolicy(id: string): Promise<MailboxPolicy | null>;
  listPolicies(dialPlanId?: string): Promise<MailboxPolicy[]>;
  /** How many UM mailboxes the policy governs (a policy in use cannot be removed). */
  countMailboxesWithPolicy(policyId: string): Promise<number>;
}

export interface MailboxPolicyRepository extends MailboxPolicyReads {
  insertPolicy(p: MailboxPolicy): Promise<void>;
  updatePolicy(p: MailboxPolicy): Promise<void>;
  deletePolicy(id: string): Promise<void>;
}
