/** Out-File and Tee-Object: output as it would print, written to a file on the shell's machine (see file-path.ts). */
import type { BuiltinContext, BuiltinDefinition } from '../../builtin.js';
import { formatOutput } from '../../format.js';
import { toText } from '../../values.js';
import { writeTextFile } from './file-path.js';

async function writeFormatted(
  ctx: BuiltinContext,
  path: unknown,
  items: unknown[],
  opts: { append: boolean; noClobber?: boolean; width?: number },
): Promise<void> {
  const text = formatOutput(items, (t) => ctx.view(t), { width: opts.width });
  const body = text === '' ? '' : `${text.replace(/\n+$/, '')}\n`;
  await writeTextFile(ctx.cwd, path, body, opts);
}

export const OUT_FILE: BuiltinDefinition = {
  name: 'Out-File',
  synopsis: 'Writes output to a text file as it would print.',
  description:
    'Formats the piped objects as the shell prints them (tables, lists, text) and writes them to a UTF-8 file, e.g. a report to mail. The same as `> file`.',
  parameters: [
    {
      name: 'FilePath',
      type: 'string',
      position: 0,
      mandatory: true,
      aliases: ['Path', 'LiteralPath', 'PSPath'],
      help: 'The file to write.',
    },
    { name: 'Append', type: 'switch', help: 'Adds to the end of the file.' },
    { name: 'NoClobber', type: 'switch', aliases: ['NoOverwrite'], help: 'Refuses to replace an existing file.' },
    { name: 'Width', type: 'int', help: 'The line width of tables.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'What to write.' },
    { name: 'Force', type: 'switch', help: 'Accepted for compatibility.' },
    { name: 'Encoding', type: 'string', help: 'Accepted for compatibility; files are written as UTF-8.' },
  ],
  ignoredParameters: [],
  // -WhatIf (and a dry-run script's $WhatIfPreference) leaves the file alone, as in PowerShell
  confirmImpact: 'medium',
  examples: [
    {
      code: 'Get-UMMailboxPIN | Where-Object LockedOut | Out-File locked.txt',
      description: 'Writes the locked-out mailboxes, as a table, to locked.txt.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    const items = input ?? (params.InputObject === undefined ? [] : [params.InputObject]);
    if (!(await ctx.shouldProcess(toText(params.FilePath), 'Output to File'))) return [];
    await writeFormatted(ctx, params.FilePath, items, {
      append: params.Append === true,
      noClobber: params.NoClobber === true,
      ...(params.Width !== undefined ? { width: params.Width as number } : {}),
    });
    return [];
  },
};

export const TEE_OBJECT: BuiltinDefinition = {
  name: 'Tee-Object',
  aliases: ['tee'],
  synopsis: 'Writes output to a file and passes it on down the pipeline.',
  description: 'Writes the piped objects to a file, as Out-File does, and sends them on unchanged.',
  parameters: [
    {
      name: 'FilePath',
      type: 'string',
      position: 0,
      mandatory: true,
      aliases: ['Path', 'LiteralPath'],
      help: 'The file to write.',
    },
    { name: 'Append', type: 'switch', help: 'Adds to the end of the file.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'What to write and pass on.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Get-UMMailboxPIN | Where-Object LockedOut | Tee-Object locked.txt | Measure-Object',
      description: 'Saves the locked-out mailboxes to locked.txt and counts them.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    const items = input ?? (params.InputObject === undefined ? [] : [params.InputObject]);
    await writeFormatted(ctx, params.FilePath, items, { append: params.Append === true });
    return items;
  },
};
