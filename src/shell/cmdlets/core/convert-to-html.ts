import type { BuiltinDefinition } from '../../builtin.js';
import { propertiesOf } from '../../format.js';
import { getProperty, isPlainObject, type PSObject } from '../../ps-object.js';
import { toDisplay, toText } from '../../values.js';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** ConvertTo-Html: a report as an HTML page (or -Fragment, a table), every value escaped, for mail. */
export const CONVERT_TO_HTML: BuiltinDefinition = {
  name: 'ConvertTo-Html',
  synopsis: 'Turns objects into an HTML table, for mailed reports.',
  description:
    'Writes the piped objects as an HTML page holding one table (one column per property, or -Property), or with -Fragment the table alone. Every value is HTML-escaped. Returns lines of text: pipe them to Out-File or Set-Content.',
  parameters: [
    { name: 'Property', type: 'string[]', position: 0, help: 'The columns; every property by default.' },
    { name: 'Title', type: 'string', help: 'The page title.' },
    { name: 'PreContent', type: 'string[]', help: 'HTML before the table (not escaped).' },
    { name: 'PostContent', type: 'string[]', help: 'HTML after the table (not escaped).' },
    { name: 'Fragment', type: 'switch', help: 'Only the table, to put in a page of your own.' },
    { name: 'As', type: 'string', help: 'Table (default) or List.' },
    { name: 'InputObject', type: 'object', pipeline: { byValue: true }, help: 'The objects.' },
  ],
  ignoredParameters: [{ name: 'CssUri', type: 'string', reason: 'the report carries no style sheet link' }],
  examples: [
    {
      code: 'Get-UMMailboxPIN | Where-Object LockedOut | ConvertTo-Html -Title "Locked out" | Out-File locked.html',
      description: 'Writes an HTML report of the locked-out mailboxes.',
      source: 'umpin',
    },
  ],
  async run(_ctx, params, input) {
    const items = input ?? (params.InputObject === undefined ? [] : [params.InputObject]);
    const objects = items.filter(isPlainObject) as PSObject[];
    const names = (params.Property as string[] | undefined) ?? propertiesOf(objects.slice(0, 1), undefined);
    const cell = (o: unknown, n: string) => escapeHtml(isPlainObject(o) ? toDisplay(getProperty(o, n)) : toText(o));
    const table: string[] = ['<table>'];
    if (String(params.As ?? 'Table').toLowerCase() === 'list') {
      for (const o of items) {
        for (const n of names) table.push(`<tr><td>${escapeHtml(n)}:</td><td>${cell(o, n)}</td></tr>`);
        table.push('<tr><td><hr></td></tr>');
      }
    } else if (objects.length === 0) {
      table.push('<tr><th>*</th></tr>', ...items.map((o) => `<tr><td>${escapeHtml(toText(o))}</td></tr>`));
    } else {
      table.push(`<colgroup>${names.map(() => '<col/>').join('')}</colgroup>`);
      table.push(`<tr>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`);
      for (const o of items) table.push(`<tr>${names.map((n) => `<td>${cell(o, n)}</td>`).join('')}</tr>`);
    }
    table.push('</table>');
    const pre = (params.PreContent as string[] | undefined) ?? [];
    const post = (params.PostContent as string[] | undefined) ?? [];
    if (params.Fragment) return [...pre, ...table, ...post];
    return [
      '<!DOCTYPE html>',
      '<html>',
      '<head>',
      '<meta charset="utf-8">',
      `<title>${escapeHtml(String(params.Title ?? 'HTML TABLE'))}</title>`,
      '</head><body>',
      ...pre,
      ...table,
      ...post,
      '</body></html>',
    ];
  },
};
