import { UmpinError } from '../domain/errors.js';
import type { Actor, RoleGroup } from './actor.js';

export const PERMISSIONS = [
  'organization:read',
  'organization:write',
  'recipient:read',
  'recipient:write',
  'mailbox:read',
  'mailbox:write',
  'pin:read',
  'pin:reset',
  'pin:lock',
  'audit:read',
  'outbox:read',
  'outbox:write',
  'voice:logon',
  'access:read',
  'access:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = [
  'organization:read',
  'recipient:read',
  'mailbox:read',
  'pin:read',
  'audit:read',
  'outbox:read',
];
const ALL_ADMIN: Permission[] = PERMISSIONS.filter((p) => p !== 'voice:logon' && !p.startsWith('access:'));

/** Exchange's role groups; Help Desk gets PIN reset and unlock, the delegation Exchange never offered. */
export const ROLE_PERMISSIONS: Readonly<Record<RoleGroup, readonly Permission[]>> = {
  // only Organization Management manages who may sign in (accounts, API tokens), as in Exchange's Role Management
  OrganizationManagement: [...ALL_ADMIN, 'access:read', 'access:write'],
  UMManagement: ALL_ADMIN,
  HelpDesk: ['organization:read', 'recipient:read', 'mailbox:read', 'pin:read', 'pin:reset', 'pin:lock'],
  ViewOnlyOrganizationManagement: READ,
  VoiceGateway: ['voice:logon'],
};

/** What an end user may do to their own mailbox (Exchange's MyVoiceMail role). */
const SELF_PERMISSIONS: readonly Permission[] = ['pin:read', 'pin:reset', 'mailbox:read', 'voice:logon'];

/**
 * Every operation a caller can be refused, named as the shell names it (the cmdlet, or the
 * telephone's step): the services, the REST routes and the web pages name a refusal from
 * this one list, so "may not run Set-UMMailboxPIN" reads the same through every door.
 */
export const OPERATIONS = [
  'Get-UMDialPlan',
  'New-UMDialPlan',
  'Set-UMDialPlan',
  'Remove-UMDialPlan',
  'Get-UMMailboxPolicy',
  'New-UMMailboxPolicy',
  'Set-UMMailboxPolicy',
  'Remove-UMMailboxPolicy',
  'Set-OrganizationConfig',
  'Get-Mailbox',
  'New-Mailbox',
  'Set-Mailbox',
  'Remove-Mailbox',
  'Import-Recipients',
  'Get-UMMailbox',
  'Enable-UMMailbox',
  'Set-UMMailbox',
  'Disable-UMMailbox',
  'Get-UMMailboxPIN',
  'Set-UMMailboxPIN',
  /** a umpin addition: the dry-run policy check of a typed PIN (needs pin:reset, as resetting does) */
  'Test-UMMailboxPIN',
  'Search-AdminAuditLog',
  'Verify-AuditLog',
  /** a umpin addition: how many audit chains take new entries (umpin audit chains) */
  'Set-AuditChains',
  'Get-DeadLetter',
  'Retry-DeadLetter',
  'Get-Queue',
  'Send-PINExpiryReminders',
  'Get-AdminAccount',
  'New-AdminAccount',
  'Set-AdminAccount',
  'Set-AdminAccountPassword',
  'Get-ApiToken',
  'New-ApiToken',
  'Remove-ApiToken',
  'VerifyLogon',
  'ChangePIN',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * What an operation needs before any object is known: a permission of the caller's role
 * groups (the administrators' and tokens' operations, which take any identity), or 'self'
 * (the self-service operations, an end user's only door, on their own mailbox alone).
 */
export type Requirement = Permission | 'self';

/**
 * May this actor use an operation with this requirement at all? The one role check: the
 * REST routes ask it before reading any input, and isAllowed() builds on it once the object
 * (its dial plan, its owner) is known.
 */
export function mayUse(actor: Actor, need: Requirement): boolean {
  if (need === 'self') return actor.kind === 'user' && actor.recipientId !== undefined;
  if (actor.kind === 'system') return true;
  // an end user reaches their mailbox through the self-service operations only
  if (actor.kind === 'user') return false;
  return actor.roles.some((r) => ROLE_PERMISSIONS[r]?.includes(need));
}

/**
 * Everything the actor's role groups allow before any object is known: what a page may offer
 * (a scoped assignment still reaches only its dial plans; the service checks each object).
 */
export function permissionsOf(actor: Actor): Permission[] {
  if (actor.kind === 'user') return mayUse(actor, 'self') ? [...SELF_PERMISSIONS] : [];
  return PERMISSIONS.filter((p) => mayUse(actor, p));
}

export interface Target {
  /** the recipient acted on, when the operation has one */
  recipientId?: string;
  /** the dial plan the target belongs to, for scoped role assignments */
  dialPlanId?: string;
  /** how to name the target in a denial */
  label?: string;
}

export function isAllowed(actor: Actor, permission: Permission, target: Target = {}): boolean {
  if (actor.kind === 'user') {
    return mayUse(actor, 'self') && SELF_PERMISSIONS.includes(permission) && target.recipientId === actor.recipientId;
  }
  if (!mayUse(actor, permission)) return false;
  if (actor.dialPlanScope) {
    // a scoped assignment reaches only objects inside its dial plans; org-wide writes are out of scope
    if (target.dialPlanId !== undefined) return actor.dialPlanScope.includes(target.dialPlanId);
    return permission.endsWith(':read') || permission === 'voice:logon';
  }
  return true;
}

/** The role groups that may reset or unlock an administrator's own PIN; Help Desk may not, as in Cisco Unity Connection. */
const OVER_ADMINISTRATORS: readonly RoleGroup[] = ['OrganizationManagement', 'UMManagement'];

/** May this actor reset, set or unlock the PIN of a mailbox that belongs to an administrator? (umpin itself and the user themselves may.) */
export function mayResetAdministratorPins(actor: Actor): boolean {
  if (actor.kind !== 'admin') return true;
  return actor.roles.some((r) => OVER_ADMINISTRATORS.includes(r));
}

function denied(actor: Actor, operation: Operation, target?: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_ACCESS_DENIED', params: { actor: actor.name, action: operation, target } });
}

/** Throws UMPIN_ACCESS_DENIED, naming the operation, unless the actor may use it at all (see mayUse). */
export function authorizeUse(actor: Actor, need: Requirement, operation: Operation): void {
  if (!mayUse(actor, need)) throw denied(actor, operation);
}

/**
 * For an operation on the organisation as a whole (Verify-AuditLog walks every entry): a
 * dial-plan-scoped caller may not run it at all, since no part of its answer is its plans'.
 */
export function authorizeWholeOrganization(actor: Actor, permission: Permission, operation: Operation): void {
  authorize(actor, permission, operation);
  if (actor.kind === 'admin' && actor.dialPlanScope !== undefined) throw denied(actor, operation);
}

/** Throws UMPIN_ACCESS_DENIED, naming the operation and the target, unless the actor may do this to this object. */
export function authorize(actor: Actor, permission: Permission, operation: Operation, target: Target = {}): void {
  if (!isAllowed(actor, permission, target)) throw denied(actor, operation, target.label);
}
