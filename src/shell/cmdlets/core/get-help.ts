import { UmpinError } from '../../../domain/errors.js';
import { closest } from '../../binder.js';
import type { BuiltinDefinition } from '../../builtin.js';
import { FormattedText } from '../../format.js';
import { helpText, type HelpDetail } from '../../help.js';
import { ABOUT_UMPIN_LANGUAGE } from '../../language-help.js';
import { wildcardToRegExp } from '../../values.js';

export const GET_HELP: BuiltinDefinition = {
  name: 'Get-Help',
  aliases: ['help', 'man'],
  synopsis: 'Shows how to use a cmdlet: syntax, parameters and examples.',
  description:
    'Shows the help of a cmdlet. Without a name, lists every cmdlet. -Examples shows only the examples, -Detailed adds every parameter, -Parameter shows one parameter. `<cmdlet> -?` is the same as Get-Help <cmdlet>.',
  parameters: [
    {
      name: 'Name',
      type: 'string',
      position: 0,
      help: 'The cmdlet (wildcards list matching cmdlets), or about_umpin_language for the script language.',
    },
    { name: 'Examples', type: 'switch', help: 'Shows only the examples.' },
    { name: 'Detailed', type: 'switch', help: 'Adds the parameters.' },
    { name: 'Full', type: 'switch', help: 'Everything.' },
    { name: 'Parameter', type: 'string', help: 'Shows one parameter.' },
  ],
  ignoredParameters: [{ name: 'Online', type: 'switch', reason: "umpin's help is built in" }],
  examples: [
    {
      code: 'Get-Help Set-UMMailboxPIN -Examples',
      description: 'Examples of resetting, locking and unlocking PINs.',
      source: 'umpin',
    },
    { code: 'Get-Help *UMMailbox*', description: 'Lists the cmdlets about UM mailboxes.', source: 'umpin' },
  ],
  async run(ctx, params) {
    const name = params.Name as string | undefined;
    const commands = ctx.commands;
    const list = (cmds: typeof commands) =>
      new FormattedText(
        '\n' +
          cmds.map((c) => `${c.definition.name.padEnd(34)} ${c.definition.synopsis}`).join('\n') +
          '\n\nType "Get-Help <cmdlet>" for details, "Get-Help <cmdlet> -Examples" for examples.\n',
      );
    if (!name) return [list(commands)];
    const lower = name.toLowerCase();
    if (lower === 'about_umpin_language') return [new FormattedText(ABOUT_UMPIN_LANGUAGE)];
    const exact = commands.find((c) =>
      [c.definition.name, ...(c.definition.aliases ?? [])].some((n) => n.toLowerCase() === lower),
    );
    if (!exact) {
      const re = wildcardToRegExp(/[*?]/.test(name) ? name : `*${name}*`, false);
      const matches = commands.filter((c) => re.test(c.definition.name));
      if (matches.length > 0) return [list(matches)];
      throw new UmpinError({
        code: 'UMPIN_SHELL_UNKNOWN_COMMAND',
        field: 'Name',
        params: {
          name,
          suggestion: closest(
            name,
            commands.map((c) => c.definition.name),
          ),
        },
      });
    }
    const detail: HelpDetail = params.Examples
      ? 'examples'
      : params.Full
        ? 'full'
        : params.Detailed
          ? 'detailed'
          : 'normal';
    return [new FormattedText(helpText(exact, detail, params.Parameter as string | undefined))];
  },
};
