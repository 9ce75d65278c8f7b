import { parse } from 'csv-parse/sync';
import { UmpinError } from '../../../domain/errors.js';
import type { BuiltinDefinition } from '../../builtin.js';
import { readTextFile } from './file-path.js';

/** `Import-Csv users.csv | Enable-UMMailbox ...`: each row is an object whose columns bind by property name. */
export const IMPORT_CSV: BuiltinDefinition = {
  name: 'Import-Csv',
  aliases: ['ipcsv'],
  synopsis: 'Reads a CSV file into objects, one per row.',
  description:
    'Reads a CSV file (UTF-8, with or without BOM) whose first line names the columns; each row becomes an object with those properties, ready to pipe into a cmdlet that binds them by name (Identity, Extensions, Pin, ...).',
  parameters: [
    {
      name: 'Path',
      type: 'string',
      position: 0,
      mandatory: true,
      aliases: ['LiteralPath', 'PSPath', 'LP'],
      help: 'The CSV file.',
    },
    { name: 'Delimiter', type: 'string', position: 1, help: 'The column separator; a comma by default.' },
    { name: 'Header', type: 'string[]', help: 'Column names to use when the file has no header line.' },
    { name: 'Encoding', type: 'string', help: 'Accepted for compatibility; files are read as UTF-8.' },
  ],
  ignoredParameters: [
    { name: 'UseCulture', type: 'switch', reason: 'umpin always uses the comma unless -Delimiter is given' },
  ],
  examples: [
    {
      code: 'Import-Csv users.csv | Enable-UMMailbox -UMMailboxPolicy "Contoso Default Policy"',
      description: 'UM-enables every user listed in users.csv (columns Identity, Extensions, and optionally Pin).',
      source: 'umpin',
    },
  ],
  async run(ctx, params) {
    const text = await readTextFile(ctx.cwd, params.Path);
    const delimiter = (params.Delimiter as string | undefined) ?? ',';
    if (delimiter.length !== 1)
      throw new UmpinError({
        code: 'UMPIN_SHELL_ARGUMENT_INVALID',
        field: 'Delimiter',
        params: { cmdlet: 'Import-Csv', field: 'Delimiter', rule: 'it must be one character' },
      });
    try {
      const header = params.Header as string[] | undefined;
      // PowerShell 5's Export-Csv writes a "#TYPE ..." first line: skip it
      const body = text.replace(/^\uFEFF?#TYPE[^\n]*\n/, '');
      const rows: Array<Record<string, string>> = parse(body, {
        bom: true,
        columns: header ?? true,
        delimiter,
        skip_empty_lines: true,
        relax_column_count: true,
        trim: false,
      });
      return rows.map((r) => ({ ...r }));
    } catch (err) {
      throw new UmpinError({
        code: 'UMPIN_SHELL_FILE_ERROR',
        field: 'Path',
        params: {
          operation: 'read',
          path: String(params.Path),
          rule: `it is not valid CSV (${(err as Error).message.replace(/\s+/g, ' ').slice(0, 160)})`,
        },
      });
    }
  },
};
