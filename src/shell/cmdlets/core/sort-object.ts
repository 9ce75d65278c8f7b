import type { BuiltinDefinition } from '../../builtin.js';
import { isPlainObject } from '../../ps-object.js';
import { compareValues, toText } from '../../values.js';
import { columns } from './select-object.js';

export const SORT_OBJECT: BuiltinDefinition = {
  name: 'Sort-Object',
  aliases: ['sort'],
  synopsis: 'Sorts objects by property values.',
  description:
    'Sorts piped objects by one or more properties (or calculated properties), ascending unless -Descending. Text sorts case-insensitively; numbers by value.',
  parameters: [
    { name: 'Property', type: 'object', position: 0, help: 'The properties to sort by, in order of importance.' },
    { name: 'Descending', type: 'switch', help: 'Sorts from highest to lowest.' },
    { name: 'Unique', type: 'switch', help: 'Keeps one of each value.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects to sort.' },
  ],
  ignoredParameters: [],
  examples: [
    { code: 'Get-UMMailbox | Sort-Object Name -Descending', description: 'UM mailboxes from Z to A.', source: 'umpin' },
  ],
  async run(ctx, params, input) {
    const items = input ?? (params.InputObject !== undefined ? [params.InputObject] : []);
    const spec =
      params.Property === undefined || params.Property === null
        ? []
        : Array.isArray(params.Property)
          ? params.Property
          : [params.Property];
    const cols = await columns(ctx, spec, items);
    const keyed: Array<{ item: unknown; keys: unknown[]; index: number }> = [];
    for (const [index, item] of items.entries()) {
      keyed.push({
        item,
        index,
        keys:
          cols.length > 0
            ? await Promise.all(cols.map((c) => c.get(item)))
            : [isPlainObject(item) ? toText(item) : item],
      });
    }
    const sign = params.Descending ? -1 : 1;
    keyed.sort((a, b) => {
      for (let i = 0; i < a.keys.length; i++) {
        const c = compareValues(a.keys[i], b.keys[i]);
        if (c !== 0) return sign * c;
      }
      return a.index - b.index; // stable, as PowerShell's
    });
    let out = keyed;
    if (params.Unique)
      out = keyed.filter((k, i) => i === 0 || k.keys.some((v, j) => compareValues(v, keyed[i - 1]!.keys[j]) !== 0));
    return out.map((k) => k.item);
  },
};
