/** A recipient's UM mailbox (Enable-UMMailbox): its policy, dial plan and extensions. */
export interface UmMailbox {
  recipientId: string;
  policyId: string;
  dialPlanId: string;
  extensions: string[];
  sipResourceIdentifier: string | null;
  enabledAt: number;
  /** SubscriberAccessEnabled: $false refuses telephone logon to this mailbox (default $true) */
  subscriberAccessEnabled: boolean;
  /** PinlessAccessToVoiceMailEnabled: a call from the mailbox's own extension may skip the PIN (default $false) */
  pinlessAccessEnabled: boolean;
  /** OperatorNumber: where 0 transfers a caller of this mailbox, in place of the dial plan's operator */
  operatorNumber: string | null;
  /**
   * PinChangeAllowed (a umpin addition, Cisco's "User Cannot Change"): $false keeps the user
   * from changing or resetting the PIN themselves, for shared and service mailboxes; an
   * administrator still resets it, and an expired PIN is not forced to change (default $true).
   */
  pinChangeAllowed: boolean;
}

/** Exchange's defaults for a newly UM-enabled mailbox. */
export const UM_MAILBOX_VOICE_DEFAULTS = Object.freeze({
  subscriberAccessEnabled: true,
  pinlessAccessEnabled: false,
  operatorNumber: null,
  pinChangeAllowed: true,
});

/** OperatorNumber: digits only, at most 20 (the longest number a dial plan takes). */
export const OPERATOR_NUMBER_MAX_DIGITS = 20;
const OPERATOR_NUMBER = new RegExp(`^[0-9]{1,${OPERATOR_NUMBER_MAX_DIGITS}}$`);

/** Whether an OperatorNumber is acceptable. */
export function isOperatorNumber(n: string): boolean {
  return OPERATOR_NUMBER.test(n);
}
