/**
 * Exchange's role groups by their names, as the Exchange admin center shows them in every
 * language (they are the groups' names, not words to translate).
 */
import type { RoleGroupName } from './api-types.js';

export const ROLE_GROUP_NAMES = {
  OrganizationManagement: 'Organization Management',
  UMManagement: 'UM Management',
  HelpDesk: 'Help Desk',
  ViewOnlyOrganizationManagement: 'View-Only Organization Management',
  VoiceGateway: 'Voice Gateway',
} as const satisfies Record<RoleGroupName, string>;

export const ROLE_GROUPS = Object.keys(ROLE_GROUP_NAMES) as RoleGroupName[];
/** an administrator signs in to pages; the voice gateway's role is for a PBX's token only */
export const ADMIN_ROLE_GROUPS = ROLE_GROUPS.filter((r) => r !== 'VoiceGateway');
