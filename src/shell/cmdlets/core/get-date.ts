import type { BuiltinDefinition } from '../../builtin.js';
import { formatDateCustom } from '../../operators.js';

/** Get-Date: now (or -Date), as a date or, with -Format, as text for file names and logs. */
export const GET_DATE: BuiltinDefinition = {
  name: 'Get-Date',
  synopsis: 'The date and time now, or a given one, optionally as formatted text.',
  description:
    "Returns the current date and time (the shell's local time zone). -Format takes .NET's date formats: yyyy-MM-dd, yyyyMMdd-HHmm, s, u, and so on.",
  parameters: [
    {
      name: 'Date',
      type: 'datetime',
      position: 0,
      pipeline: { byValue: true },
      help: 'The date to use instead of now.',
    },
    { name: 'Format', type: 'string', help: "The text format, e.g. 'yyyy-MM-dd'." },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Get-UMMailboxPIN | Export-Csv "pins-$(Get-Date -Format yyyyMMdd).csv"',
      description: "Saves the PIN status under today's date.",
      source: 'umpin',
    },
  ],
  async run(_ctx, params, input) {
    const dates = (input ?? [params.Date ?? new Date()]) as Date[];
    const format = params.Format as string | undefined;
    return dates.map((d) =>
      format === undefined ? d : formatDateCustom(d instanceof Date ? d : new Date(String(d)), format),
    );
  },
};
