/** Get-Content, Set-Content, Add-Content and Test-Path: text files on the shell's machine (see file-path.ts). */
import { stat } from 'node:fs/promises';
import type { BuiltinDefinition } from '../../builtin.js';
import type { ParameterSpec } from '../../cmdlet.js';
import { toText } from '../../values.js';
import { filePath, readTextFile, writeTextFile } from './file-path.js';

const PATH: ParameterSpec = {
  name: 'Path',
  type: 'string',
  position: 0,
  mandatory: true,
  aliases: ['LiteralPath', 'PSPath', 'LP', 'FilePath'],
  help: 'The file, relative to the current directory.',
};

const ENCODING: ParameterSpec = {
  name: 'Encoding',
  type: 'string',
  help: 'Accepted for compatibility; files are read and written as UTF-8.',
};

export const GET_CONTENT: BuiltinDefinition = {
  name: 'Get-Content',
  aliases: ['gc', 'cat', 'type'],
  synopsis: 'Reads a text file, one line per object.',
  description:
    'Reads a UTF-8 text file and sends its lines down the pipeline, e.g. a list of users to reset. -Raw returns the whole text as one string.',
  parameters: [
    PATH,
    { name: 'TotalCount', type: 'int', aliases: ['First', 'Head'], help: 'Reads only the first lines.' },
    { name: 'Tail', type: 'int', aliases: ['Last'], help: 'Reads only the last lines.' },
    { name: 'Raw', type: 'switch', help: 'Returns the whole file as one string.' },
    ENCODING,
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Get-Content users.txt | ForEach-Object { Set-UMMailboxPIN $_ -LockedOut $false }',
      description: 'Unlocks every user listed, one per line, in users.txt.',
      source: 'umpin',
      setup: 'Set-Content users.txt tonysmith@contoso.com',
    },
  ],
  async run(ctx, params) {
    const text = await readTextFile(ctx.cwd, params.Path);
    if (params.Raw) return [text];
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    const first = params.TotalCount as number | undefined;
    const last = params.Tail as number | undefined;
    if (first !== undefined && first >= 0) return lines.slice(0, first);
    if (last !== undefined) return last <= 0 ? [] : lines.slice(-last);
    return lines;
  },
};

function contentCmdlet(name: 'Set-Content' | 'Add-Content', append: boolean): BuiltinDefinition {
  return {
    name,
    aliases: [append ? 'ac' : 'sc'],
    synopsis: append ? 'Adds lines to the end of a text file.' : 'Writes lines to a text file, replacing it.',
    description: `${append ? 'Appends' : 'Writes'} each value (or piped object) as one line of text, UTF-8.${append ? ' The file is made if it does not exist.' : ''}`,
    parameters: [
      PATH,
      { name: 'Value', type: 'object', position: 1, pipeline: { byValue: true }, help: 'The lines to write.' },
      { name: 'NoNewline', type: 'switch', help: 'Writes the values joined, with no line ends.' },
      { name: 'Force', type: 'switch', help: 'Accepted for compatibility.' },
      ENCODING,
    ],
    ignoredParameters: [],
    // -WhatIf (and a dry-run script's $WhatIfPreference) leaves the file alone, as in PowerShell
    confirmImpact: 'medium',
    examples: [
      {
        code: append
          ? 'Add-Content reset.log "$(Get-Date -Format s) tonysmith reset"'
          : 'Set-Content users.txt tonysmith@contoso.com',
        description: append ? 'Adds a line to reset.log.' : 'Writes users.txt with one line.',
        source: 'umpin',
      },
    ],
    async run(ctx, params, input) {
      const values = (input ?? (params.Value === undefined ? [] : [params.Value])).flatMap((v) =>
        Array.isArray(v) ? v : [v],
      );
      const text = params.NoNewline ? values.map(toText).join('') : values.map((v) => `${toText(v)}\n`).join('');
      if (!(await ctx.shouldProcess(`Path: ${toText(params.Path)}`, append ? 'Add Content' : 'Set Content'))) return [];
      await writeTextFile(ctx.cwd, params.Path, text, { append });
      return [];
    },
  };
}

export const SET_CONTENT = contentCmdlet('Set-Content', false);
export const ADD_CONTENT = contentCmdlet('Add-Content', true);

export const TEST_PATH: BuiltinDefinition = {
  name: 'Test-Path',
  synopsis: 'Tells whether a file or directory exists.',
  description: 'Returns True when the path exists (with -PathType Leaf: is a file; Container: is a directory).',
  parameters: [
    { ...PATH, pipeline: { byValue: true } },
    {
      name: 'PathType',
      type: 'string',
      aliases: ['Type'],
      help: 'Any (default), Leaf (a file) or Container (a directory).',
    },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: "if (-not (Test-Path users.csv)) { throw 'users.csv is missing' }",
      description: 'Stops a script whose input file is missing.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    const kind = String(params.PathType ?? 'Any').toLowerCase();
    const paths = input ?? [params.Path];
    const out: boolean[] = [];
    for (const p of paths) {
      try {
        const s = await stat(filePath(ctx.cwd, toText(p)));
        out.push(kind === 'leaf' ? s.isFile() : kind === 'container' ? s.isDirectory() : true);
      } catch {
        out.push(false);
      }
    }
    return out;
  },
};
