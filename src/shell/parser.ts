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
  Assignment,
  BinaryExpression,
  CmdletBinding,
  DoStatement,
  FlowStatement,
  ForStatement,
  FunctionDefinition,
  IfStatement,
  IncrementExpression,
  IndexExpression,
  MemberAccess,
  MethodCall,
  ParamDeclaration,
  Redirection,
  SwitchStatement,
  TryStatement,
  WhileStatement,
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
  SplatArgument,
  Statement,
  StringLiteral,
  SubExpression,
  TypeLiteral,
  Validation,
} from './ast.js';
import { CAST_TYPES, COMPARISON_OPERATORS, STATIC_MEMBERS, STRING_METHODS } from './ast.js';
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
  'class',
  'data',
  'dynamicparam',
  'end',
  'enum',
  'filter',
  'in',
  'process',
  'trap',
  'using',
  'workflow',
]);

/** commands that would run text as code, programs, or .NET: refused before anything runs */
const REFUSED_COMMANDS = new Map<string, string>([
  ['invoke-expression', 'Invoke-Expression'],
  ['iex', 'Invoke-Expression (iex)'],
  ['invoke-command', 'Invoke-Command'],
  ['icm', 'Invoke-Command (icm)'],
  ['start-process', 'Start-Process'],
  ['saps', 'Start-Process (saps)'],
  ['start-job', 'Start-Job'],
  ['invoke-item', 'Invoke-Item'],
  ['ii', 'Invoke-Item (ii)'],
  ['add-type', 'Add-Type'],
  ['new-object', 'New-Object (make objects with [pscustomobject]@{ ... })'],
  ['invoke-webrequest', 'Invoke-WebRequest'],
  ['invoke-restmethod', 'Invoke-RestMethod'],
  ['iwr', 'Invoke-WebRequest (iwr)'],
  ['irm', 'Invoke-RestMethod (irm)'],
]);

/** keywords that start a statement of their own */
const STATEMENT_KEYWORDS = new Set([
  'if',
  'while',
  'do',
  'for',
  'foreach',
  'switch',
  'try',
  'break',
  'continue',
  'return',
  'exit',
  'throw',
  'function',
]);

/** keywords that only continue a statement begun before them */
const CONTINUATION_KEYWORDS = new Set(['else', 'elseif', 'catch', 'finally', 'until', 'param']);

/** what `catch [Type]` may name: the error categories a handler can tell apart (see session.ts) */
export const CATCH_TYPES = new Set([
  'exception',
  'system.exception',
  'runtimeexception',
  'system.management.automation.runtimeexception',
  'argumentexception',
  'system.argumentexception',
  'parameterbindingexception',
  'system.management.automation.parameterbindingexception',
  'itemnotfoundexception',
  'system.management.automation.itemnotfoundexception',
  'commandnotfoundexception',
  'system.management.automation.commandnotfoundexception',
  'managementobjectnotfoundexception',
  'microsoft.exchange.configuration.tasks.managementobjectnotfoundexception',
  'unauthorizedaccessexception',
  'system.unauthorizedaccessexception',
  'invalidoperationexception',
  'system.invalidoperationexception',
  'ioexception',
  'system.io.ioexception',
  'filenotfoundexception',
  'system.io.filenotfoundexception',
]);

const PARAMETER_TYPES = new Set<string>([...CAST_TYPES, 'string[]', 'int[]', 'object[]']);
// ShouldProcess is $PSCmdlet's: on anything else it fails when it runs
const METHODS = new Set<string>([...STRING_METHODS, 'adddays', 'addhours', 'addminutes', 'shouldprocess']);

const COMPARISONS = new Set<string>(COMPARISON_OPERATORS);

const UNSUPPORTED_OPERATORS = new Set(['band', 'bor', 'bxor', 'bnot', 'shl', 'shr']);

/** the types `-is`, `-isnot` and `-as` can test for or convert to */
const TYPE_TEST_TYPES = new Set<string>([...CAST_TYPES, 'string[]', 'int[]', 'object[]']);

/** the loops (and switch) a label may stand before */
const LABELLED = new Set(['foreach', 'for', 'while', 'do', 'switch']);

/** the validation attributes a parameter may carry, by lower-case name */
const VALIDATION_NAMES: Readonly<Record<string, string>> = {
  validateset: 'ValidateSet',
  validatepattern: 'ValidatePattern',
  validaterange: 'ValidateRange',
  validatenotnullorempty: 'ValidateNotNullOrEmpty',
};
const VALIDATIONS = new Set(Object.keys(VALIDATION_NAMES));

/** binary operator levels, loosest first; below the last come comma lists, then unary operators */
const LEVELS = ['logical', 'comparison', 'additive', 'multiplicative', 'format', 'range'] as const;
type Level = (typeof LEVELS)[number];

const NOT_SUPPORTED = "is not supported by umpin's shell";
const ARE_NOT_SUPPORTED = "are not supported by umpin's shell";

type Closer = ')' | '}';

interface Operator {
  operator: BinaryExpression['operator'];
  level: Level;
  caseSensitive: boolean;
  start: number;
  end: number;
}

class Parser extends Lexer {
  /** inside `param(...)` defaults and method arguments, a comma ends the expression */
  private noComma = false;

  // ---------------------------------------------------------------- statements

  script(): Script {
    const { params, binding } = this.leadingParams();
    const statements = this.statementList(null, 0, '');
    const script: Script = { kind: 'script', params, statements, span: { start: 0, end: this.text.length } };
    if (binding) script.binding = binding;
    return script;
  }

