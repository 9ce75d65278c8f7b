/**
 * Command lines as Exchange's documentation and administrators' scripts write them, run
 * verbatim in umpin's shell on the demo organisation, each with the effect or the error
 * an administrator would expect.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../src/services/actor.js';
import { getUMMailboxPIN } from '../src/services/get-um-mailbox-pin.js';
import { getMailboxPolicies } from '../src/services/mailbox-policies.js';
import { getDialPlans } from '../src/services/dial-plans.js';
import { getRecipient } from '../src/services/recipients.js';
import { getUMMailbox } from '../src/services/um-mailboxes.js';
import { verifyLogon } from '../src/services/voice-logon.js';
import { ADMIN, failure } from './fixtures.js';
import { ENGINES } from './harness.js';
import { demoShell, SHELL_MODES, type ShellFixture, type ShellMode, type ShellRun } from './shell-harness.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:corpus', roles: ['VoiceGateway'] };

interface Case {
  line: string;
  /** commands run first, in their own session; must succeed */
  setup?: string;
  /** the command line succeeds (default) or fails with this code */
  code?: string;
  out?: RegExp;
  err?: RegExp;
  check?: (f: ShellFixture, r: ShellRun) => Promise<void>;
}

const pin = (f: ShellFixture, id = 'tonysmith') => getUMMailboxPIN(f.ctx.deps, ADMIN, id);
const logon = (f: ShellFixture, extension: string, p: string) =>
  verifyLogon(f.ctx.deps, GATEWAY, { extension, pin: p });
const unchanged = async (f: ShellFixture) => {
  // the demo's PINs were set at enable time and never since
  const v = await pin(f);
  expect(v.firstTimeUser).toBe(true);
  expect(v.lockedOut).toBe(false);
};

