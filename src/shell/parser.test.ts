import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/fixtures.js';
import type { Expression, Pipeline, PipelineElement, Statement } from './ast.js';
import { MAX_NESTING, parse } from './parser.js';

/**
 * A compact, exact spelling of the tree (positions aside): `(cmd Name -Param arg)`,
 * `bare:"x"` / `sq:"x"` / `dq:"x"` strings, `n:0123=123` numbers (text, then value when
 * it differs), `(-eq L R)`, `(. target Member)`, `(array ...)`, `(expand ...)`, and so on.
 */
function sx(source: string): string {
  return parse(source).statements.map(statement).join(' ; ');
}

const block = (body: readonly Statement[]) => `[${body.map(statement).join(' ; ')}]`;

function statement(s: Statement): string {
  switch (s.kind) {
    case 'assignment': {
      const target = s.target.kind === 'variable' ? `${s.type ? `[${s.type}]` : ''}$${s.variable}` : expr(s.target);
      return `(${s.operator} ${target} ${statement(s.value)})`;
    }
    case 'foreach':
      return `(${s.label ? `:${s.label} ` : ''}foreach $${s.variable} ${pipeline(s.collection)} ${block(s.body)})`;
    case 'pipeline':
      return pipeline(s);
    case 'if':
      return `(if ${s.clauses.map((c) => `${pipeline(c.condition)} ${block(c.body)}`).join(' ')}${s.elseBody ? ` else ${block(s.elseBody)}` : ''})`;
    case 'while':
      return `(${s.label ? `:${s.label} ` : ''}while ${pipeline(s.condition)} ${block(s.body)})`;
    case 'do':
      return `(do ${block(s.body)} ${s.until ? 'until' : 'while'} ${pipeline(s.condition)})`;
    case 'for':
      return `(for ${s.init ? statement(s.init) : '-'} ${s.condition ? pipeline(s.condition) : '-'} ${s.step ? statement(s.step) : '-'} ${block(s.body)})`;
    case 'switch':
      return `(switch ${s.mode}${s.caseSensitive ? ' cs' : ''} ${pipeline(s.subject)} ${s.clauses.map((c) => `${c.pattern ? expr(c.pattern) : 'default'} ${block(c.body)}`).join(' ')})`;
    case 'try':
      return `(try ${block(s.body)}${s.catches.map((c) => ` catch${c.types.map((t) => ` [${t}]`).join('')} ${block(c.body)}`).join('')}${s.finallyBody ? ` finally ${block(s.finallyBody)}` : ''})`;
    case 'flow':
      if (s.label) return `(${s.flow} ${s.label})`;
      return s.value ? `(${s.flow} ${pipeline(s.value)})` : `(${s.flow})`;
    case 'function':
      return `(function ${s.name} (${s.params.map((p) => `${p.mandatory ? '!' : ''}${p.type ? `[${p.type}]` : ''}$${p.name}${p.defaultValue ? `=${expr(p.defaultValue)}` : ''}`).join(' ')}) ${block(s.body)})`;
  }
}

function pipeline(p: Pipeline): string {
  const elements = p.elements.map(element);
  const redirections = (p.redirections ?? []).map(
    (r) => ` ${r.stream === 'error' ? '2' : ''}${r.append ? '>>' : '>'}${r.target ? expr(r.target) : '&1'}`,
  );
  const text = elements.length === 1 ? elements[0]! : `(pipe ${elements.join(' ')})`;
  return redirections.length > 0 ? `(redirect ${text}${redirections.join('')})` : text;
}

function element(e: PipelineElement): string {
  if (e.kind === 'expression') return expr(e.expression);
  const args = e.args.map((a) =>
    a.kind === 'argument'
      ? expr(a.value)
      : a.kind === 'splat'
        ? `@${a.variable}`
        : a.value === null
          ? `-${a.name}`
          : `-${a.name}:${expr(a.value)}`,
  );
  return `(cmd ${[e.name, ...args].join(' ')})`;
}

function expr(e: Expression): string {
  switch (e.kind) {
    case 'string':
      return `${{ single: 'sq', double: 'dq', bare: 'bare' }[e.quote]}:${JSON.stringify(e.value)}`;
    case 'expandable':
      return `(expand ${e.parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : expr(p))).join(' ')})`;
    case 'number':
      return String(e.value) === e.text ? `n:${e.text}` : `n:${e.text}=${e.value}`;
    case 'constant':
      return `$${String(e.value)}`;
    case 'variable':
      return `$${e.name}`;
    case 'member':
      return `(. ${expr(e.target)} ${e.member})`;
    case 'array':
      return `(array ${e.items.map(expr).join(' ')})`;
    case 'subexpression':
      return `(${e.array ? '@' : '$'}( ${e.statements.map(statement).join(' ; ')})`;
    case 'paren':
      return `(paren ${pipeline(e.pipeline)})`;
    case 'hashtable':
      return `(@{ ${e.entries.map((x) => `${x.key}=${expr(x.value)}`).join(' ')})`;
    case 'scriptblock':
      return `({ ${e.statements.map(statement).join(' ; ')})`;
    case 'binary':
      return `(${['+', '-', '*', '/', '%'].includes(e.operator) ? e.operator : `-${e.caseSensitive ? 'c' : ''}${e.operator}`} ${expr(e.left)} ${expr(e.right)})`;
    case 'unary':
      return `(-${e.operator} ${expr(e.operand)})`;
    case 'index':
      return `([] ${expr(e.target)} ${expr(e.index)})`;
    case 'method':
      return `(.${e.method}() ${[e.target, ...e.args].map(expr).join(' ')})`;
    case 'cast':
      return `([${e.type}] ${expr(e.operand)})`;
    case 'type':
      return `[${e.type}]`;
    case 'static':
      return `([${e.type}]::${e.member}${e.args === null ? '' : ` (${e.args.map(expr).join(' ')})`})`;
    case 'increment':
      return `(${e.prefix ? 'pre' : 'post'}${e.delta > 0 ? '++' : '--'} ${expr(e.target)})`;
  }
}

