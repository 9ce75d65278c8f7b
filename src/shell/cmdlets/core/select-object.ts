import { UmpinError } from '../../../domain/errors.js';
import type { BuiltinDefinition } from '../../builtin.js';
import { getProperty, isPlainObject, psObject, propertyName, typeNameOf, type PSObject } from '../../ps-object.js';
import { Hashtable, ScriptBlock, toText } from '../../values.js';
import type { BuiltinContext } from '../../builtin.js';
import { propertiesOf } from '../../format.js';

type Column = { name: string; get: (item: unknown) => Promise<unknown> };

/** Property names (wildcards allowed) and calculated properties @{Name=...; Expression={...}}. */
export async function columns(ctx: BuiltinContext, spec: unknown[], sample: readonly unknown[]): Promise<Column[]> {
  const cols: Column[] = [];
  for (const s of spec) {
    if (s instanceof Hashtable) {
      const name = s.get('Name') ?? s.get('Label') ?? s.get('N') ?? s.get('L');
      const expr = s.get('Expression') ?? s.get('E');
      if (name === undefined || expr === undefined) {
        throw new UmpinError({
          code: 'UMPIN_SHELL_ARGUMENT_INVALID',
          field: 'Property',
          params: {
            cmdlet: 'Select-Object',
            field: 'Property',
            rule: 'a calculated property needs Name and Expression, e.g. @{Name="Locked"; Expression={$_.LockedOut}}',
          },
        });
      }
      cols.push({
        name: toText(name),
        get: async (item) =>
          expr instanceof ScriptBlock
            ? ((r) => (r.length === 1 ? r[0] : r.length === 0 ? null : r))(await ctx.invoke(expr, item))
            : getProperty(item, toText(expr)),
      });
      continue;
    }
    const text = toText(s);
    if (/[*?]/.test(text)) {
      const re = new RegExp(
        '^' +
          text
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.') +
          '$',
        'i',
      );
      const names = propertiesOf(sample.filter(isPlainObject) as PSObject[], undefined, ['*']);
      for (const n of names.filter((n) => re.test(n)))
        cols.push({ name: n, get: async (item) => getProperty(item, n) });
      continue;
    }
    const display = sample.find(isPlainObject);
    const spelled = display ? (propertyName(display, text) ?? text) : text;
    cols.push({ name: spelled, get: async (item) => getProperty(item, text) ?? null });
  }
  return cols;
}

export const SELECT_OBJECT: BuiltinDefinition = {
  name: 'Select-Object',
  aliases: ['select'],
  synopsis: 'Picks properties of objects, or some of the objects.',
  description:
    'Outputs new objects with only the named properties (wildcards and calculated properties allowed), or the first/last objects, or the values of one property with -ExpandProperty.',
  parameters: [
    {
      name: 'Property',
      type: 'object',
      position: 0,
      help: 'Property names, wildcards, or @{Name=...; Expression={...}}.',
    },
    { name: 'ExpandProperty', type: 'string', help: 'Outputs the values of this property instead of objects.' },
    { name: 'First', type: 'int', help: 'Keeps the first N objects.' },
    { name: 'Last', type: 'int', help: 'Keeps the last N objects.' },
    { name: 'Skip', type: 'int', help: 'Skips the first N objects.' },
    { name: 'Unique', type: 'switch', help: 'Drops repeated objects.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects to select from.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Get-UMMailbox | Select-Object Name,Extensions -First 5',
      description: 'The names and extensions of five UM mailboxes.',
      source: 'umpin',
    },
  ],
  async run(ctx, params, input) {
    let items = input ?? (params.InputObject !== undefined ? [params.InputObject] : []);
    if (params.Skip !== undefined) items = items.slice(Math.max(0, params.Skip as number));
    if (params.First !== undefined) items = items.slice(0, Math.max(0, params.First as number));
    if (params.Last !== undefined) items = (params.Last as number) <= 0 ? [] : items.slice(-(params.Last as number));
    const spec =
      params.Property === undefined || params.Property === null
        ? []
        : Array.isArray(params.Property)
          ? params.Property
          : [params.Property];
    let out: unknown[] = items;
    if (spec.length > 0) {
      const cols = await columns(ctx, spec, items);
      out = [];
      for (const item of items) {
        const props: Record<string, unknown> = {};
        for (const c of cols) props[c.name] = await c.get(item);
        out.push(psObject(`Selected.${typeNameOf(item) ?? 'Object'}`, props));
      }
    }
    if (params.ExpandProperty) {
      const name = params.ExpandProperty as string;
      const expanded: unknown[] = [];
      for (const item of out) {
        const v = getProperty(item, name);
        if (v === undefined)
          throw new UmpinError({
            code: 'UMPIN_SHELL_ARGUMENT_INVALID',
            field: 'ExpandProperty',
            params: { cmdlet: 'Select-Object', field: 'ExpandProperty', rule: `the object has no property '${name}'` },
          });
        expanded.push(...(Array.isArray(v) ? v : [v]));
      }
      out = expanded;
    }
    if (params.Unique) {
      const seen = new Set<string>();
      out = out.filter((o) => {
        const key = isPlainObject(o) ? JSON.stringify(o) : `${typeof o}:${toText(o)}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    return out;
  },
};
