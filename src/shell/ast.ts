/**
 * The syntax tree of umpin's PowerShell subset. The parser builds it; the runtime walks
 * it. Every node carries the character offsets it was read from, so that errors can point
 * at the failing command.
 */

export interface Span {
  /** offset of the first character, 0-based */
  start: number;
  /** offset just past the last character */
  end: number;
}

export interface Script {
  kind: 'script';
  /** `param(...)` at the top of a script file */
  params: ParamDeclaration[];
  /** `[CmdletBinding(...)]` before that `param(...)`, if any */
  binding?: CmdletBinding;
  statements: Statement[];
  span: Span;
}

export type Statement =
  | Assignment
  | Pipeline
  | ForEachStatement
  | IfStatement
  | WhileStatement
  | DoStatement
  | ForStatement
  | SwitchStatement
  | TryStatement
  | FlowStatement
  | FunctionDefinition;

/** the statements that may stand as the value of an assignment: `$x = if (...) { ... }` */
export type ValueStatement =
  | Pipeline
  | ForEachStatement
  | IfStatement
  | SwitchStatement
  | ForStatement
  | WhileStatement;

/** `$m = Get-UMMailbox tonysmith`, `$n += 1`, `$h['key'] = 1`, `$o.Name = 'x'` */
export interface Assignment {
  kind: 'assignment';
  /** the assigned variable's name without `$`, as typed (names are case-insensitive); for an index or member, its base variable */
  variable: string;
  /** set for `$h['key'] = ...` and `$o.Name = ...`; the variable itself otherwise */
  target: VariableRef | IndexExpression | MemberAccess;
  operator: '=' | '+=' | '-=' | '*=' | '/=' | '%=';
  value: Pipeline | ValueStatement;
  /** `[int]$x = 5`: the variable keeps this type (lower-case, as in CAST_TYPES) for later assignments */
  type?: string;
  span: Span;
}

/**
 * `[CmdletBinding()]`: the script or function takes -Verbose; with SupportsShouldProcess also
 * -WhatIf and -Confirm, which flow into every cmdlet it calls.
 */
export interface CmdletBinding {
  shouldProcess: boolean;
  /** `ConfirmImpact = 'High'`: how weighty $PSCmdlet.ShouldProcess considers its changes (default medium) */
  confirmImpact: 'low' | 'medium' | 'high';
}

/** A typed `[int]`, defaulted `= 5`, or mandatory parameter of `param(...)`. */
export interface ParamDeclaration {
  name: string;
  /** lower-case type name as written (`string`, `int`, `switch`, `string[]`, ...), or null */
  type: string | null;
  mandatory: boolean;
  defaultValue: Expression | null;
  /** `[ValidateSet('a','b')]`, `[ValidatePattern('^x')]`, `[ValidateRange(1, 10)]`, `[ValidateNotNullOrEmpty()]` */
  validations?: Validation[];
  span: Span;
}

/** a check an argument must pass before the script or function runs, as PowerShell's validation attributes */
export type Validation =
  | { kind: 'set'; values: string[] }
  | { kind: 'pattern'; pattern: string }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'notnullorempty' };

export interface IfStatement {
  kind: 'if';
  clauses: Array<{ condition: Pipeline; body: Statement[] }>;
  elseBody: Statement[] | null;
  span: Span;
}

export interface WhileStatement {
  kind: 'while';
  /** `:outer foreach (...)`: the name `break outer` and `continue outer` give */
  label?: string;
  condition: Pipeline;
  body: Statement[];
  span: Span;
}

/** `do { } while (...)` and `do { } until (...)` */
export interface DoStatement {
  kind: 'do';
  /** `:outer foreach (...)`: the name `break outer` and `continue outer` give */
  label?: string;
  body: Statement[];
  condition: Pipeline;
  until: boolean;
  span: Span;
}

/** `for ($i = 0; $i -lt 10; $i++) { }` */
export interface ForStatement {
  kind: 'for';
  /** `:outer foreach (...)`: the name `break outer` and `continue outer` give */
  label?: string;
  init: Statement | null;
  condition: Pipeline | null;
  step: Statement | null;
  body: Statement[];
  span: Span;
}

export interface SwitchStatement {
  kind: 'switch';
  /** `:outer foreach (...)`: the name `break outer` and `continue outer` give */
  label?: string;
  mode: 'exact' | 'wildcard' | 'regex';
  caseSensitive: boolean;
  subject: Pipeline;
  /** `pattern` null: `default` */
  clauses: Array<{ pattern: Expression | null; body: Statement[]; span: Span }>;
  span: Span;
}

export interface TryStatement {
  kind: 'try';
  body: Statement[];
  /** `types` empty: catches everything */
  catches: Array<{ types: string[]; body: Statement[] }>;
  finallyBody: Statement[] | null;
  span: Span;
}

