/**
 * Source text for a syntax tree, in one canonical spelling that `parse` reads back as the
 * same tree (positions aside): for showing a statement, and for the parser's round-trip
 * tests. Script blocks keep their source text as typed.
 */
import type {
  CmdletBinding,
  CommandArgument,
  Expression,
  ParamDeclaration,
  Pipeline,
  PipelineElement,
  Script,
  Statement,
  Validation,
} from './ast.js';
import { isDash, isDigit, isDoubleQuote, isQuote, isSingleQuote, isWordEnd, scanNumber } from './lexer.js';

export function printScript(script: Script): string {
  return [...printParams(script.params, script.binding), ...script.statements.map(printStatement)].join('\n');
}

function printParams(params: readonly ParamDeclaration[], binding: CmdletBinding | undefined): string[] {
  const head = binding
    ? `[CmdletBinding(${[...(binding.shouldProcess ? ['SupportsShouldProcess'] : []), ...(binding.confirmImpact !== 'medium' ? [`ConfirmImpact = '${binding.confirmImpact}'`] : [])].join(', ')})] `
    : '';
  return params.length > 0 || binding ? [`${head}param(${params.map(printParam).join(', ')})`] : [];
}

function printParam(p: ParamDeclaration): string {
  const checks = (p.validations ?? []).map((v) => `${printValidation(v)} `).join('');
  const attributes = `${p.mandatory ? '[Parameter(Mandatory)] ' : ''}${checks}${p.type ? `[${p.type}] ` : ''}`;
  return `${attributes}${printVariable(p.name)}${p.defaultValue ? ` = ${printExpression(p.defaultValue)}` : ''}`;
}

function printValidation(v: Validation): string {
  switch (v.kind) {
    case 'set':
      return `[ValidateSet(${v.values.map(quoteSingle).join(', ')})]`;
    case 'pattern':
      return `[ValidatePattern(${quoteSingle(v.pattern)})]`;
    case 'range':
      return `[ValidateRange(${v.min}, ${v.max})]`;
    case 'notnullorempty':
      return '[ValidateNotNullOrEmpty()]';
  }
}

/** `:outer ` before a labelled loop */
function printLabel(statement: { label?: string }): string {
  return statement.label === undefined ? '' : `:${statement.label} `;
}

function printBlock(body: readonly Statement[]): string {
  return body.length === 0 ? '{ }' : `{ ${body.map(printStatement).join('; ')} }`;
}

export function printStatement(statement: Statement): string {
  switch (statement.kind) {
    case 'assignment': {
      const value =
        statement.value.kind === 'pipeline' ? printPipeline(statement.value) : printStatement(statement.value);
      return `${statement.type ? `[${statement.type}]` : ''}${printExpression(statement.target)} ${statement.operator} ${value}`;
    }
    case 'foreach':
      return `${printLabel(statement)}foreach (${printVariable(statement.variable)} in ${printPipeline(statement.collection)}) ${printBlock(statement.body)}`;
    case 'pipeline':
      return printPipeline(statement);
    case 'if': {
      const clauses = statement.clauses.map(
        (c, i) => `${i === 0 ? 'if' : 'elseif'} (${printPipeline(c.condition)}) ${printBlock(c.body)}`,
      );
      return [...clauses, ...(statement.elseBody ? [`else ${printBlock(statement.elseBody)}`] : [])].join(' ');
    }
    case 'while':
      return `${printLabel(statement)}while (${printPipeline(statement.condition)}) ${printBlock(statement.body)}`;
    case 'do':
      return `${printLabel(statement)}do ${printBlock(statement.body)} ${statement.until ? 'until' : 'while'} (${printPipeline(statement.condition)})`;
    case 'for':
      return `${printLabel(statement)}for (${statement.init ? printStatement(statement.init) : ''}; ${statement.condition ? printPipeline(statement.condition) : ''}; ${statement.step ? printStatement(statement.step) : ''}) ${printBlock(statement.body)}`;
    case 'switch': {
      const options = `${statement.mode === 'exact' ? '' : ` -${statement.mode}`}${statement.caseSensitive ? ' -casesensitive' : ''}`;
      const clauses = statement.clauses.map(
        (c) => `${c.pattern === null ? 'default' : printExpression(c.pattern, 'argument')} ${printBlock(c.body)}`,
      );
      return `${printLabel(statement)}switch${options} (${printPipeline(statement.subject)}) { ${clauses.join('; ')} }`;
    }
    case 'try': {
      const catches = statement.catches.map(
        (c) => `catch ${c.types.map((t) => `[${t}] `).join('')}${printBlock(c.body)}`,
      );
      const fin = statement.finallyBody ? [`finally ${printBlock(statement.finallyBody)}`] : [];
      return [`try ${printBlock(statement.body)}`, ...catches, ...fin].join(' ');
    }
    case 'flow':
      if (statement.label !== undefined) return `${statement.flow} ${statement.label}`;
      return statement.value ? `${statement.flow} ${printPipeline(statement.value)}` : statement.flow;
    case 'function': {
      const params = printParams(statement.params, statement.binding);
      const body = [...params, ...statement.body.map(printStatement)];
      return `function ${statement.name} ${body.length === 0 ? '{ }' : `{ ${body.join('; ')} }`}`;
    }
  }
}

export function printPipeline(pipeline: Pipeline): string {
  const redirections = (pipeline.redirections ?? []).map((r) => {
    if (r.target === null) return '2>&1';
    return `${r.stream === 'error' ? '2' : ''}${r.append ? '>>' : '>'} ${printExpression(r.target, 'argument')}`;
  });
  return [pipeline.elements.map(printElement).join(' | '), ...redirections].join(' ');
}

