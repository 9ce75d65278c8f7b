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

const READ: Permission[] = ['organization:read', 'recipient:read', 'mailbox:read', 'pin:read', 'audit:read', 'outbox:read'];
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

export interface Target {
  /** the recipient acted on, when the operation has one */
  recipientId?: string;
  /** the dial plan the target belongs to, for scoped role assignments */
  dialPlanId?: string;
  /** how to name the target in a denial */
  label?: string;
}

export function isAllowed(actor: Actor, permission: Permission, target: Target = {}): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'user') {
    return SELF_PERMISSIONS.includes(permission) && target.recipientId !== undefined && target.recipientId === actor.recipientId;
  }
  if (!actor.roles.some((r) => ROLE_PERMISSIONS[r]?.includes(permission))) return false;
  if (actor.dialPlanScope) {
    // a scoped assignment reaches only objects inside its dial plans; org-wide writes are out of scope
    if (target.dialPlanId !== undefined) return actor.dialPlanScope.includes(target.dialPlanId);
    return permission.endsWith(':read') || permission === 'voice:logon';
  }
  return true;
}

export function authorize(actor: Actor, permission: Permission, action: string, target: Target = {}): void {
  if (!isAllowed(actor, permission, target)) {
    throw new UmpinError({ code: 'UMPIN_ACCESS_DENIED', params: { actor: actor.name, action, target: target.label } });
  }
}
