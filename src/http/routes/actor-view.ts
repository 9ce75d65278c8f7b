/** How a response shows who is calling: name, kind, role groups, scope and what they allow, never a credential. */
import { z } from 'zod';
import { ROLE_GROUPS, type Actor } from '../../services/actor.js';
import { PERMISSIONS, permissionsOf } from '../../services/permissions.js';

export const RoleGroup = z.enum(ROLE_GROUPS).describe('an Exchange role group');

export const ActorView = z
  .object({
    kind: z.enum(['admin', 'user', 'system']),
    name: z.string().describe('how the audit log names the caller, e.g. admin:alice or token:helpdesk-tool'),
    roles: z.array(RoleGroup),
    dialPlanScope: z
      .array(z.string())
      .nullable()
      .describe('dial plan ids the role assignment is limited to; null = the whole organisation'),
    permissions: z
      .array(z.enum(PERMISSIONS))
      .describe('what the role groups allow (the same table the services check), so a page offers only those actions'),
  })
  .meta({ id: 'Actor' });

export function actorView(actor: Actor): z.output<typeof ActorView> {
  return {
    kind: actor.kind,
    name: actor.name,
    roles: [...actor.roles],
    dialPlanScope: actor.dialPlanScope ? [...actor.dialPlanScope] : null,
    permissions: permissionsOf(actor),
  };
}
