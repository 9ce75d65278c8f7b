import type { BuiltinDefinition } from '../../builtin.js';
import { FormattedText, formatList, formatOutput } from '../../format.js';
import { isPlainObject } from '../../ps-object.js';
import { rows } from './format-table.js';

export const FORMAT_LIST: BuiltinDefinition = {
  name: 'Format-List',
  aliases: ['fl'],
  synopsis: 'Shows each object as a list of properties.',
  description:
    'Shows each piped object as "Name : value" lines: every property by default (as `Format-List *`), or the ones named.',
  parameters: [
    { name: 'Property', type: 'object', position: 0, help: 'The properties to show; * for all.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects to show.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Get-UMMailboxPolicy "Contoso Default Policy" | Format-List *PIN*',
      description: 'The PIN settings of a policy.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    const items = input ?? (params.InputObject !== undefined ? [params.InputObject] : []);
    const { objects, names } = await rows(ctx, params.Property, items);
    const scalars = items.filter((i) => !isPlainObject(i));
    const text = formatList(objects, names ?? ((o) => Object.keys(o)));
    return [new FormattedText(text + (scalars.length ? formatOutput(scalars, () => undefined) : ''))];
  },
};
