/** ConvertTo-Json and ConvertFrom-Json, for reports and for settings kept in files. */
import { UmpinError } from '../../../domain/errors.js';
import type { BuiltinDefinition } from '../../builtin.js';
import { isPlainObject, psObject } from '../../ps-object.js';
import { ArgNumber, Hashtable, ScriptBlock, SecureString, toText } from '../../values.js';

function toJsonValue(v: unknown, depth: number): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof ArgNumber) return v.value;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : toText(v);
  if (v instanceof Date) return v.toISOString();
  if (v instanceof SecureString) return { Length: v.length };
  if (v instanceof ScriptBlock) return v.toString();
  if (depth < 0) return toText(v);
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, depth - 1));
  if (v instanceof Hashtable) return Object.fromEntries(v.keys().map((k) => [k, toJsonValue(v.get(k), depth - 1)]));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x, depth - 1)]));
  return toText(v);
}

export const CONVERT_TO_JSON: BuiltinDefinition = {
  name: 'ConvertTo-Json',
  synopsis: 'Turns objects into JSON text.',
  description:
    'Writes the piped objects (one object, or an array of them) as JSON, two levels deep unless -Depth says otherwise; dates as ISO 8601 text.',
  parameters: [
    { name: 'InputObject', type: 'object', position: 0, pipeline: { byValue: true }, help: 'What to convert.' },
    { name: 'Depth', type: 'int', help: 'How many levels of nested objects to write (default 2, at most 100).' },
    { name: 'Compress', type: 'switch', help: 'Writes one line without spaces.' },
    { name: 'AsArray', type: 'switch', help: 'Writes an array even for one object.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: 'Get-UMMailboxPIN tonysmith | ConvertTo-Json',
      description: "tonysmith's PIN status as JSON (never the PIN).",
      source: 'umpin',
    },
  ],
  async run(_ctx, params, input) {
    const items = input ?? (params.InputObject === undefined ? [] : [params.InputObject]);
    const depth = Math.min(100, Math.max(0, (params.Depth as number | undefined) ?? 2));
    const value =
      items.length === 1 && !params.AsArray ? toJsonValue(items[0], depth) : items.map((x) => toJsonValue(x, depth));
    return [JSON.stringify(value, null, params.Compress ? undefined : 2)];
  },
};

function fromJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = fromJson(x);
    return psObject('System.Management.Automation.PSCustomObject', o);
  }
  return v;
}

export const CONVERT_FROM_JSON: BuiltinDefinition = {
  name: 'ConvertFrom-Json',
  synopsis: 'Reads JSON text into objects.',
  description:
    'Parses JSON (piped lines are joined first, so `Get-Content settings.json | ConvertFrom-Json` works); objects get their properties, an array sends each element down the pipeline.',
  parameters: [
    { name: 'InputObject', type: 'object', position: 0, pipeline: { byValue: true }, help: 'The JSON text.' },
    { name: 'AsHashtable', type: 'switch', help: 'Returns hashtables instead of objects.' },
  ],
  ignoredParameters: [],
  examples: [
    {
      code: '$settings = Get-Content settings.json | ConvertFrom-Json',
      description: "Reads a script's settings from a JSON file.",
      source: 'umpin',
      setup: `Set-Content settings.json '{ "Policy": "Contoso Default Policy" }'`,
    },
  ],
  async run(_ctx, params, input) {
    const text = (input ?? [params.InputObject]).map(toText).join('\n');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new UmpinError({
        code: 'UMPIN_SHELL_ARGUMENT_INVALID',
        field: 'InputObject',
        params: {
          cmdlet: 'ConvertFrom-Json',
          field: 'InputObject',
          rule: `it is not valid JSON (${(err as Error).message.slice(0, 120)})`,
        },
      });
    }
    const toHash = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(toHash);
      if (v !== null && typeof v === 'object') {
        const h = new Hashtable();
        for (const [k, x] of Object.entries(v)) h.set(k, toHash(x));
        return h;
      }
      return v;
    };
    const value = params.AsHashtable ? toHash(parsed) : fromJson(parsed);
    return Array.isArray(value) ? value : [value];
  },
};
