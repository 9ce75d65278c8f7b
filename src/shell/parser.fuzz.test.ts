/**
 * Property tests of the parser: any input gives a tree or a parse error with a position
 * inside the input (never another exception, never a hang), valid command lines round-trip
 * through the printer, and deep or huge inputs finish quickly.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

// Performance is a benchmark's business; here a generous per-test timeout only catches a
// parser that hangs or goes quadratic, without failing on a busy machine.
const HANG = 60_000;
vi.setConfig({ testTimeout: HANG });
import { UmpinError } from '../domain/errors.js';
import type { Script } from './ast.js';
import { parse } from './parser.js';
import { printScript } from './print.js';

/** the tree without positions, which change when the source is printed anew */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'span' && k !== 'nameSpan')
        .map(([k, v]) => [k, shape(v)]),
    );
  }
  return value;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column };
}

/** parse, and check that a failure is a parse error that points inside the input */
function parseOrError(source: string): Script | UmpinError {
  try {
    return parse(source);
  } catch (err) {
    if (!(err instanceof UmpinError)) throw err;
    expect(err.code).toBe('UMPIN_SHELL_PARSE_ERROR');
    const { offset, line, column, rule, incomplete } = err.params;
    expect(typeof rule).toBe('string');
    expect(typeof offset).toBe('number');
    expect(offset as number).toBeGreaterThanOrEqual(0);
    expect(offset as number).toBeLessThanOrEqual(source.length);
    expect({ line, column }).toEqual(lineAndColumn(source, offset as number));
    expect(incomplete === undefined || incomplete === true).toBe(true);
    return err;
  }
}

function roundTrips(script: Script): void {
  const printed = printScript(script);
  let again: Script;
  try {
    again = parse(printed);
  } catch (err) {
    throw new Error(`the printed form does not parse: ${JSON.stringify(printed)}: ${(err as Error).message}`);
  }
  expect(shape(again), `printed as ${JSON.stringify(printed)}`).toEqual(shape(script));
}

const GRAMMAR_PIECES = [
  '$',
  '-',
  "'",
  '"',
  '(',
  ')',
  '{',
  '}',
  '@',
  ',',
  ';',
  '|',
  '#',
  '`',
  '\n',
  ' ',
  '\t',
  '=',
  'a',
  'b',
  'c',
  '1',
  '2',
  '3',
  '0',
  '.',
  ':',
  '\\',
  '*',
  '!',
  '[',
  ']',
  '<',
  '>',
  '&',
  '+',
  '%',
  '?',
  '\r\n',
  '\u2013',
  '\u2019',
  '\u201c',
  'x',
  'e',
  'u{41}',
  '-eq',
  '-not',
  '-and',
  '-like',
  '-Identity',
  '$_',
  '$true',
  '${',
  '<#',
  '#>',
  '@"\n',
  '\n"@',
  "@'\n",
  "\n'@",
  'foreach',
  ' in ',
  'exit',
];

