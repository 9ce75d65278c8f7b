/**
 * PowerShell's output formatting, in the shape Exchange administrators read every day:
 * a table with dashed headers, or "Name : value" lists. Objects of a known type use their
 * cmdlet's default view; others show as a table with up to four properties, else a list.
 */
import type { View } from './cmdlet.js';
import { isPlainObject, typeNameOf, type PSObject } from './ps-object.js';
import { toDisplay, toText } from './values.js';

/** Text already formatted by Format-Table / Format-List: printed as it is. */
export class FormattedText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type ViewLookup = (typeName: string | undefined) => View | undefined;

function cell(value: unknown): string {
  return toDisplay(value).replace(/\r?\n/g, ' ');
}

export function propertiesOf(items: readonly PSObject[], view: View | undefined, wanted?: readonly string[]): string[] {
  if (wanted && wanted.length > 0 && !(wanted.length === 1 && wanted[0] === '*')) return [...wanted];
  if (view && !(wanted?.[0] === '*')) return [...view.properties];
  const names: string[] = [];
  for (const o of items)
    for (const k of Object.keys(o)) if (!names.some((n) => n.toLowerCase() === k.toLowerCase())) names.push(k);
  return names;
}

function value(o: PSObject, name: string): unknown {
  const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : o[key];
}

export interface TableOptions {
  /** the terminal's width: columns are cut to fit (PowerShell's default); undefined: never cut */
  width?: number;
  hideHeaders?: boolean;
}

export function formatTable(
  items: readonly PSObject[],
  properties: readonly string[],
  opts: TableOptions = {},
): string {
  const rows = items.map((o) => properties.map((p) => cell(value(o, p))));
  const widths = properties.map((p, i) => Math.max(p.length, ...rows.map((r) => r[i]!.length)));
  if (opts.width !== undefined) {
    // shrink the widest columns until the table fits, keeping at least the header
    let total = widths.reduce((a, b) => a + b, 0) + widths.length - 1;
    const least = properties.map((p) => Math.min(p.length, 12));
    while (total > opts.width - 1) {
      let i = -1;
      for (let k = 0; k < widths.length; k++) if (widths[k]! > least[k]! && (i < 0 || widths[k]! > widths[i]!)) i = k;
      if (i < 0) break;
      widths[i]!--;
      total--;
    }
  }
  const fit = (text: string, w: number) => (text.length > w ? `${text.slice(0, Math.max(0, w - 1))}…` : text.padEnd(w));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => fit(c, widths[i]!))
      .join(' ')
      .trimEnd();
  const out: string[] = [''];
  if (!opts.hideHeaders) {
    out.push(line([...properties]));
    out.push(line(properties.map((p, i) => '-'.repeat(Math.min(p.length, widths[i]!)))));
  }
  for (const r of rows) out.push(line(r));
  out.push('');
  return out.join('\n');
}

export function formatList(
  items: readonly PSObject[],
  properties: readonly string[] | ((o: PSObject) => string[]),
): string {
  const out: string[] = [''];
  for (const o of items) {
    const names = typeof properties === 'function' ? properties(o) : properties;
    const w = Math.max(0, ...names.map((n) => n.length));
    for (const n of names) out.push(`${n.padEnd(w)} : ${cell(value(o, n))}`);
    out.push('');
  }
  return out.join('\n');
}

/**
 * Out-Default: prints what a statement produced. Runs of objects of one type share one
 * table; scalars print one per line.
 */
export function formatOutput(items: readonly unknown[], views: ViewLookup, opts: TableOptions = {}): string {
  const chunks: string[] = [];
  let i = 0;
  while (i < items.length) {
    const first = items[i];
    if (first instanceof FormattedText) {
      chunks.push(first.text);
      i++;
      continue;
    }
    if (!isPlainObject(first)) {
      chunks.push(toText(first));
      i++;
      continue;
    }
    const type = typeNameOf(first);
    const keys = Object.keys(first).join('\u0000');
    let j = i + 1;
    while (
      j < items.length &&
      isPlainObject(items[j]) &&
      typeNameOf(items[j]) === type &&
      (type !== undefined || Object.keys(items[j] as object).join('\u0000') === keys)
    )
      j++;
    const run = items.slice(i, j) as PSObject[];
    const view = views(type);
    const props = propertiesOf(run, view);
    const asList = view ? view.kind === 'list' : props.length > 4;
    chunks.push(asList ? formatList(run, props) : formatTable(run, props, opts));
    i = j;
  }
  return chunks.join('\n');
}
