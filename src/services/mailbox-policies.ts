import { randomUUID } from 'node:crypto';
import { checkPolicyName } from '../domain/dial-plan.js';
import { throwIfAny, UmpinError } from '../domain/errors.js';
import {
  checkPolicy,
  DEFAULT_MAILBOX_POLICY,
  normalizePolicyInput,
  type MailboxPolicySettings,
  type MailboxPolicy,
} from '../domain/policy.js';
import type { Page } from '../domain/page.js';
import type { Actor } from './actor.js';
import { mutate } from './audit.js';
import { stripUndefined } from './dial-plans.js';
import { authorize } from './permissions.js';
import { pageOf, type PageRequest } from './page-of.js';
import type { Deps } from './ports/deps.js';
import { resolveDialPlan, resolvePolicy } from './resolve.js';

/** The settings as callers send them: PINComplexity and PINDelivery as text, matched in any letter case (normalizePolicyInput). */
export type PolicySettingsInput = Omit<Partial<MailboxPolicySettings>, 'pinComplexity' | 'pinDelivery'> & {
  pinComplexity?: string;
  pinDelivery?: string;
};

export interface NewMailboxPolicyInput extends PolicySettingsInput {
  name: string;
  umDialPlan: string;
}

export async function newMailboxPolicy(deps: Deps, actor: Actor, input: NewMailboxPolicyInput): Promise<MailboxPolicy> {
  return mutate(
    deps,
    actor,
    { action: 'New-UMMailboxPolicy', target: input.name ?? null, parameters: { ...input } },
    async (tx) => {
      const dp = await resolveDialPlan(tx, input.umDialPlan, 'UMDialPlan', { actor });
      authorize(actor, 'organization:write', 'New-UMMailboxPolicy', { dialPlanId: dp.id, label: dp.name });
      const { name, umDialPlan, ...settings } = input;
      void umDialPlan;
      const merged: MailboxPolicySettings = normalizePolicyInput({
        ...DEFAULT_MAILBOX_POLICY,
        ...(stripUndefined(settings) as Partial<MailboxPolicySettings>),
      });
      throwIfAny([...checkPolicyName(name), ...checkPolicy(merged)]);
      if ((await tx.findPolicies(name)).length > 0)
        throw new UmpinError({ code: 'UMPIN_NAME_IN_USE', field: 'Name', params: { kind: 'UM mailbox policy', name } });
      const now = deps.clock.now();
      const policy: MailboxPolicy = {
        ...merged,
        id: randomUUID(),
        name,
        dialPlanId: dp.id,
        createdAt: now,
        updatedAt: now,
      };
      await tx.insertPolicy(policy);
      return policy;
    },
  );
}

/** umDialPlan moves the policy to another dial plan, which only a policy no mailbox uses may do. */
export type MailboxPolicyChanges = PolicySettingsInput & { name?: string; umDialPlan?: string };

/** Raising MinPINLength takes effect at each user's next logon: a shorter PIN must then be changed. */
export async function setMailboxPolicy(
  deps: Deps,
  actor: Actor,
  identity: string,
  changes: MailboxPolicyChanges,
): Promise<MailboxPolicy> {
  return mutate(
    deps,
    actor,
    { action: 'Set-UMMailboxPolicy', target: identity, parameters: { ...changes } },
    async (tx) => {
      const current = await resolvePolicy(tx, identity, 'Identity', { actor });
      authorize(actor, 'organization:write', 'Set-UMMailboxPolicy', {
        dialPlanId: current.dialPlanId,
        label: current.name,
      });
      const { umDialPlan, ...settings } = changes;
      let dialPlanId = current.dialPlanId;
      if (umDialPlan !== undefined) {
        const dp = await resolveDialPlan(tx, umDialPlan, 'UMDialPlan', { actor });
        authorize(actor, 'organization:write', 'Set-UMMailboxPolicy', { dialPlanId: dp.id, label: dp.name });
        if (dp.id !== current.dialPlanId) {
          // the mailboxes' extensions were checked against the old dial plan's rules
          const n = await tx.countMailboxesWithPolicy(current.id);
          if (n > 0)
            throw new UmpinError({
              code: 'UMPIN_POLICY_IN_USE',
              field: 'UMDialPlan',
              params: { name: current.name, count: n },
            });
        }
        dialPlanId = dp.id;
      }
      const next: MailboxPolicy = {
        ...current,
        ...normalizePolicyInput(stripUndefined(settings) as Partial<MailboxPolicySettings>),
        dialPlanId,
        updatedAt: deps.clock.now(),
      };
      throwIfAny([...(changes.name !== undefined ? checkPolicyName(next.name) : []), ...checkPolicy(next)]);
      if (next.name.toLowerCase() !== current.name.toLowerCase() && (await tx.findPolicies(next.name)).length > 0) {
        throw new UmpinError({
          code: 'UMPIN_NAME_IN_USE',
          field: 'Name',
          params: { kind: 'UM mailbox policy', name: next.name },
        });
      }
      await tx.updatePolicy(next);
      return next;
    },
  );
}

export async function removeMailboxPolicy(deps: Deps, actor: Actor, identity: string): Promise<void> {
  await mutate(
    deps,
    actor,
    { action: 'Remove-UMMailboxPolicy', target: identity, parameters: { Identity: identity } },
    async (tx) => {
      const p = await resolvePolicy(tx, identity, 'Identity', { actor });
      authorize(actor, 'organization:write', 'Remove-UMMailboxPolicy', { dialPlanId: p.dialPlanId, label: p.name });
      const n = await tx.countMailboxesWithPolicy(p.id);
      if (n > 0)
        throw new UmpinError({ code: 'UMPIN_POLICY_IN_USE', field: 'Identity', params: { name: p.name, count: n } });
      await tx.deletePolicy(p.id);
    },
  );
}

export interface MailboxPolicyQuery {
  identity?: string | undefined;
  /** only the policies of this dial plan; with identity, the policy shows only if it belongs to it */
  umDialPlan?: string | undefined;
}

/** Get-UMMailboxPolicy: a dial plan that does not exist is an error naming it, with or without identity. */
export async function getMailboxPolicies(
  deps: Deps,
  actor: Actor,
  q: MailboxPolicyQuery = {},
): Promise<MailboxPolicy[]> {
  authorize(actor, 'organization:read', 'Get-UMMailboxPolicy');
  const dialPlan = q.umDialPlan ? await resolveDialPlan(deps.store, q.umDialPlan, 'UMDialPlan', { actor }) : undefined;
  let list: MailboxPolicy[];
  if (q.identity)
    list = [await resolvePolicy(deps.store, q.identity, 'Identity', { actor })].filter(
      (p) => !dialPlan || p.dialPlanId === dialPlan.id,
    );
  else list = await deps.store.listPolicies(dialPlan?.id);
  return actor.dialPlanScope ? list.filter((p) => actor.dialPlanScope!.includes(p.dialPlanId)) : list;
}

/** Get-UMMailboxPolicy a page at a time, by name (REST's list). */
export async function pageMailboxPolicies(
  deps: Deps,
  actor: Actor,
  q: PageRequest & MailboxPolicyQuery,
): Promise<Page<MailboxPolicy>> {
  return pageOf(
    await getMailboxPolicies(deps, actor, { identity: q.identity, umDialPlan: q.umDialPlan }),
    (p) => p.name,
    q,
  );
}
