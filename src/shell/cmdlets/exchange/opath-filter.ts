/**
 * The simple form of Exchange's OPATH `-Filter`: comparisons of an output object's
 * properties, combined with -and, -or, -not and parentheses, e.g.
 * `"UMMailboxPolicy -eq 'Contoso Default Policy' -and Extensions -like '102*'"`.
 * Exchange evaluates it in the directory; umpin evaluates it on the objects a cmdlet is
 * about to emit, so property names are the output's (case-insensitive). Pure: no I/O.
 */
import type { UmpinError } from '../../../domain/errors.js';
import { getProperty } from '../../ps-object.js';
import { invalidValue } from './invalid-value.js';

export const OPATH_OPERATORS = ['eq', 'ne', 'like', 'notlike', 'gt', 'lt', 'ge', 'le'] as const;
export type OpathOperator = (typeof OPATH_OPERATORS)[number];

/** A literal on the right of a comparison: text (quoted or bare), $true, $false or $null. */
export type OpathValue = string | boolean | null;

export type OpathNode =
  | { kind: 'compare'; property: string; operator: OpathOperator; value: OpathValue }
  | { kind: 'and' | 'or'; left: OpathNode; right: OpathNode }
  | { kind: 'not'; operand: OpathNode };

export interface OpathFilter {
  /** the filter as given */
  text: string;
  root: OpathNode;
  /** true when the object passes the filter */
  matches(obj: unknown): boolean;
}

function invalid(rule: string): UmpinError {
  return invalidValue('Filter', rule);
}

type Token =
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'string'; text: string; pos: number }
  | { kind: 'operator'; text: string; pos: number }
  | { kind: 'constant'; value: boolean | null; pos: number }
  | { kind: '(' | ')'; pos: number };