function parseError(source: string) {
  const err = thrown(() => parse(source));
  expect(err.code).toBe('UMPIN_SHELL_PARSE_ERROR');
  expect(err.field).toBeUndefined();
  return {
    rule: err.params.rule,
    line: err.params.line,
    column: err.params.column,
    incomplete: err.params.incomplete === true,
    message: err.message,
  };
}

describe('parse: commands and arguments', () => {
  it.each([
    [
      'Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 1985848 -PinExpired $true',
      '(cmd Set-UMMailboxPIN -Identity bare:"tonysmith@contoso.com" -PIN n:1985848 -PinExpired $true)',
    ],
    [
      'Set-UMMailboxPIN -Identity tonysmith -Pin 0123456',
      '(cmd Set-UMMailboxPIN -Identity bare:"tonysmith" -Pin n:0123456=123456)',
    ],
    ['Set-UMMailboxPIN tonysmith -LockedOut:$false', '(cmd Set-UMMailboxPIN bare:"tonysmith" -LockedOut:$false)'],
    [
      "Set-Mailbox tonysmith -EmailAddresses @{Add='eum:12345;phone-context=Contoso.contoso.com'}",
      '(cmd Set-Mailbox bare:"tonysmith" -EmailAddresses (@{ Add=sq:"eum:12345;phone-context=Contoso.contoso.com"))',
    ],
    [
      "Get-UMMailbox | ? {$_.UMMailboxPolicy -like 'Contoso*'} | Set-UMMailboxPIN",
      '(pipe (cmd Get-UMMailbox) (cmd ? ({ (-like (. $_ UMMailboxPolicy) sq:"Contoso*"))) (cmd Set-UMMailboxPIN))',
    ],
    [
      'Import-Csv C:\\users.csv | Enable-UMMailbox -UMMailboxPolicy "Contoso Default Policy"',
      '(pipe (cmd Import-Csv bare:"C:\\\\users.csv") (cmd Enable-UMMailbox -UMMailboxPolicy dq:"Contoso Default Policy"))',
    ],
    [
      'Get-UMMailboxPIN | Where-Object LockedOut -eq $true',
      '(pipe (cmd Get-UMMailboxPIN) (cmd Where-Object bare:"LockedOut" -eq $true))',
    ],
    ['get-ummailbox -resultsize unlimited', '(cmd get-ummailbox -resultsize bare:"unlimited")'],
    ['% { $_ } ; ?{$_}', '(cmd % ({ $_)) ; (cmd ? ({ $_))'],
    ['Get-Help Set-UMMailboxPIN -Examples', '(cmd Get-Help bare:"Set-UMMailboxPIN" -Examples)'],
    ['exit', '(exit)'],
  ])('%s', (source, expected) => {
    expect(sx(source)).toBe(expected);
  });

  it.each([
    // numbers keep their text; a word that only starts like a number is a word
    [
      'a 1985848 0123456 -5 3.5 .5 0x1F 1KB 2mb 1e3',
      '(cmd a n:1985848 n:0123456=123456 n:-5 n:3.5 n:.5=0.5 n:0x1F=31 n:1KB=1024 n:2mb=2097152 n:1e3=1000)',
    ],
    [
      'a 10231abc 1.2.3.4 2026-11-25 11/25/2026 -5abc 1..5 0x 1.',
      '(cmd a bare:"10231abc" bare:"1.2.3.4" bare:"2026-11-25" bare:"11/25/2026" bare:"-5abc" bare:"1..5" bare:"0x" bare:"1.")',
    ],
    // words run to a space or | ; , ( ) { } and may hold @ . \ : / * = - # ! [ ]
    [
      'a C:\\data\\users.csv contoso\\tonysmith Contoso* a=b x:y .\\out.csv b#c [x] !y -',
      '(cmd a bare:"C:\\\\data\\\\users.csv" bare:"contoso\\\\tonysmith" bare:"Contoso*" bare:"a=b" bare:"x:y" bare:".\\\\out.csv" bare:"b#c" bare:"[x]" bare:"!y" bare:"-")',
    ],
    ['a eum:12345;phone-context=Contoso', '(cmd a bare:"eum:12345") ; (cmd phone-context=Contoso)'],
    ['a x(y)z', '(cmd a bare:"x" (paren (cmd y)) bare:"z")'],
    // backtick escapes and quoted parts inside a word
    [
      "a b`,c`$d `-e O`'Brien a'b c'd a\"$x\"",
      '(cmd a bare:"b,c$d" bare:"-e" bare:"O\'Brien" bare:"ab cd" (expand "a" $x))',
    ],
    ["a 'x'y", '(cmd a sq:"x" bare:"y")'],
    // parameters
    [
      "a -Name:value -Confirm:$false -N:'x' -P:5 -Q:-5 -R: C:\\x -S:-x -T:(1) -Ext:1,2",
      '(cmd a -Name:bare:"value" -Confirm:$false -N:sq:"x" -P:n:5 -Q:n:-5 -R:bare:"C:\\\\x" -S:bare:"-x" -T:(paren n:1) -Ext:(array n:1 n:2))',
    ],
    [
      'Where-Object Name -like a* -CEQ x -notin y',
      '(cmd Where-Object bare:"Name" -like bare:"a*" -CEQ bare:"x" -notin bare:"y")',
    ],
    ['a -? -_x -a.b -abc@x.com', '(cmd a -? -_x bare:"-a.b" bare:"-abc@x.com")'],
    // typographic dashes and quotes, as pasted from documents
    [
      'Set-UMMailboxPIN \u2013Identity \u2018Tony Smith\u2019 \u2014PinExpired \u201c$x\u201d \u20135',
      '(cmd Set-UMMailboxPIN -Identity sq:"Tony Smith" -PinExpired (expand $x) n:\u20135=-5)',
    ],
    // arrays
    ['a -Extensions 12345,23456', '(cmd a -Extensions (array n:12345 n:23456))'],
    ["a x , y,-z,-5, 'q'", '(cmd a (array bare:"x" bare:"y" bare:"-z" n:-5 sq:"q"))'],
    ['a -Extensions 12345,\n   23456 -X', '(cmd a -Extensions (array n:12345 n:23456) -X)'],
    // variables and member access
    [
      'a $_ $PSItem ${any name} $TRUE $False $NULL ${true} $env:USERNAME $script:x $? $$ $^ $1',
      '(cmd a $_ $PSItem $any name $true $false $null $true $env:USERNAME $script:x $? $$ $^ $1)',
    ],
    [
      "a $x.Name.Sub $m.'Display Name' (Get-X y).Name @(1).Count 'abc'.Length",
      '(cmd a (. (. $x Name) Sub) (. $m Display Name) (. (paren (cmd Get-X bare:"y")) Name) (. (@( n:1) Count) (. sq:"abc" Length))',
    ],
    ['a $x .Name', '(cmd a $x bare:".Name")'],
    // a word that starts with a variable expands, as in PowerShell
    [
      'a $HOME\\docs $user@contoso.com $a$b $x. $(1)x $env:TEMP\\x $',
      '(cmd a (expand $HOME "\\\\docs") (expand $user "@contoso.com") (expand $a $b) (expand $x ".") (expand ($( n:1) "x") (expand $env:TEMP "\\\\x") bare:"$")',
    ],
  ])('arguments: %s', (source, expected) => {
    expect(sx(source)).toBe(expected);
  });

  it('gives every node its span, and a command its name span', () => {
    const source = 'x = 1\n  Set-UMMailboxPIN  tony -PIN:1985848 -Pin 5';
    const script = parse(source);
    const command = script.statements[1]!;
    expect(command).toMatchObject({
      kind: 'pipeline',
      span: { start: 8, end: source.length },
      elements: [
        {
          kind: 'command',
          name: 'Set-UMMailboxPIN',
          nameSpan: { start: 8, end: 24 },
          span: { start: 8, end: source.length },
          args: [
            { kind: 'argument', span: { start: 26, end: 30 }, value: { kind: 'string', span: { start: 26, end: 30 } } },
            {
              kind: 'parameter',
              name: 'PIN',
              span: { start: 31, end: 43 },
              value: { kind: 'number', text: '1985848', span: { start: 36, end: 43 } },
            },
            { kind: 'parameter', name: 'Pin', value: null, span: { start: 44, end: 48 } },
            { kind: 'argument', span: { start: 49, end: 50 } },
          ],
        },
      ],
    });
    expect(script.statements[0]).toMatchObject({
      kind: 'pipeline',
      elements: [{ kind: 'command', name: 'x', args: [{ value: { value: '=' } }, {}] }],
    });
    expect(script.span).toEqual({ start: 0, end: source.length });
    const block = parse('% { $_.Name }').statements[0] as Pipeline;
    expect(block.elements[0]).toMatchObject({
      args: [{ value: { kind: 'scriptblock', text: ' $_.Name ', span: { start: 2, end: 13 } } }],
    });
    const sum = parse('$a + $b.c').statements[0] as Pipeline;
    expect(sum.elements[0]).toMatchObject({
      expression: { kind: 'binary', span: { start: 0, end: 9 }, right: { kind: 'member', span: { start: 5, end: 9 } } },
    });
  });
});

