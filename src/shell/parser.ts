/**
 * The parser of umpin's PowerShell subset: source text to the syntax tree of ast.ts.
 *
 * PowerShell reads a command's arguments in "argument mode" (bare words are strings,
 * `-Name` is a parameter, no operators) and everything else in "expression mode"
 * (operators, no bare words), so the parser reads characters directly and chooses the
 * token rules by context instead of running a separate tokenizer. Anything outside the
 * subset is a parse error with its position, never a silent misread; errors at the end
 * of an unclosed construct are marked `incomplete` so the interactive shell can ask for
 * another line. Nesting is capped, so no input can exhaust the stack. The lexical pieces
 * (blanks and comments, numbers, variables, strings, errors) are in lexer.ts.
 */
import type {
  ArrayLiteral,
  BinaryExpression,
  CommandArgument,
  CommandCall,
  ComparisonOperator,
  ExpandableString,
  Expression,
  ForEachStatement,
  HashtableLiteral,
  Parenthesized,
  ParameterToken,
  Pipeline,
  PipelineElement,
  Script,
  ScriptBlockLiteral,
  Span,
  Statement,
  StringLiteral,
  SubExpression,
} from './ast.js';
import { COMPARISON_OPERATORS } from './ast.js';
import {
  isDash,
  isDigit,
  isDoubleQuote,
  isLetter,
  isNameChar,
  isNewline,
  isQuote,
  isSingleQuote,
  isSpace,
  isWordEnd,
  Lexer,
  mergeText,
  scanNumber,
  shown,
} from './lexer.js';

/** Parses a script or command line; throws UmpinError UMPIN_SHELL_PARSE_ERROR. */
export function parse(source: string): Script {
  return new Parser(source).script();
}

export { MAX_NESTING } from './lexer.js';

/** how many binary operators, or member accesses, one chain may hold (the tree stays shallow) */
export const MAX_CHAIN = 100;

const UNSUPPORTED_KEYWORDS = new Set([
  'begin',
  'break',
  'catch',
  'class',
  'continue',
  'data',
  'do',
  'dynamicparam',
  'else',
  'elseif',
  'end',
  'enum',
  'filter',
  'finally',
  'for',
  'function',
  'if',
  'in',
  'param',
  'process',
  'return',
  'switch',
  'throw',
  'trap',
  'try',
  'until',
  'using',
  'while',
  'workflow',
]);

const COMPARISONS = new Set<string>(COMPARISON_OPERATORS);

const UNSUPPORTED_OPERATORS = new Set([
  'replace',
  'ireplace',
  'creplace',
  'split',
  'isplit',
  'csplit',
  'join',
  'f',
  'is',
  'isnot',
  'as',
  'band',
  'bor',
  'bxor',
  'bnot',
  'shl',
  'shr',
  'xor',
]);

const NOT_SUPPORTED = "is not supported by umpin's shell";
const ARE_NOT_SUPPORTED = "are not supported by umpin's shell";

type Closer = ')' | '}';

interface Operator {
  operator: BinaryExpression['operator'];
  caseSensitive: boolean;
  start: number;
  end: number;
}

class Parser extends Lexer {
  // ---------------------------------------------------------------- statements

  script(): Script {
    const statements = this.statementList(null, 0, '');
    return { kind: 'script', statements, span: { start: 0, end: this.text.length } };
  }

  /** Statements up to `closer` (left unread) or, for null, the end of input. */
  private statementList(closer: Closer | null, openedAt: number, what: string): Statement[] {
    const statements: Statement[] = [];
    for (;;) {
      for (;;) {
        this.skipSpaceAndNewlines();
        if (this.ch() !== ';') break;
        this.pos++;
      }
      const c = this.ch();
      if (c === undefined) {
        if (closer === null) return statements;
        this.fail(`Missing closing '${closer}' for the ${what} opened at ${this.where(openedAt)}`, this.pos, true);
      }
      if (c === closer) return statements;
      if (c === ')' || c === '}') this.unexpected();
      statements.push(this.statement());
      this.skipSpace();
      const after = this.ch();
      if (after === '=') this.unexpected(this.pos, ': only a variable can be assigned, as in $name = ...');
      if (after !== undefined && after !== ';' && !isNewline(after) && after !== closer) this.unexpected();
    }
  }

