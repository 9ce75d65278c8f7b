import { describe, expect, it } from 'vitest';
import { shellCommands } from './commands.js';
import { BufferHost } from './host.js';
import type { ShellOperations } from './operations.js';
import { completions, isSensitive } from './repl.js';
import { Session } from './session.js';

const session = new Session({ ops: {} as ShellOperations, host: new BufferHost(), commands: shellCommands() });

describe('interactive shell', () => {
  it('completes cmdlet names at the start of a pipeline segment', () => {
    expect(completions(session, 'set-ummailboxpi')).toEqual([['Set-UMMailboxPIN'], 'set-ummailboxpi']);
    expect(completions(session, 'Get-UMMailboxPIN | Set-UMMailboxP')[0]).toEqual([
      'Set-UMMailboxPIN',
      'Set-UMMailboxPolicy',
    ]);
  });

  it('completes parameter names of the cmdlet being typed, ignored ones and -WhatIf included', () => {
    expect(completions(session, 'Set-UMMailboxPIN -Identity tony -pin')[0]).toEqual(['-Pin', '-PINExpired']);
    expect(completions(session, 'Set-UMMailboxPIN -Dom')[0]).toEqual(['-DomainController']);
    expect(completions(session, 'Set-UMMailboxPIN -Wh')[0]).toEqual(['-WhatIf']);
    expect(completions(session, 'Nope -x')[0]).toEqual([]);
  });

  it('keeps lines with a PIN or a password out of the history file', () => {
    expect(isSensitive('Set-UMMailboxPIN tony -PIN 1985848')).toBe(true);
    expect(isSensitive('Set-UMMailboxPIN tony -pin:1985848')).toBe(true);
    expect(isSensitive("New-Mailbox -Password (ConvertTo-SecureString 'x' -AsPlainText -Force)")).toBe(true);
    expect(isSensitive('$p = "38472917"')).toBe(true);
    expect(isSensitive("$pins = @{ tony = '2015'; kim = 38472917 }")).toBe(true);
    expect(isSensitive('Set-UMMailboxPIN tony -Pn 38472917')).toBe(true);
    expect(isSensitive('Set-UMMailboxPIN tony -PinExpired $true')).toBe(false);
    expect(isSensitive('Get-UMMailboxPIN -ResultSize 100')).toBe(false);
    expect(isSensitive('Get-UMMailboxPIN')).toBe(false);
  });
});
