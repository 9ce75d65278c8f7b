import { UmpinError, type ObjectKind } from '../domain/errors.js';
import type { DialPlan } from '../domain/dial-plan.js';
import type { MailboxMatch } from './ports/recipients.js';
import type { MailboxPageItem } from './ports/um-mailbox-page.js';
import type { PinStatusMatch } from './ports/pin-status.js';
import type { MailboxPolicy } from '../domain/policy.js';
import type { PinRecord } from '../domain/pin-record.js';
import type { Recipient } from '../domain/recipient.js';
import type { StoreReads } from './ports/store.js';
import type { UmMailbox } from '../domain/um-mailbox.js';
import type { Actor } from './actor.js';
import { inScope, isScoped } from './scope.js';

/** The one answer for an identity naming nothing the caller can see: missing, or outside its dial-plan scope. */
export function notFound(identity: string, kind: ObjectKind, field: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_IDENTITY_NOT_FOUND', field, params: { identity, kind } });
}

function one<T>(rows: T[], identity: string, kind: ObjectKind, field: string): T {
  if (rows.length === 0) throw notFound(identity, kind, field);
  if (rows.length > 1)
    throw new UmpinError({ code: 'UMPIN_IDENTITY_AMBIGUOUS', field, params: { identity, kind, count: rows.length } });
  return rows[0]!;
}

function required(identity: string | undefined | null, field: string): string {
  if (typeof identity !== 'string' || identity.trim() === '')
    throw new UmpinError({ code: 'UMPIN_VALUE_REQUIRED', field, params: { field } });
  return identity;
}

/**
 * Whose view an identity is resolved in: with an actor, only what its dial-plan scope reaches
 * (scope.ts) is found, so an identity naming something outside it is refused exactly as one
 * naming nothing (same code, params and field; an ambiguity among hidden objects is not told).
 */
export interface Viewer {
  actor: Actor;
  /** Enable-UMMailbox: a recipient without a UM mailbox (in no dial plan yet) is found too */
  orNotUmEnabled?: boolean;
}

export async function resolveRecipient(
  reads: StoreReads,
  identity: string,
  field = 'Identity',
  viewer?: Viewer,
): Promise<Recipient> {
  const id = required(identity, field);
  if (!viewer || !isScoped(viewer.actor)) return one(await reads.findRecipients(id), id, 'recipient', field);
  const seen = (await reads.findMailboxes(id)).filter((m) =>
    m.mailbox ? inScope(viewer.actor, m.mailbox.dialPlanId) : viewer.orNotUmEnabled === true,
  );
  return one(
    seen.map((m) => m.recipient),
    id,
    'recipient',
    field,
  );
}

export async function resolveDialPlan(
  reads: StoreReads,
  identity: string,
  field = 'UMDialPlan',
  viewer?: Viewer,
): Promise<DialPlan> {
  const id = required(identity, field);
  const found = (await reads.findDialPlans(id)).filter((d) => !viewer || inScope(viewer.actor, d.id));
  return one(found, id, 'UM dial plan', field);
}

export async function resolvePolicy(
  reads: StoreReads,
  identity: string,
  field = 'UMMailboxPolicy',
  viewer?: Viewer,
): Promise<MailboxPolicy> {
  const id = required(identity, field);
  const found = (await reads.findPolicies(id)).filter((p) => !viewer || inScope(viewer.actor, p.dialPlanId));
  return one(found, id, 'UM mailbox policy', field);
}

export interface ResolvedMailbox {
  recipient: Recipient;
  mailbox: UmMailbox;
  policy: MailboxPolicy;
  dialPlan: DialPlan;
  /** the PIN state read with the mailbox by resolveMailbox (null: none set); undefined when not read */
  pin?: PinRecord | null;
}

async function withPolicy(
  reads: StoreReads,
  recipient: Recipient,
  mailbox: UmMailbox | null,
): Promise<ResolvedMailbox> {
  if (!mailbox)
    throw new UmpinError({
      code: 'UMPIN_MAILBOX_NOT_UM_ENABLED',
      field: 'Identity',
      params: { identity: recipient.primarySmtpAddress },
    });
  const policy = await reads.getPolicy(mailbox.policyId);
  const dialPlan = await reads.getDialPlan(mailbox.dialPlanId);
  if (!policy || !dialPlan) throw new UmpinError({ code: 'UMPIN_INTERNAL' });
  return { recipient, mailbox, policy, dialPlan };
}