  private statement(): Statement {
    const c = this.ch();
    if ((c === 'f' || c === 'F') && this.atWord('foreach')) return this.foreachStatement();
    return this.assignment() ?? this.pipeline();
  }

  /** `$m = <pipeline>`, or null when the statement is not an assignment */
  private assignment(): Statement | null {
    const start = this.pos;
    if (this.ch() !== '$') return null;
    const variable = this.scanVariable(start);
    if (!variable) return null;
    const eq = this.spaceEnd(variable.end);
    if (this.ch(eq) !== '=' || this.ch(eq + 1) === '=') return null;
    // `$null = ...` discards the output, as in PowerShell: nothing reads a variable named null back
    if (variable.constant === true || variable.constant === false)
      this.fail(`Cannot assign to $${shown(variable.name)}: it is a constant`, start);
    this.pos = eq + 1;
    this.skipSpaceAndNewlines();
    if (this.atEnd() || this.ch() === ';' || this.ch() === ')' || this.ch() === '}')
      this.failMissing("Missing a value after '='");
    const value = this.pipeline();
    return { kind: 'assignment', variable: variable.name, value, span: { start, end: value.span.end } };
  }

  /** `foreach ($u in <pipeline>) { statements }` */
  private foreachStatement(): ForEachStatement {
    const start = this.pos;
    this.enter();
    this.pos += 'foreach'.length;
    this.skipSpaceAndNewlines();
    if (this.ch() !== '(') this.failMissing("Missing opening '(' after the keyword 'foreach'");
    this.pos++;
    this.skipSpaceAndNewlines();
    const variable = this.ch() === '$' ? this.scanVariable(this.pos) : null;
    if (!variable || variable.constant !== undefined) this.failMissing("Missing the variable name after 'foreach ('");
    this.pos = variable.end;
    this.skipSpaceAndNewlines();
    if (!this.atWord('in')) this.failMissing("Missing the keyword 'in' after the variable of the foreach loop");
    this.pos += 2;
    this.skipSpaceAndNewlines();
    if (this.atEnd() || this.ch() === ')') this.failMissing("Missing the collection after 'in' in the foreach loop");
    const collection = this.pipeline();
    this.skipSpaceAndNewlines();
    if (this.ch() !== ')') this.failMissing("Missing closing ')' after the collection of the foreach loop");
    this.pos++;
    this.skipSpaceAndNewlines();
    if (this.ch() !== '{') this.failMissing("Missing the statement block '{ ... }' of the foreach loop");
    const open = this.pos;
    this.pos++;
    const body = this.statementList('}', open, 'foreach loop body');
    this.pos++;
    this.leave();
    return { kind: 'foreach', variable: variable.name, collection, body, span: { start, end: this.pos } };
  }

  // ---------------------------------------------------------------- pipelines and commands

  private pipeline(): Pipeline {
    const elements: PipelineElement[] = [this.pipelineElement(true)];
    for (;;) {
      const bar = this.spaceEnd(this.pos);
      if (this.ch(bar) === '|') {
        if (this.ch(bar + 1) === '|') this.fail(`The '||' operator ${NOT_SUPPORTED}`, bar);
        this.pos = bar + 1;
        this.skipSpaceAndNewlines();
        if (this.atEnd()) this.fail("Missing a command after the pipe '|'", this.pos, true);
        elements.push(this.pipelineElement(false));
        continue;
      }
      // as in PowerShell 7, a line that starts with '|' continues the pipeline above it
      if (isNewline(this.ch(bar))) {
        let next = bar;
        while (isNewline(this.ch(next))) next = this.spaceEnd(next + 1);
        if (this.ch(next) === '|' && this.ch(next + 1) !== '|') {
          this.pos = next;
          continue;
        }
      }
      break;
    }
    const first = elements[0]!;
    const last = elements[elements.length - 1]!;
    return { kind: 'pipeline', elements, span: { start: first.span.start, end: last.span.end } };
  }

