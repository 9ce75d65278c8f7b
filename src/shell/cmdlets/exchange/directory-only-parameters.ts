/**
 * Parameters that steer Exchange's Active Directory access (which domain controller, which
 * credentials, which scope). umpin has no directory, so cmdlets accept and ignore them.
 */
import type { IgnoredParameter } from '../../cmdlet.js';

export const DIRECTORY_ONLY = 'directory-only';

export const DOMAIN_CONTROLLER: IgnoredParameter = { name: 'DomainController', type: 'string', reason: DIRECTORY_ONLY };
export const IGNORE_DEFAULT_SCOPE: IgnoredParameter = {
  name: 'IgnoreDefaultScope',
  type: 'switch',
  reason: DIRECTORY_ONLY,
};
export const CREDENTIAL: IgnoredParameter = { name: 'Credential', type: 'object', reason: DIRECTORY_ONLY };
export const READ_FROM_DOMAIN_CONTROLLER: IgnoredParameter = {
  name: 'ReadFromDomainController',
  type: 'switch',
  reason: DIRECTORY_ONLY,
};