describe("parse: lines in the style of Exchange documentation and admins' scripts", () => {
  it.each([
    'Enable-UMMailbox -Identity tonysmith@contoso.com -UMMailboxPolicy MyUMMailboxPolicy -Extensions 51234 -PIN 5643892 -NotifyEmail administrator@contoso.com -PINExpired $true',
    'New-UMDialPlan -Name MyUMDialPlan -URIType E164 -NumberOfDigitsInExtension 5 -VoIPSecurity Unsecured',
    "Set-UMDialPlan -Identity Contoso -AccessTelephoneNumbers @{Add='+14255550199'} -LogonFailuresBeforeDisconnect 5",
    '$csv=import-csv "C:\\MyInCountryGroups.csv"\nSet-UMDialPlan -Identity MyDialPlan -ConfiguredInCountryOrRegionGroups $csv\nSet-UMDialPlan -Identity MyDialPlan -AllowedInCountryOrRegionGroups "local, long distance"',
    'Search-AdminAuditLog -Cmdlets Set-Mailbox -Parameters UseDatabaseQuotaDefaults,ProhibitSendReceiveQuota,ProhibitSendQuota -StartDate 01/24/2018 -EndDate 02/12/2018',
    'Set-UMMailboxPolicy -Identity MyUMMailboxPolicy -LogonFailuresBeforePINReset 8 -MaxLogonAttempts 12 -MinPINLength 8 -PINHistoryCount 10 -PINLifetime 60 -ResetPINText "The PIN used to allow you access to your mailbox has been reset."',
    'Get-UMMailbox -Filter "UMMailboxPolicy -eq \'Contoso Default Policy\'" | Set-UMMailboxPIN',
    'Set-MailboxRegionalConfiguration -Identity "Tony Smith" -Language nl-NL -DateFormat "dd-MM-yy"',
    'Get-Mailbox -OrganizationalUnit "Marketing" | Set-MailboxRegionalConfiguration -Language en-US',
    'Remove-UMMailboxPolicy -Identity MyUMMailboxPolicy -Confirm:$false',
    'Get-UMMailboxPIN | Where-Object LockedOut -eq $true | Set-UMMailboxPIN -LockedOut $false',
    "Import-Csv users.csv | ForEach-Object { Enable-UMMailbox -Identity $_.Alias -UMMailboxPolicy 'Contoso Default Policy' -Extensions $_.Extension }",
    'Get-Mailbox -Filter {RecipientTypeDetails -eq \'UserMailbox\' -and Department -eq "Sales"}',
    'Get-UMMailboxPIN | Format-Table UserID,@{Label="Locked";Expression={$_.LockedOut}} -AutoSize',
    'Get-UMMailbox -ResultSize Unlimited | Export-Csv -Path .\\um.csv -NoTypeInformation -Encoding UTF8',
    '$users = Import-Csv "C:\\Scripts\\users.csv"\nforeach ($u in $users) {\n    Set-UMMailboxPIN -Identity $u.Email `\n        -PIN $u.Pin `\n        -PinExpired $true\n    Write-Host "PIN reset for $($u.Email)"\n}',
  ])('%s', (source) => {
    expect(() => parse(source)).not.toThrow();
  });
});