  private pipelineElement(first: boolean): PipelineElement {
    const c = this.ch();
    if (c === '|') this.fail('An empty pipe element is not allowed');
    if (c === '&') this.fail(`The ampersand (&) call operator ${NOT_SUPPORTED}`);
    if (c === '.' && (isSpace(this.ch(this.pos + 1)) || this.ch(this.pos + 1) === '$'))
      this.fail(`Dot-sourcing (. script) ${NOT_SUPPORTED}`);
    if (this.startsExpression()) {
      if (!first) this.fail('Expressions are only allowed as the first element of a pipeline');
      const expression = this.expression();
      return { kind: 'expression', expression, span: expression.span };
    }
    return this.command(first);
  }

  /** PowerShell reads a statement as an expression when it starts like one, else as a command */
  private startsExpression(): boolean {
    const c = this.ch();
    const n = this.ch(this.pos + 1);
    if (c === '$' || c === '(' || c === '@' || c === '{' || c === '[' || c === '!' || c === ',' || isQuote(c))
      return true;
    if (isDigit(c) || (c === '.' && isDigit(n))) return true;
    return isDash(c);
  }

  private command(first: boolean): CommandCall {
    const start = this.pos;
    const c = this.ch();
    if (c === undefined || c === '=' || c === ')' || c === '}' || c === ';' || isNewline(c)) this.unexpected();
    if (c === '<' || c === '>') this.failRedirection();
    const name = this.bareWord();
    if (name.kind !== 'string') this.fail('A command name cannot contain variables or subexpressions', start);
    const nameSpan: Span = { start, end: this.pos };
    const lower = name.value.toLowerCase();
    if (UNSUPPORTED_KEYWORDS.has(lower)) this.fail(`The '${lower}' keyword ${NOT_SUPPORTED}`, start);
    if (lower === 'foreach' && first)
      this.fail("A foreach loop can only stand as a statement of its own: 'foreach ($x in ...) { ... }'", start);
    const args: CommandArgument[] = [];
    for (;;) {
      this.skipSpace();
      const a = this.ch();
      if (a === undefined || isNewline(a) || a === ';' || a === '|' || a === ')' || a === '}') break;
      args.push(this.commandArgument());
    }
    const last = args[args.length - 1];
    return {
      kind: 'command',
      name: name.value,
      nameSpan,
      args,
      span: { start, end: last ? last.span.end : nameSpan.end },
    };
  }

  private failRedirection(at = this.pos): never {
    this.fail(`Redirection ('${this.tokenAt(at)}') ${NOT_SUPPORTED}; to compare values, use -gt, -lt, -ge or -le`, at);
  }

  private commandArgument(): CommandArgument {
    const start = this.pos;
    const c = this.ch();
    const n = this.ch(start + 1);
    if (isDash(c)) {
      if (isDash(n)) {
        if (this.ch(start + 2) === '%') this.fail(`The stop-parsing token (--%) ${NOT_SUPPORTED}`);
        this.fail(`The end-of-parameters token (--) ${NOT_SUPPORTED}`);
      }
      if (isLetter(n) || n === '_' || n === '?') {
        const parameter = this.parameter();
        if (parameter) return parameter;
      }
    }
    if (c === ',') this.fail(`The unary comma operator ${NOT_SUPPORTED}`);
    if (c === '&') this.fail(`The ampersand (&) ${NOT_SUPPORTED}; put text that contains it in quotes`);
    if (c === '<' || c === '>') this.failRedirection();
    const value = this.argumentList();
    return { kind: 'argument', value, span: value.span };
  }

