/**
 * Reading bound parameters that may come from a CSV row or a piped object as well as from
 * the command line: an empty cell or $null means "not given", as it does in Exchange.
 */
import type { BoundParameters } from '../../cmdlet.js';

/** A bound value, or undefined when absent, $null or an empty CSV cell. */
export function given(params: BoundParameters, name: string): unknown {
  const v = params[name];
  return v === null || v === undefined || v === '' ? undefined : v;
}

export function text(params: BoundParameters, name: string): string | undefined {
  const v = given(params, name);
  return v === undefined ? undefined : String(v);
}

export function flag(params: BoundParameters, name: string): boolean | undefined {
  const v = given(params, name);
  return v === undefined ? undefined : Boolean(v);
}
