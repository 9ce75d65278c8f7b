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
  statements: Statement[];
  span: Span;
}

export type Statement = Assignment | Pipeline | ForEachStatement;

/** `$m = Get-UMMailbox tonysmith` */
export interface Assignment {
  kind: 'assignment';
  /** variable name without `$`, as typed (names are case-insensitive) */
  variable: string;
  value: Pipeline;
  span: Span;
}

/** `foreach ($u in $users) { ... }` */
export interface ForEachStatement {
  kind: 'foreach';
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
export type CommandArgument = ParameterToken | ArgumentValue;

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
  | UnaryExpression;

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

export interface BinaryExpression {
  kind: 'binary';
  /**
   * Comparison operators are case-insensitive unless `caseSensitive` (the `-c` forms:
   * `-ceq`, `-clike`); `-i` forms are the same as plain ones.
   */
  operator: ComparisonOperator | 'and' | 'or' | '+';
  caseSensitive: boolean;
  left: Expression;
  right: Expression;
  span: Span;
}

/** `-not $x`, `!$x` */
export interface UnaryExpression {
  kind: 'unary';
  operator: 'not';
  operand: Expression;
  span: Span;
}
