/**
 * The simple form of Exchange's OPATH `-Filter`, as text to a tree: comparisons of an
 * object's properties combined with -and, -or, -not and parentheses, e.g.
 * `"UMMailboxPolicy -eq 'Contoso Default Policy' -and Extensions -like '102*'"`.
 * Only the grammar lives here; which properties exist and what they compare against is the
 * listing service's (services/recipient-properties.ts), and the store evaluates the tree as
 * one query, as Exchange evaluates it in the directory. Pure: no I/O.
 */
import { UmpinError } from './errors.js';

export const OPATH_OPERATORS = ['eq', 'ne', 'like', 'notlike', 'gt', 'lt', 'ge', 'le'] as const;
export type OpathOperator = (typeof OPATH_OPERATORS)[number];

/** A literal on the right of a comparison: text (quoted or bare), $true, $false or $null. */
export type OpathValue = string | boolean | null;

export interface OpathComparison {
  kind: 'compare';
  property: string;
  operator: OpathOperator;
  value: OpathValue;
}

export type OpathNode =
  | OpathComparison
  | { kind: 'and' | 'or'; left: OpathNode; right: OpathNode }
  | { kind: 'not'; operand: OpathNode };

function invalid(rule: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_VALUE_INVALID', field: 'Filter', params: { field: 'Filter', rule } });
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
      if (name === 'true' || name === 'false' || name === 'null')
        tokens.push({ kind: 'constant', value: name === 'null' ? null : name === 'true', pos: start });
      else
        throw invalid(
          `the variable $${text.slice(start + 1, i)} ${at(start)} cannot be used in a filter; put its value in the filter instead`,
        );
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
    if (!t)
      throw invalid('a comparison such as "UMMailboxPolicy -eq \'Contoso Default Policy\'" is missing at the end');
    if (t.kind === '(') {
      this.i++;
      const inner = this.or();
      const close = this.tokens[this.i];
      if (close?.kind !== ')')
        throw invalid(
          close ? `")" expected ${at(close.pos)}, found ${describe(close)}` : `the "(" ${at(t.pos)} is not closed`,
        );
      this.i++;
      return inner;
    }
    if (t.kind !== 'word') throw invalid(`a property name expected ${at(t.pos)}, found ${describe(t)}`);
    this.i++;
    const op = this.tokens[this.i];
    if (!op) throw invalid(`the property ${t.text} ${at(t.pos)} has no comparison operator after it, such as -eq`);
    if (op.kind !== 'operator')
      throw invalid(`a comparison operator such as -eq expected ${at(op.pos)}, found ${describe(op)}`);
    const operator = (
      op.text.startsWith('i') && (OPATH_OPERATORS as readonly string[]).includes(op.text.slice(1))
        ? op.text.slice(1)
        : op.text
    ) as OpathOperator;
    if (!(OPATH_OPERATORS as readonly string[]).includes(operator)) {
      throw invalid(
        `-${op.text} ${at(op.pos)} is not a filter comparison; use -eq, -ne, -like, -notlike, -gt, -lt, -ge or -le`,
      );
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

/** Every comparison of the tree, left to right. */
export function opathComparisons(node: OpathNode, out: OpathComparison[] = []): OpathComparison[] {
  if (node.kind === 'compare') out.push(node);
  else if (node.kind === 'not') opathComparisons(node.operand, out);
  else {
    opathComparisons(node.left, out);
    opathComparisons(node.right, out);
  }
  return out;
}

/** The filter without the braces of Exchange's scriptblock form `{ UMEnabled -eq $true }`. */
export function opathBody(input: string): string {
  const text = String(input).trim();
  return text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1).trim() : text;
}

/** Parses a filter; a filter that breaks the grammar is refused, naming the column and the rule. */
export function parseOpathFilter(input: string): OpathNode {
  const text = opathBody(input);
  if (text === '')
    throw invalid('it is empty; write a comparison such as "UMMailboxPolicy -eq \'Contoso Default Policy\'"');
  return new Parser(tokenize(text)).parse();
}

/** A literal for a filter's text: quoted, with its quotes doubled. */
export function opathQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A piece of a -like pattern: literal text, `*` (any run) or `?` (one character). */
export type WildcardPart = { kind: 'text'; text: string } | { kind: 'any' } | { kind: 'one' };

/**
 * A -like pattern as its pieces: `*` any run, `?` one character, a backtick escapes the
 * next character. Character sets (`[a-c]`) are refused: no index can serve them and the
 * two engines' LIKE cannot express them alike.
 */
export function parseWildcard(pattern: string, field = 'Filter'): WildcardPart[] {
  const parts: WildcardPart[] = [];
  const text = (c: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += c;
    else parts.push({ kind: 'text', text: c });
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') parts.push({ kind: 'any' });
    else if (c === '?') parts.push({ kind: 'one' });
    else if (c === '`' && i + 1 < pattern.length) text(pattern[++i]!);
    else if (c === '[') {
      throw new UmpinError({
        code: 'UMPIN_VALUE_INVALID',
        field,
        params: {
          field,
          rule: `the pattern '${pattern}' has a character set [...]; only the wildcards * and ? are taken (write \`[ for a bracket)`,
        },
      });
    } else text(c);
  }
  return parts;
}
