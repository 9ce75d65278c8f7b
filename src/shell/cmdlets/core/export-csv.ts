import type { BuiltinDefinition } from '../../builtin.js';
import { writeTextFile } from './file-path.js';
import { propertiesOf } from '../../format.js';
import { getProperty, isPlainObject, typeNameOf, type PSObject } from '../../ps-object.js';
import { toText } from '../../values.js';

function field(value: unknown): string {
  const text = Array.isArray(value) ? value.map(toText).join(' ') : toText(value);
  return `"${text.replace(/"/g, '""')}"`;
}

/** Writes objects as CSV, every field quoted as PowerShell does. Import-Csv reads it back. */
export const EXPORT_CSV: BuiltinDefinition = {
  name: 'Export-Csv',
  aliases: ['epcsv'],
  synopsis: 'Writes objects to a CSV file.',
  description:
    'Writes the piped objects to a CSV file: a header line with the property names of the first object, then one quoted line per object. Lists (such as Extensions) are written space-separated. Like PowerShell 7, no "#TYPE" line unless -IncludeTypeInformation.',
  parameters: [
    {
      name: 'Path',
      type: 'string',
      position: 0,
      mandatory: true,
      aliases: ['LiteralPath', 'PSPath', 'LP'],
      help: 'The file to write.',
    },
    { name: 'NoTypeInformation', type: 'switch', aliases: ['NTI'], help: 'Omits the "#TYPE" line (the default).' },
    {
      name: 'IncludeTypeInformation',
      type: 'switch',
      aliases: ['ITI'],
      help: 'Writes a "#TYPE" line first, as PowerShell 5 did.',
    },
    { name: 'Append', type: 'switch', help: 'Adds to the end of an existing file.' },
    { name: 'Delimiter', type: 'string', position: 1, help: 'The column separator; a comma by default.' },
    { name: 'NoClobber', type: 'switch', aliases: ['NoOverwrite'], help: 'Refuses to replace an existing file.' },
    { name: 'Force', type: 'switch', help: 'Accepted for compatibility.' },
    { name: 'Encoding', type: 'string', help: 'Accepted for compatibility; files are written as UTF-8.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects to write.' },
  ],
  ignoredParameters: [
    { name: 'UseCulture', type: 'switch', reason: 'umpin always uses the comma unless -Delimiter is given' },
  ],
  // -WhatIf (and a dry-run script's $WhatIfPreference) leaves the file alone, as in PowerShell
  confirmImpact: 'medium',
  examples: [
    {
      code: 'Get-UMMailboxPIN | Export-Csv pins.csv -NoTypeInformation',
      description: "Saves every mailbox's PIN status (never the PIN) to pins.csv.",
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    const items = (input ?? (params.InputObject !== undefined ? [params.InputObject] : [])).filter(
      isPlainObject,
    ) as PSObject[];
    const delimiter = (params.Delimiter as string | undefined) ?? ',';
    const names = propertiesOf(items.slice(0, 1), undefined);
    const lines: string[] = [];
    if (params.IncludeTypeInformation && items[0])
      lines.push(`#TYPE ${typeNameOf(items[0]) ?? 'System.Management.Automation.PSCustomObject'}`);
    if (!params.Append) lines.push(names.map((n) => `"${n}"`).join(delimiter));
    for (const o of items) lines.push(names.map((n) => field(getProperty(o, n))).join(delimiter));
    if (!(await ctx.shouldProcess(toText(params.Path), 'Export-Csv'))) return [];
    await writeTextFile(ctx.cwd, params.Path, lines.join('\r\n') + (lines.length ? '\r\n' : ''), {
      append: params.Append === true,
      noClobber: params.NoClobber === true,
    });
    return [];
  },
};
