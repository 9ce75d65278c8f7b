import { UmpinError } from '../domain/errors.js';
import { ROLE_GROUPS, type RoleGroup } from './actor.js';

/** How Exchange writes the role groups; umpin accepts these, the identifiers, and anything between. */
export const ROLE_DISPLAY_NAMES: Readonly<Record<RoleGroup, string>> = {
  OrganizationManagement: 'Organization Management',
  UMManagement: 'UM Management',
  HelpDesk: 'Help Desk',
  ViewOnlyOrganizationManagement: 'View-Only Organization Management',
  VoiceGateway: 'Voice Gateway',
};

const squash = (s: string): string => s.replace(/[\s_-]+/g, '').toLowerCase();
const BY_KEY = new Map<string, RoleGroup>(ROLE_GROUPS.map((r) => [squash(r), r]));

export function isRoleGroup(value: unknown): value is RoleGroup {
  return typeof value === 'string' && (ROLE_GROUPS as readonly string[]).includes(value);
}

/** "Help Desk", "helpdesk", "help-desk", "HelpDesk" → HelpDesk; case, spaces, dashes and underscores do not matter. */
export function parseRoleGroup(text: unknown, field = 'Role'): RoleGroup {
  const role = typeof text === 'string' ? BY_KEY.get(squash(text)) : undefined;
  if (!role) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field,
      params: { field, rule: `it must be one of ${ROLE_GROUPS.map((r) => ROLE_DISPLAY_NAMES[r]).join(', ')}` },
    });
  }
  return role;
}
