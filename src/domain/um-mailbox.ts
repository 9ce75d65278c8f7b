/** A recipient's UM mailbox (Enable-UMMailbox): its policy, dial plan and extensions. */
export interface UmMailbox {
  recipientId: string;
  policyId: string;
  dialPlanId: string;
  extensions: string[];
  sipResourceIdentifier: string | null;
  enabledAt: number;
}
