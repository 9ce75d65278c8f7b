import { UmpinError } from '../../../domain/errors.js';
import type { BuiltinDefinition } from '../../builtin.js';
import { getProperty, psObject } from '../../ps-object.js';
import { compareValues } from '../../values.js';

export const MEASURE_OBJECT: BuiltinDefinition = {
  name: 'Measure-Object',
  aliases: ['measure'],
  synopsis: 'Counts objects, and sums or averages a property.',
  description:
    'Counts the piped objects; with -Property and -Sum, -Average, -Maximum or -Minimum it also computes those over the property.',
  parameters: [
    { name: 'Property', type: 'string', position: 0, help: 'The numeric property to measure.' },
    { name: 'Sum', type: 'switch', help: 'Adds the values.' },
    { name: 'Average', type: 'switch', help: 'Averages the values.' },
    { name: 'Maximum', type: 'switch', help: 'The largest value.' },
    { name: 'Minimum', type: 'switch', help: 'The smallest value.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects to measure.' },
  ],
  ignoredParameters: [],
  outputs: [
    {
      typeName: 'GenericMeasureInfo',
      view: { kind: 'list', properties: ['Count', 'Average', 'Sum', 'Maximum', 'Minimum', 'Property'] },
    },
  ],
  examples: [
    {
      code: 'Get-UMMailboxPIN | Where-Object LockedOut -eq $true | Measure-Object',
      description: 'How many mailboxes are locked out.',
      source: 'umpin',
    },
  ],
  async run(_ctx, params, input) {
    const items = input ?? (params.InputObject !== undefined ? [params.InputObject] : []);
    const property = params.Property as string | undefined;
    const values = property
      ? items.map((i) => getProperty(i, property)).filter((v) => v !== undefined && v !== null)
      : items;
    const numbers = values.map((v) => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number(v)));
    if ((params.Sum || params.Average) && numbers.some((n) => Number.isNaN(n))) {
      throw new UmpinError({
        code: 'UMPIN_SHELL_ARGUMENT_INVALID',
        field: 'Property',
        params: {
          cmdlet: 'Measure-Object',
          field: 'Property',
          rule: `the values of ${property ?? 'the input'} are not all numbers`,
        },
      });
    }
    const sum = numbers.reduce((a, b) => a + b, 0);
    const sorted = [...values].sort(compareValues);
    return [
      psObject('GenericMeasureInfo', {
        Count: property ? values.length : items.length,
        Average: params.Average ? (numbers.length ? sum / numbers.length : null) : null,
        Sum: params.Sum ? sum : null,
        Maximum: params.Maximum ? (sorted.at(-1) ?? null) : null,
        Minimum: params.Minimum ? (sorted[0] ?? null) : null,
        Property: property ?? null,
      }),
    ];
  },
};
