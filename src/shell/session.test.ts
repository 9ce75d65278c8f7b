/**
 * The runtime's rules, with a recording cmdlet in place of Exchange's: binding, pipelines,
 * -WhatIf/-Confirm, errors as PowerShell prints them, progress and Ctrl-C. (The real
 * cmdlets over the real services are exercised by test/shell-corpus.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { UmpinError } from '../domain/errors.js';
import type { ShellCommand } from './builtin.js';
import type { BoundParameters, CmdletDefinition } from './cmdlet.js';
import { shellCommands } from './commands.js';
import { BufferHost, type ConfirmAnswer } from './host.js';
import type { ShellOperations } from './operations.js';
import { psObject } from './ps-object.js';
import { Session } from './session.js';

function recorder(over: Partial<CmdletDefinition> = {}) {
  const calls: BoundParameters[] = [];
  const def: CmdletDefinition = {
    name: 'Set-Thing',
    synopsis: 'test',
    description: 'test',
    parameters: [
      {
        name: 'Identity',
        type: 'identity',
        position: 0,
        mandatory: true,
        pipeline: { byValue: true, byPropertyName: true },
        help: '',
      },
      { name: 'Pin', type: 'string', help: '' },
      { name: 'PINExpired', type: 'bool', help: '' },
      { name: 'Extensions', type: 'multivalued', pipeline: { byPropertyName: true }, help: '' },
      { name: 'ResultSize', type: 'unlimited', help: '' },
      { name: 'Force', type: 'switch', help: '' },
    ],
    ignoredParameters: [{ name: 'DomainController', type: 'string', reason: 'directory-only' }],
    examples: [],
    confirmImpact: 'medium',
    async process(ctx, params) {
      if (params.Identity === 'bad')
        throw new UmpinError({ code: 'UMPIN_PIN_TOO_SHORT', field: 'Pin', params: { min: 6 } });
      if (!(await ctx.shouldProcess(String(params.Identity), 'Set-Thing'))) return;
      calls.push(params);
      ctx.emit(psObject('Thing', { Identity: params.Identity, Name: `thing ${String(params.Identity)}` }));
    },
    ...over,
  };
  return { def, calls };
}

function session(defs: CmdletDefinition[], answers: ConfirmAnswer[] = []) {
  const host = new BufferHost(answers);
  const commands: ShellCommand[] = [
    ...defs.map((definition): ShellCommand => ({ kind: 'exchange', definition })),
    ...shellCommands(),
  ];
  const s = new Session({ ops: {} as ShellOperations, host, commands });
  return { s, host };
}

describe('shell runtime', () => {
  it('binds names case-insensitively, by unique prefix, with colons, and positionally', async () => {
    const { def, calls } = recorder();
    const { s, host } = session([def]);
    expect(
      await s.run('set-thing tony -pin 0123456 -pinexp:$false -Ext 1,2 -Force -ResultSize Unlimited'),
      host.errors,
    ).toBe(true);
    expect(calls[0]).toEqual({
      Identity: 'tony',
      Pin: '0123456',
      PINExpired: false,
      Extensions: { replace: ['1', '2'] },
      Force: true,
      ResultSize: 'Unlimited',
    });
  });

  it('edits multi-valued properties with @{Add=...; Remove=...}', async () => {
    const { def, calls } = recorder();
    const { s } = session([def]);
    await s.run("Set-Thing tony -Extensions @{Add='eum:1;phone-context=x'; Remove='eum:2','eum:3'}");
    expect(calls[0]!.Extensions).toEqual({ add: ['eum:1;phone-context=x'], remove: ['eum:2', 'eum:3'] });
  });

  it('refuses unknown, ambiguous and repeated parameters, naming them, and runs nothing', async () => {
    const { def, calls } = recorder();
    const { s, host } = session([def]);
    expect(await s.run('Set-Thing tony -PinExpird $true')).toBe(false);
    expect(host.errors).toContain("Set-Thing has no parameter named 'PinExpird'; did you mean -PINExpired?");
    expect(await s.run('Set-Thing tony -P 1')).toBe(false);
    expect(host.errors).toContain("Parameter 'P' of Set-Thing is ambiguous: it could be -Pin, -PINExpired");
    expect(await s.run('Set-Thing tony -Pin 1 -PIN 2')).toBe(false);
    expect(host.errors).toContain('UMPIN_SHELL_PARAMETER_REPEATED');
    expect(await s.run('Set-Thing tony -PINExpired')).toBe(false);
    expect(host.errors).toContain('UMPIN_SHELL_ARGUMENT_MISSING');
    expect(await s.run('Set-Thing tony extra')).toBe(false);
    expect(host.errors).toContain('UMPIN_SHELL_POSITIONAL_UNEXPECTED');
    expect(await s.run('Set-Thing -Pin 1')).toBe(false);
    expect(host.errors).toContain('Set-Thing needs -Identity.');
    expect(calls).toHaveLength(0);
  });

  it('accepts documented parameters umpin has no use for, with a warning naming them', async () => {
    const { def, calls } = recorder();
    const { s, host } = session([def]);
    expect(await s.run('Set-Thing tony -DomainController dc01.contoso.com')).toBe(true);
    expect(host.errors).toBe(
      'WARNING: Set-Thing: -DomainController is accepted for compatibility and ignored: directory-only.',
    );
    expect(calls).toHaveLength(1);
  });

  it('binds piped strings to Identity and piped objects by property name', async () => {
    const { def, calls } = recorder();
    const { s } = session([def]);
    await s.run("'a','b' | Set-Thing -PINExpired $true");
    expect(calls.map((c) => c.Identity)).toEqual(['a', 'b']);
    calls.length = 0;
    await s.run('Set-Thing x | Set-Thing -Force');
    expect(calls.map((c) => c.Identity)).toEqual(['x', 'x']);
  });

  it('reports an error per failing object and goes on with the next; exit status remembers it', async () => {
    const { def, calls } = recorder();
    const { s, host } = session([def]);
    expect(await s.run("'a','bad','c' | Set-Thing")).toBe(false);
    expect(calls.map((c) => c.Identity)).toEqual(['a', 'c']);
    expect(s.hadErrors).toBe(true);
    expect(host.errors).toContain('FullyQualifiedErrorId : UMPIN_PIN_TOO_SHORT,Set-Thing');
    expect(host.errors).toContain('1 of 3 objects failed');
  });

  it('prints errors like PowerShell, with the secret masked in the echoed line', async () => {
    const { def } = recorder();
    const { s, host } = session([def]);
    await s.run('Write-Output ok\nSet-Thing bad -Pin 98765');
    expect(host.errors).toBe(
      [
        'Set-Thing : The PIN must be at least 6 digits long (MinPINLength of the UM mailbox policy).',
        'At line:2 char:1',
        '+ Set-Thing bad -Pin ********',
        '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~',
        '    + CategoryInfo          : InvalidArgument: (Pin) [Set-Thing], UmpinError',
        '    + FullyQualifiedErrorId : UMPIN_PIN_TOO_SHORT,Set-Thing',
      ].join('\n'),
    );
  });

  it('-ErrorAction SilentlyContinue hides the error; Stop ends the script', async () => {
    const { def, calls } = recorder();
    const a = session([def]);
    expect(await a.s.run('Set-Thing bad -ErrorAction SilentlyContinue; Set-Thing ok')).toBe(true);
    expect(a.host.errors).toBe('');
    expect(a.s.hadErrors).toBe(false);
    const b = session([def]);
    await b.s.run('Set-Thing bad -ErrorAction Stop; Set-Thing after');
    expect(calls.map((c) => c.Identity)).toEqual(['ok']);
    expect(b.s.hadErrors).toBe(true);
  });

  it('-WhatIf describes and changes nothing; -Confirm asks; high-impact cmdlets ask unless -Confirm:$false', async () => {
    const { def, calls } = recorder();
    const a = session([def]);
    await a.s.run('Set-Thing tony -WhatIf');
    expect(a.host.output).toBe('What if: Performing the operation "Set-Thing" on target "tony".');
    expect(calls).toHaveLength(0);

    const b = session([def], ['no', 'yes']);
    await b.s.run("'a','b' | Set-Thing -Confirm");
    expect(calls.map((c) => c.Identity)).toEqual(['b']);

    const high = recorder({ name: 'Remove-Thing', confirmImpact: 'high' });
    const c = session([high.def], ['all']);
    await c.s.run("'a','b','c' | Remove-Thing");
    expect(high.calls).toHaveLength(3);
    expect(c.host.errors.match(/Are you sure/g)).toHaveLength(1);

    const d = session([high.def]);
    expect(await d.s.run('Remove-Thing z')).toBe(false);
    expect(d.host.errors).toContain('UMPIN_SHELL_CONFIRMATION_REQUIRED');
    expect(await d.s.run('Remove-Thing z -Confirm:$false')).toBe(true);
    expect(high.calls.at(-1)!.Identity).toBe('z');
  });

  it('passes the -WhatIf and -Confirm of a [CmdletBinding(SupportsShouldProcess)] function to the cmdlets it calls', async () => {
    const { def, calls } = recorder();
    const fn = [
      'function Set-All {',
      '  [CmdletBinding(SupportsShouldProcess, ConfirmImpact = "High")]',
      '  param([string[]]$Ids)',
      '  foreach ($i in $Ids) { Set-Thing $i | Out-Null }',
      '  if ($PSCmdlet.ShouldProcess("all", "Report")) { "reported" }',
      '}',
    ].join('\n');
    const a = session([def]);
    expect(await a.s.run(`${fn}\nSet-All a,b -WhatIf\nSet-Thing c | Out-Null`), a.host.errors).toBe(true);
    expect(a.host.output).toBe(
      [
        'What if: Performing the operation "Set-Thing" on target "a".',
        'What if: Performing the operation "Set-Thing" on target "b".',
        'What if: Performing the operation "Report" on target "all".',
      ].join('\n'),
    );
    expect(calls.map((c) => c.Identity)).toEqual(['c']);

    // -Confirm asks before each change, the function's own included; -Confirm:$false asks nothing
    const b = session([def], ['no', 'yes', 'no']);
    await b.s.run(`${fn}\nSet-All d,e -Confirm`);
    expect(calls.map((c) => c.Identity)).toEqual(['c', 'e']);
    expect(b.host.errors.match(/Are you sure/g)).toHaveLength(3);
    expect(b.host.output).toBe('');
    const c = session([def]);
    expect(await c.s.run(`${fn}\nSet-All f -Confirm:$false`), c.host.errors).toBe(true);
    expect(c.host.output).toBe('reported');

    // without -Confirm, the function's ConfirmImpact High asks, and a shell that cannot ask refuses
    const d = session([def]);
    expect(await d.s.run(`${fn}\nSet-All`)).toBe(false);
    expect(d.host.errors).toContain('UMPIN_SHELL_CONFIRMATION_REQUIRED');
  });

  it('gives a [CmdletBinding()] function -ErrorAction, which every command inside follows', async () => {
    const { s, host } = session([]);
    const fn = "function Get-One { [CmdletBinding()] param([string]$Path) Get-Content $Path; 'after' }";
    expect(
      await s.run(
        `${fn}\ntry { Get-One nofile.txt -ErrorAction Stop } catch { "caught $($_.FullyQualifiedErrorId)" }\nGet-One nofile.txt -EA SilentlyContinue`,
      ),
      host.errors,
    ).toBe(true);
    expect(host.output).toBe('caught UMPIN_SHELL_FILE_ERROR\nafter');
  });

  it('stops an endless loop at its step budget with a positioned error no catch takes', async () => {
    const host = new BufferHost();
    const s = new Session({ ops: {} as ShellOperations, host, commands: shellCommands(), maxSteps: 500 });
    const ok = await s.run("'before'\ntry { while ($true) { } } catch { 'caught' } finally { 'finally' }\n'after'");
    expect(ok).toBe(false);
    expect(host.output).toBe('before');
    expect(host.errors).toContain('The script was stopped after 500 steps');
    expect(host.errors).toContain('line:2 char:7');
    expect(host.errors).toContain('UMPIN_SHELL_STEP_LIMIT');
    // the budget is per run: the next command line has its own
    expect(await s.run('1..10 | ForEach-Object { $_ } | Measure-Object | Out-Null')).toBe(true);
  });

  it('shows a progress bar with count, rate and time left for long pipelines only', async () => {
    const { def } = recorder();
    const few = session([def]);
    const ids = Array.from({ length: 50 }, (_, i) => `'u${i}'`).join(',');
    await few.s.run(`${ids.split(',').slice(0, 5).join(',')} | Set-Thing | Out-Null`);
    expect(few.host.progressLines).toEqual([]);
    const many = session([def]);
    await many.s.run(`${ids} | Set-Thing | Out-Null`);
    expect(many.host.progressLines.at(-1)).toMatch(/^Completed Set-Thing: 50 of 50 objects in [\d.]+ s \([\d.]+\/s\)$/);
  });

  it('Ctrl-C stops between objects and says how many were done', async () => {
    let s!: Session;
    const { def, calls } = recorder({
      async process(_ctx, params) {
        calls.push(params);
        if (calls.length === 3) s.cancel();
      },
    });
    const made = session([def]);
    s = made.s;
    await s.run("'a','b','c','d','e' | Set-Thing");
    expect(calls).toHaveLength(3);
    expect(made.host.errors).toContain('Stopped by the user after 3 of 5 objects.');
  });

  it('keeps variables, expands them in double quotes, and reads properties', async () => {
    const { def } = recorder();
    const { s, host } = session([def]);
    await s.run('$t = Set-Thing tony\n"name: $($t.Name), id: $t"\n$t.Name');
    expect(host.output).toBe('name: thing tony, id: tony\nthing tony');
  });

  it('never throws on parse errors: it reports them with the position and runs nothing', async () => {
    const { def, calls } = recorder();
    const { s, host } = session([def]);
    expect(await s.run('Set-Thing a; Set-Thing @{')).toBe(false);
    expect(calls).toHaveLength(0);
    expect(host.errors).toMatch(/line 1, column \d+/);
    expect(host.errors).toContain('UMPIN_SHELL_PARSE_ERROR');
  });
});
