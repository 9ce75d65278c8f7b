/** Exchange's -ResultSize: how many objects a Get- cmdlet lists, and the warning when it cut the list short. */
import type { BoundParameters, CmdletContext } from '../../cmdlet.js';
import { given } from './bound-values.js';
import { invalidValue } from './invalid-value.js';

/** Exchange's default ResultSize. */
export const DEFAULT_RESULT_SIZE = 1000;

/** -ResultSize as a count: a number, 'Unlimited' (every object), or the default 1000. */
export function resultSizeOf(params: BoundParameters): number {
  const v = given(params, 'ResultSize');
  if (v === undefined) return DEFAULT_RESULT_SIZE;
  if (typeof v === 'string' && v.toLowerCase() === 'unlimited') return Number.POSITIVE_INFINITY;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw invalidValue('ResultSize', 'it must be a whole number of 1 or more, or Unlimited');
  return n;
}

/** Exchange warns when ResultSize cut the list short; so do we, in our words. */
export function warnTruncated(ctx: CmdletContext, params: BoundParameters, size: number): void {
  ctx.warn(
    given(params, 'ResultSize') === undefined
      ? `Only the first ${size} results are shown (the default ResultSize). Use -ResultSize Unlimited to get them all.`
      : `More results exist than the ResultSize of ${size} lets through. Raise -ResultSize, or use -ResultSize Unlimited.`,
  );
}
