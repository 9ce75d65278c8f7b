/** Where things are: the API's URLs and the admin center's own pages, built in one place. */
export function umMailboxUrl(identity: string): string {
  return `/api/v1/um-mailboxes/${encodeURIComponent(identity)}`;
}

/** What Disable-UMMailbox -KeepProperties kept of a mailbox, for the Enable UM wizard's defaults. */
export function keptPropertiesUrl(identity: string): string {
  return `${umMailboxUrl(identity)}/kept-properties`;
}

export function pinUrl(identity: string): string {
  return `${umMailboxUrl(identity)}/pin`;
}

/** Set-UMMailboxPIN for many mailboxes at once (a reset or an unlock of each). */
export const PINS_URL = '/api/v1/pins';

export function umMailboxPath(id: string): string {
  return `/mailboxes/${encodeURIComponent(id)}/um`;
}

/** The Enable UM wizard for a mailbox not yet enabled for Unified Messaging. */
export function enableUmPath(id: string): string {
  return `/mailboxes/${encodeURIComponent(id)}/enable-um`;
}

/** A UM mailbox policy's page. */
export function mailboxPolicyPath(id: string): string {
  return `/um-mailbox-policies/${encodeURIComponent(id)}`;
}

/** A UM dial plan's page. */
export function dialPlanPath(id: string): string {
  return `/um-dial-plans/${encodeURIComponent(id)}`;
}

/** The REST API's UM dial plans, or one of them (by GUID or name). */
export function dialPlanUrl(identity?: string): string {
  return identity === undefined ? '/api/v1/dial-plans' : `/api/v1/dial-plans/${encodeURIComponent(identity)}`;
}

/** The REST API's UM mailbox policies, or one of them (by GUID or name). */
export function mailboxPolicyUrl(identity?: string): string {
  return identity === undefined
    ? '/api/v1/um-mailbox-policies'
    : `/api/v1/um-mailbox-policies/${encodeURIComponent(identity)}`;
}

/** Test-UMMailboxPIN for a UM mailbox: the dry-run check of a typed PIN (the PIN goes in the body). */
export function mailboxPinCheckUrl(identity: string): string {
  return `${pinUrl(identity)}/check`;
}

/** Test-UMMailboxPIN for a UM mailbox policy, before the mailbox is enabled. */
export function policyPinCheckUrl(policy: string): string {
  return `${mailboxPolicyUrl(policy)}/pin-check`;
}
