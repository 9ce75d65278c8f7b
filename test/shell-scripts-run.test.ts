/**
 * Random valid scripts (the generators of the parser's round trip) run for real, in-process
 * on SQLite, as a dry run: `[CmdletBinding(SupportsShouldProcess)]` and `-WhatIf`, under a
 * small step budget. Whatever a script does, the run ends (the budget stops endless loops
 * with a positioned error), every failure is a shell error record with an umpin code (never
 * an internal error or an exception escaping), and nothing in the organisation changes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlStatement, simple } from './shell-scripts-arbitraries.js';
import { demoShell, type ShellFixture } from './shell-harness.js';
import { shellCommands } from '../src/shell/commands.js';
import { BufferHost } from '../src/shell/host.js';
import { Session } from '../src/shell/session.js';

const STEPS = 2_000;

/** changes that bind and would run: a dry run must only describe them */
const change = fc.constantFrom(
  'Set-UMMailboxPIN tonysmith -LockedOut $true',
  'Set-UMMailboxPIN -Identity kimakers -Pin 73915284 -PinExpired $false',
  'Get-UMMailboxPIN | Set-UMMailboxPIN -PinExpired $true',
  "$s = @{ Identity = 'jeffhay'; LockedOut = $true }; Set-UMMailboxPIN @s",
  'Disable-UMMailbox ayla -Confirm:$false',
  "Set-UMMailboxPolicy 'Contoso Default Policy' -MinPINLength 8",
  "Set-Mailbox tonysmith -DisplayName 'T S'",
  'function Lock-All { [CmdletBinding(SupportsShouldProcess)] param() Get-UMMailboxPIN | Set-UMMailboxPIN -LockedOut $true }; Lock-All',
);

describe('random scripts, run with -WhatIf', () => {
  let f: ShellFixture;
  beforeAll(async () => {
    f = await demoShell('sqlite', 'in-process');
  });
  afterAll(async () => {
    await f?.close();
  });

  /** every change a service makes writes an audit entry: the chains' heads tell whether anything changed */
  const auditHeads = async () => JSON.stringify(await f.ctx.deps.store.auditChains());

  it('end, fail only with shell error records, and change nothing', async () => {
    const before = await auditHeads();
    let stopped = 0;
    let described = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(controlStatement, simple, change), { minLength: 1, maxLength: 5 }),
        async (statements) => {
          const source = [
            '[CmdletBinding(SupportsShouldProcess)]',
            "param([string]$Path = 'x')",
            '$i = 0',
            'while ($true) { $i++ }',
            ...statements,
          ].join('\n');
          // the endless loop first would stop every script at once: it runs only in one script in four
          const script = statements.length % 4 === 0 ? source : source.replace('while ($true) { $i++ }\n', '');
          const host = new BufferHost();
          const session = new Session({ ops: f.ops, host, commands: shellCommands(), cwd: f.cwd, maxSteps: STEPS });
          const ok = await session.run(script, 'random.ps1', ['-WhatIf']);
          const errors = host.errors;
          expect(typeof ok).toBe('boolean');
          expect(errors, script).not.toContain('UMPIN_INTERNAL');
          // each error record ends with its code
          const records = errors.match(/FullyQualifiedErrorId : \S+/g) ?? [];
          for (const r of records) expect(r, script).toMatch(/FullyQualifiedErrorId : UMPIN_[A-Z_]+/);
          if (errors.includes('UMPIN_SHELL_STEP_LIMIT')) stopped++;
          if (host.output.includes('What if: ')) described++;
        },
      ),
      { numRuns: 250 },
    );
    expect(await auditHeads()).toBe(before);
    // the same change without -WhatIf is seen: the check above can fail
    const host = new BufferHost();
    await new Session({ ops: f.ops, host, commands: shellCommands(), cwd: f.cwd }).run(
      'Set-UMMailboxPIN tonysmith -LockedOut $true',
    );
    expect(host.errors).toBe('');
    expect(await auditHeads()).not.toBe(before);
    // the budget was reached, and reported where the loop stands
    expect(stopped).toBeGreaterThan(0);
    // and many scripts reached a change, which -WhatIf described instead
    expect(described).toBeGreaterThan(25);
  });
});