  /** `-Name` or `-Name:value`; null when the token turns out to be a bare word (`-abc@x`) */
  private parameter(): ParameterToken | null {
    const start = this.pos;
    let i = start + 1;
    while (isNameChar(this.ch(i)) || isDash(this.ch(i)) || this.ch(i) === '?') i++;
    const name = this.text.slice(start + 1, i);
    if (this.ch(i) !== ':') {
      if (!isWordEnd(this.ch(i)) && !isQuote(this.ch(i))) return null;
      this.pos = i;
      return { kind: 'parameter', name, value: null, span: { start, end: i } };
    }
    this.pos = i + 1;
    this.skipSpace();
    const v = this.ch();
    if (v === undefined || isNewline(v) || v === ';' || v === '|' || v === ')' || v === '}' || v === ',') {
      this.fail(`Missing an argument for parameter -${shown(name)}`, this.pos);
    }
    const value = this.argumentList();
    return { kind: 'parameter', name, value, span: { start, end: value.span.end } };
  }

  /** one argument, or `a, b, c` as one array argument (there, `-x` is a word) */
  private argumentList(): Expression {
    return this.commaList(() => this.argumentValue(), "Missing an argument after ','");
  }

  /** `item`, or `item, item, ...` as an array; a comma may end a line */
  private commaList(item: () => Expression, missing: string): Expression {
    const first = item();
    let comma = this.spaceEnd(this.pos);
    if (this.ch(comma) !== ',') return first;
    const items = [first];
    while (this.ch(comma) === ',') {
      this.pos = comma + 1;
      this.skipSpaceAndNewlines();
      const c = this.ch();
      if (c === undefined || c === ';' || c === '|' || c === ')' || c === '}' || c === ',') this.failMissing(missing);
      items.push(item());
      comma = this.spaceEnd(this.pos);
    }
    const array: ArrayLiteral = { kind: 'array', items, span: { start: first.span.start, end: this.pos } };
    return array;
  }

  /** An argument's value; a `-Name` parameter token has been taken before. */
  private argumentValue(): Expression {
    const c = this.ch();
    const n = this.ch(this.pos + 1);
    if (c === '$') return this.dollarArgument();
    if (c === '(' || c === '{' || c === '@' || isQuote(c)) return this.postfix(this.primary());
    if (c === '&') this.fail(`The ampersand (&) ${NOT_SUPPORTED}; put text that contains it in quotes`);
    if (c === '<' || c === '>') this.failRedirection();
    if (isDigit(c) || c === '.' || (isDash(c) && (isDigit(n) || n === '.'))) {
      const number = scanNumber(this.text, this.pos, this.end, true);
      if (number && isWordEnd(this.ch(number.end))) {
        if (this.ch(number.end) === '>') this.failRedirection(number.end);
        const start = this.pos;
        this.pos = number.end;
        return {
          kind: 'number',
          value: number.value,
          text: this.text.slice(start, number.end),
          span: { start, end: number.end },
        };
      }
    }
    return this.bareWord();
  }

  /**
   * `$x`, `$x.Name`, `$(...)`; but `$HOME\docs` or `$user@contoso.com` reads, as in
   * PowerShell, as one expandable word.
   */
  private dollarArgument(): Expression {
    const start = this.pos;
    if (this.ch(start + 1) === '(') {
      const sub = this.subExpression();
      if (isWordEnd(this.ch())) return sub;
      const value = this.postfix(sub);
      if (isWordEnd(this.ch())) return value;
      this.pos = sub.span.end;
      return this.bareWord(start, [sub]);
    }
    const variable = this.scanVariable(start);
    if (!variable) return this.bareWord();
    this.pos = variable.end;
    const value = this.postfix(this.variableNode(variable, start));
    if (isWordEnd(this.ch())) return value;
    this.pos = start;
    return this.bareWord();
  }

