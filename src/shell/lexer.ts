/**
 * The lexical level of umpin's PowerShell subset: character classes, numbers, blanks and
 * comments, variables, quoted strings and here-strings, positions and parse errors. The
 * parser (parser.ts) builds on the Lexer class; the grammar lives there. PowerShell also
 * takes the typographic dashes and quotes that text pasted from Word or a web page carries
 * (`–Identity`, `‘Contoso’`), so these classes do too.
 */
import type { Constant, ExpandableString, Expression, Span, StringLiteral, SubExpression, VariableRef } from './ast.js';
import { UmpinError } from '../domain/errors.js';

/** how deeply parentheses, blocks, subexpressions and unary operators may nest */
export const MAX_NESTING = 100;

export const isNewline = (c: string | undefined): boolean => c === '\n' || c === '\r';

export function isSpace(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') return true;
  return c > '\u007f' && /\p{Zs}/u.test(c);
}

/** `-` and the en dash, em dash and horizontal bar that word processors put in its place */
export const isDash = (c: string | undefined): boolean =>
  c === '-' || c === '\u2013' || c === '\u2014' || c === '\u2015';

export const isSingleQuote = (c: string | undefined): boolean =>
  c === "'" || c === '\u2018' || c === '\u2019' || c === '\u201a' || c === '\u201b';

export const isDoubleQuote = (c: string | undefined): boolean =>
  c === '"' || c === '\u201c' || c === '\u201d' || c === '\u201e';

export const isQuote = (c: string | undefined): boolean => isSingleQuote(c) || isDoubleQuote(c);

export const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

const isHexDigit = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

export function isLetter(c: string | undefined): boolean {
  if (c === undefined) return false;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return c > '\u007f' && /\p{L}/u.test(c);
}

/** a character of a variable, member or parameter name */
export function isNameChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (isDigit(c) || c === '_' || isLetter(c)) return true;
  return c > '\u007f' && /\p{N}/u.test(c);
}

/** Where a bare word (`tonysmith@contoso.com`, `C:\users.csv`) ends in argument mode. */
export function isWordEnd(c: string | undefined): boolean {
  if (c === undefined) return true;
  switch (c) {
    case '|':
    case ';':
    case ',':
    case '(':
    case ')':
    case '{':
    case '}':
    case '<':
    case '>':
    case '&':
    case '\n':
    case '\r':
      return true;
    default:
      return isSpace(c);
  }
}

export interface ScannedNumber {
  end: number;
  value: number;
}

const MULTIPLIERS: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };

/**
 * A PowerShell number at `pos`: `123`, `0123`, `3.5`, `.5`, `1e3`, `0x1F`, with an optional
 * `kb`..`pb` multiplier and, when `signed`, a leading dash. Reads no further than `end`.
 * Returns null when no number starts there; the caller decides what may follow it.
 */
export function scanNumber(text: string, pos: number, end: number, signed: boolean): ScannedNumber | null {
  const at = (i: number): string | undefined => (i < end ? text[i] : undefined);
  let i = pos;
  const negative = signed && isDash(at(i));
  if (negative) i++;
  let value: number;
  if (at(i) === '0' && (at(i + 1) === 'x' || at(i + 1) === 'X') && isHexDigit(at(i + 2))) {
    const digits = i + 2;
    i = digits;
    while (isHexDigit(at(i))) i++;
    value = parseInt(text.slice(digits, i), 16);
  } else {
    const start = i;
    while (isDigit(at(i))) i++;
    const whole = i > start;
    if (at(i) === '.' && isDigit(at(i + 1))) {
      i++;
      while (isDigit(at(i))) i++;
    } else if (!whole) {
      return null;
    }
    if (at(i) === 'e' || at(i) === 'E') {
      let k = i + 1;
      if (at(k) === '+' || isDash(at(k))) k++;
      if (isDigit(at(k))) {
        while (isDigit(at(k))) k++;
        i = k;
      }
    }
    value = Number(text.slice(start, i).replace(/[\u2013\u2014\u2015]/g, '-'));
  }
  const suffix = `${at(i) ?? ''}${at(i + 1) ?? ''}`.toLowerCase();
  const multiplier = MULTIPLIERS[suffix];
  if (multiplier !== undefined) {
    value *= multiplier;
    i += 2;
  }
  return { end: i, value: negative ? -value : value };
}