  /** `[CmdletBinding()] param(...)` first in a script or function body; no params when there is none */
  private leadingParams(): { params: ParamDeclaration[]; binding: CmdletBinding | null } {
    const save = this.pos;
    this.skipSpaceAndNewlines();
    let binding: CmdletBinding | null = null;
    if (this.ch() === '[' && /^\[\s*cmdletbinding\s*\(/i.test(this.text.slice(this.pos, this.pos + 40))) {
      const at = this.pos;
      const close = this.text.indexOf(']', this.pos);
      const inner = close < 0 ? '' : this.text.slice(this.pos, close + 1);
      const m = /^\[\s*cmdletbinding\s*\(([^)]*)\)\s*\]$/i.exec(inner);
      if (!m) this.fail(`Missing ')]' to close [CmdletBinding(`, at, close < 0);
      binding = { shouldProcess: false, confirmImpact: 'medium' };
      for (const part of m[1]!.split(',')) {
        const item = part.trim();
        if (item === '') continue;
        const impact = /^ConfirmImpact\s*=\s*(['"])(low|medium|high)\1$/i.exec(item);
        if (/^SupportsShouldProcess(\s*=\s*\$true)?$/i.test(item)) binding.shouldProcess = true;
        else if (impact) binding.confirmImpact = impact[2]!.toLowerCase() as CmdletBinding['confirmImpact'];
        else
          this.fail(
            `[CmdletBinding(${shown(item)})] ${NOT_SUPPORTED}; it takes SupportsShouldProcess and ConfirmImpact = 'Low', 'Medium' or 'High'`,
            at,
          );
      }
      this.pos = close + 1;
      this.skipSpaceAndNewlines();
      if (!this.atKeyword('param')) this.failMissing("Missing 'param(...)' after [CmdletBinding()]");
    }
    if (!this.atKeyword('param')) {
      this.pos = save;
      return { params: [], binding: null };
    }
    this.pos += 'param'.length;
    this.skipSpaceAndNewlines();
    if (this.ch() !== '(') this.failMissing("Missing '(' after the keyword 'param'");
    return { params: this.paramList(), binding };
  }

  /** `( [type] $name = default, ... )` at pos; leaves pos after the `)` */
  private paramList(): ParamDeclaration[] {
    const open = this.pos;
    this.enter();
    this.pos++;
    const params: ParamDeclaration[] = [];
    const names = new Set<string>();
    for (;;) {
      this.skipSpaceAndNewlines();
      if (this.ch() === ')') break;
      if (this.atEnd())
        this.fail(`Missing closing ')' of the parameter list opened at ${this.where(open)}`, this.pos, true);
      if (params.length > 0) {
        if (this.ch() !== ',') this.unexpected(this.pos, ": separate parameters with ','");
        this.pos++;
        this.skipSpaceAndNewlines();
      }
      const p = this.paramDeclaration();
      if (names.has(p.name.toLowerCase())) this.fail(`The parameter $${shown(p.name)} is declared twice`, p.span.start);
      names.add(p.name.toLowerCase());
      params.push(p);
    }
    this.pos++;
    this.leave();
    return params;
  }

  private paramDeclaration(): ParamDeclaration {
    const start = this.pos;
    let type: string | null = null;
    let mandatory = false;
    const validations: Validation[] = [];
    while (this.ch() === '[') {
      const at = this.pos;
      const name = this.typeName();
      if (name === 'parameter') {
        mandatory = this.parameterAttribute();
      } else if (VALIDATIONS.has(name)) {
        validations.push(this.validationAttribute(name, at));
      } else if (PARAMETER_TYPES.has(name)) {
        if (type !== null) this.fail('A parameter can have only one type', at);
        type = name;
      } else {
        this.fail(`The attribute or type [${shown(name)}] ${NOT_SUPPORTED} in a parameter declaration`, at);
      }
      this.skipSpaceAndNewlines();
    }
    const variable = this.ch() === '$' ? this.scanVariable(this.pos) : null;
    if (!variable || variable.constant !== undefined || variable.name.includes(':'))
      this.failMissing('A parameter name ($Name) was expected');
    this.pos = variable.end;
    let defaultValue: Expression | null = null;
    const eq = this.spaceEnd(this.pos);
    if (this.ch(eq) === '=') {
      this.pos = eq + 1;
      this.skipSpaceAndNewlines();
      const saved = this.noComma;
      this.noComma = true;
      defaultValue = this.expression();
      this.noComma = saved;
    }
    const p: ParamDeclaration = { name: variable.name, type, mandatory, defaultValue, span: { start, end: this.pos } };
    if (validations.length > 0) p.validations = validations;
    return p;
  }

  /** `('a', 'b')]` after `[ValidateSet` (and the others): literal arguments only, checked here */
  private validationAttribute(lower: string, at: number): Validation {
    const name = VALIDATION_NAMES[lower]!;
    const args: Array<string | number> = [];
    if (this.ch() === '(') {
      this.pos++;
      for (;;) {
        this.skipSpaceAndNewlines();
        if (this.ch() === ')') break;
        if (this.atEnd()) this.fail(`Missing closing ')' of [${name}(...)]`, this.pos, true);
        if (args.length > 0) {
          if (this.ch() !== ',') this.unexpected(this.pos, ": separate the attribute's arguments with ','");
          this.pos++;
          this.skipSpaceAndNewlines();
        }
        const valueAt = this.pos;
        const saved = this.noComma;
        this.noComma = true;
        const value = this.unary();
        this.noComma = saved;
        if (value.kind === 'string') args.push(value.value);
        else if (value.kind === 'number') args.push(value.value);
        else this.fail(`[${name}(...)] takes quoted text and numbers only`, valueAt);
        if (args.length > 100) this.fail(`[${name}(...)] takes at most 100 values`, valueAt);
      }
      this.pos++;
    }
    this.skipSpace();
    if (this.ch() !== ']') this.failMissing(`Missing ']' after [${name}(...)`, at);
    this.pos++;
    const count = (n: number) => {
      if (args.length !== n) this.fail(`[${name}(...)] takes ${n === 0 ? 'no' : n} arguments`, at);
    };
    switch (lower) {
      case 'validateset':
        if (args.length === 0) this.fail('[ValidateSet(...)] takes the allowed values', at);
        return { kind: 'set', values: args.map(String) };
      case 'validatepattern': {
        count(1);
        const pattern = String(args[0]);
        try {
          new RegExp(pattern);
        } catch {
          this.fail(`[ValidatePattern(...)] takes a valid regular expression`, at);
        }
        return { kind: 'pattern', pattern };
      }
      case 'validaterange': {
        count(2);
        const [min, max] = args;
        if (typeof min !== 'number' || typeof max !== 'number' || min > max)
          this.fail('[ValidateRange(min, max)] takes two numbers, the smaller first', at);
        return { kind: 'range', min, max };
      }
      default:
        count(0);
        return { kind: 'notnullorempty' };
    }
  }

  /** `(Mandatory)`, `(Mandatory = $true, Position = 0, HelpMessage = '...')` after `[Parameter`; returns Mandatory */
  private parameterAttribute(): boolean {
    const at = this.pos;
    let mandatory = false;
    // typeName stopped at '(' or ']'
    if (this.ch() === '(') {
      this.pos++;
      for (;;) {
        this.skipSpaceAndNewlines();
        if (this.ch() === ')') break;
        if (this.ch() === ',') {
          this.pos++;
          continue;
        }
        const nameStart = this.pos;
        while (isNameChar(this.ch())) this.pos++;
        const name = this.text.slice(nameStart, this.pos).toLowerCase();
        if (!name) this.unexpected(this.pos, ' in [Parameter(...)]');
        this.skipSpace();
        let value: Expression | null = null;
        if (this.ch() === '=') {
          this.pos++;
          this.skipSpace();
          const saved = this.noComma;
          this.noComma = true;
          value = this.unary();
          this.noComma = saved;
        }
        if (name === 'mandatory') mandatory = value === null || (value.kind === 'constant' && value.value === true);
        else if (name !== 'position' && name !== 'helpmessage')
          this.fail(
            `[Parameter(${shown(name)})] ${NOT_SUPPORTED}; it takes Mandatory, Position and HelpMessage`,
            nameStart,
          );
      }
      this.pos++;
    }
    this.skipSpace();
    if (this.ch() !== ']') this.failMissing("Missing ']' after [Parameter(...)", at);
    this.pos++;
    return mandatory;
  }

  /**
   * `[name]` or `[name[]]` at pos, lower-case with any `System.` dropped. For `[Parameter(`
   * it stops at the `(`; otherwise it reads the closing `]`.
   */
  private typeName(): string {
    const start = this.pos;
    this.pos++;
    this.skipSpace();
    const nameStart = this.pos;
    while (isNameChar(this.ch()) || this.ch() === '.') this.pos++;
    let name = this.text.slice(nameStart, this.pos).toLowerCase();
    if (!name) this.fail("A type name was expected after '['", this.pos, this.atEnd());
    if (
      (name === 'parameter' || VALIDATIONS.has(name)) &&
      this.spaceEnd(this.pos) < this.end &&
      this.ch(this.spaceEnd(this.pos)) === '('
    ) {
      this.pos = this.spaceEnd(this.pos);
      return name;
    }
    if (this.ch(this.spaceEnd(this.pos)) === '(')
      this.fail(
        `The attribute [${shown(name)}(...)] ${NOT_SUPPORTED}; a parameter takes [Parameter(...)] and a type`,
        start,
      );
    if (this.ch() === '[' && this.ch(this.pos + 1) === ']') {
      name += '[]';
      this.pos += 2;
    }
    this.skipSpace();
    if (this.ch() !== ']') this.failMissing(`Missing ']' to close the type name opened at ${this.where(start)}`);
    this.pos++;
    if (name.startsWith('system.') && !name.startsWith('system.management') && !name.startsWith('system.io'))
      name = name.slice('system.'.length);
    return name;
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

  /** the keyword at pos (lower-case), if a word that is one starts there */
  private keywordAt(): string | null {
    if (!isLetter(this.ch())) return null;
    let i = this.pos;
    while (isLetter(this.ch(i))) i++;
    const word = this.text.slice(this.pos, i).toLowerCase();
    if (!STATEMENT_KEYWORDS.has(word) && !CONTINUATION_KEYWORDS.has(word)) return null;
    return this.atKeyword(word) ? word : null;
  }

  /** at the keyword `word` (case-insensitive): as in PowerShell, `until$` or `if-x` is a command's name, not a keyword */
  private atKeyword(word: string): boolean {
    if (this.text.slice(this.pos, this.pos + word.length).toLowerCase() !== word || this.pos + word.length > this.end)
      return false;
    const next = this.ch(this.pos + word.length);
    return isWordEnd(next) || isQuote(next);
  }

  private statement(): Statement {
    if (this.ch() === ':' && (isLetter(this.ch(this.pos + 1)) || this.ch(this.pos + 1) === '_')) return this.labelled();
    const keyword = this.keywordAt();
    switch (keyword) {
      case 'foreach':
        return this.foreachStatement();
      case 'if':
        return this.ifStatement();
      case 'while':
        return this.whileStatement();
      case 'do':
        return this.doStatement();
      case 'for':
        return this.forStatement();
      case 'switch':
        return this.switchStatement();
      case 'try':
        return this.tryStatement();
      case 'function':
        return this.functionDefinition();
      case 'break':
      case 'continue':
      case 'return':
      case 'exit':
      case 'throw':
        return this.flowStatement(keyword);
      case 'param':
        this.fail("'param(...)' can only stand first in a script or a function body");
        break;
      case null:
        break;
      default:
        this.fail(`The '${keyword}' keyword must follow the '}' of its statement`);
    }
    return this.typedAssignment() ?? this.assignment() ?? this.pipeline();
  }

  /** `:outer foreach (...) { ... }`: a loop (or switch) that `break outer` and `continue outer` name */
  private labelled(): Statement {
    const start = this.pos;
    let i = start + 1;
    while (isNameChar(this.ch(i))) i++;
    const label = this.text.slice(start + 1, i);
    this.pos = i;
    this.skipSpaceAndNewlines();
    const keyword = this.keywordAt();
    if (keyword === null || !LABELLED.has(keyword))
      this.fail(`A label (:${shown(label)}) goes before a loop: foreach, for, while, do or switch`, start);
    const st = this.statement();
    if (st.kind === 'foreach' || st.kind === 'for' || st.kind === 'while' || st.kind === 'do' || st.kind === 'switch')
      return { ...st, label, span: { start, end: st.span.end } };
    return this.fail(`A label (:${shown(label)}) goes before a loop: foreach, for, while, do or switch`, start);
  }

  /** `[int]$x = 5`: a typed variable; null (pos unchanged) when `[type]` starts a cast or anything else */
  private typedAssignment(): Statement | null {
    const start = this.pos;
    if (this.ch() !== '[' || !isLetter(this.ch(this.spaceEnd(start + 1)))) return null;
    let i = this.spaceEnd(start + 1);
    while (isNameChar(this.ch(i)) || this.ch(i) === '.' || this.ch(i) === '[' || this.ch(i) === ']') {
      if (this.ch(i) === ']' && this.ch(i - 1) !== '[') break;
      i++;
    }
    // `[int]$x`, then `=` (not `==`, not `-eq`): anything else is left to the expression parser
    if (this.ch(i) !== ']') return null;
    const dollar = this.spaceEnd(i + 1);
    if (this.ch(dollar) !== '$') return null;
    const variable = this.scanVariable(dollar);
    if (!variable || variable.constant !== undefined) return null;
    const eq = this.spaceEnd(variable.end);
    if (this.ch(eq) !== '=' || this.ch(eq + 1) === '=') return null;
    const type = this.typeName();
    if (!PARAMETER_TYPES.has(type) || type === 'switch')
      this.fail(
        `A variable cannot have the type [${shown(type)}]; it takes [int], [long], [double], [decimal], [string], [bool], [datetime], [array], [hashtable], [pscustomobject], [string[]], [int[]] and [object[]]`,
        start,
      );
    this.pos = dollar;
    const assignment = this.assignment();
    if (assignment?.kind !== 'assignment' || assignment.operator !== '=' || assignment.target.kind !== 'variable')
      this.fail(`A typed variable is assigned with '=', as in [${shown(type)}]$x = value`, start);
    return { ...assignment, type, span: { start, end: assignment.span.end } };
  }

  /** `$m = <pipeline>`, `$n += 1`, `$h['k'] = v`, `$o.Name = v`; null when the statement is not an assignment */
  private assignment(): Statement | null {
    const start = this.pos;
    if (this.ch() !== '$' || this.ch(start + 1) === '(') return null;
    const variable = this.scanVariable(start);
    if (!variable) return null;
    this.pos = variable.end;
    let target: Assignment['target'] = { kind: 'variable', name: variable.name, span: { start, end: variable.end } };
    if (variable.constant === undefined && (this.ch() === '[' || this.ch() === '.')) {
      const value = this.postfix(target, false);
      if (value.kind !== 'index' && value.kind !== 'member') {
        this.pos = start;
        return null;
      }
      target = value;
    }
    const eq = this.spaceEnd(this.pos);
    const c = this.ch(eq);
    const n = this.ch(eq + 1);
    let operator: Assignment['operator'];
    if (c === '=' && n !== '=') operator = '=';
    else if (n === '=' && (c === '+' || c === '*' || c === '/' || c === '%' || isDash(c)))
      operator = `${isDash(c) ? '-' : c}=` as Assignment['operator'];
    else {
      this.pos = start;
      return null;
    }
    // `$null = ...` discards the output, as in PowerShell: nothing reads a variable named null back
    if (variable.constant === true || variable.constant === false || (variable.constant === null && operator !== '='))
      this.fail(`Cannot assign to $${shown(variable.name)}: it is a constant`, start);
    this.pos = eq + operator.length;
    this.skipSpaceAndNewlines();
    if (this.atEnd() || this.ch() === ';' || this.ch() === ')' || this.ch() === '}')
      this.failMissing(`Missing a value after '${operator}'`);
    const keyword = this.keywordAt();
    let value: Assignment['value'];
    if (keyword === 'if') value = this.ifStatement();
    else if (keyword === 'switch') value = this.switchStatement();
    else if (keyword === 'foreach') value = this.foreachStatement();
    else if (keyword === 'for') value = this.forStatement();
    else if (keyword === 'while') value = this.whileStatement();
    else value = this.pipeline();
    return {
      kind: 'assignment',
      variable: variable.name,
      target,
      operator,
      value,
      span: { start, end: value.span.end },
    };
  }

  /** `( pipeline )` after a keyword */
  private condition(keyword: string): Pipeline {
    this.skipSpaceAndNewlines();
    if (this.ch() !== '(') this.failMissing(`Missing '(' after the keyword '${keyword}'`);
    const open = this.pos;
    this.pos++;
    this.skipSpaceAndNewlines();
    if (this.atEnd() || this.ch() === ')') this.failMissing(`Missing the condition of '${keyword} ( ... )'`);
    const pipeline = this.pipeline();
    this.skipSpaceAndNewlines();
    if (this.ch() !== ')')
      this.failMissing(`Missing closing ')' of the '${keyword}' condition opened at ${this.where(open)}`);
    this.pos++;
    return pipeline;
  }

  /** `{ statements }` after a keyword or condition */
  private block(what: string): Statement[] {
    this.skipSpaceAndNewlines();
    if (this.ch() !== '{') this.failMissing(`Missing the statement block '{ ... }' of the ${what}`);
    const open = this.pos;
    this.enter();
    this.pos++;
    const body = this.statementList('}', open, what);
    this.pos++;
    this.leave();
    return body;
  }

  /** true (and pos after it) when `word` follows, across new lines and comments */
  private followedBy(word: string): boolean {
    const save = this.pos;
    this.skipSpaceAndNewlines();
    if (this.atKeyword(word)) {
      this.pos += word.length;
      return true;
    }
    this.pos = save;
    return false;
  }

  private ifStatement(): IfStatement {
    const start = this.pos;
    this.pos += 2;
    const clauses: IfStatement['clauses'] = [];
    const condition = this.condition('if');
    clauses.push({ condition, body: this.block('if statement') });
    let elseBody: Statement[] | null = null;
    for (;;) {
      if (this.followedBy('elseif')) {
        const c = this.condition('elseif');
        clauses.push({ condition: c, body: this.block('elseif clause') });
        continue;
      }
      if (this.followedBy('else')) elseBody = this.block('else clause');
      break;
    }
    return { kind: 'if', clauses, elseBody, span: { start, end: this.pos } };
  }

  private whileStatement(): WhileStatement {
    const start = this.pos;
    this.pos += 'while'.length;
    const condition = this.condition('while');
    const body = this.block('while loop');
    return { kind: 'while', condition, body, span: { start, end: this.pos } };
  }

  private doStatement(): DoStatement {
    const start = this.pos;
    this.pos += 2;
    const body = this.block('do loop');
    let until = false;
    if (this.followedBy('until')) until = true;
    else if (!this.followedBy('while')) {
      this.skipSpaceAndNewlines();
      this.failMissing("Missing 'while (...)' or 'until (...)' after the do loop's block");
    }
    const condition = this.condition(until ? 'until' : 'while');
    return { kind: 'do', body, condition, until, span: { start, end: this.pos } };
  }

  private forStatement(): ForStatement {
    const start = this.pos;
    this.pos += 3;
    this.skipSpaceAndNewlines();
    if (this.ch() !== '(') this.failMissing("Missing '(' after the keyword 'for'");
    this.pos++;
    const part = <T>(read: () => T, end: string): T | null => {
      this.skipSpaceAndNewlines();
      let value: T | null = null;
      if (this.ch() !== end) value = read();
      this.skipSpaceAndNewlines();
      if (this.ch() !== end) this.failMissing(`Missing '${end}' in the for loop's '( init; condition; step )'`);
      this.pos++;
      return value;
    };
    const init = part(() => this.statement(), ';');
    const condition = part(() => this.pipeline(), ';');
    const step = part(() => this.statement(), ')');
    const body = this.block('for loop');
    return { kind: 'for', init, condition, step, body, span: { start, end: this.pos } };
  }

  private switchStatement(): SwitchStatement {
    const start = this.pos;
    this.pos += 'switch'.length;
    let mode: SwitchStatement['mode'] = 'exact';
    let caseSensitive = false;
    for (;;) {
      this.skipSpace();
      if (!isDash(this.ch())) break;
      const at = this.pos;
      let i = at + 1;
      while (isLetter(this.ch(i))) i++;
      const option = this.text.slice(at + 1, i).toLowerCase();
      if (option === 'regex') mode = 'regex';
      else if (option === 'wildcard') mode = 'wildcard';
      else if (option === 'exact') mode = 'exact';
      else if (option === 'casesensitive') caseSensitive = true;
      else
        this.fail(
          `The switch option -${shown(option)} ${NOT_SUPPORTED}; it takes -Regex, -Wildcard, -Exact and -CaseSensitive`,
          at,
        );
      this.pos = i;
    }
    const subject = this.condition('switch');
    this.skipSpaceAndNewlines();
    if (this.ch() !== '{') this.failMissing("Missing the switch body '{ ... }'");
    const open = this.pos;
    this.enter();
    this.pos++;
    const clauses: SwitchStatement['clauses'] = [];
    for (;;) {
      for (;;) {
        this.skipSpaceAndNewlines();
        if (this.ch() !== ';') break;
        this.pos++;
      }
      if (this.atEnd())
        this.fail(`Missing closing '}' of the switch body opened at ${this.where(open)}`, this.pos, true);
      if (this.ch() === '}') break;
      const clauseStart = this.pos;
      let pattern: Expression | null;
      if (this.atKeyword('default')) {
        if (clauses.some((c) => c.pattern === null)) this.fail('A switch can have only one default clause');
        this.pos += 'default'.length;
        pattern = null;
      } else {
        pattern = this.argumentValue();
      }
      const body = this.block('switch clause');
      clauses.push({ pattern, body, span: { start: clauseStart, end: this.pos } });
    }
    this.pos++;
    this.leave();
    return { kind: 'switch', mode, caseSensitive, subject, clauses, span: { start, end: this.pos } };
  }

  private tryStatement(): TryStatement {
    const start = this.pos;
    this.pos += 3;
    const body = this.block('try block');
    const catches: TryStatement['catches'] = [];
    let finallyBody: Statement[] | null = null;
    while (this.followedBy('catch')) {
      const types: string[] = [];
      for (;;) {
        this.skipSpaceAndNewlines();
        if (this.ch() !== '[') break;
        const at = this.pos;
        const name = this.typeName();
        if (!CATCH_TYPES.has(name))
          this.fail(
            `umpin's shell cannot catch [${shown(name)}]; catch [Exception], [ArgumentException], [ItemNotFoundException], [CommandNotFoundException], [UnauthorizedAccessException], [InvalidOperationException], [IOException] or everything`,
            at,
          );
        types.push(name);
        this.skipSpaceAndNewlines();
        if (this.ch() === ',') this.pos++;
      }
      if (catches.some((c) => c.types.length === 0))
        this.fail('A catch that catches everything must be the last one', this.pos);
      catches.push({ types, body: this.block('catch block') });
    }
    if (this.followedBy('finally')) finallyBody = this.block('finally block');
    if (catches.length === 0 && finallyBody === null) {
      this.skipSpaceAndNewlines();
      this.failMissing("A try block needs a 'catch { ... }' or 'finally { ... }' after it");
    }
    return { kind: 'try', body, catches, finallyBody, span: { start, end: this.pos } };
  }

  private flowStatement(flow: FlowStatement['flow']): FlowStatement {
    const start = this.pos;
    this.pos += flow.length;
    this.skipSpace();
    const c = this.ch();
    let value: Pipeline | null = null;
    if (c !== undefined && !isNewline(c) && c !== ';' && c !== '}' && c !== ')') {
      if (flow === 'break' || flow === 'continue') {
        // `break outer`: the label is a word, as PowerShell reads it
        const at = this.pos;
        let i = at;
        while (isNameChar(this.ch(i))) i++;
        if (i === at || !isWordEnd(this.ch(i)))
          this.fail(`'${flow}' takes a loop's label (a word, as in ${flow} outer) or nothing`, at);
        this.pos = i;
        return { kind: 'flow', flow, value: null, label: this.text.slice(at, i), span: { start, end: i } };
      }
      value = this.pipeline();
    }
    return { kind: 'flow', flow, value, span: { start, end: value ? value.span.end : start + flow.length } };
  }

  private functionDefinition(): FunctionDefinition {
    const start = this.pos;
    this.pos += 'function'.length;
    this.skipSpace();
    const nameStart = this.pos;
    while (isNameChar(this.ch()) || isDash(this.ch())) this.pos++;
    const name = this.text.slice(nameStart, this.pos);
    if (!name || !isLetter(name[0])) this.failMissing("Missing the function's name after 'function'", nameStart);
    this.skipSpace();
    let params: ParamDeclaration[] = [];
    if (this.ch() === '(') params = this.paramList();
    this.skipSpaceAndNewlines();
    if (this.ch() !== '{') this.failMissing("Missing the function body '{ ... }'");
    const open = this.pos;
    this.enter();
    this.pos++;
    const inner = this.leadingParams();
    if ((inner.params.length > 0 || inner.binding) && params.length > 0)
      this.fail('A function declares its parameters once: in parentheses after its name or in param(...)', open);
    if (inner.params.length > 0) params = inner.params;
    const body = this.statementList('}', open, 'function body');
    this.pos++;
    this.leave();
    const fn: FunctionDefinition = { kind: 'function', name, params, body, span: { start, end: this.pos } };
    if (inner.binding) fn.binding = inner.binding;
    return fn;
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
    const redirections = this.redirections();
    const first = elements[0]!;
    const last = elements[elements.length - 1]!;
    const end = redirections.length > 0 ? redirections[redirections.length - 1]!.span.end : last.span.end;
    const pipeline: Pipeline = { kind: 'pipeline', elements, span: { start: first.span.start, end } };
    if (redirections.length > 0) pipeline.redirections = redirections;
    return pipeline;
  }

  /** whether a redirection (`>`, `>>`, `2>`, `2>>`, `2>&1`) starts at `at` */
  private atRedirection(at: number): boolean {
    const c = this.ch(at);
    return c === '>' || (c === '2' && this.ch(at + 1) === '>');
  }

  /** `> file`, `>> file`, `2> file`, `2>> file`, `2>&1` at the end of a pipeline */
  private redirections(): Redirection[] {
    const list: Redirection[] = [];
    for (;;) {
      const at = this.spaceEnd(this.pos);
      const c = this.ch(at);
      if (c === '<') this.fail(`Input redirection ('<') ${NOT_SUPPORTED}; to compare values, use -lt or -le`, at);
      if (!this.atRedirection(at)) break;
      const stream = c === '2' ? 'error' : 'output';
      let i = stream === 'error' ? at + 2 : at + 1;
      if (stream === 'error' && this.ch(i) === '&') {
        if (this.ch(i + 1) !== '1') this.fail("Of the stream merges, only 2>&1 is supported by umpin's shell", at);
        this.pos = i + 2;
        list.push({ stream, append: false, target: null, span: { start: at, end: this.pos } });
        continue;
      }
      const append = this.ch(i) === '>';
      if (append) i++;
      if (this.ch(i) === '&') this.fail("Of the stream merges, only 2>&1 is supported by umpin's shell", at);
      this.pos = this.spaceEnd(i);
      const t = this.ch();
      if (t === undefined || isNewline(t) || t === ';' || t === '|' || t === ')' || t === '}' || t === '>')
        this.failMissing('Missing the file name after the redirection');
      const target = this.argumentValue();
      if (target.kind === 'number')
        this.fail(
          `Redirection ('>') writes to a file, here one named '${shown(target.text)}'; to compare values, use -gt, -lt, -ge or -le`,
          at,
        );
      list.push({ stream, append, target, span: { start: at, end: this.pos } });
      if (list.length > 4) this.fail('A pipeline takes at most 4 redirections', at);
    }
    if (list.length > 0 && this.ch(this.spaceEnd(this.pos)) === '|')
      this.fail('Redirections go at the end of the whole pipeline', this.spaceEnd(this.pos));
    return list;
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
    if (c === '+' && n === '+') return true;
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
    const refused = REFUSED_COMMANDS.get(lower);
    if (refused) this.fail(`${refused} ${NOT_SUPPORTED}: scripts run only what they spell out`, start);
    if (/[\\/]/.test(lower) || /\.(exe|com|bat|cmd|ps1|psm1|sh|vbs|msc|cpl)$/.test(lower))
      this.fail(`Running programs and other scripts (${shown(name.value)}) ${NOT_SUPPORTED}`, start);
    if (STATEMENT_KEYWORDS.has(lower) && lower !== 'foreach')
      this.fail(`The '${lower}' keyword starts a statement of its own; it cannot be a command in a pipeline`, start);
    if (CONTINUATION_KEYWORDS.has(lower))
      this.fail(`The '${lower}' keyword must follow the '}' of its statement`, start);
    if (lower === 'foreach' && first)
      this.fail("A foreach loop can only stand as a statement of its own: 'foreach ($x in ...) { ... }'", start);
    const args: CommandArgument[] = [];
    for (;;) {
      this.skipSpace();
      const a = this.ch();
      if (a === undefined || isNewline(a) || a === ';' || a === '|' || a === ')' || a === '}') break;
      if (this.atRedirection(this.pos)) break;
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
    if (c === '@' && (isLetter(n) || n === '_')) return this.splat();
    const value = this.argumentList();
    return { kind: 'argument', value, span: value.span };
  }

  /** `@params` among a command's arguments */
  private splat(): SplatArgument {
    const start = this.pos;
    let i = start + 1;
    while (isNameChar(this.ch(i))) i++;
    if (!isWordEnd(this.ch(i))) this.unexpected(i, ': splatting takes a variable name only, as in @params');
    this.pos = i;
    return { kind: 'splat', variable: this.text.slice(start + 1, i), span: { start, end: i } };
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
    if (c === '(' || c === '{' || c === '@' || isQuote(c)) return this.postfix(this.primary(), false);
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
      const value = this.postfix(sub, false);
      if (isWordEnd(this.ch())) return value;
      this.pos = sub.span.end;
      return this.bareWord(start, [sub]);
    }
    const variable = this.scanVariable(start);
    if (!variable) return this.bareWord();
    this.pos = variable.end;
    const value = this.postfix(this.variableNode(variable, start), false);
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
    return this.binaryChain(0);
  }

  /**
   * Left-associative chains, loosest first: `-and`/`-or`/`-xor`; comparisons, `-replace`,
   * `-split`, `-join`; `+ -`; `* / %`; `-f`; `..`; then comma lists and unary operators.
   */
  private binaryChain(index: number): Expression {
    const level = LEVELS[index]!;
    let left = this.operand(index);
    let count = 0;
    for (;;) {
      const op = this.peekOperator();
      if (!op || op.level !== level) return left;
      if (++count > MAX_CHAIN) this.fail(`The expression chains more than ${MAX_CHAIN} operators`, op.start);
      this.pos = op.end;
      this.skipSpaceAndNewlines();
      const spelled = this.text.slice(op.start, op.end);
      const c = this.ch();
      if (c === undefined || c === ';' || c === ')' || c === '}' || c === '|' || c === ']')
        this.failMissing(`Missing an expression after the operator '${spelled}'`);
      const typed = op.operator === 'is' || op.operator === 'isnot' || op.operator === 'as';
      const right = typed ? this.typeLiteral(spelled) : this.operand(index);
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

  private operand(index: number): Expression {
    return index + 1 < LEVELS.length ? this.binaryChain(index + 1) : this.arrayList();
  }

  /** The operator after an operand, if any; operators outside the subset fail here. */
  private peekOperator(): Operator | null {
    const p = this.spaceEnd(this.pos);
    const c = this.ch(p);
    const n = this.ch(p + 1);
    if (c === undefined) return null;
    const op = (operator: Operator['operator'], level: Level, end: number, caseSensitive = false): Operator => ({
      operator,
      level,
      caseSensitive,
      start: p,
      end,
    });
    if (isDash(c)) {
      if (isLetter(n)) {
        let i = p + 1;
        while (isLetter(this.ch(i))) i++;
        const name = this.text.slice(p + 1, i).toLowerCase();
        if (name === 'and' || name === 'or' || name === 'xor') return op(name, 'logical', i);
        if (name === 'is' || name === 'isnot' || name === 'as') return op(name, 'comparison', i);
        if (name === 'f') return op('format', 'format', i);
        if (name === 'join') return op('join', 'comparison', i);
        if (COMPARISONS.has(name) || name === 'replace' || name === 'split')
          return op(name as ComparisonOperator, 'comparison', i);
        const bare = name.slice(1);
        if ((name[0] === 'i' || name[0] === 'c') && (COMPARISONS.has(bare) || bare === 'replace' || bare === 'split'))
          return op(bare as ComparisonOperator, 'comparison', i, name[0] === 'c');
        if (UNSUPPORTED_OPERATORS.has(name)) this.fail(`The -${name} operator ${NOT_SUPPORTED}`, p);
        if (name === 'not') this.fail("Unexpected operator '-not': it goes before an expression, as in -not $x", p);
        this.fail(`Unknown operator '-${shown(this.text.slice(p + 1, i))}'`, p);
      }
      if (n === '=') this.fail("'-=' assigns: it can only follow a variable at the start of a statement", p);
      if (isDash(n)) this.fail(`The '--' operator ${NOT_SUPPORTED} here; write $x-- or $x -= 1`, p);
      return op('-', 'additive', p + 1);
    }
    if (c === '+') {
      if (n === '=') this.fail("'+=' assigns: it can only follow a variable at the start of a statement", p);
      if (n === '+') this.fail(`The '++' operator ${NOT_SUPPORTED} here; write $x++ as a statement`, p);
      return op('+', 'additive', p + 1);
    }
    if (c === '*' || c === '/' || c === '%') {
      if (n === '=') this.fail(`'${c}=' assigns: it can only follow a variable at the start of a statement`, p);
      return op(c, 'multiplicative', p + 1);
    }
    if (c === '=' && n === '=') this.fail("'==' is not a PowerShell operator; to compare, use -eq", p);
    if (c === '!' && n === '=') this.fail("'!=' is not a PowerShell operator; to compare, use -ne", p);
    if (c === '<') this.fail(`Input redirection ('<') ${NOT_SUPPORTED}; to compare values, use -lt or -le`, p);
    if (c === '&')
      this.fail(n === '&' ? `The '&&' operator ${NOT_SUPPORTED}` : `The ampersand (&) ${NOT_SUPPORTED}`, p);
    if (c === '.' && n === '.') return op('range', 'range', p + 2);
    if (c === '|' && n === '|') this.fail(`The '||' operator ${NOT_SUPPORTED}`, p);
    return null;
  }

  /** `a, b, c`: the comma binds tighter than every binary operator */
  private arrayList(): Expression {
    if (this.noComma) return this.unary();
    return this.commaList(() => this.unary(), "Missing an expression after ','");
  }

  private unary(): Expression {
    const start = this.pos;
    const c = this.ch();
    const n = this.ch(start + 1);
    let operator: 'not' | 'negate' | 'join' | 'split' | null = null;
    let length = 0;
    if (c === '!') {
      operator = 'not';
      length = 1;
    } else if (isDash(c) && this.atWord('not', start + 1)) {
      operator = 'not';
      length = 4;
    } else if (isDash(c) && this.atWord('join', start + 1)) {
      operator = 'join';
      length = 5;
    } else if (isDash(c) && this.atWord('split', start + 1)) {
      operator = 'split';
      length = 6;
    } else if (isDash(c) && (n === '$' || n === '(' || n === '[' || n === '@' || isQuote(n))) {
      operator = 'negate';
      length = 1;
    } else if ((c === '+' && n === '+') || (isDash(c) && isDash(n) && this.ch(start + 2) === '$')) {
      this.enter();
      this.pos += 2;
      const target = this.postfix(this.primary(), false);
      this.leave();
      return this.increment(target, c === '+' ? 1 : -1, true, start);
    } else if (c === '[') {
      return this.cast();
    }
    if (operator === null) return this.postfix(this.primary(), true);
    this.enter();
    this.pos += length;
    this.skipSpaceAndNewlines();
    const o = this.ch();
    if (o === undefined || o === ';' || o === ')' || o === '}' || o === '|')
      this.failMissing(`Missing an expression after '${this.text.slice(start, start + length)}'`);
    const operand = this.unary();
    this.leave();
    return { kind: 'unary', operator, operand, span: { start, end: operand.span.end } };
  }

  /** `[int]` after `-is`, `-isnot`, `-as` */
  private typeLiteral(operator: string): TypeLiteral {
    const start = this.pos;
    if (this.ch() !== '[')
      this.fail(`The operator '${operator}' takes a type on its right, as in $x ${operator} [int]`);
    const type = this.typeName();
    if (!TYPE_TEST_TYPES.has(type))
      this.fail(
        `'${operator}' cannot test for the type [${shown(type)}]; it takes the types a cast takes, and [switch], [securestring] and [object]`,
        start,
      );
    return { kind: 'type', type, span: { start, end: this.pos } };
  }

  /** `[datetime]::Now`, `[math]::Round($x, 2)` after the type name: only the members STATIC_MEMBERS lists */
  private staticMember(type: string, start: number): Expression {
    const at = this.pos;
    this.pos += 2;
    let i = this.pos;
    while (isNameChar(this.ch(i))) i++;
    const name = this.text.slice(this.pos, i);
    const allowed = STATIC_MEMBERS[type]?.[name.toLowerCase()];
    if (!name || allowed === undefined)
      this.fail(
        `Static members (::) other than [datetime]::Now, Today, UtcNow, ParseExact(); [math]::Round(), Floor(), Ceiling(), Max(), Min(), Abs(); [string]::IsNullOrEmpty(), IsNullOrWhiteSpace(), Join(), Empty; [int]::Parse(), MaxValue, MinValue ${ARE_NOT_SUPPORTED}`,
        at,
      );
    this.pos = i;
    const member = name.toLowerCase();
    if (allowed === true) {
      if (this.ch() === '(') this.fail(`[${type}]::${name} is a property: it takes no arguments`, this.pos);
      return this.postfix({ kind: 'static', type, member, args: null, span: { start, end: this.pos } }, true);
    }
    if (this.ch() !== '(') this.fail(`[${type}]::${name} is a method: call it with (...)`);
    const args = this.callArguments(`[${type}]::${name}`);
    if (!allowed.includes(args.length))
      this.fail(`[${type}]::${name} takes ${allowed.join(' or ')} arguments, not ${args.length}`, at);
    return this.postfix({ kind: 'static', type, member, args, span: { start, end: this.pos } }, true);
  }

  /** `[int]$x`, `[pscustomobject]@{ ... }`, and `[datetime]::Now` */
  private cast(): Expression {
    const start = this.pos;
    const type = this.typeName();
    if (this.ch() === ':' && this.ch(this.pos + 1) === ':') return this.staticMember(type, start);
    if (!PARAMETER_TYPES.has(type) || type === 'switch')
      this.fail(
        `Type names and casts ([${shown(type)}]) ${ARE_NOT_SUPPORTED}; casts take [int], [long], [double], [decimal], [string], [bool], [datetime], [array], [hashtable], [pscustomobject], [string[]] and [int[]]`,
        start,
      );
    this.skipSpace();
    const c = this.ch();
    if (c === undefined || isNewline(c) || c === ';' || c === ')' || c === '}' || c === '|' || c === ',')
      this.fail(
        `Type names ([${shown(type)}]) alone ${ARE_NOT_SUPPORTED}; a cast goes before a value, as in [int]$x`,
        start,
      );
    this.enter();
    const operand = this.unary();
    this.leave();
    return { kind: 'cast', type, operand, span: { start, end: operand.span.end } };
  }

  private increment(target: Expression, delta: 1 | -1, prefix: boolean, start: number): IncrementExpression {
    if (target.kind !== 'variable' && target.kind !== 'index' && target.kind !== 'member')
      this.fail(`'${delta > 0 ? '++' : '--'}' needs a variable, as in $i++`, start);
    return { kind: 'increment', target, delta, prefix, span: { start, end: this.pos } };
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
        isNameChar(n)
          ? `Splatting (@${shown(this.tokenAt(start + 1))}) goes only among a command's arguments, as in Set-UMMailboxPIN @params`
          : "Unexpected token '@'",
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
    if (c === '[') return this.cast();
    if (c === '&') this.fail(`The ampersand (&) call operator ${NOT_SUPPORTED}`, start);
    if (c === ',') this.fail(`The unary comma operator ${NOT_SUPPORTED}`, start);
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

  /**
   * After an operand (no space before): `.Member`, `[index]`, `.Method(args)` for the listed
   * string methods, and in expressions `++`/`--`; `::` fails.
   */
  private postfix(target: Expression, expressionMode = true): Expression {
    let value = target;
    let count = 0;
    for (;;) {
      const c = this.ch();
      const n = this.ch(this.pos + 1);
      if (c === ':' && n === ':') this.fail(`Static members (::) ${ARE_NOT_SUPPORTED}`);
      if ((c === '[' || c === '.') && ++count > MAX_CHAIN)
        this.fail(`The expression chains more than ${MAX_CHAIN} member accesses`, this.pos + 1);
      if (c === '[') {
        value = this.index(value);
        continue;
      }
      if (expressionMode && ((c === '+' && n === '+') || (isDash(c) && isDash(n)))) {
        const after = this.ch(this.pos + 2);
        if (isNameChar(after) || after === '$') return value;
        this.pos += 2;
        return this.increment(value, c === '+' ? 1 : -1, false, value.span.start);
      }
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
      if (this.ch() === '(') {
        value = this.methodCall(value, member, memberStart);
        continue;
      }
      const access: MemberAccess = {
        kind: 'member',
        target: value,
        member,
        span: { start: value.span.start, end: this.pos },
      };
      value = access;
    }
  }

  /** `[expression]` after an operand */
  private index(target: Expression): IndexExpression {
    const open = this.pos;
    this.enter();
    this.pos++;
    this.skipSpaceAndNewlines();
    if (this.ch() === ']') this.fail('An index was expected between the brackets', this.pos);
    const saved = this.noComma;
    this.noComma = false;
    const index = this.expression();
    this.noComma = saved;
    this.skipSpaceAndNewlines();
    if (this.ch() !== ']') this.failMissing(`Missing closing ']' of the index opened at ${this.where(open)}`);
    this.pos++;
    this.leave();
    return { kind: 'index', target, index, span: { start: target.span.start, end: this.pos } };
  }

  /** `.Name(a, b)`: only the methods the shell lists */
  private methodCall(target: Expression, method: string, at: number): MethodCall {
    if (!METHODS.has(method.toLowerCase()))
      this.fail(
        `Method calls other than the string methods ToLower, ToUpper, Trim, TrimStart, TrimEnd, Split, Replace, StartsWith, EndsWith, Contains, Substring, IndexOf, PadLeft, PadRight, ToString and the date methods AddDays, AddHours, AddMinutes ${ARE_NOT_SUPPORTED}`,
        at,
      );
    const args = this.callArguments(method);
    return { kind: 'method', target, method, args, span: { start: target.span.start, end: this.pos } };
  }

  /** `(a, b)` of a method call at pos; leaves pos after the `)` */
  private callArguments(_what: string): Expression[] {
    const open = this.pos;
    this.enter();
    this.pos++;
    const args: Expression[] = [];
    const saved = this.noComma;
    this.noComma = true;
    for (;;) {
      this.skipSpaceAndNewlines();
      if (this.ch() === ')') break;
      if (this.atEnd())
        this.fail(`Missing closing ')' of the method call opened at ${this.where(open)}`, this.pos, true);
      if (args.length > 0) {
        if (this.ch() !== ',') this.unexpected(this.pos, ": separate a method's arguments with ','");
        this.pos++;
        this.skipSpaceAndNewlines();
      }
      args.push(this.expression());
      if (args.length > 10) this.fail('A method call takes at most 10 arguments', this.pos);
    }
    this.noComma = saved;
    this.pos++;
    this.leave();
    return args;
  }

  /** `( pipeline )` */
  private parenthesized(): Parenthesized {
    const start = this.pos;
    this.enter();
    this.pos++;
    this.skipSpaceAndNewlines();
    if (this.ch() === ')') this.fail("An expression was expected after '('");
    if (this.atEnd()) this.fail(`Missing closing ')' for the '(' opened at ${this.where(start)}`, this.pos, true);
    const saved = this.noComma;
    this.noComma = false;
    const pipeline = this.pipeline();
    this.noComma = saved;
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
    // inside, commas make lists again, even within a method's arguments
    const saved = this.noComma;
    this.noComma = false;
    const statements = this.statementList(')', start, `subexpression '${array ? '@' : '$'}('`);
    this.noComma = saved;
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