  /**
   * A bare word in argument mode: runs to a space or one of `| ; , ( ) { } < > &`. Quoted
   * parts join it (`a'b c'` is "ab c"), backticks escape, `$name` and `$(...)` expand.
   */
  private bareWord(start = this.pos, parts: Array<string | Expression> = []): StringLiteral | ExpandableString {
    let text = '';
    for (;;) {
      const c = this.ch();
      if (isWordEnd(c)) break;
      if (c === '`') {
        const n = this.ch(this.pos + 1);
        if (n === undefined) this.fail('The backtick (`) at the end of the input needs a next line', this.pos, true);
        if (isNewline(n)) break;
        text += this.escape();
      } else if (isSingleQuote(c)) {
        text += this.singleQuoted().value;
      } else if (isDoubleQuote(c)) {
        const quoted = this.doubleQuoted();
        if (quoted.kind === 'string') {
          text += quoted.value;
        } else {
          for (const part of quoted.parts) {
            if (typeof part === 'string') {
              text += part;
            } else {
              parts.push(text, part);
              text = '';
            }
          }
        }
      } else if (c === '$' && this.expandsHere()) {
        parts.push(text, this.expansion());
        text = '';
      } else {
        text += c;
        this.pos++;
      }
    }
    if (this.pos === start) this.unexpected();
    const span = { start, end: this.pos };
    if (parts.length === 0) return { kind: 'string', value: text, quote: 'bare', span };
    parts.push(text);
    if (parts.every((p) => typeof p === 'string'))
      return { kind: 'string', value: parts.join(''), quote: 'bare', span };
    return { kind: 'expandable', parts: mergeText(parts), span };
  }

  // ---------------------------------------------------------------- expressions

  private expression(): Expression {
    return this.binaryChain('logical');
  }

  /** Left-associative chains: `-and`/`-or` over comparisons over `+` over comma lists. */
  private binaryChain(level: 'logical' | 'comparison' | 'additive'): Expression {
    let left = this.operand(level);
    let count = 0;
    for (;;) {
      const op = this.peekOperator();
      if (!op) return left;
      const isLevel =
        level === 'logical'
          ? op.operator === 'and' || op.operator === 'or'
          : level === 'additive'
            ? op.operator === '+'
            : COMPARISONS.has(op.operator);
      if (!isLevel) return left;
      if (++count > MAX_CHAIN) this.fail(`The expression chains more than ${MAX_CHAIN} operators`, op.start);
      this.pos = op.end;
      this.skipSpaceAndNewlines();
      const spelled = this.text.slice(op.start, op.end);
      const c = this.ch();
      if (c === undefined || c === ';' || c === ')' || c === '}' || c === '|')
        this.failMissing(`Missing an expression after the operator '${spelled}'`);
      const right = this.operand(level);
      left = {
        kind: 'binary',
        operator: op.operator,
        caseSensitive: op.caseSensitive,
        left,
        right,
        span: { start: left.span.start, end: right.span.end },
      };
    }
  }

  private operand(level: 'logical' | 'comparison' | 'additive'): Expression {
    if (level === 'logical') return this.binaryChain('comparison');
    return level === 'comparison' ? this.binaryChain('additive') : this.arrayList();
  }

