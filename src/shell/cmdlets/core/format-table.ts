import type { BuiltinDefinition } from '../../builtin.js';
import { FormattedText, formatOutput, formatTable, propertiesOf } from '../../format.js';
import { isPlainObject, psObject, typeNameOf, type PSObject } from '../../ps-object.js';
import { columns } from './select-object.js';

/** Turns the selected columns of each object into plain rows, for Format-Table and Format-List. */
export async function rows(
  ctx: Parameters<BuiltinDefinition['run']>[0],
  spec: unknown,
  items: unknown[],
): Promise<{ objects: PSObject[]; names: string[] | null }> {
  const list = spec === undefined || spec === null ? [] : Array.isArray(spec) ? spec : [spec];
  if (list.length === 0) return { objects: items.filter(isPlainObject) as PSObject[], names: null };
  const cols = await columns(ctx, list, items);
  const objects: PSObject[] = [];
  for (const item of items) {
    const props: Record<string, unknown> = {};
    for (const c of cols) props[c.name] = await c.get(item);
    objects.push(psObject(typeNameOf(item) ?? 'Object', props));
  }
  return { objects, names: cols.map((c) => c.name) };
}

export const FORMAT_TABLE: BuiltinDefinition = {
  name: 'Format-Table',
  aliases: ['ft'],
  synopsis: 'Shows objects as a table.',
  description:
    "Shows the piped objects as a table of the given properties (default: the type's default view). -AutoSize is accepted; columns always fit their content unless the terminal is too narrow.",
  parameters: [
    {
      name: 'Property',
      type: 'object',
      position: 0,
      help: 'The columns: property names, wildcards or calculated properties.',
    },
    { name: 'AutoSize', type: 'switch', help: 'Sizes columns to their content (always done).' },
    { name: 'HideTableHeaders', type: 'switch', help: 'Omits the column headings.' },
    { name: 'Wrap', type: 'switch', help: "Shows long values whole instead of cutting them at the terminal's width." },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects to show.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Get-UMMailboxPIN | Format-Table UserID,LockedOut -AutoSize',
      description: 'Who is locked out, as a two-column table.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    const items = input ?? (params.InputObject !== undefined ? [params.InputObject] : []);
    const { objects, names } = await rows(ctx, params.Property, items);
    const scalars = items.filter((i) => !isPlainObject(i));
    const width = params.Wrap ? undefined : ctx.host.width;
    const text = names
      ? formatTable(objects, names, { width, hideHeaders: params.HideTableHeaders === true })
      : objects.length > 0
        ? formatTable(objects, propertiesOf(objects, ctx.view(typeNameOf(objects[0]))), {
            width,
            hideHeaders: params.HideTableHeaders === true,
          })
        : '';
    return [new FormattedText(text + (scalars.length ? formatOutput(scalars, () => undefined) : ''))];
  },
};
