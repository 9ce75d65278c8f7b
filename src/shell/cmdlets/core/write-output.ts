import type { BuiltinDefinition } from '../../builtin.js';
import { toText } from '../../values.js';

/** Write-Host and Write-Output, which admins' scripts use for progress notes. */
export const WRITE_HOST: BuiltinDefinition = {
  name: 'Write-Host',
  synopsis: 'Prints text on the terminal.',
  description: 'Prints its arguments, separated by spaces, straight to the terminal (not into the pipeline).',
  parameters: [
    { name: 'Object', type: 'object', position: 0, pipeline: { byValue: true }, help: 'What to print.' },
    { name: 'ForegroundColor', type: 'string', help: 'The colour, e.g. Green, Yellow, Red.' },
    { name: 'NoNewline', type: 'switch', help: 'Accepted; every call ends its line.' },
    { name: 'Separator', type: 'string', help: 'Between printed list items; a space by default.' },
  ],
  ignoredParameters: [{ name: 'BackgroundColor', type: 'string', reason: 'umpin prints only foreground colours' }],
  examples: [
    { code: 'Write-Host "Done" -ForegroundColor Green', description: 'Prints Done in green.', source: 'umpin' },
  ],
  async run(ctx, params, input) {
    const values = input ?? [params.Object ?? ''];
    const sep = (params.Separator as string | undefined) ?? ' ';
    for (const v of values)
      ctx.host.info(
        Array.isArray(v) ? v.map(toText).join(sep) : toText(v),
        params.ForegroundColor as string | undefined,
      );
    return [];
  },
};

export const WRITE_OUTPUT: BuiltinDefinition = {
  name: 'Write-Output',
  aliases: ['echo', 'write'],
  synopsis: 'Sends objects down the pipeline.',
  description: 'Writes its arguments to the pipeline; at the end of a pipeline they are printed.',
  parameters: [
    { name: 'InputObject', type: 'object', position: 0, pipeline: { byValue: true }, help: 'What to write.' },
  ],
  ignoredParameters: [{ name: 'NoEnumerate', type: 'switch', reason: 'lists are always enumerated' }],
  examples: [{ code: 'Write-Output "Resetting PINs"', description: 'Prints a note.', source: 'umpin' }],
  async run(_ctx, params, input) {
    const v = input ?? (params.InputObject === undefined ? [] : [params.InputObject]);
    return v.flatMap((x) => (Array.isArray(x) ? x : [x]));
  },
};

export const OUT_NULL: BuiltinDefinition = {
  name: 'Out-Null',
  synopsis: 'Discards output.',
  description: 'Drops whatever is piped into it.',
  parameters: [{ name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'What to drop.' }],
  ignoredParameters: [],
  examples: [
    {
      code: 'Enable-UMMailbox kimakers -UMMailboxPolicy "Contoso Default Policy" -Extensions 10299 | Out-Null',
      description: 'UM-enables without printing the mailbox.',
      source: 'umpin',
      setup: 'Disable-UMMailbox kimakers -Confirm:$false',
    },
  ],
  async run() {
    return [];
  },
};
