/** -Identity as Exchange declares it: the first positional parameter, bound from a piped object or its Identity property. */
import type { ParameterSpec } from '../../cmdlet.js';

/** Help for the -Identity of the UM mailbox cmdlets. */
export const UM_MAILBOX_IDENTITY_HELP =
  'The UM-enabled mailbox: its name (display name), alias, e-mail address, user principal name, GUID or domain\\account.';

export function identityParameter(mandatory: boolean, help: string): ParameterSpec {
  return {
    name: 'Identity',
    type: 'identity',
    position: 0,
    mandatory,
    pipeline: { byValue: true, byPropertyName: true },
    help,
  };
}
