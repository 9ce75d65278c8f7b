import type { BuiltinDefinition } from '../../builtin.js';
import { getProperty } from '../../ps-object.js';
import type { ScriptBlock } from '../../values.js';

/** `ForEach-Object { ... $_ ... }`, with -Begin/-End, and `% Name` for one property. */
export const FOREACH_OBJECT: BuiltinDefinition = {
  name: 'ForEach-Object',
  aliases: ['foreach', '%'],
  synopsis: 'Runs a script block for each piped object.',
  description:
    'Runs the -Process script block once per piped object with $_ set to it; -Begin runs before the first and -End after the last. Given a property name instead of a block, it outputs that property of each object.',
  parameters: [
    { name: 'Process', type: 'scriptblock', position: 0, help: 'The script block to run for each object.' },
    { name: 'MemberName', type: 'string', position: 0, help: 'A property to output from each object.' },
    { name: 'Begin', type: 'scriptblock', help: 'Runs once before the first object.' },
    { name: 'End', type: 'scriptblock', help: 'Runs once after the last object.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects to process.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Get-UMMailbox | ForEach-Object { Set-UMMailboxPIN -Identity $_.Identity -PinExpired $true }',
      description: 'Resets the PIN of every UM mailbox and mails each user a new one.',
      source: 'umpin',
    },
    {
      code: 'Get-UMMailboxPIN | ForEach-Object UserID',
      description: 'Lists the addresses of all UM-enabled users.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    const out: unknown[] = [];
    const items = input ?? (params.InputObject !== undefined ? [params.InputObject] : []);
    if (params.Begin) out.push(...(await ctx.invoke(params.Begin as ScriptBlock, null)));
    for (const item of items) {
      if (ctx.signal.aborted) break;
      if (params.Process) out.push(...(await ctx.invoke(params.Process as ScriptBlock, item)));
      else if (params.MemberName) {
        const v = getProperty(item, params.MemberName as string);
        if (v !== undefined) out.push(...(Array.isArray(v) ? v : [v]));
      }
    }
    if (params.End) out.push(...(await ctx.invoke(params.End as ScriptBlock, null)));
    return out;
  },
};