  /** The operator after an operand, if any; operators outside the subset fail here. */
  private peekOperator(): Operator | null {
    const p = this.spaceEnd(this.pos);
    const c = this.ch(p);
    const n = this.ch(p + 1);
    if (c === undefined) return null;
    if (isDash(c)) {
      if (isLetter(n)) {
        let i = p + 1;
        while (isLetter(this.ch(i))) i++;
        const name = this.text.slice(p + 1, i).toLowerCase();
        if (name === 'and' || name === 'or') return { operator: name, caseSensitive: false, start: p, end: i };
        if (COMPARISONS.has(name))
          return { operator: name as ComparisonOperator, caseSensitive: false, start: p, end: i };
        const bare = name.slice(1);
        if ((name[0] === 'i' || name[0] === 'c') && COMPARISONS.has(bare)) {
          return { operator: bare as ComparisonOperator, caseSensitive: name[0] === 'c', start: p, end: i };
        }
        if (UNSUPPORTED_OPERATORS.has(name)) this.fail(`The -${name} operator ${NOT_SUPPORTED}`, p);
        if (name === 'not') this.fail("Unexpected operator '-not': it goes before an expression, as in -not $x", p);
        this.fail(`Unknown operator '-${shown(this.text.slice(p + 1, i))}'`, p);
      }
      const spelled = isDash(n) ? '--' : n === '=' ? '-=' : '-';
      this.fail(`The '${spelled}' operator ${NOT_SUPPORTED}`, p);
    }
    if (c === '+') {
      if (n === '+' || n === '=') this.fail(`The '+${n}' operator ${NOT_SUPPORTED}`, p);
      return { operator: '+', caseSensitive: false, start: p, end: p + 1 };
    }
    if (c === '*' || c === '/' || c === '%')
      this.fail(`The '${c}${n === '=' ? '=' : ''}' operator ${NOT_SUPPORTED}`, p);
    if (c === '=' && n === '=') this.fail("'==' is not a PowerShell operator; to compare, use -eq", p);
    if (c === '!' && n === '=') this.fail("'!=' is not a PowerShell operator; to compare, use -ne", p);
    if (c === '<' || c === '>') this.failRedirection(p);
    if (c === '&')
      this.fail(n === '&' ? `The '&&' operator ${NOT_SUPPORTED}` : `The ampersand (&) ${NOT_SUPPORTED}`, p);
    if (c === '.' && n === '.') this.fail(`The range operator (..) ${NOT_SUPPORTED}`, p);
    if (c === '|' && n === '|') this.fail(`The '||' operator ${NOT_SUPPORTED}`, p);
    return null;
  }

  /** `a, b, c`: the comma binds tighter than every binary operator */
  private arrayList(): Expression {
    return this.commaList(() => this.unary(), "Missing an expression after ','");
  }

  private unary(): Expression {
    const start = this.pos;
    const c = this.ch();
    const isNot = c === '!' || (isDash(c) && this.atWord('not', start + 1));
    if (!isNot) return this.postfix(this.primary());
    this.enter();
    this.pos += c === '!' ? 1 : 4;
    this.skipSpaceAndNewlines();
    const o = this.ch();
    if (o === undefined || o === ';' || o === ')' || o === '}' || o === '|')
      this.failMissing(`Missing an expression after '${c === '!' ? '!' : '-not'}'`);
    const operand = this.unary();
    this.leave();
    return { kind: 'unary', operator: 'not', operand, span: { start, end: operand.span.end } };
  }

  /** An operand: the same in both modes, except that bare words are argument mode's only. */
  private primary(): Expression {
    const start = this.pos;
    const c = this.ch();
    const n = this.ch(start + 1);
    if (c === undefined) this.fail('An expression was expected', start, true);
    if (c === '$') {
      if (n === '(') return this.subExpression();
      const variable = this.scanVariable(start);
      if (!variable) this.fail("A variable name was expected after '$'", start);
      this.pos = variable.end;
      return this.variableNode(variable, start);
    }
    if (c === '(') return this.parenthesized();
    if (c === '{') return this.scriptBlock();
    if (c === '@') {
      if (n === '(') return this.subExpression();
      if (n === '{') return this.hashtable();
      if (isQuote(n)) return this.hereString();
      this.fail(
        isNameChar(n) ? `Splatting (@${shown(this.tokenAt(start + 1))}) ${NOT_SUPPORTED}` : "Unexpected token '@'",
        start,
      );
    }
    if (isSingleQuote(c)) return this.singleQuoted();
    if (isDoubleQuote(c)) return this.doubleQuoted();
    if (isDigit(c) || c === '.' || isDash(c)) {
      const number = scanNumber(this.text, start, this.end, true);
      if (number) {
        if (isNameChar(this.ch(number.end))) this.unexpected(number.end);
        this.pos = number.end;
        return {
          kind: 'number',
          value: number.value,
          text: this.text.slice(start, number.end),
          span: { start, end: number.end },
        };
      }
      if (isDash(c) && isLetter(n)) {
        let i = start + 1;
        while (isLetter(this.ch(i))) i++;
        const name = this.text.slice(start + 1, i).toLowerCase();
        if (UNSUPPORTED_OPERATORS.has(name)) this.fail(`The -${name} operator ${NOT_SUPPORTED}`, start);
        this.fail(`Unexpected token '${shown(this.tokenAt(start))}': an expression was expected`, start);
      }
      if (isDash(c)) this.fail(`The '${isDash(n) ? '--' : '-'}' operator ${NOT_SUPPORTED}`, start);
      if (c === '.' && (isSpace(n) || n === '$')) this.fail(`Dot-sourcing (. script) ${NOT_SUPPORTED}`, start);
    }
    if (c === '[') this.fail(`Type names and casts ([type]) ${ARE_NOT_SUPPORTED}`, start);
    if (c === '&') this.fail(`The ampersand (&) call operator ${NOT_SUPPORTED}`, start);
    if (c === ',') this.fail(`The unary comma operator ${NOT_SUPPORTED}`, start);
    if (c === '+' && n === '+') this.fail(`The '++' operator ${NOT_SUPPORTED}`, start);
    if (c === '<' || c === '>') this.failRedirection(start);
    if (
      isWordEnd(c) ||
      c === '=' ||
      c === '`' ||
      c === '!' ||
      c === '+' ||
      c === '*' ||
      c === '/' ||
      c === '%' ||
      c === '.'
    ) {
      this.unexpected(start, ': an expression was expected');
    }
    this.fail(
      `Unexpected token '${shown(this.tokenAt(start))}' in an expression: put text in quotes, and commands in parentheses`,
      start,
    );
  }