describe('parse: strings', () => {
  it.each([
    ["'it''s $x `n'", 'sq:"it\'s $x `n"'],
    ['"Hello $name $($m.DisplayName) `$x"', '(expand "Hello " $name " " ($( (. $m DisplayName)) " $x")'],
    ['"a""b `"c`" `t`n`r`0`a`b`e`f`v `q ``"', 'dq:"a\\"b \\"c\\" \\t\\n\\r\\u0000\\u0007\\b\\u001b\\f\\u000b q `"'],
    ['"`u{1F600} `u{e9}"', 'dq:"😀 é"'],
    // PowerShell expands only the variable: `.Name` and `[0]` stay text
    ['"$_.Name is $x[0]"', '(expand $_ ".Name is " $x "[0]")'],
    ['"${a b}c $true $env:X cost $ 5 and 100$"', '(expand $a b "c " $true " " $env:X " cost $ 5 and 100$")'],
    ['"line1\nline2"', 'dq:"line1\\nline2"'],
    ['"$("in" + "ner") $(Get-X -Y "z")"', '(expand ($( (+ dq:"in" dq:"ner")) " " ($( (cmd Get-X -Y dq:"z")))'],
    ['""', 'dq:""'],
    ["''", 'sq:""'],
    // here-strings: the lines between the header and the closing line
    [
      '@"\nHello $name\n  "quoted" \'x\' `t $($m.A)\n"@',
      '(expand "Hello " $name "\\n  \\"quoted\\" \'x\' \\t " ($( (. $m A)))',
    ],
    ["@'\r\nline1\r\n  $x \"@ '@\r\n'@ | Out-Host", '(pipe sq:"line1\\r\\n  $x \\"@ \'@" (cmd Out-Host))'],
    ['@"  \n"@', 'dq:""'],
    ['$x = @"\n$(Get-X\n)\n"@; $x', '(= $x (expand ($( (cmd Get-X)))) ; $x'],
  ])('%s', (source, expected) => {
    expect(sx(source)).toBe(expected);
  });
});

describe('parse: expressions', () => {
  it.each([
    ['$m = Get-UMMailbox tonysmith; $m.Extensions', '(= $m (cmd Get-UMMailbox bare:"tonysmith")) ; (. $m Extensions)'],
    ['$csv=import-csv "C:\\x.csv"', '(= $csv (cmd import-csv dq:"C:\\\\x.csv"))'],
    ['$x =\n  1, 2', '(= $x (array n:1 n:2))'],
    ['${my var} = $null', '(= $my var $null)'],
    ['$null = Get-X', '(= $null (cmd Get-X))'],
    ['1,2 -contains 2', '(-contains (array n:1 n:2) n:2)'],
    ['$a -eq 1 -and $b -ne 2 -or $c', '(-or (-and (-eq $a n:1) (-ne $b n:2)) $c)'],
    ['$a -or $b -and $c', '(-and (-or $a $b) $c)'],
    ['-not $a -eq $b', '(-eq (-not $a) $b)'],
    ['!$a -and -not(1) -and -not -not $b', '(-and (-and (-not $a) (-not (paren n:1))) (-not (-not $b)))'],
    ['1 + 2 -gt 2', '(-gt (+ n:1 n:2) n:2)'],
    ["'a' + 'b', 'c'", '(+ sq:"a" (array sq:"b" sq:"c"))'],
    [
      '$a -EQ 1 -ieq 2 -ceq 3 -Like 4 -cnotlike 5 -inotin 6 -cin 7 -match 8 -cnotmatch 9 -ge 1 -le 2 -lt 3 -gt 4 -notcontains 5 -in 6',
      '(-in (-notcontains (-gt (-lt (-le (-ge (-cnotmatch (-match (-cin (-notin (-cnotlike (-like (-ceq (-eq (-eq $a n:1) n:2) n:3) n:4) n:5) n:6) n:7) n:8) n:9) n:1) n:2) n:3) n:4) n:5) n:6)',
    ],
    ['$a -eq\n  $b -and\n  $c', '(-and (-eq $a $b) $c)'],
    ['$a \u2013eq 1', '(-eq $a n:1)'],
    ['-5 | Write-Output', '(pipe n:-5 (cmd Write-Output))'],
    ["'a','b' | % { $_ }", '(pipe (array sq:"a" sq:"b") (cmd % ({ $_)))'],
    ['(Get-UMMailbox).Count', '(. (paren (cmd Get-UMMailbox)) Count)'],
    ['$(Get-X; Get-Y) ; @(Get-X) ; @() ; $()', '($( (cmd Get-X) ; (cmd Get-Y)) ; (@( (cmd Get-X)) ; (@( ) ; ($( )'],
    ['@{}', '(@{ )'],
    ['@{a=1;b=\'x\'; \'c d\' = "e"; "f"=1,2}', '(@{ a=n:1 b=sq:"x" c d=dq:"e" f=(array n:1 n:2))'],
    [
      "@{\n  Name = 'Locked'\n  Expression = { $_.LockedOut }\n}",
      '(@{ Name=sq:"Locked" Expression=({ (. $_ LockedOut)))',
    ],
    ['@{ a = Get-X -Y z; b = $x -eq 1 }', '(@{ a=(paren (cmd Get-X -Y bare:"z")) b=(-eq $x n:1))'],
    ['{ $_.LockedOut -eq $true }', '({ (-eq (. $_ LockedOut) $true))'],
    ['{ Set-UMMailboxPIN -Identity $_.Identity }', '({ (cmd Set-UMMailboxPIN -Identity (. $_ Identity)))'],
    ['{}', '({ )'],
  ])('%s', (source, expected) => {
    expect(sx(source)).toBe(expected);
  });

  it('reads the first element of a statement as a command unless it starts like an expression', () => {
    expect(sx('foo -eq 1')).toBe('(cmd foo -eq n:1)');
    expect(sx('x = 1')).toBe('(cmd x bare:"=" n:1)');
  });
});

