import type { BuiltinDefinition } from '../../builtin.js';
import { getProperty, psObject } from '../../ps-object.js';
import { toText } from '../../values.js';

/** Compare-Object: what is only in one list (<= or =>), and with -IncludeEqual what both hold (==). */
export const COMPARE_OBJECT: BuiltinDefinition = {
  name: 'Compare-Object',
  aliases: ['compare', 'diff'],
  synopsis: 'Compares two lists.',
  description:
    'Lists the objects found in only one of the two lists: SideIndicator <= for the reference list, => for the difference list; compares case-insensitively, by -Property when given.',
  parameters: [
    { name: 'ReferenceObject', type: 'object', position: 0, mandatory: true, help: 'The first list.' },
    {
      name: 'DifferenceObject',
      type: 'object',
      position: 1,
      mandatory: true,
      pipeline: { byValue: true },
      help: 'The second list.',
    },
    { name: 'Property', type: 'string[]', help: 'The properties to compare.' },
    { name: 'IncludeEqual', type: 'switch', help: 'Also lists what both hold.' },
    { name: 'ExcludeDifferent', type: 'switch', help: 'Leaves out what only one holds.' },
    { name: 'PassThru', type: 'switch', help: 'Returns the objects themselves.' },
    { name: 'CaseSensitive', type: 'switch', help: 'Tells apart values that differ only in case.' },
  ],
  ignoredParameters: [],
  outputs: [{ typeName: 'CompareObjectResult', view: { kind: 'table', properties: ['InputObject', 'SideIndicator'] } }],
  examples: [
    {
      code: 'Compare-Object (Get-Content before.txt) (Get-Content after.txt)',
      description: 'Which lines differ between two files.',
      source: 'umpin',
      setup: 'Set-Content before.txt tonysmith, kimakers; Set-Content after.txt kimakers, weichen',
    },
  ],
  async run(_ctx, params, input) {
    const list = (v: unknown) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);
    const reference = list(params.ReferenceObject);
    const difference = input ?? list(params.DifferenceObject);
    const props = params.Property as string[] | undefined;
    const key = (o: unknown) => {
      const k = props ? props.map((p) => toText(getProperty(o, p))).join('\u0000') : toText(o);
      return params.CaseSensitive ? k : k.toLowerCase();
    };
    const result = (o: unknown, side: string) => {
      if (params.PassThru) return o;
      const shown = props ? Object.fromEntries(props.map((p) => [p, getProperty(o, p) ?? null])) : { InputObject: o };
      return psObject('CompareObjectResult', { ...shown, SideIndicator: side });
    };
    const remaining = difference.map((o) => ({ o, k: key(o), used: false }));
    const out: unknown[] = [];
    const onlyLeft: unknown[] = [];
    for (const r of reference) {
      const k = key(r);
      const match = remaining.find((d) => !d.used && d.k === k);
      if (match) {
        match.used = true;
        if (params.IncludeEqual) out.push(result(r, '=='));
      } else onlyLeft.push(r);
    }
    if (!params.ExcludeDifferent) {
      for (const d of remaining) if (!d.used) out.push(result(d.o, '=>'));
      for (const r of onlyLeft) out.push(result(r, '<='));
    }
    return out;
  },
};
