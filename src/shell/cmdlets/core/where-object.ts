import { UmpinError } from '../../../domain/errors.js';
import type { BuiltinDefinition } from '../../builtin.js';
import type { ParameterSpec } from '../../cmdlet.js';
import { getProperty } from '../../ps-object.js';
import { compare, isTrue, type Comparison, type ScriptBlock } from '../../values.js';

const OPERATORS: ReadonlyArray<[string, Comparison, boolean]> = [
  ['EQ', 'eq', false],
  ['NE', 'ne', false],
  ['GT', 'gt', false],
  ['GE', 'ge', false],
  ['LT', 'lt', false],
  ['LE', 'le', false],
  ['Like', 'like', false],
  ['NotLike', 'notlike', false],
  ['Match', 'match', false],
  ['NotMatch', 'notmatch', false],
  ['Contains', 'contains', false],
  ['NotContains', 'notcontains', false],
  ['In', 'in', false],
  ['NotIn', 'notin', false],
  ['CEQ', 'eq', true],
  ['CNE', 'ne', true],
  ['CLike', 'like', true],
  ['CNotLike', 'notlike', true],
];

/** `Where-Object { $_.LockedOut }` and the simple form `Where-Object LockedOut -eq $true`. */
export const WHERE_OBJECT: BuiltinDefinition = {
  name: 'Where-Object',
  aliases: ['where', '?'],
  synopsis: 'Keeps the piped objects that match a condition.',
  description:
    'Passes on each piped object for which the script block is true, or whose property compares as asked. `$_` is the current object.',
  parameters: [
    { name: 'FilterScript', type: 'scriptblock', position: 0, help: 'The condition, e.g. { $_.LockedOut -eq $true }.' },
    { name: 'Property', type: 'string', position: 0, help: 'The property to compare (simple form), e.g. LockedOut.' },
    { name: 'Value', type: 'object', position: 1, help: 'The value to compare the property with.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects to filter.' },
    ...OPERATORS.map(
      ([name, op]): ParameterSpec => ({
        name,
        type: 'switch',
        help: `Keeps objects whose property is ${op} the value.`,
      }),
    ),
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Get-UMMailboxPIN | Where-Object LockedOut -eq $true',
      description: 'Lists the locked-out mailboxes.',
      source: 'umpin',
    },
    {
      code: "Get-UMMailbox | Where-Object { $_.UMMailboxPolicy -like 'Contoso*' }",
      description: 'Lists the UM mailboxes whose policy name starts with Contoso.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    // the binder fills position 0 into FilterScript first; a plain word there is the Property
    const block = params.FilterScript as ScriptBlock | undefined;
    const chosen = OPERATORS.filter(([name]) => params[name] === true);
    if (chosen.length > 1)
      throw new UmpinError({
        code: 'UMPIN_SHELL_ARGUMENT_INVALID',
        field: chosen[1]![0],
        params: { cmdlet: 'Where-Object', field: chosen[1]![0], rule: 'only one comparison operator can be given' },
      });
    const items = input ?? (params.InputObject !== undefined ? [params.InputObject] : []);
    const out: unknown[] = [];
    for (const item of items) {
      if (ctx.signal.aborted) break;
      let keep: boolean;
      if (block) keep = isTrue(await ctx.invoke(block, item).then((r) => (r.length === 1 ? r[0] : r)));
      else {
        const property = params.Property as string | undefined;
        if (!property)
          throw new UmpinError({
            code: 'UMPIN_SHELL_PARAMETER_MISSING',
            field: 'FilterScript',
            params: { cmdlet: 'Where-Object', field: 'FilterScript' },
          });
        const v = getProperty(item, property);
        const op = chosen[0];
        keep = op ? isTrue(compare(op[1], v ?? null, params.Value ?? null, op[2])) : isTrue(v);
      }
      if (keep) out.push(item);
    }
    return out;
  },
};