describe('parser fuzzing', () => {
  it('returns a tree or a positioned parse error for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (source) => {
        const result = parseOrError(source);
        if (!(result instanceof UmpinError)) roundTrips(result);
      }),
      { numRuns: 2500 },
    );
  });

  it("returns a tree or a positioned parse error for text made of the grammar's characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...GRAMMAR_PIECES), maxLength: 60 }), (source) => {
        const result = parseOrError(source);
        if (!(result instanceof UmpinError)) roundTrips(result);
      }),
      { numRuns: 6000 },
    );
  });

  it('says incomplete only when more input could complete the statement', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...GRAMMAR_PIECES), maxLength: 40 }), (source) => {
        const result = parseOrError(source);
        if (result instanceof UmpinError && result.params.incomplete) {
          // an incomplete error is found at the end of the input, never in the middle
          const tail = source.slice(result.params.offset as number);
          expect(tail.replace(/[\s`]/g, '')).toBe('');
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// ------------------------------------------------------------------ valid command lines

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9@._\\:/*=-]{0,15}$/);
const number = fc.oneof(
  fc.nat({ max: 99_999_999 }).map(String),
  fc.stringMatching(/^0[0-9]{3,9}$/),
  fc.integer({ min: -999, max: -1 }).map(String),
  fc.constantFrom('3.5', '.5', '0x1F', '1KB', '2mb', '1e3'),
);
const text = fc.string({ maxLength: 12 });
const singleQuoted = text.map((t) => `'${t.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`);
const variable = fc.constantFrom('$_', '$m', '$PSItem', '${a b}', '$env:USERNAME', '$x1');
// in a string, a name is braced so that the text after it cannot extend it (`"$a:"` is an error)
const braced = fc.constantFrom('${_}', '${m}', '${a b}', '${env:USERNAME}', '${x1}');
const member = fc
  .tuple(variable, fc.constantFrom('Name', 'Identity', 'LockedOut', 'Extensions'))
  .map(([v, m]) => `${v}.${m}`);
const doubleQuoted = fc
  .array(
    fc.oneof(
      text.map((t) => t.replace(/[`"$\u201c\u201d\u201e]/g, '`$&')),
      braced,
      member.map((m) => `$(${m})`),
    ),
    { maxLength: 4 },
  )
  .map((parts) => `"${parts.join('')}"`);
const constant = fc.constantFrom('$true', '$false', '$null', '$TRUE');
const scalar = fc.oneof(word, number, singleQuoted, doubleQuoted, constant, variable, member);
const hashtable = fc
  .uniqueArray(fc.constantFrom('Add', 'Remove', 'Name', "'Display Name'", 'Expression'), { minLength: 0, maxLength: 3 })
  .chain((keys) => fc.tuple(...keys.map((k) => fc.oneof(singleQuoted, number, constant).map((v) => `${k}=${v}`))))
  .map((entries) => `@{${entries.join('; ')}}`);
const scriptBlock = fc.oneof(
  fc
    .tuple(
      member,
      fc.constantFrom('-eq', '-like', '-ne', '-contains', '-ceq'),
      fc.oneof(singleQuoted, number, constant),
    )
    .map(([m, op, v]) => `{ ${m} ${op} ${v} }`),
  member.map((m) => `{ Set-UMMailboxPIN -Identity ${m} -PinExpired:$true }`),
  fc.constant('{ -not $_.LockedOut -and ($_.Name -like "a*" -or $_.Age -gt 5) }'),
);
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { minLength: 2, maxLength: 3 }).map((items) => items.join(',')) },
  { weight: 1, arbitrary: hashtable },
  { weight: 1, arbitrary: scriptBlock },
  { weight: 1, arbitrary: word.map((w) => `(Get-UMMailbox ${w})`) },
  { weight: 1, arbitrary: fc.constantFrom('@(Get-UMMailbox)', '$(Get-UMMailbox).Count', '@()') },
);
const parameterName = fc.constantFrom(
  'Identity',
  'PIN',
  'PinExpired',
  'LockedOut',
  'Extensions',
  'UMMailboxPolicy',
  'eq',
  'like',
  'Confirm',
  'EmailAddresses',
  'NotifyEmail',
);
const argument = fc.oneof(
  fc.tuple(parameterName, value).map(([p, v]) => `-${p} ${v}`),
  fc.tuple(parameterName, value).map(([p, v]) => `-${p}:${v}`),
  parameterName.map((p) => `-${p}`),
  value,
);
const cmdlet = fc.constantFrom(
  'Set-UMMailboxPIN',
  'Get-UMMailbox',
  'Enable-UMMailbox',
  'Where-Object',
  '?',
  '%',
  'select',
  'ft',
  'Get-Help',
  'Set-Mailbox',
);
const command = fc.tuple(cmdlet, fc.array(argument, { maxLength: 5 })).map(([name, args]) => [name, ...args].join(' '));
const firstExpression = fc.oneof(
  variable,
  member,
  fc.array(singleQuoted, { minLength: 2, maxLength: 3 }).map((items) => items.join(', ')),
  fc.constant('(Get-UMMailbox).Identity'),
);
const pipeline = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: command }, { weight: 1, arbitrary: firstExpression }),
    fc.array(command, { maxLength: 2 }),
    fc.constantFrom(' | ', ' |\n  ', ' `\n| '),
  )
  .map(([first, rest, bar]) => [first, ...rest].join(bar));
const statement = fc.oneof(
  { weight: 4, arbitrary: pipeline },
  { weight: 1, arbitrary: pipeline.map((p) => `$m = ${p}`) },
  { weight: 1, arbitrary: fc.tuple(pipeline, pipeline).map(([c, b]) => `foreach ($u in ${c}) {\n  ${b}\n}`) },
);
const script = fc
  .tuple(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.constantFrom('; ', '\n', '\r\n', ' # note\n'))
  .map(([statements, separator]) => ({
    source: statements.join(separator),
    count: statements.length,
  }));

describe('valid command lines', () => {
  it('parse, and print back to the same tree', () => {
    fc.assert(
      fc.property(script, ({ source, count }) => {
        let parsed: Script;
        try {
          parsed = parse(source);
        } catch (err) {
          throw new Error(`${JSON.stringify(source)} does not parse: ${(err as Error).message}`);
        }
        expect(parsed.statements).toHaveLength(count);
        roundTrips(parsed);
      }),
      { numRuns: 2000 },
    );
  });
});

// ------------------------------------------------------------------ size and depth

describe('deep and large inputs', () => {
  it.each([
    ['parentheses', '('.repeat(10_000)],
    ['closed parentheses', `${'('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['subexpressions', '$('.repeat(10_000)],
    ['array subexpressions', '@('.repeat(10_000)],
    ['hashtables', '@{a='.repeat(10_000)],
    ['script blocks', '{'.repeat(10_000)],
    ['! operators', `${'!'.repeat(10_000)}$a`],
    ['-not operators', `${'-not '.repeat(10_000)}$a`],
    ['strings in subexpressions', '"$('.repeat(10_000)],
    ['command arguments', `a ${'(a '.repeat(10_000)}`],
    ['foreach loops', 'foreach ($a in $b) {'.repeat(10_000)],
    ['member accesses', `$a${'.b'.repeat(10_000)}`],
    ['-and chain', `$a${' -and $a'.repeat(10_000)}`],
    ['+ chain', `1${' + 1'.repeat(10_000)}`],
  ])(
    'deep nesting: %s',
    (_name, source) => {
      parseOrError(source);
    },
    HANG,
  );

  const MB = 1 << 20;
  it.each([
    ['many arguments', `Get-X ${'abc '.repeat(MB / 4)}`],
    ['a long array', `a ${'1,'.repeat(MB / 2)}1`],
    ['a long expression array', `${'1,'.repeat(MB / 2)}1`],
    ['a long pipeline', `${'a|'.repeat(MB / 2)}a`],
    ['many statements', 'a;'.repeat(MB / 2)],
    ['many lines', 'Get-X -A b\n'.repeat(MB / 11)],
    ['an unclosed string', `'${'x'.repeat(MB)}`],
    ['an unclosed double-quoted string', `"${'$a '.repeat(MB / 3)}`],
    ['an unclosed block comment', `<#${'x'.repeat(MB)}`],
    ['a line comment', `#${'x'.repeat(MB)}`],
    ['a here-string', `@"\n${'x $a\n'.repeat(MB / 5)}"@`],
    ['a long word', 'x'.repeat(MB)],
    ['a long variable', `$${'a'.repeat(MB)}`],
    ['a long number', '1'.repeat(MB)],
    ['continuations', 'a `\n'.repeat(MB / 4)],
    ['newlines', '\n'.repeat(MB)],
    ['expandable words', `a ${'$a'.repeat(MB / 2)}`],
    ['subexpressions in a word', `a x${'$(1)'.repeat(MB / 4)}`],
    ['hashtable entries', `@{${Array.from({ length: MB / 16 }, (_, i) => `k${i}=1`).join(';')}}`],
    ['script blocks', `a ${'{ $_ } '.repeat(MB / 7)}`],
    ['parentheses in sequence', `a ${'(1) '.repeat(MB / 4)}`],
    ['comments between operands', `$a${' <# c #> -eq $a'.repeat(MB / 16)}`],
    ['lines that start with |', `a${'\n| b'.repeat(MB / 4)}`],
    ['binary noise', Array.from({ length: MB }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('')],
  ])(
    '1 MB: %s',
    (_name, source) => {
      parseOrError(source);
    },
    HANG,
  );
});