describe('parse: statements and layout', () => {
  it.each([
    ['foreach ($u in $users) { Set-X $u }', '(foreach $u $users [(cmd Set-X $u)])'],
    [
      'ForEach ($u IN (Get-X | Where-Object A))\n{\n  Set-X $u\n  $n = 1\n}',
      '(foreach $u (paren (pipe (cmd Get-X) (cmd Where-Object bare:"A"))) [(cmd Set-X $u) ; (= $n n:1)])',
    ],
    ['foreach($u in Get-X){}', '(foreach $u (cmd Get-X) [])'],
    [
      'Get-X | foreach { $_ } | ForEach-Object Name',
      '(pipe (cmd Get-X) (cmd foreach ({ $_)) (cmd ForEach-Object bare:"Name"))',
    ],
    // separators, blank lines, comments
    ['\n\n  a ;; b\r\n\r\n c;', '(cmd a) ; (cmd b) ; (cmd c)'],
    ['# only a comment', ''],
    ['', ''],
    ['a # comment | b\nb <# block\n comment #> c <#x#>d', '(cmd a) ; (cmd b bare:"c" bare:"d")'],
    // continuation: backtick at the end of a line, a line ending in |, a line starting with |
    [
      'Set-UMMailboxPIN `\n  -Identity tony `\r\n  -PinExpired $true',
      '(cmd Set-UMMailboxPIN -Identity bare:"tony" -PinExpired $true)',
    ],
    ['Get-UMMailbox |\n\n  # comment\n  Set-UMMailboxPIN', '(pipe (cmd Get-UMMailbox) (cmd Set-UMMailboxPIN))'],
    [
      'Get-UMMailbox\n  | Where-Object LockedOut\n  | Set-UMMailboxPIN\nGet-Y',
      '(pipe (cmd Get-UMMailbox) (cmd Where-Object bare:"LockedOut") (cmd Set-UMMailboxPIN)) ; (cmd Get-Y)',
    ],
    ['(\n  Get-X\n)', '(paren (cmd Get-X))'],
  ])('%s', (source, expected) => {
    expect(sx(source)).toBe(expected);
  });
});