/** 1-based column for messages, as the user counts. */
const at = (pos: number): string => `at column ${pos + 1}`;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')') {
      tokens.push({ kind: c, pos: i++ });
    } else if (c === "'" || c === '"' || c === '\u2018' || c === '\u2019' || c === '\u201c' || c === '\u201d') {
      // '' inside single quotes and "" (or `") inside double quotes stand for the quote itself
      const double = c === '"' || c === '\u201c' || c === '\u201d';
      const closes = double ? ['"', '\u201c', '\u201d'] : ["'", '\u2018', '\u2019'];
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw invalid(`the quoted value that starts ${at(start)} has no closing quote`);
        const d = text[i]!;
        if (double && d === '`' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (closes.includes(d)) {
          if (closes.includes(text[i + 1] ?? '')) {
            value += d;
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ kind: 'string', text: value, pos: start });
    } else if (c === '-' && /[a-z]/i.test(text[i + 1] ?? '')) {
      i++;
      while (i < text.length && /[a-z]/i.test(text[i]!)) i++;
      tokens.push({ kind: 'operator', text: text.slice(start + 1, i).toLowerCase(), pos: start });
    } else if (c === '!') {
      tokens.push({ kind: 'operator', text: 'not', pos: i++ });
    } else if (c === '$') {
      i++;
      while (i < text.length && /[\w:]/.test(text[i]!)) i++;
      const name = text.slice(start + 1, i).toLowerCase();
      if (name === 'true' || name === 'false' || name === 'null') tokens.push({ kind: 'constant', value: name === 'null' ? null : name === 'true', pos: start });
      else throw invalid(`the variable $${text.slice(start + 1, i)} ${at(start)} cannot be used in a filter; put its value in the filter instead`);
    } else {
      while (i < text.length && !/[\s()'"]/.test(text[i]!)) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), pos: start });
    }
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): OpathNode {
    const node = this.or();
    const extra = this.tokens[this.i];
    if (extra) throw invalid(`unexpected ${describe(extra)} ${at(extra.pos)}`);
    return node;
  }

  private peekOperator(name: string): boolean {
    const t = this.tokens[this.i];
    return t?.kind === 'operator' && t.text === name;
  }

  private or(): OpathNode {
    let left = this.and();
    while (this.peekOperator('or')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): OpathNode {
    let left = this.not();
    while (this.peekOperator('and')) {
      this.i++;
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): OpathNode {
    if (this.peekOperator('not')) {
      this.i++;
      return { kind: 'not', operand: this.not() };
    }
    return this.primary();
  }

  private primary(): OpathNode {
    const t = this.tokens[this.i];
    if (!t) throw invalid('a comparison such as "UMMailboxPolicy -eq \'Contoso Default Policy\'" is missing at the end');
    if (t.kind === '(') {
      this.i++;
      const inner = this.or();
      const close = this.tokens[this.i];
      if (close?.kind !== ')') throw invalid(close ? `")" expected ${at(close.pos)}, found ${describe(close)}` : `the "(" ${at(t.pos)} is not closed`);
      this.i++;
      return inner;
    }
    if (t.kind !== 'word') throw invalid(`a property name expected ${at(t.pos)}, found ${describe(t)}`);
    this.i++;
    const op = this.tokens[this.i];
    if (!op) throw invalid(`the property ${t.text} ${at(t.pos)} has no comparison operator after it, such as -eq`);
    if (op.kind !== 'operator') throw invalid(`a comparison operator such as -eq expected ${at(op.pos)}, found ${describe(op)}`);
    const operator = (op.text.startsWith('i') && (OPATH_OPERATORS as readonly string[]).includes(op.text.slice(1)) ? op.text.slice(1) : op.text) as OpathOperator;
    if (!(OPATH_OPERATORS as readonly string[]).includes(operator)) {
      throw invalid(`-${op.text} ${at(op.pos)} is not a filter comparison; use -eq, -ne, -like, -notlike, -gt, -lt, -ge or -le`);
    }
    this.i++;
    const v = this.tokens[this.i];
    if (!v || (v.kind !== 'word' && v.kind !== 'string' && v.kind !== 'constant')) {
      throw invalid(`a value expected after -${op.text} ${at(op.pos)}${v ? `, found ${describe(v)}` : ''}`);
    }
    this.i++;
    const value: OpathValue = v.kind === 'constant' ? v.value : v.text;
    return { kind: 'compare', property: t.text, operator, value };
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'word':
      return `"${t.text}"`;
    case 'string':
      return `'${t.text}'`;
    case 'operator':
      return `-${t.text}`;
    case 'constant':
      return t.value === null ? '$null' : `$${String(t.value)}`;
    default:
      return `"${t.kind}"`;
  }
}

function propertiesOf(node: OpathNode, out: Array<{ property: string }> = []): Array<{ property: string }> {
  if (node.kind === 'compare') out.push(node);
  else if (node.kind === 'not') propertiesOf(node.operand, out);
  else {
    propertiesOf(node.left, out);
    propertiesOf(node.right, out);
  }
  return out;
}

/**
 * Parses a filter. Exchange also takes the scriptblock form `{ UMEnabled -eq $true }`:
 * outer braces are dropped. With `properties`, a name not among them is refused (the
 * list is named in the error), so a typo fails instead of matching nothing.
 */
export function parseOpathFilter(input: string, options: { properties?: readonly string[] } = {}): OpathFilter {
  let text = String(input).trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text === '') throw invalid('it is empty; write a comparison such as "UMMailboxPolicy -eq \'Contoso Default Policy\'"');
  const root = new Parser(tokenize(text)).parse();
  if (options.properties) {
    const known = new Map(options.properties.map((p) => [p.toLowerCase(), p]));
    for (const c of propertiesOf(root)) {
      if (!known.has(c.property.toLowerCase())) {
        throw invalid(`${c.property} is not a property that can be filtered on; use one of ${options.properties.join(', ')}`);
      }
    }
  }
  return { text: String(input), root, matches: (obj) => evaluate(root, obj) };
}

export function evaluateOpathFilter(node: OpathNode, obj: unknown): boolean {
  return evaluate(node, obj);
}

function evaluate(node: OpathNode, obj: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, obj) && evaluate(node.right, obj);
    case 'or':
      return evaluate(node.left, obj) || evaluate(node.right, obj);
    case 'not':
      return !evaluate(node.operand, obj);
    case 'compare':
      return compare(getProperty(obj, node.property), node.operator, node.value);
  }
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * A multi-valued property (Extensions, EmailAddresses) matches when any of its values
 * does; its negative forms (-ne, -notlike) when none does, as OPATH reads them.
 */
function compare(actual: unknown, op: OpathOperator, expected: OpathValue): boolean {
  if (op === 'ne') return !compare(actual, 'eq', expected);
  if (op === 'notlike') return !compare(actual, 'like', expected);
  if (expected === null) return op === 'eq' ? isEmpty(actual) : false;
  if (Array.isArray(actual)) return actual.some((a) => compareOne(a, op, expected));
  return compareOne(actual, op, expected);
}

function compareOne(actual: unknown, op: Exclude<OpathOperator, 'ne' | 'notlike'>, expected: string | boolean): boolean {
  if (actual === undefined || actual === null) return false;
  if (op === 'like') return wildcard(String(expected)).test(text(actual));
  if (typeof actual === 'boolean') {
    const e = typeof expected === 'boolean' ? expected : /^(true|1)$/i.test(expected) ? true : /^(false|0)$/i.test(expected) ? false : null;
    if (e === null) return false;
    return order(Number(actual) - Number(e), op);
  }
  if (typeof actual === 'number') {
    const e = Number(expected);
    if (typeof expected === 'boolean' || Number.isNaN(e)) return false;
    return order(actual - e, op);
  }
  if (actual instanceof Date) {
    const e = typeof expected === 'string' ? Date.parse(expected) : Number.NaN;
    if (Number.isNaN(e)) return false;
    return order(actual.getTime() - e, op);
  }
  const a = text(actual).toLowerCase();
  const e = String(expected).toLowerCase();
  return order(a < e ? -1 : a > e ? 1 : 0, op);
}

function order(diff: number, op: 'eq' | 'gt' | 'lt' | 'ge' | 'le'): boolean {
  switch (op) {
    case 'eq':
      return diff === 0;
    case 'gt':
      return diff > 0;
    case 'lt':
      return diff < 0;
    case 'ge':
      return diff >= 0;
    case 'le':
      return diff <= 0;
  }
}

function text(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** `*` any run, `?` one character, `[a-c]` a set; whole value, case-insensitive. */
function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '`' && i + 1 < pattern.length) re += escape(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end > i + 1) {
        re += `[${pattern.slice(i + 1, end).replace(/[\\^\]]/g, '\\$&')}]`;
        i = end;
      } else re += '\\[';
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`, 'is');
}

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