  /** `.Member` after an operand (no space before the dot); methods, indexes and `::` fail */
  private postfix(target: Expression): Expression {
    let value = target;
    let count = 0;
    for (;;) {
      const c = this.ch();
      const n = this.ch(this.pos + 1);
      if (c === '[') this.fail(`Indexing ([...]) ${NOT_SUPPORTED}; use Select-Object -First, -Last or -Index`);
      if (c === ':' && n === ':') this.fail(`Static members (::) ${ARE_NOT_SUPPORTED}`);
      if (c !== '.') return value;
      let member: string;
      const memberStart = this.pos + 1;
      if (isLetter(n) || n === '_') {
        let i = memberStart;
        while (isNameChar(this.ch(i))) i++;
        member = this.text.slice(memberStart, i);
        this.pos = i;
      } else if (isSingleQuote(n) || isDoubleQuote(n)) {
        this.pos = memberStart;
        const quoted = isSingleQuote(n) ? this.singleQuoted() : this.doubleQuoted();
        if (quoted.kind !== 'string') this.fail(`Member names with variables ${ARE_NOT_SUPPORTED}`, memberStart);
        member = quoted.value;
      } else if (n === '$' || n === '(') {
        this.fail(`Member names computed from expressions ${ARE_NOT_SUPPORTED}`, memberStart);
      } else {
        return value;
      }
      if (this.ch() === '(') this.fail(`Method calls ${ARE_NOT_SUPPORTED}`, memberStart);
      if (++count > MAX_CHAIN) this.fail(`The expression chains more than ${MAX_CHAIN} member accesses`, memberStart);
      value = { kind: 'member', target: value, member, span: { start: value.span.start, end: this.pos } };
    }
  }

  /** `( pipeline )` */
  private parenthesized(): Parenthesized {
    const start = this.pos;
    this.enter();
    this.pos++;
    this.skipSpaceAndNewlines();
    if (this.ch() === ')') this.fail("An expression was expected after '('");
    if (this.atEnd()) this.fail(`Missing closing ')' for the '(' opened at ${this.where(start)}`, this.pos, true);
    const pipeline = this.pipeline();
    this.skipSpaceAndNewlines();
    if (this.ch() !== ')') {
      if (this.atEnd()) this.fail(`Missing closing ')' for the '(' opened at ${this.where(start)}`, this.pos, true);
      this.fail(
        `Missing closing ')' for the '(' opened at ${this.where(start)}; found '${shown(this.tokenAt(this.pos))}'`,
      );
    }
    this.pos++;
    this.leave();
    return { kind: 'paren', pipeline, span: { start, end: this.pos } };
  }

