import { randomUUID } from 'node:crypto';
import {
  checkDialPlan,
  checkPolicyName,
  defaultPolicyName,
  DIAL_PLAN_DEFAULTS,
  type DialPlanSettings,
  type DialPlan,
} from '../domain/dial-plan.js';
import { throwIfAny, UmpinError } from '../domain/errors.js';
import { applyMultiValuedEdit, type MultiValuedEdit } from '../domain/multi-valued.js';
import { DEFAULT_MAILBOX_POLICY, type MailboxPolicy } from '../domain/policy.js';
import type { Page } from '../domain/page.js';
import type { Actor } from './actor.js';
import { mutate } from './audit.js';
import { authorize } from './permissions.js';
import { pageOf, type PageRequest } from './page-of.js';
import type { Deps } from './ports/deps.js';
import { resolveDialPlan } from './resolve.js';

export interface NewDialPlanInput {
  name: string;
  numberOfDigitsInExtension: number;
  /** falls back to the organisation's default (Microsoft's own examples omit it) */
  countryOrRegionCode?: string;
  logonFailuresBeforeDisconnect?: number;
  defaultLanguage?: string;
  voiceAccessNumbers?: string[];
  /** OperatorExtension: where 0 transfers; omitted: none */
  operatorExtension?: string | null;
  /** VoiceMailUri (a umpin addition): where a signed-in caller is transferred; omitted, null or empty: none */
  voiceMailUri?: string | null;
  /** New-UMDialPlan -GenerateUMMailboxPolicy (default $true): create "<name> Default Policy" */
  generateUMMailboxPolicy?: boolean;
}

export interface NewDialPlanResult {
  dialPlan: DialPlan;
  defaultPolicy: MailboxPolicy | null;
}

export async function newDialPlan(deps: Deps, actor: Actor, input: NewDialPlanInput): Promise<NewDialPlanResult> {
  return mutate(
    deps,
    actor,
    { action: 'New-UMDialPlan', target: input.name ?? null, parameters: { ...input } },
    async (tx) => {
      authorize(actor, 'organization:write', 'New-UMDialPlan');
      const org = await tx.getOrganization();
      const settings: DialPlanSettings = {
        name: input.name,
        numberOfDigitsInExtension: input.numberOfDigitsInExtension,
        countryOrRegionCode: input.countryOrRegionCode ?? org?.defaultCountryCode ?? '',
        logonFailuresBeforeDisconnect:
          input.logonFailuresBeforeDisconnect ?? DIAL_PLAN_DEFAULTS.logonFailuresBeforeDisconnect,
        defaultLanguage: input.defaultLanguage ?? org?.defaultLanguage ?? DIAL_PLAN_DEFAULTS.defaultLanguage,
        voiceAccessNumbers: input.voiceAccessNumbers ?? [],
        operatorExtension: input.operatorExtension ?? null,
        voiceMailUri: noneIfEmpty(input.voiceMailUri) ?? null,
      };
      const generate = input.generateUMMailboxPolicy ?? true;
      throwIfAny([
        ...checkDialPlan(settings),
        ...(generate && typeof input.name === 'string' ? checkPolicyName(defaultPolicyName(input.name)) : []),
      ]);
      if ((await tx.findDialPlans(settings.name)).length > 0) {
        throw new UmpinError({
          code: 'UMPIN_NAME_IN_USE',
          field: 'Name',
          params: { kind: 'UM dial plan', name: settings.name },
        });
      }
      const now = deps.clock.now();
      const dialPlan: DialPlan = {
        ...settings,
        operatorExtension: settings.operatorExtension ?? null,
        voiceMailUri: settings.voiceMailUri ?? null,
        id: randomUUID(),
        createdAt: now,
        updatedAt: now,
      };
      await tx.insertDialPlan(dialPlan);
      let defaultPolicy: MailboxPolicy | null = null;
      if (generate) {
        const name = defaultPolicyName(settings.name);
        if ((await tx.findPolicies(name)).length > 0) {
          throw new UmpinError({
            code: 'UMPIN_NAME_IN_USE',
            field: 'Name',
            params: { kind: 'UM mailbox policy', name },
          });
        }
        defaultPolicy = {
          ...DEFAULT_MAILBOX_POLICY,
          id: randomUUID(),
          name,
          dialPlanId: dialPlan.id,
          createdAt: now,
          updatedAt: now,
        };
        await tx.insertPolicy(defaultPolicy);
      }
      return { dialPlan, defaultPolicy };
    },
  );
}

