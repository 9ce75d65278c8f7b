/** -Filter of the Get- cmdlets that list mailboxes, as the text the service takes. */
import type { BoundParameters } from '../../cmdlet.js';
import { given } from './bound-values.js';

/** The filter's text; a scriptblock (`{ UMEnabled -eq $true }`) arrives with its source text. */
export function filterText(params: BoundParameters): string | undefined {
  const v = given(params, 'Filter');
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string') return (v as { text: string }).text;
  return String(v);
}
