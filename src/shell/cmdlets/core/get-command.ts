import type { BuiltinDefinition } from '../../builtin.js';
import { psObject } from '../../ps-object.js';
import { wildcardToRegExp } from '../../values.js';

export const GET_COMMAND: BuiltinDefinition = {
  name: 'Get-Command',
  aliases: ['gcm'],
  synopsis: "Lists the cmdlets umpin's shell runs.",
  description: 'Lists the cmdlets, optionally those whose name matches a wildcard pattern or whose noun is given.',
  parameters: [
    { name: 'Name', type: 'string', position: 0, help: 'A name or wildcard pattern.' },
    { name: 'Noun', type: 'string', help: 'Only cmdlets with this noun (wildcards allowed).' },
    { name: 'Verb', type: 'string', help: 'Only cmdlets with this verb (wildcards allowed).' },
  ],
  ignoredParameters: [{ name: 'Module', type: 'string', reason: 'umpin has one set of cmdlets' }],
  outputs: [{ typeName: 'CmdletInfo', view: { kind: 'table', properties: ['CommandType', 'Name', 'Synopsis'] } }],
  examples: [{ code: 'Get-Command *UM*', description: 'The UM cmdlets.', source: 'umpin' }],
  async run(ctx, params) {
    const name = params.Name ? wildcardToRegExp(params.Name as string, false) : null;
    const noun = params.Noun ? wildcardToRegExp(params.Noun as string, false) : null;
    const verb = params.Verb ? wildcardToRegExp(params.Verb as string, false) : null;
    return ctx.commands
      .filter((c) => {
        const [v = '', n = ''] = c.definition.name.split('-');
        return (!name || name.test(c.definition.name)) && (!noun || noun.test(n)) && (!verb || verb.test(v));
      })
      .map((c) =>
        psObject('CmdletInfo', {
          CommandType: 'Cmdlet',
          Name: c.definition.name,
          Synopsis: c.definition.synopsis,
          Source: c.kind === 'exchange' ? 'Exchange' : 'Shell',
        }),
      );
  },
};
