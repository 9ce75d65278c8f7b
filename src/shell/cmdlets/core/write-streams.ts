/** Write-Warning, Write-Error, Write-Verbose and Write-Progress: a script's notes beside its output. */
import { UmpinError } from '../../../domain/errors.js';
import type { BuiltinDefinition } from '../../builtin.js';
import { toText } from '../../values.js';

const MESSAGE = {
  name: 'Message',
  type: 'object',
  position: 0,
  pipeline: { byValue: true },
  help: 'The text to show.',
} as const;

function messages(params: Record<string, unknown>, input: unknown[] | null): string[] {
  return (input ?? [params.Message ?? '']).map((v) => (Array.isArray(v) ? v.map(toText).join(' ') : toText(v)));
}

export const WRITE_WARNING: BuiltinDefinition = {
  name: 'Write-Warning',
  synopsis: 'Prints a WARNING: line.',
  description:
    'Prints the text as a warning (yellow on a terminal, on the error stream); -WarningAction SilentlyContinue hides it.',
  parameters: [MESSAGE],
  ignoredParameters: [],
  examples: [
    { code: 'Write-Warning "tonysmith has no PIN policy"', description: 'Prints a warning.', source: 'umpin' },
  ],
  async run(ctx, params, input) {
    for (const m of messages(params, input)) ctx.host.warn(m);
    return [];
  },
};

export const WRITE_ERROR: BuiltinDefinition = {
  name: 'Write-Error',
  synopsis: 'Reports an error and goes on.',
  description:
    'Reports the text as an error record (code UMPIN_SHELL_SCRIPT_ERROR) without stopping the script; with -ErrorAction Stop, or $ErrorActionPreference = "Stop", it stops it as throw does. PIN values the script used are masked.',
  parameters: [
    MESSAGE,
    { name: 'Category', type: 'string', help: 'Accepted for compatibility.' },
    { name: 'ErrorId', type: 'string', help: 'Accepted for compatibility.' },
    { name: 'TargetObject', type: 'object', help: 'Accepted for compatibility.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'try { Write-Error "tonysmith was not found" -ErrorAction Stop } catch { "Handled: $_" }',
      description: 'Reports an error; with -ErrorAction Stop a catch block handles it.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    for (const m of messages(params, input))
      ctx.writeError(new UmpinError({ code: 'UMPIN_SHELL_SCRIPT_ERROR', params: { message: ctx.mask(m) } }));
    return [];
  },
};

export const WRITE_VERBOSE: BuiltinDefinition = {
  name: 'Write-Verbose',
  synopsis: 'Prints a VERBOSE: line when asked for.',
  description: 'Prints the text only with -Verbose, or when $VerbosePreference is "Continue".',
  parameters: [MESSAGE],
  ignoredParameters: [],
  examples: [
    { code: 'Write-Verbose "Reading users.csv" -Verbose', description: 'Prints a verbose note.', source: 'umpin' },
  ],
  async run(ctx, params, input) {
    if (ctx.verbose) for (const m of messages(params, input)) ctx.host.info(`VERBOSE: ${m}`, 'Yellow');
    return [];
  },
};

export const WRITE_PROGRESS: BuiltinDefinition = {
  name: 'Write-Progress',
  synopsis: 'Shows a progress line.',
  description:
    'Shows the activity, status and percentage on the progress line (not in the output); -Completed clears it.',
  parameters: [
    { name: 'Activity', type: 'string', position: 0, help: 'What is being done.' },
    { name: 'Status', type: 'string', position: 1, help: 'Where it stands.' },
    { name: 'PercentComplete', type: 'object', help: 'How far, 0 to 100 (fractions are rounded).' },
    { name: 'CurrentOperation', type: 'string', help: 'The step under way.' },
    { name: 'Id', type: 'int', help: 'Accepted for compatibility.' },
    { name: 'Completed', type: 'switch', help: 'Clears the progress line.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Write-Progress -Activity "Resetting PINs" -Status "3 of 10" -PercentComplete 30',
      description: 'Shows how far a loop has gone.',
      source: 'umpin',
    },
  ],
  async run(ctx, params) {
    if (params.Completed) {
      ctx.host.progress(null);
      return [];
    }
    const parts = [params.Activity, params.Status, params.CurrentOperation].filter((p) => p !== undefined).map(toText);
    const percent = params.PercentComplete === undefined ? undefined : Math.round(Number(params.PercentComplete));
    const shown = percent === undefined || Number.isNaN(percent) ? '' : ` [${Math.max(0, Math.min(100, percent))}%]`;
    ctx.host.progress(`${parts.join(': ')}${shown}`);
    return [];
  },
};
