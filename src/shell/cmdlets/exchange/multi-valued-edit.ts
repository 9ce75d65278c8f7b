/**
 * Exchange's MultiValuedProperty parameters (Extensions, AccessTelephoneNumbers,
 * EmailAddresses, Languages) as the services take them: a value or list replaces the whole
 * property, `@{Add=...; Remove=...}` is sent as an edit, which the service applies to the
 * values as they are when it writes them (never read here first).
 */
import type { MultiValuedEdit } from '../../../domain/multi-valued.js';
import type { MultiValuedValue } from '../../cmdlet.js';

export function multiValuedEdit(value: MultiValuedValue): MultiValuedEdit {
  return 'replace' in value ? value.replace : { add: value.add, remove: value.remove };
}
