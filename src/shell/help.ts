/**
 * Get-Help text, generated from the cmdlet definitions so it cannot drift from what the
 * binder accepts: syntax, description, parameters (umpin additions marked), the
 * parameters accepted only for compatibility, and examples.
 */
import type { ShellCommand } from './builtin.js';
import type { ParameterSpec, ParameterType } from './cmdlet.js';

const TYPE_TEXT: Record<ParameterType, string> = {
  string: '<String>',
  'string[]': '<String[]>',
  multivalued: '<MultiValuedProperty>',
  identity: '<IdParameter>',
  bool: '<Boolean>',
  switch: '',
  int: '<Int32>',
  unlimited: '<Unlimited>',
  datetime: '<DateTime>',
  scriptblock: '<ScriptBlock>',
  object: '<Object>',
};

function syntaxOf(p: ParameterSpec): string {
  const type = TYPE_TEXT[p.type];
  const name = p.position !== undefined ? `[-${p.name}]` : `-${p.name}`;
  const body = type ? `${name} ${type}` : name;
  return p.mandatory ? body : `[${body}]`;
}

export function syntax(cmd: ShellCommand): string {
  const d = cmd.definition;
  const parts = [d.name, ...d.parameters.filter((p) => p.name !== 'InputObject').map(syntaxOf)];
  if (d.confirmImpact) parts.push('[-WhatIf]', '[-Confirm]');
  parts.push('[<CommonParameters>]');
  return parts.join(' ');
}

function wrap(text: string, indent: string, width = 88): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && `${indent + line} ${w}`.length > width) {
      lines.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

export type HelpDetail = 'normal' | 'detailed' | 'full' | 'examples';

export function helpText(cmd: ShellCommand, detail: HelpDetail = 'normal', parameter?: string): string {
  const d = cmd.definition;
  const out: string[] = [];
  if (parameter) {
    const wanted = parameter.toLowerCase();
    const params = d.parameters.filter(
      (p) =>
        p.name.toLowerCase().startsWith(wanted) ||
        (wanted.includes('*') && new RegExp(`^${wanted.replace(/\*/g, '.*')}$`, 'i').test(p.name)),
    );
    const ignored = d.ignoredParameters.filter((p) => p.name.toLowerCase().startsWith(wanted));
    for (const p of params) out.push(parameterBlock(p));
    for (const p of ignored)
      out.push(
        `-${p.name} ${TYPE_TEXT[p.type]}\n${wrap(`Accepted for compatibility with Exchange scripts and ignored (${p.reason}).`, '    ')}`,
      );
    if (out.length === 0) out.push(`${d.name} has no parameter matching '${parameter}'.`);
    return `${out.join('\n\n')}\n`;
  }
  if (detail !== 'examples') {
    out.push(
      'NAME',
      `    ${d.name}`,
      '',
      'SYNOPSIS',
      wrap(d.synopsis, '    '),
      '',
      'SYNTAX',
      wrap(syntax(cmd), '    '),
      '',
      'DESCRIPTION',
      wrap(d.description, '    '),
    );
    if (d.aliases?.length) out.push('', 'ALIASES', `    ${d.aliases.join(', ')}`);
  }
  if (detail === 'detailed' || detail === 'full') {
    out.push('', 'PARAMETERS');
    for (const p of d.parameters) out.push(parameterBlock(p, '    '), '');
    if (d.confirmImpact)
      out.push(
        '    -WhatIf\n        Shows what the command would change, and changes nothing.',
        '',
        `    -Confirm\n        ${d.confirmImpact === 'high' ? 'Asks before each change unless -Confirm:$false is given.' : 'Asks before each change.'}`,
        '',
      );
    if (d.ignoredParameters.length) {
      out.push('    Accepted for compatibility and ignored (each use prints a warning):');
      for (const p of d.ignoredParameters) out.push(`        -${p.name}  (${p.reason})`);
    }
  } else if (detail === 'normal' && d.ignoredParameters.length) {
    out.push(
      '',
      'REMARKS',
      wrap(
        `${d.ignoredParameters.length} more parameters that Exchange documents are accepted and ignored with a warning. For details, type "Get-Help ${d.name} -Detailed"; for examples, "Get-Help ${d.name} -Examples".`,
        '    ',
      ),
    );
  }
  if (detail !== 'normal' || d.examples.length <= 3) {
    if (d.examples.length) out.push('', 'EXAMPLES');
    d.examples.forEach((e, i) => {
      out.push(
        `    -------------------------- Example ${i + 1} --------------------------`,
        '',
        `    ${e.code}`,
        '',
        wrap(e.description, '    '),
        '',
      );
    });
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function parameterBlock(p: ParameterSpec, indent = ''): string {
  const lines = [
    `${indent}-${p.name} ${TYPE_TEXT[p.type]}`.trimEnd(),
    wrap(p.help + (p.umpinAddition ? ' (umpin addition: Exchange has no such parameter.)' : ''), `${indent}    `),
  ];
  const facts = [
    `Required? ${p.mandatory ? 'true' : 'false'}`,
    `Position? ${p.position !== undefined ? p.position + 1 : 'named'}`,
    `Accept pipeline input? ${p.pipeline?.byValue && p.pipeline.byPropertyName ? 'True (ByValue, ByPropertyName)' : p.pipeline?.byValue ? 'True (ByValue)' : p.pipeline?.byPropertyName ? 'True (ByPropertyName)' : 'False'}`,
  ];
  if (p.aliases?.length) facts.push(`Aliases: ${p.aliases.join(', ')}`);
  return [...lines, ...facts.map((f) => `${indent}    ${f}`)].join('\n');
}