/** `break`, `continue`, `return [value]`, `exit [code]`, `throw [value]` */
export interface FlowStatement {
  kind: 'flow';
  flow: 'break' | 'continue' | 'return' | 'exit' | 'throw';
  value: Pipeline | null;
  /** `break outer`: the labelled loop to leave */
  label?: string;
  span: Span;
}

/** `function Name { param(...) ... }` or `function Name($a, $b) { ... }` */
export interface FunctionDefinition {
  kind: 'function';
  name: string;
  params: ParamDeclaration[];
  binding?: CmdletBinding;
  body: Statement[];
  span: Span;
}

/** `cmd > file`, `>> file`, `2> file`, `2>&1` */
export interface Redirection {
  stream: 'output' | 'error';
  append: boolean;
  /** null: `2>&1`, errors join the output */
  target: Expression | null;
  span: Span;
}

/** `foreach ($u in $users) { ... }` */
export interface ForEachStatement {
  kind: 'foreach';
  /** `:outer foreach (...)`: the name `break outer` and `continue outer` give */
  label?: string;
  variable: string;
  collection: Pipeline;
  body: Statement[];
  span: Span;
}

/**
 * `a | b | c`. The first element is an expression (`$users`, `'a','b'`, `(Get-UMMailbox)`)
 * or a command; the others are commands.
 */
export interface Pipeline {
  kind: 'pipeline';
  elements: PipelineElement[];
  /** `> file`, `2>&1` after the last element */
  redirections?: Redirection[];
  span: Span;
}

export type PipelineElement = CommandCall | ExpressionElement;

export interface ExpressionElement {
  kind: 'expression';
  expression: Expression;
  span: Span;
}

export interface CommandCall {
  kind: 'command';
  /** as typed, e.g. `set-ummailboxpin`, `?`, `%` */
  name: string;
  nameSpan: Span;
  args: CommandArgument[];
  span: Span;
}

/**
 * The parser cannot know whether `-Name` is a switch, so `-Name value` arrives as a
 * parameter followed by a separate argument; the binder pairs them. `-Name:value` arrives
 * with its value attached.
 */
export type CommandArgument = ParameterToken | ArgumentValue | SplatArgument;

/** `@params`: a hashtable's entries as named arguments, a list's items as positional ones */
export interface SplatArgument {
  kind: 'splat';
  /** the variable's name without `@` */
  variable: string;
  span: Span;
}

export interface ParameterToken {
  kind: 'parameter';
  /** without the dash, as typed: `PinExpired`, `ident`, `eq` */
  name: string;
  /** the `-Name:value` form only */
  value: Expression | null;
  span: Span;
}

export interface ArgumentValue {
  kind: 'argument';
  value: Expression;
  span: Span;
}

export type Expression =
  | StringLiteral
  | ExpandableString
  | NumberLiteral
  | Constant
  | VariableRef
  | MemberAccess
  | ArrayLiteral
  | SubExpression
  | Parenthesized
  | HashtableLiteral
  | ScriptBlockLiteral
  | BinaryExpression
  | UnaryExpression
  | IndexExpression
  | MethodCall
  | CastExpression
  | TypeLiteral
  | StaticMember
  | IncrementExpression;

/** `[int]` as the right side of `-is`, `-isnot`, `-as`; `type` one of CAST_TYPES */
export interface TypeLiteral {
  kind: 'type';
  type: string;
  span: Span;
}

/** `[datetime]::Now`, `[math]::Round($x, 2)`: only the members of STATIC_MEMBERS; `args` null for a property */
export interface StaticMember {
  kind: 'static';
  /** lower-case, as STATIC_MEMBERS keys it */
  type: string;
  /** lower-case */
  member: string;
  args: Expression[] | null;
  span: Span;
}

/** `$a[0]`, `$a[-1]`, `$h['key']`, `$a[1..3]` */
export interface IndexExpression {
  kind: 'index';
  target: Expression;
  index: Expression;
  span: Span;
}

/** `$s.ToLower()`: only the string methods the shell lists (STRING_METHODS) */
export interface MethodCall {
  kind: 'method';
  target: Expression;
  method: string;
  args: Expression[];
  span: Span;
}

/** `[int]$x`; `type` lower-case, one of CAST_TYPES */
export interface CastExpression {
  kind: 'cast';
  type: string;
  operand: Expression;
  span: Span;
}

/** `$i++`, `++$i`, `$i--`, `--$i` */
export interface IncrementExpression {
  kind: 'increment';
  target: VariableRef | IndexExpression | MemberAccess;
  delta: 1 | -1;
  prefix: boolean;
  span: Span;
}

