/**
 * The operations the shell's cmdlets call: exactly the services, with the deps and the
 * shell's actor bound. In-process this is `localOperations`; the remote shell (`--server`)
 * implements the same interface over the HTTP API (remote-operations.ts), whose routes call
 * these same services, so no operation has a second implementation.
 */
import type { Actor } from '../services/actor.js';
import { searchAuditLog } from '../services/audit-log.js';
import { getDialPlans, newDialPlan, removeDialPlan, setDialPlan } from '../services/dial-plans.js';
import { getUMMailboxPIN, listUMMailboxPINs, pageUMMailboxPINs } from '../services/get-um-mailbox-pin.js';
import {
  getMailboxPolicies,
  newMailboxPolicy,
  removeMailboxPolicy,
  setMailboxPolicy,
} from '../services/mailbox-policies.js';
import type { Deps } from '../services/ports/deps.js';
import { getRecipient, listRecipients, newRecipient, removeRecipient, setRecipient } from '../services/recipients.js';
import { setUMMailboxPIN } from '../services/set-um-mailbox-pin.js';
import {
  disableUMMailbox,
  enableUMMailbox,
  getUMMailbox,
  listUMMailboxes,
  setUMMailbox,
} from '../services/um-mailboxes.js';

const SERVICES = {
  // PINs and UM mailboxes
  setUMMailboxPIN,
  getUMMailboxPIN,
  listUMMailboxPINs,
  pageUMMailboxPINs,
  enableUMMailbox,
  disableUMMailbox,
  setUMMailbox,
  getUMMailbox,
  listUMMailboxes,
  // dial plans, policies, recipients, audit
  newDialPlan,
  setDialPlan,
  removeDialPlan,
  getDialPlans,
  newMailboxPolicy,
  setMailboxPolicy,
  removeMailboxPolicy,
  getMailboxPolicies,
  newRecipient,
  setRecipient,
  removeRecipient,
  getRecipient,
  listRecipients,
  searchAuditLog,
} as const;

type Bound<F> = F extends (deps: Deps, actor: Actor, ...rest: infer A) => infer R ? (...rest: A) => R : never;

export type ShellOperations = { readonly [K in keyof typeof SERVICES]: Bound<(typeof SERVICES)[K]> };

export function localOperations(deps: Deps, actor: Actor): ShellOperations {
  const ops: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(SERVICES)) {
    ops[name] = (...rest: unknown[]) => (fn as (d: Deps, a: Actor, ...r: unknown[]) => unknown)(deps, actor, ...rest);
  }
  return ops as ShellOperations;
}
