/**
 * Read-Host: a line typed by the person running the script. With -AsSecureString nothing
 * typed is echoed or kept in any history, and the result is a secure string that prints as
 * System.Security.SecureString; only a secret parameter (-Pin) can use its text.
 */
import type { BuiltinDefinition } from '../../builtin.js';
import { runtimeError } from '../../operators.js';
import { SecureString } from '../../values.js';

export const READ_HOST: BuiltinDefinition = {
  name: 'Read-Host',
  synopsis: 'Reads a line typed at the terminal; -AsSecureString hides it.',
  description:
    'Prints the prompt followed by ": " and returns what is typed. -AsSecureString masks the input (nothing is echoed or stored) and returns a secure string that binds to -Pin. Reads piped input when not at a terminal.',
  parameters: [
    { name: 'Prompt', type: 'object', position: 0, help: 'The question.' },
    { name: 'AsSecureString', type: 'switch', help: 'Hides the input and returns a secure string.' },
    { name: 'MaskInput', type: 'switch', help: 'Hides the input but returns it as text.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: '$pin = Read-Host "New PIN" -AsSecureString\nSet-UMMailboxPIN tonysmith -Pin $pin -PinExpired $true',
      description: 'Sets a PIN typed without echo; it never reaches the history or a log.',
      source: 'umpin',
    },
  ],
  async run(ctx, params) {
    const secret = params.AsSecureString === true || params.MaskInput === true;
    const prompt = params.Prompt === undefined ? '' : `${String(params.Prompt)}: `;
    const line = ctx.host.readLine ? await ctx.host.readLine(prompt, secret) : null;
    if (line === null)
      throw runtimeError('Read-Host has no input: run the script at a terminal, or pipe the answers in');
    return [params.AsSecureString ? SecureString.holding(line) : line];
  },
};