/** 1-based line and column of an offset; CRLF and a lone CR each end one line */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(offset, text.length);
  for (let i = 0; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function parseError(text: string, rule: string, offset: number, incomplete = false): UmpinError {
  const { line, column } = lineColumn(text, offset);
  const params = incomplete ? { rule, line, column, offset, incomplete: true } : { rule, line, column, offset };
  return new UmpinError({ code: 'UMPIN_SHELL_PARSE_ERROR', params });
}

/**
 * Source text quoted in an error message: short, and with long digit runs masked, because
 * a line that fails to parse may hold a PIN and error messages must never show one.
 */
export function shown(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return short.replace(/\d{4,}/g, (digits) => '#'.repeat(digits.length));
}

/**
 * Reads the source character by character for the parser: the position, the end of the
 * input (narrowed while the lines of a here-string are read), the nesting depth, and the
 * lexical pieces. `$( ... )` inside strings is the parser's, hence the abstract method.
 */
export abstract class Lexer {
  protected pos = 0;
  /** the current end of input: the here-string being read, or the whole source */
  protected end: number;
  protected depth = 0;

  constructor(protected readonly text: string) {
    this.end = text.length;
  }

  /** `$( statements )` or `@( statements )` */
  protected abstract subExpression(): SubExpression;

  protected ch(i = this.pos): string | undefined {
    return i < this.end ? this.text[i] : undefined;
  }

  protected atEnd(i = this.pos): boolean {
    return i >= this.end;
  }

  protected fail(rule: string, offset = this.pos, incomplete = false): never {
    throw parseError(this.text, rule, offset, incomplete && this.end === this.text.length);
  }

  /** for "missing" errors: at the end of input they ask for another line */
  protected failMissing(rule: string, offset = this.pos): never {
    this.fail(rule, offset, this.atEnd(offset));
  }

  protected where(offset: number): string {
    const { line, column } = lineColumn(this.text, offset);
    return `line ${line}, column ${column}`;
  }

  /** the source token at `at`, for messages */
  protected tokenAt(at: number): string {
    const c = this.ch(at);
    if (c === undefined) return '';
    if (isWordEnd(c) || c === '=' || c === '`') {
      const two = c + (this.ch(at + 1) ?? '');
      return ['||', '&&', '>>', '2>', '=='].includes(two) ? two : c;
    }
    let i = at + 1;
    while (!isWordEnd(this.ch(i)) && i - at < 41) i++;
    return this.text.slice(at, i);
  }

  protected unexpected(at = this.pos, hint = ''): never {
    if (this.atEnd(at)) this.fail(`Unexpected end of input${hint}`, at, true);
    this.fail(`Unexpected token '${shown(this.tokenAt(at))}'${hint}`, at);
  }

  protected enter(at = this.pos): void {
    if (++this.depth > MAX_NESTING)
      this.fail(`The input nests too deeply: umpin's shell allows ${MAX_NESTING} levels`, at);
  }

  protected leave(): void {
    this.depth--;
  }

  /** Skips blanks, comments and backtick line continuations, not newlines; returns where they end. */
  protected spaceEnd(from: number): number {
    let i = from;
    for (;;) {
      const c = this.ch(i);
      if (isSpace(c)) {
        i++;
      } else if (c === '`') {
        const n = this.ch(i + 1);
        if (n === undefined) this.fail('The backtick (`) at the end of the input needs a next line', i, true);
        if (!isNewline(n)) return i;
        i += n === '\r' && this.ch(i + 2) === '\n' ? 3 : 2;
      } else if (c === '#') {
        while (!this.atEnd(i) && !isNewline(this.ch(i))) i++;
      } else if (c === '<' && this.ch(i + 1) === '#') {
        const close = this.text.indexOf('#>', i + 2);
        if (close < 0 || close + 2 > this.end)
          this.fail(`Missing the end '#>' of the comment opened at ${this.where(i)}`, this.end, true);
        i = close + 2;
      } else {
        return i;
      }
    }
  }

  protected skipSpace(): void {
    this.pos = this.spaceEnd(this.pos);
  }

  protected skipSpaceAndNewlines(): void {
    for (;;) {
      this.skipSpace();
      if (!isNewline(this.ch())) return;
      this.pos++;
    }
  }

  /** at `word` (case-insensitive) followed by something that cannot continue a name */
  protected atWord(word: string, at = this.pos): boolean {
    if (at + word.length > this.end) return false;
    return (
      this.text.slice(at, at + word.length).toLowerCase() === word &&
      !isNameChar(this.ch(at + word.length)) &&
      this.ch(at + word.length) !== '-'
    );
  }

  // ---------------------------------------------------------------- variables

  /**
   * `$name`, `$_`, `$env:NAME`, `${any name}`, `$?`, `$$`, `$^` at `at`; null when no
   * variable starts there. `$name:` must go on with a name (`$env:X`), as in PowerShell.
   */
  protected scanVariable(at: number): { name: string; end: number; constant?: boolean | null } | null {
    const c = this.ch(at + 1);
    let name: string;
    let end: number;
    if (c === '{') {
      let i = at + 2;
      name = '';
      for (;;) {
        const d = this.ch(i);
        if (d === undefined)
          this.fail(`Missing closing '}' of the variable name opened at ${this.where(at)}`, this.end, true);
        if (d === '}') break;
        if (d === '`' && this.ch(i + 1) !== undefined) {
          name += this.ch(i + 1);
          i += 2;
        } else {
          name += d;
          i++;
        }
      }
      if (name === '') this.fail('A variable name was expected between the braces of ${}', at);
      end = i + 1;
    } else if (c === '?' || c === '$' || c === '^') {
      name = c;
      end = at + 2;
    } else if (isNameChar(c)) {
      let i = at + 1;
      while (isNameChar(this.ch(i))) i++;
      if (this.ch(i) === ':' && this.ch(i + 1) !== ':') {
        if (!isNameChar(this.ch(i + 1))) {
          this.fail(
            "A variable reference is not valid: ':' is not followed by a variable name; use ${name} to delimit the name",
            i,
          );
        }
        i++;
        while (isNameChar(this.ch(i))) i++;
      }
      name = this.text.slice(at + 1, i);
      end = i;
    } else {
      return null;
    }
    const lower = name.toLowerCase();
    const constant = lower === 'true' ? true : lower === 'false' ? false : lower === 'null' ? null : undefined;
    return constant === undefined ? { name, end } : { name, end, constant };
  }

  protected variableNode(
    variable: { name: string; end: number; constant?: boolean | null },
    start: number,
  ): VariableRef | Constant {
    const span = { start, end: variable.end };
    if (variable.constant !== undefined) return { kind: 'constant', value: variable.constant, span };
    return { kind: 'variable', name: variable.name, span };
  }

  // ---------------------------------------------------------------- strings

  /** whether the `$` at pos starts an expansion; a lone `$` is just a character */
  protected expandsHere(): boolean {
    const n = this.ch(this.pos + 1);
    return n === '(' || n === '{' || n === '?' || n === '$' || n === '^' || isNameChar(n);
  }

  /** `$name` (never `.Member`: PowerShell expands only the variable) or `$( ... )` */
  protected expansion(): Expression {
    const start = this.pos;
    if (this.ch(start + 1) === '(') return this.subExpression();
    const variable = this.scanVariable(start)!;
    this.pos = variable.end;
    return this.variableNode(variable, start);
  }

  /** one backtick escape at pos; PowerShell's escapes are case-sensitive */
  protected escape(): string {
    const at = this.pos;
    const n = this.ch(at + 1);
    if (n === undefined) this.fail('The backtick (`) at the end of the input needs a next character', at, true);
    this.pos = at + 2;
    switch (n) {
      case '0':
        return '\0';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'e':
        return '\x1b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case 'u': {
        if (this.ch(at + 2) !== '{') return 'u';
        const close = this.text.indexOf('}', at + 3);
        const hex = close < 0 || close >= this.end ? '' : this.text.slice(at + 3, close);
        const code = /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : NaN;
        if (!(code <= 0x10ffff))
          this.fail('A Unicode escape must be `u{X} with 1 to 6 hexadecimal digits, at most 10FFFF', at);
        this.pos = close + 1;
        return String.fromCodePoint(code);
      }
      case '\r':
        if (this.ch(at + 2) === '\n') this.pos = at + 3;
        return '\r\n';
      default:
        return n;
    }
  }

  /** `'text'` with `''` for a quote */
  protected singleQuoted(): StringLiteral {
    const start = this.pos;
    let value = '';
    let run = start + 1;
    let i = run;
    for (;;) {
      const c = this.ch(i);
      if (c === undefined)
        this.fail(`The string opened at ${this.where(start)} is missing its closing quote (')`, this.end, true);
      if (isSingleQuote(c)) {
        value += this.text.slice(run, i);
        if (!isSingleQuote(this.ch(i + 1))) break;
        value += this.ch(i + 1);
        i += 2;
        run = i;
      } else {
        i++;
      }
    }
    this.pos = i + 1;
    return { kind: 'string', value, quote: 'single', span: { start, end: this.pos } };
  }

  /** `"text"` with backtick escapes, `""` for a quote, `$name` and `$( ... )` expanded */
  protected doubleQuoted(): StringLiteral | ExpandableString {
    const start = this.pos;
    this.pos++;
    const parts: Array<string | Expression> = [];
    let text = '';
    for (;;) {
      const c = this.ch();
      if (c === undefined)
        this.fail(`The string opened at ${this.where(start)} is missing its closing quote (")`, this.end, true);
      if (isDoubleQuote(c)) {
        if (!isDoubleQuote(this.ch(this.pos + 1))) break;
        text += this.ch(this.pos + 1);
        this.pos += 2;
      } else {
        text = this.expandableText(c, text, parts);
      }
    }
    this.pos++;
    if (text) parts.push(text);
    return stringNode(parts, 'double', { start, end: this.pos });
  }

  /**
   * One step through the text of an expandable string at `c`: an escape, a `$` expansion
   * (closing the text read so far into `parts`), or a plain character. Returns the text
   * being collected.
   */
  private expandableText(c: string, text: string, parts: Array<string | Expression>): string {
    if (c === '`') return text + this.escape();
    if (c === '$' && this.expandsHere()) {
      if (text) parts.push(text);
      parts.push(this.expansion());
      return '';
    }
    this.pos++;
    return text + c;
  }

  /** `@" ... "@` and `@' ... '@`: the lines between; the closing line starts with `"@` or `'@` */
  protected hereString(): StringLiteral | ExpandableString {
    const start = this.pos;
    const expandable = isDoubleQuote(this.ch(start + 1));
    let i = start + 2;
    while (isSpace(this.ch(i))) i++;
    if (this.atEnd(i))
      this.fail(`The here-string opened at ${this.where(start)} is missing its closing line`, this.end, true);
    if (!isNewline(this.ch(i)))
      this.fail('No characters are allowed after a here-string header but before the end of the line', i);
    i += this.ch(i) === '\r' && this.ch(i + 1) === '\n' ? 2 : 1;
    const contentStart = i;
    let contentEnd = -1;
    let lineStart = i;
    while (contentEnd < 0) {
      const c = this.ch(lineStart);
      if ((expandable ? isDoubleQuote(c) : isSingleQuote(c)) && this.ch(lineStart + 1) === '@') {
        contentEnd =
          lineStart === contentStart
            ? lineStart
            : lineStart - (this.text[lineStart - 2] === '\r' && this.text[lineStart - 1] === '\n' ? 2 : 1);
        break;
      }
      let j = lineStart;
      while (!this.atEnd(j) && !isNewline(this.ch(j))) j++;
      if (this.atEnd(j))
        this.fail(
          `The here-string opened at ${this.where(start)} is missing its closing line (${expandable ? '"@' : "'@"} at the start of a line)`,
          this.end,
          true,
        );
      lineStart = j + (this.ch(j) === '\r' && this.ch(j + 1) === '\n' ? 2 : 1);
    }
    const closeEnd = lineStart + 2;
    const span = { start, end: closeEnd };
    if (!expandable) {
      this.pos = closeEnd;
      return { kind: 'string', value: this.text.slice(contentStart, contentEnd), quote: 'single', span };
    }
    // read the lines between with the input ending where they end
    const outerEnd = this.end;
    this.end = contentEnd;
    this.pos = contentStart;
    const parts: Array<string | Expression> = [];
    let text = '';
    while (!this.atEnd()) text = this.expandableText(this.ch()!, text, parts);
    if (text) parts.push(text);
    this.end = outerEnd;
    this.pos = closeEnd;
    return stringNode(parts, 'double', span);
  }
}

export function mergeText(parts: Array<string | Expression>): Array<string | Expression> {
  const merged: Array<string | Expression> = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part;
    else if (part !== '') merged.push(part);
  }
  return merged;
}

function stringNode(parts: Array<string | Expression>, quote: 'double', span: Span): StringLiteral | ExpandableString {
  const merged = mergeText(parts);
  if (merged.every((p) => typeof p === 'string')) return { kind: 'string', value: merged.join(''), quote, span };
  return { kind: 'expandable', parts: merged, span };
}