/** `'text'`, or a bare word in argument mode (`tonysmith@contoso.com`, `Unlimited`, `C:\users.csv`) */
export interface StringLiteral {
  kind: 'string';
  value: string;
  quote: 'single' | 'double' | 'bare';
  span: Span;
}

/** `"Hello $name, $($m.DisplayName)"`: text parts and embedded expressions in order */
export interface ExpandableString {
  kind: 'expandable';
  parts: Array<string | Expression>;
  span: Span;
}

/**
 * `1985848`, `-5`, `0x1F`, `1KB`. `text` keeps the source, because PowerShell binds a
 * number typed as an argument to a string parameter as it was typed: `-Pin 0123456`
 * must stay "0123456".
 */
export interface NumberLiteral {
  kind: 'number';
  value: number;
  text: string;
  span: Span;
}

/** `$true`, `$false`, `$null` */
export interface Constant {
  kind: 'constant';
  value: boolean | null;
  span: Span;
}

/** `$m`, `$_`, `$PSItem`, `${name with spaces}` */
export interface VariableRef {
  kind: 'variable';
  name: string;
  span: Span;
}

/** `$_.LockedOut`, `$m.Extensions`, `(Get-UMMailbox x).Name` */
export interface MemberAccess {
  kind: 'member';
  target: Expression;
  member: string;
  span: Span;
}

/** `a,b,c` (comma operator) */
export interface ArrayLiteral {
  kind: 'array';
  items: Expression[];
  span: Span;
}

/** `$( ... )` and `@( ... )`: run statements, collect their output (`@` always yields an array) */
export interface SubExpression {
  kind: 'subexpression';
  statements: Statement[];
  array: boolean;
  span: Span;
}

/** `( pipeline )` */
export interface Parenthesized {
  kind: 'paren';
  pipeline: Pipeline;
  span: Span;
}

/** `@{Add='eum:12345;phone-context=Contoso.contoso.com'; Remove='eum:23456'}` */
export interface HashtableLiteral {
  kind: 'hashtable';
  entries: Array<{ key: string; value: Expression; span: Span }>;
  span: Span;
}

/** `{ $_.LockedOut -eq $true }` */
export interface ScriptBlockLiteral {
  kind: 'scriptblock';
  statements: Statement[];
  /** the source between the braces, for display */
  text: string;
  span: Span;
}

export const COMPARISON_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'like',
  'notlike',
  'match',
  'notmatch',
  'contains',
  'notcontains',
  'in',
  'notin',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export type LogicalOperator = 'and' | 'or' | 'xor';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | 'range' | 'format';
/** binary `-join`, `-split`, `-replace` (comparison precedence) */
export type TextOperator = 'join' | 'split' | 'replace';
/** `-is`, `-isnot`, `-as` with a type literal on the right (comparison precedence) */
export type TypeOperator = 'is' | 'isnot' | 'as';

/** the types `[type]` may name in a cast, a catch, or a parameter declaration */
export const CAST_TYPES = [
  'int',
  'long',
  'double',
  'decimal',
  'string',
  'bool',
  'datetime',
  'array',
  'hashtable',
  'object',
  'switch',
  'securestring',
  'pscustomobject',
] as const;

/**
 * The static members a script may use, by lower-case type and member: `true` for a property,
 * otherwise the numbers of arguments the method takes. Nothing else of .NET.
 */
export const STATIC_MEMBERS: Readonly<Record<string, Readonly<Record<string, true | readonly number[]>>>> = {
  datetime: { now: true, today: true, utcnow: true, parseexact: [2, 3] },
  math: { round: [1, 2], floor: [1], ceiling: [1], max: [2], min: [2], abs: [1] },
  string: { isnullorempty: [1], isnullorwhitespace: [1], join: [2], empty: true },
  int: { parse: [1], maxvalue: true, minvalue: true },
};

/** the .NET string methods a script may call; nothing else of .NET */
export const STRING_METHODS = [
  'tolower',
  'toupper',
  'trim',
  'trimstart',
  'trimend',
  'split',
  'replace',
  'startswith',
  'endswith',
  'contains',
  'substring',
  'indexof',
  'padleft',
  'padright',
  'tostring',
] as const;

export interface BinaryExpression {
  kind: 'binary';
  /**
   * Comparison operators are case-insensitive unless `caseSensitive` (the `-c` forms:
   * `-ceq`, `-clike`); `-i` forms are the same as plain ones.
   */
  operator: ComparisonOperator | LogicalOperator | ArithmeticOperator | TextOperator | TypeOperator;
  caseSensitive: boolean;
  left: Expression;
  right: Expression;
  span: Span;
}

/** `-not $x`, `!$x`, `-$x`, `-join $a`, `-split $s` */
export interface UnaryExpression {
  kind: 'unary';
  operator: 'not' | 'negate' | 'join' | 'split';
  operand: Expression;
  span: Span;
}