describe('parse: scripts', () => {
  it.each([
    ['if ($a) { b } elseif ($c -eq 1) { d } else { e }', '(if $a [(cmd b)] (-eq $c n:1) [(cmd d)] else [(cmd e)])'],
    ['if ($a) {\n  b\n}\n# note\nelse\n{\n  c\n}', '(if $a [(cmd b)] else [(cmd c)])'],
    ['if ($a) { b }\nc', '(if $a [(cmd b)]) ; (cmd c)'],
    ['while ($i -lt 3) { $i++ }', '(while (-lt $i n:3) [(post++ $i)])'],
    ['do { $i-- } until ($i -le 0)', '(do [(post-- $i)] until (-le $i n:0))'],
    ['do { x }\nwhile ($false)', '(do [(cmd x)] while $false)'],
    ['for ($i = 0; $i -lt 10; $i++) { continue }', '(for (= $i n:0) (-lt $i n:10) (post++ $i) [(continue)])'],
    ['for (;;) { break }', '(for - - - [(break)])'],
    [
      "switch -Wildcard ($u.Name) {\n  'a*' { 1 }\n  b { 2; break }\n  default { 3 }\n}",
      '(switch wildcard (. $u Name) sq:"a*" [n:1] bare:"b" [n:2 ; (break)] default [n:3])',
    ],
    ['switch -regex -casesensitive (x) { { $_ -gt 1 } { y } }', '(switch regex cs (cmd x) ({ (-gt $_ n:1)) [(cmd y)])'],
    [
      'try { a } catch [System.ArgumentException], [Exception] { b } catch { throw } finally { c }',
      '(try [(cmd a)] catch [argumentexception] [exception] [(cmd b)] catch [(throw)] finally [(cmd c)])',
    ],
    ['return; return 1; exit 2; throw "x $y"', '(return) ; (return n:1) ; (exit n:2) ; (throw (expand "x " $y))'],
    [
      'function Reset-One([string]$Id, [switch]$Force = $false) { Set-UMMailboxPIN $Id }',
      '(function Reset-One ([string]$Id [switch]$Force=$false) [(cmd Set-UMMailboxPIN $Id)])',
    ],
    [
      'function f {\n  [CmdletBinding()]\n  param(\n    [Parameter(Mandatory = $true, Position = 0)] [string[]] $Users,\n    $N = 1, $M\n  )\n  $N\n}',
      '(function f (![string[]]$Users $N=n:1 $M) [$N])',
    ],
    [
      '$n += 1; $n -= 2; $n *= 3; $n /= 4; $n %= 5',
      '(+= $n n:1) ; (-= $n n:2) ; (*= $n n:3) ; (/= $n n:4) ; (%= $n n:5)',
    ],
    [
      "$h['a'] = 1; $o.Name = 'x'; $a[-1] = $null",
      '(= ([] $h sq:"a") n:1) ; (= (. $o Name) sq:"x") ; (= ([] $a n:-1) $null)',
    ],
    ['$x = if ($a) { 1 } else { 2 }', '(= $x (if $a [n:1] else [n:2]))'],
    ['$x = foreach ($a in $b) { $a }', '(= $x (foreach $a $b [$a]))'],
    ['++$i; --$i', '(pre++ $i) ; (pre-- $i)'],
    // a keyword is one only when a word ends with it
    ['if-x; until$; Else-Thing', '(cmd if-x) ; (cmd until$) ; (cmd Else-Thing)'],
    ["-'5'", '(-negate sq:"5")'],
    [
      "[int]$n = '5'; [string[]] $a = 'x'; [datetime]$script:d = Get-Date",
      '(= [int]$n sq:"5") ; (= [string[]]$a sq:"x") ; (= [datetime]$script:d (cmd Get-Date))',
    ],
    [
      ':outer foreach ($a in $b) { :inner while ($c) { break outer; continue inner } }',
      '(:outer foreach $a $b [(:inner while $c [(break outer) ; (continue inner)])])',
    ],
    ['Set-UMMailboxPIN @p -WhatIf; f @args', '(cmd Set-UMMailboxPIN @p -WhatIf) ; (cmd f @args)'],
    [
      '$a -is [int]; $a -isnot [string[]]; $a -as [datetime]',
      '(-is $a [int]) ; (-isnot $a [string[]]) ; (-as $a [datetime])',
    ],
    [
      "[datetime]::Now.AddDays(-1); [Math]::Round($x, 2); [System.String]::Join(',', $a)",
      '(.AddDays() ([datetime]::now) n:-1) ; ([math]::round ($x n:2)) ; ([string]::join (sq:"," $a))',
    ],
    // a cast compared or used as a value is no typed assignment
    ['[int]$n -eq 5; [string]$a', '(-eq ([int] $n) n:5) ; ([string] $a)'],
  ])('%s', (source, expected) => {
    expect(sx(source)).toBe(expected);
  });

  it('reads param(...) first in a script', () => {
    const script = parse(
      '# header\n[CmdletBinding()]\nparam([Parameter(Mandatory)][string]$Path, [switch]$WhatIf)\nGet-Content $Path',
    );
    expect(script.params.map((p) => [p.name, p.type, p.mandatory])).toEqual([
      ['Path', 'string', true],
      ['WhatIf', 'switch', false],
    ]);
    expect(script.statements.map(statement)).toEqual(['(cmd Get-Content $Path)']);
    expect(script.binding).toEqual({ shouldProcess: false, confirmImpact: 'medium' });
    const advanced = parse("[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]\nparam($a)");
    expect(advanced.binding).toEqual({ shouldProcess: true, confirmImpact: 'high' });
    const fn = parse('function f { [CmdletBinding(SupportsShouldProcess)] param() }').statements[0]!;
    expect(fn.kind === 'function' && fn.binding).toEqual({ shouldProcess: true, confirmImpact: 'medium' });
    expect(parseError('[CmdletBinding(DefaultParameterSetName="x")]\nparam()').rule).toMatch(
      /^\[CmdletBinding\(DefaultParameterSetName="x"\)\] is not supported by umpin's shell; it takes SupportsShouldProcess/,
    );
  });

  it.each([
    ['1 + 2 * 3 - 4 / 2 % 3', '(- (+ n:1 (* n:2 n:3)) (% (/ n:4 n:2) n:3))'],
    ['$a - 1; $a -1; 1 -5', '(- $a n:1) ; (- $a n:1) ; (- n:1 n:5)'],
    ['-$x + -(1)', '(+ (-negate $x) (-negate (paren n:1)))'],
    ["'{0} of {1}' -f $i, $n", '(-format sq:"{0} of {1}" (array $i $n))'],
    [
      "$a -join ', '; -join $a; $s -split ','; -split $s",
      '(-join $a sq:", ") ; (-join $a) ; (-split $s sq:",") ; (-split $s)',
    ],
    ["$s -replace 'a', 'b' -creplace 'c'", '(-creplace (-replace $s (array sq:"a" sq:"b")) sq:"c")'],
    ['1..10; $a[0]; $a[-1]; $a[1..2]', '(-range n:1 n:10) ; ([] $a n:0) ; ([] $a n:-1) ; ([] $a (-range n:1 n:2))'],
    ["$h['key'].Count; $u.Name.Length", '(. ([] $h sq:"key") Count) ; (. (. $u Name) Length)'],
    [
      "[int]'5' + [string]$x; [datetime]'2026-01-01'",
      '(+ ([int] sq:"5") ([string] $x)) ; ([datetime] sq:"2026-01-01")',
    ],
    ['[pscustomobject]@{ A = 1 }', '([pscustomobject] (@{ A=n:1))'],
    ["$s.Trim().ToLower().Split(',')[0]", '([] (.Split() (.ToLower() (.Trim() $s)) sq:",") n:0)'],
    ["$s.Substring(0, 3); $s.Replace('a', 'b')", '(.Substring() $s n:0 n:3) ; (.Replace() $s sq:"a" sq:"b")'],
    ['(Get-Date).AddDays(-30)', '(.AddDays() (paren (cmd Get-Date)) n:-30)'],
    ['$a -xor $b', '(-xor $a $b)'],
    ['"x" * 3; 2 * "x"', '(* dq:"x" n:3) ; (* n:2 dq:"x")'],
    [
      'Get-X > out.txt; Get-Y >> "a b.txt" 2>&1; Get-Z 2>$null',
      '(redirect (cmd Get-X) >bare:"out.txt") ; (redirect (cmd Get-Y) >>dq:"a b.txt" 2>&1) ; (redirect (cmd Get-Z) 2>$null)',
    ],
    ['"report" > $path', '(redirect dq:"report" >$path)'],
    ['Write-Host $a[0] $s.ToUpper()', '(cmd Write-Host ([] $a n:0) (.ToUpper() $s))'],
  ])('%s', (source, expected) => {
    expect(sx(source)).toBe(expected);
  });
});