const CORPUS: Case[] = [
  // --- Set-UMMailboxPIN, as in Exchange's reference ---
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 1985848 -PinExpired $true',
    check: async (f) => {
      expect((await pin(f)).pinExpired).toBe(true);
      expect((await logon(f, '10231', '1985848')).outcome).toBe('must-change');
    },
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 123456',
    code: 'UMPIN_PIN_COMMON_PATTERN',
    err: /consecutive digits/,
    check: unchanged,
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 12',
    code: 'UMPIN_PIN_TOO_SHORT',
    err: /at least 6 digits.*MinPINLength/,
    check: unchanged,
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -LockedOut $true',
    check: async (f) => expect((await pin(f)).lockedOut).toBe(true),
  },
  {
    setup: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -LockedOut $true',
    line: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -LockedOut $false',
    check: async (f) => expect((await pin(f)).lockedOut).toBe(false),
  },
  {
    line: 'set-ummailboxpin tonysmith -pin 1985848 -pinexpired:$false',
    check: async (f) => {
      expect((await pin(f)).pinExpired).toBe(false);
      // a first-time user still chooses a PIN at the first logon, as in Exchange
      expect((await logon(f, '10231', '1985848')).outcome).toBe('must-change');
    },
  },
  {
    line: 'Set-UMMailboxPIN -Ident tonysmith -PIN 0123987 -PINExp $false',
    check: async (f) =>
      expect(await logon(f, '10231', '0123987')).toMatchObject({ outcome: 'must-change', reason: 'first-time' }),
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith -Pi 1985848',
    code: 'UMPIN_SHELL_AMBIGUOUS_PARAMETER',
    err: /-Pin, -PINExpired/,
    check: unchanged,
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith -PinExpird $true',
    code: 'UMPIN_SHELL_UNKNOWN_PARAMETER',
    err: /did you mean -PINExpired/,
    check: unchanged,
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith -PinExpired yes',
    code: 'UMPIN_SHELL_ARGUMENT_INVALID',
    err: /PINExpired.*\$true, \$false, 1 or 0/,
    check: unchanged,
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -DomainController dc01.contoso.com -PinExpired $false',
    err: /WARNING: .*-DomainController.*ignored/,
    check: async (f) => expect((await pin(f)).pinExpired).toBe(false),
  },
  {
    line: 'Set-UMMailboxPIN -Identity nobody@contoso.com',
    code: 'UMPIN_IDENTITY_NOT_FOUND',
    err: /nobody@contoso\.com/,
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 1985848 -WhatIf',
    out: /What if: Performing the operation "Set-UMMailboxPIN" on target "tonysmith@contoso.com"/,
    check: unchanged,
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -NotifyEmail helpdesk@contoso.com',
    check: async (f) => expect((await pin(f)).firstTimeUser).toBe(true),
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith -PIN 1985848; Set-UMMailboxPIN -Identity tonysmith -PIN 1985848',
    code: 'UMPIN_PIN_IN_HISTORY',
  },
  {
    line: "@('tonysmith','kimakers') | Set-UMMailboxPIN -LockedOut $true",
    check: async (f) => {
      expect((await pin(f, 'tonysmith')).lockedOut).toBe(true);
      expect((await pin(f, 'kimakers')).lockedOut).toBe(true);
    },
  },
  // --- Get-UMMailboxPIN ---
  {
    line: 'Get-UMMailboxPIN -Identity tonysmith@contoso.com',
    out: /UserID\s+PinExpired\s+FirstTimeUser\s+LockedOut[\s\S]*tonysmith@contoso\.com\s+True\s+True\s+False/,
  },
  { line: 'Get-UMMailboxPin', out: /junliu@contoso\.com/ },
  { line: 'Get-UMMailboxPIN -ResultSize 5 | Measure-Object', out: /Count\s+: 5/ },
  {
    setup: 'Set-UMMailboxPIN kimakers -LockedOut $true; Set-UMMailboxPIN ayla -LockedOut $true',
    line: 'Get-UMMailboxPIN | Where-Object LockedOut -eq $true | Set-UMMailboxPIN -LockedOut $false',
    check: async (f) => {
      expect((await pin(f, 'kimakers')).lockedOut).toBe(false);
      expect((await pin(f, 'ayla')).lockedOut).toBe(false);
    },
  },
  {
    setup: 'Set-UMMailboxPIN kimakers -LockedOut $true',
    line: 'Get-UMMailboxPIN | ? {$_.LockedOut} | ft UserID,LockedOut -AutoSize',
    out: /kimakers@contoso\.com\s+True/,
  },
  { line: 'Get-UMMailboxPIN -Identity nobody -ErrorAction SilentlyContinue' },
  // --- UM mailboxes ---
  { line: 'Get-UMMailbox -Identity tonysmith | Format-List', out: /Extensions\s+: \{10231\}/ },
  {
    line: 'Get-UMMailbox -Filter "UMMailboxPolicy -eq \'Contoso Default Policy\'" | Measure-Object',
    out: /Count\s+: 20/,
  },
  { line: 'Get-UMMailbox | Sort-Object Name -Descending | Select-Object -First 1 Name', out: /Yu-Ting Huang/ },
  { line: 'Get-UMMailbox | ForEach-Object { $_.Name } | Measure-Object', out: /Count\s+: 20/ },
  { line: '$m = Get-UMMailbox tonysmith; $m.Extensions', out: /^10231$/m },
  {
    line: 'Disable-UMMailbox -Identity kimakers -Confirm:$false',
    check: async (f) =>
      expect((await failure(getUMMailbox(f.ctx.deps, ADMIN, 'kimakers'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED'),
  },
  {
    line: 'Disable-UMMailbox -Identity kimakers',
    code: 'UMPIN_SHELL_CONFIRMATION_REQUIRED',
    check: async (f) => expect((await getUMMailbox(f.ctx.deps, ADMIN, 'kimakers')).extensions).toEqual(['10232']),
  },
  {
    setup: 'Disable-UMMailbox -Identity kimakers -Confirm:$false',
    line: 'Enable-UMMailbox -Identity kimakers@contoso.com -UMMailboxPolicy "Contoso Default Policy" -Extensions 10299 -PIN 5643892 -PINExpired $true',
    check: async (f) => {
      expect((await getUMMailbox(f.ctx.deps, ADMIN, 'kimakers')).extensions).toEqual(['10299']);
      expect((await logon(f, '10299', '5643892')).outcome).toBe('must-change');
    },
  },
  {
    line: 'Enable-UMMailbox -Identity tonysmith -UMMailboxPolicy "Contoso Default Policy"',
    code: 'UMPIN_MAILBOX_ALREADY_UM_ENABLED',
  },
  {
    setup: 'New-UMMailboxPolicy -Name "Sales Policy" -UMDialPlan Contoso',
    line: 'Get-UMMailbox | Set-UMMailbox -UMMailboxPolicy "Sales Policy"',
    check: async (f) => expect((await getUMMailbox(f.ctx.deps, ADMIN, 'junliu')).umMailboxPolicy).toBe('Sales Policy'),
  },
  // --- dial plans and policies ---
  {
    line: 'New-UMDialPlan -Name MyDialPlan -NumberOfDigitsInExtension 4',
    check: async (f) => {
      const [dp] = await getDialPlans(f.ctx.deps, ADMIN, 'MyDialPlan');
      expect(dp).toMatchObject({ numberOfDigitsInExtension: 4, countryOrRegionCode: '1' });
      expect(await getMailboxPolicies(f.ctx.deps, ADMIN, { identity: 'MyDialPlan Default Policy' })).toHaveLength(1);
    },
  },
  {
    line: 'New-UMDialPlan -Name MyDialPlan -NumberOfDigitsInExtension 25',
    code: 'UMPIN_VALUE_OUT_OF_RANGE',
    err: /NumberOfDigitsInExtension/,
  },
  {
    line: 'Set-UMMailboxPolicy -Identity "Contoso Default Policy" -MinPINLength 8 -PINLifetime Unlimited',
    check: async (f) => {
      const [p] = await getMailboxPolicies(f.ctx.deps, ADMIN, { identity: 'Contoso Default Policy' });
      expect(p).toMatchObject({ minPinLength: 8, pinLifetimeDays: null });
    },
  },
  {
    line: 'Set-UMMailboxPolicy "Contoso Default Policy" -LogonFailuresBeforePINReset 20 -MaxLogonAttempts 10',
    code: 'UMPIN_POLICY_RESET_NOT_BELOW_MAX',
  },
  { line: 'Remove-UMMailboxPolicy -Identity "Contoso Default Policy" -Confirm:$false', code: 'UMPIN_POLICY_IN_USE' },
  { line: 'Get-UMMailboxPolicy | Format-List Name,MinPINLength,PINLifetime', out: /PINLifetime\s+: 60/ },
  { line: 'Get-UMDialPlan | Format-Table Name,NumberOfDigitsInExtension', out: /Contoso\s+5/ },
  // --- recipients ---
  {
    line: "Set-Mailbox tonysmith -EmailAddresses @{Add='eum:10299;phone-context=Contoso.contoso.com'}",
    check: async (f) =>
      expect((await getUMMailbox(f.ctx.deps, ADMIN, 'tonysmith')).extensions.sort()).toEqual(['10231', '10299']),
  },
  {
    line: 'Set-MailboxRegionalConfiguration -Identity tonysmith -Language zh-TW',
    check: async (f) => expect((await getRecipient(f.ctx.deps, ADMIN, 'tonysmith')).language).toBe('zh-TW'),
  },
  // --- audit ---
  {
    setup: 'Set-UMMailboxPIN -Identity tonysmith -LockedOut $true',
    line: 'Search-AdminAuditLog -Cmdlets Set-UMMailboxPIN',
    out: /Set-UMMailboxPIN/,
  },
  // --- scripts: comments, continuation, files ---
  {
    line: '# unlock Tony\nSet-UMMailboxPIN -Identity tonysmith@contoso.com `\n    -LockedOut $false -PinExpired $false  # and keep his PIN valid\n',
    check: async (f) => expect((await pin(f)).pinExpired).toBe(false),
  },
  {
    line: 'Get-UMMailboxPIN | Export-Csv pins.csv -NoTypeInformation',
    check: async (f) => {
      const csv = readFileSync(join(f.cwd, 'pins.csv'), 'utf8');
      expect(csv.split('\r\n')[0]).toMatch(/^"UserID","PinExpired","FirstTimeUser","LockedOut"/);
      expect(csv.trim().split('\r\n')).toHaveLength(21);
    },
  },
  { line: 'Get-Foo -Identity tonysmith', code: 'UMPIN_SHELL_UNKNOWN_COMMAND' },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith -PIN "1985848',
    code: 'UMPIN_SHELL_PARSE_ERROR',
    err: /line 1/,
    check: unchanged,
  },
  {
    line: 'Set-UMMailboxPIN -Identity tonysmith; Remove-Item C:\\ -Recurse',
    code: 'UMPIN_SHELL_UNKNOWN_COMMAND',
    check: async (f) => expect((await pin(f)).firstTimeUser).toBe(true),
  },
  {
    line: 'Get-Help Set-UMMailboxPIN -Examples',
    out: /Set-UMMailboxPIN -Identity tonysmith@contoso\.com -PIN 1985848 -PinExpired \$true/,
  },
];

function prepareFiles(f: ShellFixture): void {
  if (!existsSync(join(f.cwd, 'users.csv')))
    writeFileSync(join(f.cwd, 'users.csv'), 'Identity,Extensions\r\nnew1@contoso.com,10301\r\n');
}

// every line in-process and through the HTTP API (umpin shell --server): same effects, same errors, same output
describe.each(ENGINES)('shell corpus (%s)', (engine) => {
  it('has at least 40 command lines', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
  });

  const printed = new Map<ShellMode, Map<Case, ShellRun>>(SHELL_MODES.map((m) => [m, new Map()]));
  const labelled = CORPUS.map(
    (c) => [c.line.split('\n').find((l) => l.trim() && !l.startsWith('#')) ?? c.line, c] as const,
  );

  describe.each(SHELL_MODES)('%s', (mode) => {
    it.each(labelled)('%s', async (_label, c) => {
      const f = await demoShell(engine, mode);
      try {
        printed.get(mode)!.set(c, await runCase(f, c));
      } finally {
        await f.close();
      }
    });
  });

  it.each(labelled)('prints the same in-process and remote: %s', (_label, c) => {
    const local = printed.get('in-process')!.get(c);
    const remote = printed.get('remote')!.get(c);
    if (!local || !remote) return; // the case itself failed above
    expect(comparable(remote.out), 'output').toBe(comparable(local.out));
    expect(comparable(remote.err), 'errors').toBe(comparable(local.err));
  });
});

/** What may differ between two runs on two fresh organisations: GUIDs, and who the caller is. */
function comparable(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<guid>')
    .replace(/local:test|token:remote-shell/g, '<caller>');
}

async function runCase(f: ShellFixture, c: Case): Promise<ShellRun> {
  prepareFiles(f);
  if (c.setup) {
    const s = await f.run(c.setup);
    expect(s.err, `setup: ${c.setup}`).toBe('');
  }
  const r = await f.run(c.line);
  if (c.code) {
    expect(r.ok, r.out).toBe(false);
    expect(r.err).toContain(`FullyQualifiedErrorId : ${c.code}`);
  } else {
    expect(r.err.replace(/^WARNING: .*$/gm, '').trim(), r.err).toBe('');
    expect(r.ok).toBe(true);
  }
  if (c.out) expect(r.out).toMatch(c.out);
  if (c.err) expect(r.err).toMatch(c.err);
  // a PIN typed on the command line is never echoed back
  for (const typed of c.line.match(/-PIN\s+"?(\d+)/gi) ?? []) {
    const digits = typed.replace(/\D/g, '');
    if (digits.length >= 4) expect(r.err).not.toContain(digits);
  }
  await c.check?.(f, r);
  return r;
}
