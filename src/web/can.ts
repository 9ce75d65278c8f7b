/**
 * May the signed-in administrator do this? The one rule the pages follow to offer an action:
 * the permissions the server listed at sign-in, from the role table its services check. The
 * server still decides every call; a refusal shows the catalog's message.
 */
import { session } from './api.js';
import type { Permission } from './api-types.js';

export function can(permission: Permission): boolean {
  return session.value?.permissions.includes(permission) ?? false;
}