function printElement(element: PipelineElement): string {
  if (element.kind === 'expression') return printExpression(element.expression);
  return [printWord(element.name, true), ...element.args.map(printArgument)].join(' ');
}

function printArgument(argument: CommandArgument): string {
  if (argument.kind === 'argument') return printExpression(argument.value, 'argument');
  if (argument.kind === 'splat') return `@${argument.variable}`;
  return argument.value === null
    ? `-${argument.name}`
    : `-${argument.name}:${printExpression(argument.value, 'argument')}`;
}

/** `mode` 'argument' prints bare strings as bare words, as command arguments have them */
export function printExpression(e: Expression, mode: 'expression' | 'argument' = 'expression'): string {
  switch (e.kind) {
    case 'string':
      if (e.quote === 'single') return quoteSingle(e.value);
      if (e.quote === 'double') return `"${escapeDouble(e.value)}"`;
      return printWord(e.value, false);
    case 'expandable':
      return `"${e.parts.map(printPart).join('')}"`;
    case 'number':
      return e.text;
    case 'constant':
      return e.value === null ? '$null' : e.value ? '$true' : '$false';
    case 'variable':
      return printVariable(e.name);
    case 'member':
      return `${printExpression(e.target, mode)}.${/^[\p{L}_][\p{L}\p{N}_]*$/u.test(e.member) ? e.member : quoteSingle(e.member)}`;
    case 'array':
      return e.items.map((item) => printExpression(item, mode)).join(',');
    case 'subexpression':
      return `${e.array ? '@' : '$'}(${e.statements.map(printStatement).join('; ')})`;
    case 'paren':
      return `(${printPipeline(e.pipeline)})`;
    case 'hashtable':
      return `@{${e.entries.map((entry) => `${printKey(entry.key)} = ${printExpression(entry.value)}`).join('; ')}}`;
    case 'scriptblock':
      return `{${e.text}}`;
    case 'binary': {
      const op = SYMBOLS[e.operator] ?? `-${e.caseSensitive ? 'c' : ''}${e.operator}`;
      return `${printExpression(e.left)} ${op} ${printExpression(e.right)}`;
    }
    case 'unary':
      return e.operator === 'negate'
        ? `-${printExpression(e.operand)}`
        : `-${e.operator} ${printExpression(e.operand)}`;
    case 'index':
      return `${printExpression(e.target, mode)}[${printExpression(e.index)}]`;
    case 'method':
      return `${printExpression(e.target, mode)}.${e.method}(${e.args.map((a) => printExpression(a)).join(', ')})`;
    case 'cast':
      return `[${e.type}]${printExpression(e.operand)}`;
    case 'type':
      return `[${e.type}]`;
    case 'static':
      return `[${e.type}]::${e.member}${e.args === null ? '' : `(${e.args.map((a) => printExpression(a)).join(', ')})`}`;
    case 'increment': {
      const op = e.delta > 0 ? '++' : '--';
      return e.prefix ? `${op}${printExpression(e.target)}` : `${printExpression(e.target)}${op}`;
    }
  }
}

const SYMBOLS: Partial<Record<string, string>> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  range: '..',
  format: '-f',
};

/** a part of an expandable string: variables braced, so no following text joins their name */
function printPart(part: string | Expression): string {
  if (typeof part === 'string') return escapeDouble(part);
  if (part.kind === 'variable') return `\${${part.name.replace(/[`}]/g, '`$&')}}`;
  if (part.kind === 'constant') return `\${${part.value === null ? 'null' : String(part.value)}}`;
  if (part.kind === 'subexpression' && !part.array) return printExpression(part);
  return `$(${printExpression(part)})`;
}

function printVariable(name: string): string {
  if (/^([\p{L}\p{N}_]+(:[\p{L}\p{N}_]+)?|[?$^])$/u.test(name)) return `$${name}`;
  return `\${${name.replace(/[`}]/g, '`$&')}}`;
}

function printKey(key: string): string {
  return /^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u.test(key) ? key : quoteSingle(key);
}

function quoteSingle(value: string): string {
  let out = "'";
  for (const c of value) out += isSingleQuote(c) ? c + c : c;
  return `${out}'`;
}

function escapeDouble(value: string): string {
  let out = '';
  for (const c of value) out += isDoubleQuote(c) || c === '`' || c === '$' ? `\`${c}` : c;
  return out;
}

const CONTROL_ESCAPES: Record<string, string> = {
  '\0': '`0',
  '\n': '`n',
  '\r': '`r',
  '\t': '`t',
  '\v': '`v',
  '\f': '`f',
};

/**
 * A bare word: backticks escape what would end it or change its meaning, and a first
 * character that would make it a parameter, a number, an expression or a label. A leading 0 is
 * written `u{30}, because `0 is NUL.
 */
function printWord(value: string, commandName: boolean): string {
  if (value === '') return "''";
  let out = '';
  for (const c of value) {
    const control = CONTROL_ESCAPES[c];
    if (control) out += control;
    else if (isWordEnd(c) || isQuote(c) || c === '$' || c === '`') out += `\`${c}`;
    else if (
      out === '' &&
      (isDash(c) ||
        c === '@' ||
        c === '#' ||
        c === '.' ||
        c === '[' ||
        c === '!' ||
        c === '=' ||
        c === '+' ||
        // a command named :x would read back as a loop label
        (commandName && c === ':') ||
        (isDigit(c) && c !== '0'))
    )
      out += `\`${c}`;
    else out += c;
  }
  const numeric = scanNumber(value, 0, value.length, false)?.end === value.length;
  return value.startsWith('0') && (commandName || numeric) ? `\`u{30}${out.slice(1)}` : out;
}
