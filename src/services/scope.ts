/**
 * What a dial-plan-scoped administrator or token can see. An object outside the caller's
 * dial plans does not exist for it: lists leave it out in the store's query, and an identity
 * naming it resolves as one naming nothing (UMPIN_IDENTITY_NOT_FOUND, 404), never as a
 * refusal that would tell the caller it is there. Objects without a dial plan of their own
 * are judged by the one they belong to (see docs/api.md, "Dial-plan scope").
 */
import type { Actor } from './actor.js';
import type { RecipientCondition } from './ports/recipients.js';

/** Whether the actor's role assignment is limited to some dial plans (an unscoped one, users and umpin itself are not). */
export function isScoped(actor: Actor): actor is Actor & { dialPlanScope: readonly string[] } {
  return actor.kind === 'admin' && actor.dialPlanScope !== undefined;
}

/** Is an object of this dial plan (null: of none, as a recipient without a UM mailbox) within the actor's reach? */
export function inScope(actor: Actor, dialPlanId: string | null | undefined): boolean {
  if (!isScoped(actor)) return true;
  return typeof dialPlanId === 'string' && actor.dialPlanScope.includes(dialPlanId);
}

/**
 * Is a token or account of this scope (null: the whole organisation) within the actor's
 * reach? Only one that reaches no further than the actor: its scope inside the actor's.
 */
export function scopeWithin(actor: Actor, scope: readonly string[] | null): boolean {
  if (!isScoped(actor)) return true;
  return scope?.every((id) => actor.dialPlanScope.includes(id)) ?? false;
}

/** The store condition a list of recipients adds for a scoped actor: a UM mailbox in one of its dial plans; null when unscoped. */
export function scopeCondition(actor: Actor): RecipientCondition | null {
  if (!isScoped(actor)) return null;
  if (actor.dialPlanScope.length === 0) return { kind: 'constant', value: false };
  return {
    kind: 'or',
    operands: actor.dialPlanScope.map((id) => ({ kind: 'compare', field: 'umDialPlanId', operator: 'eq', value: id })),
  };
}