export type DialPlanChanges = Partial<Omit<DialPlanSettings, 'numberOfDigitsInExtension' | 'voiceAccessNumbers'>> & {
  numberOfDigitsInExtension?: number;
  /** AccessTelephoneNumbers: a list replaces them; `{ add, remove }` edits the ones the dial plan has when the change is written */
  voiceAccessNumbers?: MultiValuedEdit;
};

/** Set-UMDialPlan, in one transaction that holds the dial plan's row first, so edits of its access numbers made at once are all kept. */
export async function setDialPlan(
  deps: Deps,
  actor: Actor,
  identity: string,
  changes: DialPlanChanges,
): Promise<DialPlan> {
  return mutate(deps, actor, { action: 'Set-UMDialPlan', target: identity, parameters: { ...changes } }, async (tx) => {
    const id = (await resolveDialPlan(tx, identity, 'Identity', { actor })).id;
    await tx.lockDialPlan(id);
    // read again once the row is held: what was read before may have changed since
    const current = (await tx.getDialPlan(id))!;
    authorize(actor, 'organization:write', 'Set-UMDialPlan', { dialPlanId: current.id, label: current.name });
    const { voiceAccessNumbers, voiceMailUri, ...settings } = changes;
    const next: DialPlan = {
      ...current,
      ...stripUndefined(settings),
      voiceMailUri: voiceMailUri === undefined ? current.voiceMailUri : (noneIfEmpty(voiceMailUri) ?? null),
      voiceAccessNumbers:
        voiceAccessNumbers === undefined
          ? current.voiceAccessNumbers
          : applyMultiValuedEdit(current.voiceAccessNumbers, voiceAccessNumbers),
      updatedAt: deps.clock.now(),
    };
    throwIfAny(checkDialPlan(next));
    if (next.name.toLowerCase() !== current.name.toLowerCase() && (await tx.findDialPlans(next.name)).length > 0) {
      throw new UmpinError({
        code: 'UMPIN_NAME_IN_USE',
        field: 'Name',
        params: { kind: 'UM dial plan', name: next.name },
      });
    }
    if (next.numberOfDigitsInExtension !== current.numberOfDigitsInExtension) {
      if ((await countMailboxes(tx, current.id)) > 0) {
        throw new UmpinError({
          code: 'UMPIN_VALUE_INVALID',
          field: 'NumberOfDigitsInExtension',
          params: {
            field: 'NumberOfDigitsInExtension',
            rule: 'it cannot change while UM mailboxes have extensions in this dial plan',
          },
        });
      }
    }
    await tx.updateDialPlan(next);
    return next;
  });
}

async function countMailboxes(tx: import('./ports/store.js').StoreReads, dialPlanId: string): Promise<number> {
  let n = 0;
  for (const p of await tx.listPolicies(dialPlanId)) n += await tx.countMailboxesWithPolicy(p.id);
  return n;
}

export async function removeDialPlan(deps: Deps, actor: Actor, identity: string): Promise<void> {
  await mutate(
    deps,
    actor,
    { action: 'Remove-UMDialPlan', target: identity, parameters: { Identity: identity } },
    async (tx) => {
      const dp = await resolveDialPlan(tx, identity, 'Identity', { actor });
      authorize(actor, 'organization:write', 'Remove-UMDialPlan', { dialPlanId: dp.id, label: dp.name });
      const policies = await tx.listPolicies(dp.id);
      if (policies.length > 0)
        throw new UmpinError({
          code: 'UMPIN_DIAL_PLAN_IN_USE',
          field: 'Identity',
          params: { name: dp.name, count: policies.length },
        });
      await tx.deleteDialPlan(dp.id);
    },
  );
}

export async function getDialPlans(deps: Deps, actor: Actor, identity?: string): Promise<DialPlan[]> {
  authorize(actor, 'organization:read', 'Get-UMDialPlan');
  const plans = identity
    ? [await resolveDialPlan(deps.store, identity, 'Identity', { actor })]
    : await deps.store.listDialPlans();
  return actor.dialPlanScope ? plans.filter((p) => actor.dialPlanScope!.includes(p.id)) : plans;
}

/** Get-UMDialPlan a page at a time, by name (REST's list). */
export async function pageDialPlans(
  deps: Deps,
  actor: Actor,
  q: PageRequest & { identity?: string | undefined },
): Promise<Page<DialPlan>> {
  return pageOf(await getDialPlans(deps, actor, q.identity), (d) => d.name, q);
}

/** An empty VoiceMailUri removes it, as $null does (Exchange's way of clearing a string setting). */
function noneIfEmpty(value: string | null | undefined): string | null | undefined {
  return value === '' ? null : value;
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