  /** `$( statements )` or `@( statements )` */
  protected override subExpression(): SubExpression {
    const start = this.pos;
    const array = this.ch() === '@';
    this.enter();
    this.pos += 2;
    const statements = this.statementList(')', start, `subexpression '${array ? '@' : '$'}('`);
    this.pos++;
    this.leave();
    return { kind: 'subexpression', statements, array, span: { start, end: this.pos } };
  }

  /** `{ statements }`, keeping its source for display */
  private scriptBlock(): ScriptBlockLiteral {
    const start = this.pos;
    this.enter();
    this.pos++;
    const statements = this.statementList('}', start, 'script block');
    const text = this.text.slice(start + 1, this.pos);
    this.pos++;
    this.leave();
    return { kind: 'scriptblock', statements, text, span: { start, end: this.pos } };
  }

  /** `@{ Key = value; 'Other Key' = value }`; entries end at `;` or a newline */
  private hashtable(): HashtableLiteral {
    const start = this.pos;
    this.enter();
    this.pos += 2;
    const entries: HashtableLiteral['entries'] = [];
    const keys = new Set<string>();
    const missingBrace = (): never =>
      this.fail(`Missing closing '}' for the hashtable opened at ${this.where(start)}`, this.pos, true);
    for (;;) {
      for (;;) {
        this.skipSpaceAndNewlines();
        if (this.ch() !== ';') break;
        this.pos++;
      }
      if (this.atEnd()) missingBrace();
      if (this.ch() === '}') break;
      const keyStart = this.pos;
      const key = this.hashKey();
      this.skipSpaceAndNewlines();
      if (this.ch() !== '=') this.failMissing(`Missing '=' after the key '${shown(key)}' in the hashtable`);
      this.pos++;
      this.skipSpaceAndNewlines();
      const c = this.ch();
      if (c === undefined || c === ';' || c === '}' || c === ')')
        this.failMissing(`Missing the value of the key '${shown(key)}' in the hashtable`);
      const value = this.hashValue();
      if (keys.has(key.toLowerCase()))
        this.fail(`Duplicate keys '${shown(key)}' are not allowed in a hashtable`, keyStart);
      keys.add(key.toLowerCase());
      entries.push({ key, value, span: { start: keyStart, end: value.span.end } });
      this.skipSpace();
      const after = this.ch();
      if (after === undefined) missingBrace();
      if (after !== ';' && after !== '}' && !isNewline(after)) {
        this.fail(
          `Unexpected token '${shown(this.tokenAt(this.pos))}' in the hashtable: separate its entries with ';' or new lines`,
        );
      }
    }
    this.pos++;
    this.leave();
    return { kind: 'hashtable', entries, span: { start, end: this.pos } };
  }

  private hashKey(): string {
    const c = this.ch();
    if (isSingleQuote(c)) return this.singleQuoted().value;
    if (isDoubleQuote(c)) {
      const at = this.pos;
      const quoted = this.doubleQuoted();
      if (quoted.kind !== 'string') this.fail(`Hashtable keys with variables ${ARE_NOT_SUPPORTED}`, at);
      return quoted.value;
    }
    if (c === '$' || c === '(' || c === '@' || c === '[')
      this.fail(`Hashtable keys computed from expressions ${ARE_NOT_SUPPORTED}; write the key as a word or in quotes`);
    const start = this.pos;
    while (!isWordEnd(this.ch()) && this.ch() !== '=' && !isQuote(this.ch()) && this.ch() !== '`' && this.ch() !== '$')
      this.pos++;
    if (this.pos === start) this.unexpected(start, ': a hashtable key was expected');
    return this.text.slice(start, this.pos);
  }

  /** A value is a statement in PowerShell: a command runs, as if in parentheses. */
  private hashValue(): Expression {
    const pipeline = this.pipeline();
    const only = pipeline.elements[0]!;
    if (pipeline.elements.length === 1 && only.kind === 'expression') return only.expression;
    return { kind: 'paren', pipeline, span: pipeline.span };
  }
}
