/** The error for a parameter value that breaks a rule the cmdlet (not the service) checks. */
import { UmpinError } from '../../../domain/errors.js';

/** `rule` completes "…: <rule>", e.g. "it can only be used with -Cmdlets". */
export function invalidValue(field: string, rule: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_VALUE_INVALID', field, params: { field, rule } });
}
