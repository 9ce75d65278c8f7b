import { join } from 'node:path';
import type { BuiltinDefinition } from '../../builtin.js';
import { formatOutput } from '../../format.js';
import { toText } from '../../values.js';

/** Join-Path: a directory and a file name, for reports written beside the script ($PSScriptRoot). */
export const JOIN_PATH: BuiltinDefinition = {
  name: 'Join-Path',
  synopsis: 'Joins a directory and a file name into one path.',
  description: 'Returns -Path and -ChildPath joined with the separator of the shell’s machine.',
  parameters: [
    { name: 'Path', type: 'string', position: 0, mandatory: true, help: 'The directory.' },
    { name: 'ChildPath', type: 'string', position: 1, mandatory: true, help: 'The name below it.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Join-Path reports "pins-$(Get-Date -Format yyyyMMdd).csv"',
      description: "Today's file name in the reports directory; beside the script, it is Join-Path $PSScriptRoot ...",
      source: 'umpin',
    },
  ],
  async run(_ctx, params) {
    return [join(String(params.Path), String(params.ChildPath))];
  },
};

/** Out-String: output as it would print, as one string (for mail bodies and -f). */
export const OUT_STRING: BuiltinDefinition = {
  name: 'Out-String',
  synopsis: 'Turns output into the text it would print.',
  description: 'Formats the piped objects as the shell prints them and returns that text as one string.',
  parameters: [
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'What to format.' },
    { name: 'Width', type: 'int', help: 'The line width of tables.' },
  ],
  ignoredParameters: [{ name: 'Stream', type: 'switch', reason: 'the text is always returned whole' }],
  examples: [
    {
      code: '$body = Get-UMMailboxPIN | Where-Object LockedOut | Out-String',
      description: 'The locked-out table as text, for a mail body.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    const items = input ?? (params.InputObject === undefined ? [] : [params.InputObject]);
    const text = formatOutput(items, (t) => ctx.view(t), { width: params.Width as number | undefined });
    return [items.every((i) => typeof i === 'string') ? `${items.map(toText).join('\n')}\n` : `${text}\n`];
  },
};