export async function loadMailbox(reads: StoreReads, recipient: Recipient): Promise<ResolvedMailbox> {
  return withPolicy(reads, recipient, await reads.getUmMailbox(recipient.id));
}

/**
 * The policies and dial plans of a list page's UM mailboxes (umMailboxPage), each looked up
 * once (the store caches them), not once a row. With umEnabledOnly, a row without a UM
 * mailbox is refused as loadMailboxes refuses it.
 */
export async function pagePoliciesAndDialPlans(
  reads: StoreReads,
  items: readonly MailboxPageItem[],
  umEnabledOnly = true,
): Promise<{ policies: Map<string, MailboxPolicy>; dialPlans: Map<string, DialPlan> }> {
  const policies = new Map<string, MailboxPolicy>();
  const dialPlans = new Map<string, DialPlan>();
  for (const { recipient, mailbox } of items) {
    if (!mailbox) {
      if (!umEnabledOnly) continue;
      throw new UmpinError({
        code: 'UMPIN_MAILBOX_NOT_UM_ENABLED',
        field: 'Identity',
        params: { identity: recipient.primarySmtpAddress },
      });
    }
    if (!policies.has(mailbox.policyId)) {
      const policy = await reads.getPolicy(mailbox.policyId);
      if (!policy) throw new UmpinError({ code: 'UMPIN_INTERNAL' });
      policies.set(mailbox.policyId, policy);
    }
    if (!dialPlans.has(mailbox.dialPlanId)) {
      const dialPlan = await reads.getDialPlan(mailbox.dialPlanId);
      if (!dialPlan) throw new UmpinError({ code: 'UMPIN_INTERNAL' });
      dialPlans.set(mailbox.dialPlanId, dialPlan);
    }
  }
  return { policies, dialPlans };
}

/** A match of findMailboxes as a resolved UM mailbox (UMPIN_MAILBOX_NOT_UM_ENABLED when it has none). */
export async function loadMatch(
  reads: StoreReads,
  m: MailboxMatch,
): Promise<ResolvedMailbox & { pin: PinRecord | null }> {
  return { ...(await withPolicy(reads, m.recipient, m.mailbox)), pin: m.pin };
}

/** The UM mailbox an identity names, with its PIN state, in one store query (policy and dial plan come from the store's cache). */
export async function resolveMailbox(
  reads: StoreReads,
  identity: string,
  viewer?: Viewer,
): Promise<ResolvedMailbox & { pin: PinRecord | null }> {
  const id = required(identity, 'Identity');
  // a scoped caller finds no recipient outside its dial plans, nor one without a UM mailbox
  const found = (await reads.findMailboxes(id)).filter((m) => !viewer || inScope(viewer.actor, m.mailbox?.dialPlanId));
  return loadMatch(reads, one(found, id, 'recipient', 'Identity'));
}

/**
 * resolveMailbox for the PIN-status view: the same matches, scope and refusals (not found,
 * ambiguous, not UM-enabled), from the one narrow read of what the view shows.
 */
export async function resolvePinStatus(
  reads: StoreReads,
  identity: string,
  viewer?: Viewer,
): Promise<PinStatusMatch & { mailbox: NonNullable<PinStatusMatch['mailbox']> }> {
  const id = required(identity, 'Identity');
  const found = (await reads.pinStatusByIdentity(id)).filter(
    (m) => !viewer || inScope(viewer.actor, m.mailbox?.dialPlanId),
  );
  const m = one(found, id, 'recipient', 'Identity');
  if (!m.mailbox)
    throw new UmpinError({
      code: 'UMPIN_MAILBOX_NOT_UM_ENABLED',
      field: 'Identity',
      params: { identity: m.primarySmtpAddress },
    });
  return m as PinStatusMatch & { mailbox: NonNullable<PinStatusMatch['mailbox']> };
}
