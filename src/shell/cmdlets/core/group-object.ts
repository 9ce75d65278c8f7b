import type { BuiltinDefinition } from '../../builtin.js';
import { getProperty, psObject } from '../../ps-object.js';
import { ScriptBlock, toText } from '../../values.js';

/** Group-Object: one GroupInfo (Count, Name, Group) per distinct value, in order of first appearance. */
export const GROUP_OBJECT: BuiltinDefinition = {
  name: 'Group-Object',
  aliases: ['group'],
  synopsis: 'Groups objects that share property values.',
  description:
    'Puts the piped objects into groups by one or more properties (or a script block), case-insensitively; each group has Count, Name and Group. -NoElement leaves Group out.',
  parameters: [
    { name: 'Property', type: 'object', position: 0, help: 'The property names, or a script block.' },
    { name: 'NoElement', type: 'switch', help: 'Leaves out the objects of each group.' },
    { name: 'CaseSensitive', type: 'switch', help: 'Tells apart values that differ only in case.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects to group.' },
  ],
  ignoredParameters: [],
  outputs: [{ typeName: 'GroupInfo', view: { kind: 'table', properties: ['Count', 'Name', 'Group'] } }],
  examples: [
    {
      code: 'Get-UMMailbox | Group-Object UMMailboxPolicy',
      description: 'How many UM mailboxes each policy has.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    const items = input ?? (params.InputObject === undefined ? [] : [params.InputObject]);
    const property = params.Property;
    const keys = Array.isArray(property) ? property : property === undefined ? [] : [property];
    const groups = new Map<string, { name: string; group: unknown[] }>();
    for (const item of items) {
      const values: unknown[] = [];
      for (const k of keys) {
        if (k instanceof ScriptBlock) values.push(...(await ctx.invoke(k, item)));
        else values.push(getProperty(item, toText(k)));
      }
      const name = keys.length === 0 ? toText(item) : values.map(toText).join(', ');
      const key = params.CaseSensitive ? name : name.toLowerCase();
      const g = groups.get(key) ?? { name, group: [] };
      g.group.push(item);
      groups.set(key, g);
    }
    return [...groups.values()].map((g) =>
      psObject(
        'GroupInfo',
        params.NoElement
          ? { Count: g.group.length, Name: g.name }
          : { Count: g.group.length, Name: g.name, Group: g.group },
      ),
    );
  },
};