describe('parse errors', () => {
  it.each([
    ['Get-X)', "Unexpected token ')'", 1, 6],
    ['Get-X }', "Unexpected token '}'", 1, 7],
    ["Get-X | 'x'", 'Expressions are only allowed as the first element of a pipeline', 1, 9],
    ['a & b', "The ampersand (&) is not supported by umpin's shell; put text that contains it in quotes", 1, 3],
    ['& Get-X', "The ampersand (&) call operator is not supported by umpin's shell", 1, 1],
    ['. .\\x.ps1', "Dot-sourcing (. script) is not supported by umpin's shell", 1, 1],
    [
      '[Math]::Pi',
      expect.stringMatching(/^Static members \(::\) other than \[datetime\]::Now, .* are not supported/),
      1,
      7,
    ],
    ['[datetime]::Now()', '[datetime]::Now is a property: it takes no arguments', 1, 16],
    ['[math]::Round', '[math]::Round is a method: call it with (...)', 1, 14],
    ['[math]::Max(1)', '[math]::Max takes 2 arguments, not 1', 1, 7],
    [
      '[int]',
      "Type names ([int]) alone are not supported by umpin's shell; a cast goes before a value, as in [int]$x",
      1,
      1,
    ],
    [
      '[xml]$x',
      "Type names and casts ([xml]) are not supported by umpin's shell; casts take [int], [long], [double], [decimal], [string], [bool], [datetime], [array], [hashtable], [pscustomobject], [string[]] and [int[]]",
      1,
      1,
    ],
    [
      '$x.GetType()',
      expect.stringMatching(/^Method calls other than the string methods ToLower.* are not supported/),
      1,
      4,
    ],
    [
      'Get-X | if ($a) { b }',
      "The 'if' keyword starts a statement of its own; it cannot be a command in a pipeline",
      1,
      9,
    ],
    ["else { 'x' }", "The 'else' keyword must follow the '}' of its statement", 1, 1],
    ['Get-X\nclass C { }', "The 'class' keyword is not supported by umpin's shell", 2, 1],
    ['trap { }', "The 'trap' keyword is not supported by umpin's shell", 1, 1],
    ['while ($true) { break $x }', "'break' takes a loop's label (a word, as in break outer) or nothing", 1, 23],
    [':outer Get-X', 'A label (:outer) goes before a loop: foreach, for, while, do or switch', 1, 1],
    [
      'switch -file (x) { }',
      "The switch option -file is not supported by umpin's shell; it takes -Regex, -Wildcard, -Exact and -CaseSensitive",
      1,
      8,
    ],
    [
      'try { a } catch [System.Net.WebException] { }',
      expect.stringMatching(/^umpin's shell cannot catch \[net.webexception\]/),
      1,
      17,
    ],
    [
      'function f { param([ValidateScript({ $_ })] $a) }',
      "The attribute [validatescript(...)] is not supported by umpin's shell; a parameter takes [Parameter(...)] and a type",
      1,
      20,
    ],
    ['param([ValidateSet($x)] $a)', '[ValidateSet(...)] takes quoted text and numbers only', 1, 20],
    ['param([ValidateRange(5, 1)] $a)', '[ValidateRange(min, max)] takes two numbers, the smaller first', 1, 7],
    ["param([ValidatePattern('(')] $a)", '[ValidatePattern(...)] takes a valid regular expression', 1, 7],
    ['param([ValidateNotNullOrEmpty(1)] $a)', '[ValidateNotNullOrEmpty(...)] takes no arguments', 1, 7],
    [
      'param([xml]$a)',
      "The attribute or type [xml] is not supported by umpin's shell in a parameter declaration",
      1,
      7,
    ],
    ['a\nparam($x)', "'param(...)' can only stand first in a script or a function body", 2, 1],
    ['$a -is 1', "The operator '-is' takes a type on its right, as in $x -is [int]", 1, 8],
    [
      '$a -as [xml]',
      "'-as' cannot test for the type [xml]; it takes the types a cast takes, and [switch], [securestring] and [object]",
      1,
      8,
    ],
    ['$x -= 1 -= 2', "'-=' assigns: it can only follow a variable at the start of a statement", 1, 9],
    [
      'Get-X | ? { $_.Age > 5 }',
      "Redirection ('>') writes to a file, here one named '5'; to compare values, use -gt, -lt, -ge or -le",
      1,
      20,
    ],
    ['Get-X 2>&2', "Of the stream merges, only 2>&1 is supported by umpin's shell", 1, 7],
    ['Get-X > a | Get-Y', 'Redirections go at the end of the whole pipeline', 1, 11],
    ['$a < 1', "Input redirection ('<') is not supported by umpin's shell; to compare values, use -lt or -le", 1, 4],
    ['$x::y', "Static members (::) are not supported by umpin's shell", 1, 3],
    ['foreach { $_ }', "Missing opening '(' after the keyword 'foreach'", 1, 9],
    ['foreach ($true in $b) {}', "Missing the variable name after 'foreach ('", 1, 10],
    ['foreach ($a of $b) {}', "Missing the keyword 'in' after the variable of the foreach loop", 1, 13],
    ['foreach ($a in $b) Get-X', "Missing the statement block '{ ... }' of the foreach loop", 1, 20],
    ['a -- b', "The end-of-parameters token (--) is not supported by umpin's shell", 1, 3],
    ['a --% b', "The stop-parsing token (--%) is not supported by umpin's shell", 1, 3],
    ['$a -foo 1', "Unknown operator '-foo'", 1, 4],
    ['$a == 1', "'==' is not a PowerShell operator; to compare, use -eq", 1, 4],
    ['$a != 1', "'!=' is not a PowerShell operator; to compare, use -ne", 1, 4],
    ['$a -not $b', "Unexpected operator '-not': it goes before an expression, as in -not $x", 1, 4],
    ['a && b', "The ampersand (&) is not supported by umpin's shell; put text that contains it in quotes", 1, 3],
    ['$a && $b', "The '&&' operator is not supported by umpin's shell", 1, 4],
    ['a || b', "The '||' operator is not supported by umpin's shell", 1, 3],
    ['$x = @params', "Splatting (@params) goes only among a command's arguments, as in Set-UMMailboxPIN @params", 1, 6],
    ['a ,b', "The unary comma operator is not supported by umpin's shell", 1, 3],
    ['| a', 'An empty pipe element is not allowed', 1, 1],
    ['a | | b', 'An empty pipe element is not allowed', 1, 5],
    [
      '$a -eq tonysmith',
      "Unexpected token 'tonysmith' in an expression: put text in quotes, and commands in parentheses",
      1,
      8,
    ],
    ['$a b', "Unexpected token 'b'", 1, 4],
    ['10abc', "Unexpected token 'abc'", 1, 3],
    ['$true = 1', 'Cannot assign to $true: it is a constant', 1, 1],
    ['[int]$n += 1', "'+=' assigns: it can only follow a variable at the start of a statement", 1, 9],
    ["[int]$h['a'] = 1", "Unexpected token '=': only a variable can be assigned, as in $name = ...", 1, 14],
    [
      '[xml]$doc = 1',
      'A variable cannot have the type [xml]; it takes [int], [long], [double], [decimal], [string], [bool], [datetime], [array], [hashtable], [pscustomobject], [string[]], [int[]] and [object[]]',
      1,
      1,
    ],
    ['(Get-X; Get-Y)', "Missing closing ')' for the '(' opened at line 1, column 1; found ';'", 1, 7],
    ['()', "An expression was expected after '('", 1, 2],
    ['a -Name:', 'Missing an argument for parameter -Name', 1, 9],
    ['a -Name: | b', 'Missing an argument for parameter -Name', 1, 10],
    [
      "Set-Mailbox x -EmailAddresses @{Add='a' Remove='b'}",
      "Unexpected token 'Remove='b'' in the hashtable: separate its entries with ';' or new lines",
      1,
      41,
    ],
    ['@{a=1; A=2}', "Duplicate keys 'A' are not allowed in a hashtable", 1, 8],
    ['@{a}', "Missing '=' after the key 'a' in the hashtable", 1, 4],
    [
      '@{$k = 1}',
      "Hashtable keys computed from expressions are not supported by umpin's shell; write the key as a word or in quotes",
      1,
      3,
    ],
    [
      '"$name: x"',
      "A variable reference is not valid: ':' is not followed by a variable name; use ${name} to delimit the name",
      1,
      7,
    ],
    ['@"abc"@', 'No characters are allowed after a here-string header but before the end of the line', 1, 3],
    ['"`u{110000}"', 'A Unicode escape must be `u{X} with 1 to 6 hexadecimal digits, at most 10FFFF', 1, 2],
    ['Get-X\n  Set-Y -A (1 + )', "Missing an expression after the operator '+'", 2, 17],
    ['Get-X\n  Set-Y -A (1 +\n)', "Missing an expression after the operator '+'", 3, 1],
    ['a\n\n\t$b = @(\n  1 +\n  -x)', "Unexpected token '-x': an expression was expected", 5, 3],
  ])('%s', (source, rule, line, column) => {
    expect(parseError(source)).toMatchObject({ rule, line, column, incomplete: false });
  });

  it.each([
    ['Get-X {', "Missing closing '}' for the script block opened at line 1, column 7"],
    ["'abc", "The string opened at line 1, column 1 is missing its closing quote (')"],
    ['"abc\n', 'The string opened at line 1, column 1 is missing its closing quote (")'],
    ['Get-X |', "Missing a command after the pipe '|'"],
    ['Get-X |\n\n', "Missing a command after the pipe '|'"],
    ['Get-X `', 'The backtick (`) at the end of the input needs a next line'],
    ['Get-X -A b`', 'The backtick (`) at the end of the input needs a next line'],
    ['$a -and', "Missing an expression after the operator '-and'"],
    ['$a -eq\n', "Missing an expression after the operator '-eq'"],
    ['-not', "Missing an expression after '-not'"],
    ['(1', "Missing closing ')' for the '(' opened at line 1, column 1"],
    ['Get-X (Get-Y\n', "Missing closing ')' for the '(' opened at line 1, column 7"],
    ['@(1', "Missing closing ')' for the subexpression '@(' opened at line 1, column 1"],
    ['"a $(b', "Missing closing ')' for the subexpression '$(' opened at line 1, column 4"],
    [
      "Set-Mailbox tonysmith -EmailAddresses @{Add='eum:12345'",
      "Missing closing '}' for the hashtable opened at line 1, column 39",
    ],
    ['@{a=', "Missing the value of the key 'a' in the hashtable"],
    ['@{a', "Missing '=' after the key 'a' in the hashtable"],
    ['@"\nabc', 'The here-string opened at line 1, column 1 is missing its closing line ("@ at the start of a line)'],
    ['foreach', "Missing opening '(' after the keyword 'foreach'"],
    ['foreach ($x in $y)', "Missing the statement block '{ ... }' of the foreach loop"],
    ['foreach ($x in $y) {', "Missing closing '}' for the foreach loop body opened at line 1, column 20"],
    ['a 1,', "Missing an argument after ','"],
    ['1,', "Missing an expression after ','"],
    ['$m =', "Missing a value after '='"],
    ['<# abc', "Missing the end '#>' of the comment opened at line 1, column 1"],
    ['a ${abc', "Missing closing '}' of the variable name opened at line 1, column 3"],
  ])('incomplete: %j', (source, rule) => {
    const err = parseError(source);
    expect(err).toMatchObject({ rule, incomplete: true });
  });

  it('puts the position of an incomplete construct at the end of the input', () => {
    expect(parseError('Get-X {\n  Set-Y')).toMatchObject({ line: 2, column: 8, incomplete: true });
  });

  it('renders the message from the rule and position', () => {
    expect(parseError('Get-X)').message).toBe("Unexpected token ')' (line 1, column 6).");
  });

  it('never shows a PIN-like digit run from the input in a message', () => {
    for (const source of [
      '(Set-UMMailboxPIN -PIN 1985848) 1985848',
      '$a 1985848',
      'a -PIN1985848:',
      '@{1985848=1; 1985848=2}',
      '$x = 1985848 1985848',
    ]) {
      const err = parseError(source);
      expect(err.message).not.toContain('1985848');
      expect(err.message).toContain('#######');
    }
    expect(parseError('Set-UMMailboxPIN -PIN 1985848 & x').message).not.toContain('1985848');
  });

  it(`caps nesting at ${MAX_NESTING} levels`, () => {
    const ok = `${'('.repeat(MAX_NESTING)}1${')'.repeat(MAX_NESTING)}`;
    expect(() => parse(ok)).not.toThrow();
    const deep = `${'('.repeat(MAX_NESTING + 1)}1${')'.repeat(MAX_NESTING + 1)}`;
    expect(parseError(deep)).toMatchObject({
      rule: `The input nests too deeply: umpin's shell allows ${MAX_NESTING} levels`,
      column: MAX_NESTING + 1,
    });
  });
});
