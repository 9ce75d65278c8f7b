/**
 * Generators of valid scripts in umpin's PowerShell subset, for property tests: the parser's
 * round trip (src/shell/parser.fuzz.test.ts) and running random scripts (shell-scripts-run.test.ts).
 */
import fc from 'fast-check';

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
export const command = fc
  .tuple(
    cmdlet,
    fc.array(fc.oneof({ weight: 6, arbitrary: argument }, { weight: 1, arbitrary: fc.constantFrom('@p', '@a') }), {
      maxLength: 5,
    }),
  )
  .map(([name, args]) => [name, ...args].join(' '));
const firstExpression = fc.oneof(
  variable,
  member,
  fc.array(singleQuoted, { minLength: 2, maxLength: 3 }).map((items) => items.join(', ')),
  fc.constant('(Get-UMMailbox).Identity'),
);
export const pipeline = fc
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
export const script = fc
  .tuple(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.constantFrom('; ', '\n', '\r\n', ' # note\n'))
  .map(([statements, separator]) => ({
    source: statements.join(separator),
    count: statements.length,
  }));

export const condition = fc.oneof(
  member,
  fc
    .tuple(
      variable,
      fc.constantFrom('-eq', '-gt', '-like', '-match', '-notin'),
      fc.oneof(singleQuoted, number, constant),
    )
    .map(([v, op, x]) => `${v} ${op} ${x}`),
  pipeline,
);
export const expressionStatement = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('$n', "$h['k']", '$o.Count'),
      fc.constantFrom('=', '+=', '-=', '*=', '%='),
      fc.oneof(number, singleQuoted, variable),
    )
    .map(([t, op, v]) => `${t} ${op} ${v}`),
  fc.constantFrom('$i++', '--$i', '$a[0]', '$a[-1].Name', "$s.Trim().ToLower().Split(',')", '[int]$x + 1', '1..5'),
  // typed variables, type tests and the allowed static members
  fc
    .tuple(
      fc.constantFrom('[int]$n', '[string]$s', '[string[]]$a', '[datetime]$d', '[bool]$b'),
      fc.oneof(number, singleQuoted, constant, variable),
    )
    .map(([t, v]) => `${t} = ${v}`),
  fc
    .tuple(
      fc.oneof(variable, number, singleQuoted),
      fc.constantFrom('-is', '-isnot', '-as'),
      fc.constantFrom('[int]', '[string]', '[datetime]', '[string[]]', '[hashtable]'),
    )
    .map(([v, op, t]) => `${v} ${op} ${t}`),
  fc.constantFrom(
    '[math]::Round(2.5)',
    '[Math]::Max($n, 3)',
    '[datetime]::Today.AddDays(-1)',
    "[datetime]::ParseExact('20261125', 'yyyyMMdd', $null)",
    '[string]::IsNullOrEmpty($m)',
    "[string]::Join(', ', @('a', 'b'))",
    "[int]::Parse('42')",
  ),
  fc
    .tuple(
      singleQuoted,
      fc.array(fc.oneof(singleQuoted, number, constant, variable, member), { minLength: 1, maxLength: 3 }),
    )
    .map(([f, args]) => `${f} -f ${args.join(', ')}`),
  fc
    .tuple(variable, fc.constantFrom('-join', '-split', '-replace'), singleQuoted)
    .map(([v, op, x]) => `${v} ${op} ${x}`),
  fc.constantFrom('Get-X > out.txt', 'Get-X 2>&1', 'Get-X 2>$null', "'a' >> log.txt"),
);
export const simple = fc.oneof({ weight: 3, arbitrary: pipeline }, { weight: 2, arbitrary: expressionStatement });
export const body = fc.array(simple, { maxLength: 2 }).map((b) => `{ ${b.join('; ')} }`);
export const controlStatement = fc.oneof(
  fc
    .tuple(condition, body, fc.option(fc.tuple(condition, body)), fc.option(body))
    .map(
      ([c, b, elif, els]) =>
        `if (${c}) ${b}${elif ? ` elseif (${elif[0]}) ${elif[1]}` : ''}${els ? `\nelse ${els}` : ''}`,
    ),
  fc.tuple(condition, body).map(([c, b]) => `while (${c}) ${b}`),
  fc.tuple(body, condition, fc.constantFrom('while', 'until')).map(([b, c, w]) => `do ${b} ${w} (${c})`),
  body.map((b) => `for ($i = 0; $i -lt 3; $i++) ${b}`),
  fc
    .tuple(fc.constantFrom('', ' -Wildcard', ' -Regex -CaseSensitive'), condition, body, body)
    .map(([o, c, b1, b2]) => `switch${o} (${c}) {\n  'a*' ${b1}\n  { $_ -gt 1 } { break }\n  default ${b2}\n}`),
  fc
    .tuple(body, fc.constantFrom('', '[Exception] ', '[System.ArgumentException], [IOException] '), body, fc.boolean())
    .map(([b, t, c, fin]) => `try ${b} catch ${t}${c}${fin ? ' finally { continue }' : ''}`),
  fc
    .tuple(fc.constantFrom('', '[string]', '[int]', '[Parameter(Mandatory)][switch]'), body)
    .map(([t, b]) => `function Do-It { param(${t}$A, $B = 2) ${b.slice(1, -1)}; return $A }`),
  fc.constantFrom('break', 'continue', 'return', 'exit 2', "throw 'stop'"),
  // splatting's hashtable and list, labelled loops, advanced functions
  fc.constantFrom(
    "$p = @{ Identity = 'tonysmith'; LockedOut = $false }",
    "$a = @('tonysmith')",
    'Set-It b -Verbose',
    'Set-It -A tonysmith -WhatIf',
  ),
  fc
    .tuple(
      fc.constantFrom('foreach ($u in 1..3)', 'while ($i -lt 3)', 'for (;;)', 'do'),
      body,
      fc.constantFrom('break outer', 'continue outer', 'break'),
    )
    .map(([loop, b, flow]) =>
      loop === 'do'
        ? `:outer do { ${b.slice(1, -1)}; $i++; ${flow} } while ($i -lt 3)`
        : `:outer ${loop} { foreach ($v in 1..2) { ${b.slice(1, -1)}; $i++; ${flow} } }`,
    ),
  fc
    .tuple(
      fc.constantFrom(
        '[CmdletBinding()]',
        '[CmdletBinding(SupportsShouldProcess)]',
        "[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]",
      ),
      fc.constantFrom(
        "[ValidateSet('a', 'b')]",
        "[ValidatePattern('^\\w+$')]",
        '[ValidateRange(1, 10)]',
        '[ValidateNotNullOrEmpty()]',
        '',
      ),
      body,
    )
    .map(
      ([binding, check, b]) =>
        `function Set-It { ${binding} param(${check}[string]$A = 'a') if ($PSCmdlet.ShouldProcess($A, 'Set')) ${b}; return $A }`,
    ),
);
