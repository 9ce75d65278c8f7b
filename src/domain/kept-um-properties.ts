import type { UmMailbox } from './um-mailbox.js';

/**
 * The UM properties Disable-UMMailbox -KeepProperties $true (Exchange's default) keeps on a
 * mailbox that is no longer UM-enabled, so that Enable-UMMailbox brings them back. Only
 * settings an administrator chose: no PIN, PIN hash, PIN history, failure count, lockout or
 * last-failure data — those never outlive the UM mailbox. The extensions are remembered, not
 * reserved: while the mailbox is disabled another mailbox may take them.
 */
export interface KeptUmProperties {
  recipientId: string;
  /** the UM mailbox policy it had; null once that policy is removed */
  policyId: string | null;
  /** the dial plan its extensions belong to; null once that dial plan is removed */
  dialPlanId: string | null;
  extensions: string[];
  sipResourceIdentifier: string | null;
  subscriberAccessEnabled: boolean;
  pinlessAccessEnabled: boolean;
  operatorNumber: string | null;
  /** PinChangeAllowed (umpin's): a shared mailbox enabled again stays closed to its user's PIN changes */
  pinChangeAllowed: boolean;
  /** when it was disabled */
  keptAt: number;
}

/** The Exchange names of what is kept, in the order the help and docs list them. */
export const KEPT_UM_PROPERTY_NAMES = [
  'UMMailboxPolicy',
  'Extensions',
  'SIPResourceIdentifier',
  'SubscriberAccessEnabled',
  'PinlessAccessToVoiceMailEnabled',
  'OperatorNumber',
  'PinChangeAllowed',
] as const;

/** What a UM mailbox leaves behind when disabled with KeepProperties: its settings, field by field, never its PIN state. */
export function keptPropertiesOf(m: UmMailbox, now: number): KeptUmProperties {
  return {
    recipientId: m.recipientId,
    policyId: m.policyId,
    dialPlanId: m.dialPlanId,
    extensions: [...m.extensions],
    sipResourceIdentifier: m.sipResourceIdentifier,
    subscriberAccessEnabled: m.subscriberAccessEnabled,
    pinlessAccessEnabled: m.pinlessAccessEnabled,
    operatorNumber: m.operatorNumber,
    pinChangeAllowed: m.pinChangeAllowed,
    keptAt: now,
  };
}

/** What Enable-UMMailbox takes from kept properties: each only where the caller gave nothing. */
export interface RestoredUmProperties {
  extensions: string[];
  sipResourceIdentifier: string | null;
  subscriberAccessEnabled: boolean;
  pinlessAccessEnabled: boolean;
  operatorNumber: string | null;
  pinChangeAllowed: boolean;
  /** the Exchange names of the properties taken from the kept ones (for the audit entry) */
  restored: string[];
}

/**
 * The enabling's settings: explicit parameters win; otherwise the kept ones; otherwise
 * Exchange's defaults. Kept extensions come back only into the dial plan they were numbered
 * in (an extension means nothing in another dial plan).
 */
export function restoreUmProperties(
  kept: KeptUmProperties | null,
  given: { extensions: string[]; sipResourceIdentifier: string | undefined; dialPlanId: string },
  defaults: Pick<UmMailbox, 'subscriberAccessEnabled' | 'pinlessAccessEnabled' | 'operatorNumber' | 'pinChangeAllowed'>,
): RestoredUmProperties {
  const restored: string[] = [];
  let extensions = given.extensions;
  if (extensions.length === 0 && kept && kept.dialPlanId === given.dialPlanId && kept.extensions.length > 0) {
    extensions = [...kept.extensions];
    restored.push('Extensions');
  }
  let sipResourceIdentifier = given.sipResourceIdentifier ?? null;
  if (given.sipResourceIdentifier === undefined && kept?.sipResourceIdentifier) {
    sipResourceIdentifier = kept.sipResourceIdentifier;
    restored.push('SIPResourceIdentifier');
  }
  if (!kept) return { extensions, sipResourceIdentifier, ...defaults, restored };
  restored.push('SubscriberAccessEnabled', 'PinlessAccessToVoiceMailEnabled', 'OperatorNumber', 'PinChangeAllowed');
  return {
    extensions,
    sipResourceIdentifier,
    subscriberAccessEnabled: kept.subscriberAccessEnabled,
    pinlessAccessEnabled: kept.pinlessAccessEnabled,
    operatorNumber: kept.operatorNumber,
    pinChangeAllowed: kept.pinChangeAllowed,
    restored,
  };
}
