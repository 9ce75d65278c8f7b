/**
 * The remote shell (`umpin shell --server`): every cmdlet through the HTTP API prints what
 * it prints in-process — the help examples and the parameter sets the corpus does not
 * reach, for an Organization Management and for a scoped Help Desk token — and what only
 * a network adds (a refused token, no server, a server that is not umpin, the PIN-change
 * rate limit) gives clear errors.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addAdminAccount } from '../src/services/admin-accounts.js';
import { getUMMailboxPIN } from '../src/services/get-um-mailbox-pin.js';
import { newDialPlan } from '../src/services/dial-plans.js';
import { newRecipient } from '../src/services/recipients.js';
import { enableUMMailbox } from '../src/services/um-mailboxes.js';
import { shellCommands } from '../src/shell/commands.js';
import { localOperations } from '../src/shell/operations.js';
import { BufferHost } from '../src/shell/host.js';
import { remoteOperations } from '../src/shell/remote-operations.js';
import { Session } from '../src/shell/session.js';
import { ADMIN } from './fixtures.js';
import { ENGINES } from './harness.js';
import { demoShell, SHELL_MODES, type ShellMode, type ShellOptions, type ShellRun } from './shell-harness.js';

interface Line {
  name: string;
  code: string;
  setup?: string;
  /** the error code it ends with (default: it succeeds) */
  fails?: string;
}

/** Parameter sets and paths the corpus leaves out: Set-UMMailboxPIN's parameter sets, page walks, edits. */
const LINES: Line[] = [
  {
    name: 'lock keeping PinExpired',
    code: 'Set-UMMailboxPIN tonysmith -LockedOut $true -PinExpired $false; Get-UMMailboxPIN tonysmith | Format-List',
  },
  {
    name: 'unlock with a bad NotifyEmail',
    fails: 'UMPIN_VALUE_INVALID',
    code: 'Set-UMMailboxPIN tonysmith -LockedOut $false -NotifyEmail not-an-address',
  },
  {
    name: 'unlock with NotifyEmail warns',
    code: 'Set-UMMailboxPIN tonysmith -LockedOut $false -NotifyEmail helpdesk@contoso.com',
  },
  {
    name: 'a PIN set while locked',
    code: 'Set-UMMailboxPIN tonysmith -Pin 5820913 -LockedOut $true; Get-UMMailboxPIN tonysmith | Format-List',
  },
  { name: 'a reset mailed to nobody', code: 'Set-UMMailboxPIN tonysmith -SendEmail $false -PinExpired $false' },
  { name: 'an empty identity', code: "Get-UMMailboxPIN -Identity ''" },
  { name: 'a blank identity', fails: 'UMPIN_VALUE_REQUIRED', code: "Set-UMMailboxPIN -Identity ' ' -LockedOut $true" },
  { name: 'an identity with / and %', fails: 'UMPIN_IDENTITY_NOT_FOUND', code: "Get-UMMailbox -Identity 'a/b%20c'" },
  { name: 'dial plan by identity', code: 'Get-UMDialPlan -Identity Contoso | Format-List' },
  { name: 'no such dial plan', fails: 'UMPIN_IDENTITY_NOT_FOUND', code: 'Get-UMDialPlan -Identity Nowhere' },
  {
    name: 'policy by identity and dial plan',
    code: "Get-UMMailboxPolicy -Identity 'Contoso Default Policy' -UMDialPlan Contoso | Format-List",
  },
  {
    name: 'policies of no such dial plan',
    fails: 'UMPIN_IDENTITY_NOT_FOUND',
    code: 'Get-UMMailboxPolicy -UMDialPlan Nowhere',
  },
  {
    name: 'a dial plan made, changed and removed',
    code: "New-UMDialPlan -Name Fabrikam -NumberOfDigitsInExtension 4 -CountryOrRegionCode 44; Set-UMDialPlan Fabrikam -AccessTelephoneNumbers @{Add='+442071234567'}; Get-UMDialPlan Fabrikam | Format-List; Remove-UMMailboxPolicy 'Fabrikam Default Policy' -Confirm:$false; Remove-UMDialPlan Fabrikam -Confirm:$false; Get-UMDialPlan | Format-Table Name",
  },
  {
    name: 'a dial plan still in use',
    fails: 'UMPIN_DIAL_PLAN_IN_USE',
    code: 'Remove-UMDialPlan Contoso -Confirm:$false',
  },
  {
    name: 'a recipient from New-Mailbox to Remove-Mailbox',
    fails: 'UMPIN_IDENTITY_NOT_FOUND',
    code: "New-Mailbox -Name 'Pat Doe' -Alias patdoe -PrimarySmtpAddress patdoe@contoso.com; Enable-UMMailbox patdoe -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10400 -Pin 5820913 -PINExpired $false; Get-UMMailbox patdoe | Format-List; Disable-UMMailbox patdoe -Confirm:$false; Remove-Mailbox patdoe -Confirm:$false; Get-Mailbox patdoe",
  },
  {
    name: 'enable with a refused PIN',
    fails: 'UMPIN_PIN_TOO_SHORT',
    code: "New-Mailbox -Name 'Pat Doe' -Alias patdoe -PrimarySmtpAddress patdoe@contoso.com; Enable-UMMailbox patdoe -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10400 -Pin 1111; Get-UMMailbox patdoe",
  },
  {
    name: 'enable, validate only',
    code: "New-Mailbox -Name 'Pat Doe' -Alias patdoe -PrimarySmtpAddress patdoe@contoso.com; Enable-UMMailbox patdoe -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10401 -ValidateOnly",
  },
  {
    name: 'extensions and SIP address',
    code: 'Set-UMMailbox tonysmith -Extensions 10231,10290 -SIPResourceIdentifier tonysmith@contoso.com; Get-UMMailbox tonysmith | Format-List',
  },
  { name: 'an extension in use', fails: 'UMPIN_EXTENSION_IN_USE', code: 'Set-UMMailbox tonysmith -Extensions 10232' },
  {
    name: 'extensions edited, the same one added and removed',
    code: "Set-UMMailbox tonysmith -Extensions @{Add='10290','10291'; Remove='10231','10291'}; Get-UMMailbox tonysmith | Format-List Extensions",
  },
  {
    name: 'EUM addresses and access numbers edited',
    code: "Set-Mailbox kimakers -EmailAddresses @{Add='eum:10298;phone-context=Contoso.contoso.com'}; Set-UMDialPlan Contoso -AccessTelephoneNumbers @{Add='+14255550111'; Remove='+14255550100'}; Get-Mailbox kimakers | Format-List EmailAddresses; Get-UMDialPlan Contoso | Format-List AccessTelephoneNumbers",
  },
  {
    name: 'an EUM address in use',
    fails: 'UMPIN_EXTENSION_IN_USE',
    code: "Set-Mailbox kimakers -EmailAddresses @{Add='eum:10231;phone-context=Contoso.contoso.com'}",
  },
  {
    name: 'a filter on a policy that does not exist',
    code: 'Get-UMMailbox -Filter "UMMailboxPolicy -eq \'Nowhere\'" | Measure-Object',
  },
  { name: 'mailboxes, a few', code: 'Get-Mailbox -ResultSize 3 | Format-Table Name,PrimarySmtpAddress,Language' },
  { name: 'mailboxes by prefix', code: 'Get-Mailbox -Anr k | Format-Table Name' },
  {
    name: 'language back to the default',
    code: 'Set-MailboxRegionalConfiguration tonysmith -Language fr-FR; Set-MailboxRegionalConfiguration tonysmith -Language $null; Get-MailboxRegionalConfiguration tonysmith',
  },
  {
    name: 'audit from an index',
    code: 'Search-AdminAuditLog -Cmdlets Enable-UMMailbox -StartIndex 2 -ResultSize 3 | Format-Table CmdletName,ObjectModified,Succeeded',
  },
  {
    name: 'audit by date, result and caller',
    fails: 'UMPIN_IDENTITY_NOT_FOUND',
    code: 'Set-UMMailboxPIN nobody; Search-AdminAuditLog -StartDate 11/25/2026 -EndDate 11/26/2026 -IsSuccess $false | Format-Table CmdletName,ObjectModified,Error; Search-AdminAuditLog -UserIds token:remote-shell -ResultSize 0',
  },
  { name: 'audit, every entry', code: 'Search-AdminAuditLog -ResultSize 5000 | Measure-Object' },
  { name: 'PIN status, a few', code: 'Get-UMMailboxPIN -ResultSize 3 | Format-Table UserID,LockedOut' },
];

const EXAMPLES: Line[] = shellCommands().flatMap((c) =>
  c.definition.examples.map((e, i) => ({
    name: `${c.definition.name} #${i + 1}: ${e.code}`,
    code: e.code,
    ...(e.setup ? { setup: e.setup } : {}),
  })),
);

/** What may differ between two fresh organisations: their GUIDs. */
const comparable = (text: string) =>
  text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<guid>');

async function runIn(
  engine: (typeof ENGINES)[number],
  mode: ShellMode,
  line: Line,
  opts: ShellOptions,
): Promise<ShellRun> {
  const f = await demoShell(engine, mode, opts);
  try {
    writeFileSync(`${f.cwd}/users.csv`, 'Identity,Extensions\r\n');
    if (line.setup) expect((await f.run(line.setup)).err, `setup: ${line.setup}`).toBe('');
    return await f.run(line.code, ['yes', 'yes', 'yes', 'yes'], ['8302715']);
  } finally {
    await f.close();
  }
}

async function expectSame(engine: (typeof ENGINES)[number], line: Line, opts: ShellOptions): Promise<void> {
  const [local, remote] = await Promise.all(SHELL_MODES.map((mode) => runIn(engine, mode, line, opts)));
  // the line does what it is meant to in-process, or the comparison would prove little
  expect(local!.ok, local!.err).toBe(line.fails === undefined);
  if (line.fails) expect(local!.err).toContain(`FullyQualifiedErrorId : ${line.fails},`);
  expect(comparable(remote!.err), 'errors').toBe(comparable(local!.err));
  expect(comparable(remote!.out), 'output').toBe(comparable(local!.out));
  expect(remote!.ok).toBe(local!.ok);
}

const asAdmin: ShellOptions = { as: { role: 'OrganizationManagement' } };

/** A second dial plan with a UM mailbox, outside a Contoso-scoped Help Desk token. */
const fabrikam: ShellOptions = {
  as: { role: 'HelpDesk', scope: ['Contoso'] },
  prepare: async (deps) => {
    await newDialPlan(deps, ADMIN, { name: 'Fabrikam', numberOfDigitsInExtension: 4, countryOrRegionCode: '44' });
    await newRecipient(deps, ADMIN, { primarySmtpAddress: 'max@fabrikam.com', displayName: 'Max Mustermann' });
    await enableUMMailbox(deps, ADMIN, {
      identity: 'max@fabrikam.com',
      umMailboxPolicy: 'Fabrikam Default Policy',
      extensions: ['4001'],
    });
  },
};

/** The Help Desk's view: its own dial plan only; other objects as if absent; policy edits refused. */
const SCOPED: Line[] = [
  { name: 'dial plans in scope', code: 'Get-UMDialPlan | Format-Table Name' },
  { name: 'a dial plan out of scope', fails: 'UMPIN_IDENTITY_NOT_FOUND', code: 'Get-UMDialPlan -Identity Fabrikam' },
  {
    name: 'a policy out of scope',
    fails: 'UMPIN_IDENTITY_NOT_FOUND',
    code: "Get-UMMailboxPolicy -Identity 'Fabrikam Default Policy'",
  },
  { name: 'policies in scope', code: 'Get-UMMailboxPolicy | Format-Table Name' },
  { name: 'PIN status in scope', code: 'Get-UMMailboxPIN | Measure-Object' },
  { name: 'a mailbox out of scope', fails: 'UMPIN_IDENTITY_NOT_FOUND', code: 'Get-UMMailboxPIN max@fabrikam.com' },
  {
    name: 'a reset out of scope',
    fails: 'UMPIN_IDENTITY_NOT_FOUND',
    code: 'Set-UMMailboxPIN max@fabrikam.com -LockedOut $false',
  },
  {
    name: 'a reset in scope',
    code: 'Set-UMMailboxPIN tonysmith -Pin 5820913 -NotifyEmail helpdesk@contoso.com; Get-UMMailboxPIN tonysmith',
  },
];

/** A Help Desk token, and tonysmith is also an administrator (an account named as his address). */
const helpDeskBesideAdministrator: ShellOptions = {
  as: { role: 'HelpDesk' },
  prepare: async (deps) => {
    await addAdminAccount(deps, ADMIN, {
      name: 'tonysmith@contoso.com',
      password: 'correct horse battery staple',
      role: 'UMManagement',
    });
  },
};

/** Help Desk may not reset or unlock an administrator's PIN, whichever door it uses. */
const ADMINISTRATOR_PIN: Line[] = [
  { name: 'a reset', fails: 'UMPIN_TARGET_IS_ADMINISTRATOR', code: 'Set-UMMailboxPIN tonysmith' },
  {
    name: 'an unlock',
    fails: 'UMPIN_TARGET_IS_ADMINISTRATOR',
    code: 'Set-UMMailboxPIN tonysmith -LockedOut $false',
  },
  {
    name: 'a lock',
    code: 'Set-UMMailboxPIN tonysmith -LockedOut $true; Get-UMMailboxPIN tonysmith | Format-List LockedOut',
  },
];

describe.each(ENGINES)('remote shell prints what the in-process shell prints (%s)', (engine) => {
  it.each(ADMINISTRATOR_PIN)('Help Desk and an administrator: $name', (line) =>
    expectSame(engine, line, helpDeskBesideAdministrator),
  );
  it.each(LINES)('$name', (line) => expectSame(engine, line, asAdmin));
  it.each(EXAMPLES)('help example $name', (line) => expectSame(engine, line, asAdmin));
  it.each(SCOPED)('scoped Help Desk: $name', (line) => expectSame(engine, line, fabrikam));

  it('a policy edit the Help Desk may not make is refused with the same code', async () => {
    const line = { name: 'policy edit', code: "Set-UMMailboxPolicy 'Contoso Default Policy' -MinPINLength 7" };
    for (const mode of SHELL_MODES) {
      const r = await runIn(engine, mode, line, fabrikam);
      expect(r.ok).toBe(false);
      // the API refuses by the route's permission before the service runs: the same operation is named, the target only in-process
      expect(r.err).toMatch(
        /CategoryInfo\s+: PermissionDenied: \(:\) \[Set-UMMailboxPolicy\][\s\S]*FullyQualifiedErrorId : UMPIN_ACCESS_DENIED,Set-UMMailboxPolicy/,
      );
    }
  });
});

/** Lists the services return whole, read a few items per request: the pages join up as one list. */
const PAGED: Line[] = [
  {
    name: 'audit in pages',
    code: 'Search-AdminAuditLog -ResultSize 5000 | Format-Table CmdletName,ObjectModified,Succeeded',
  },
  {
    name: 'audit in pages, from an index',
    code: 'Search-AdminAuditLog -Cmdlets Enable-UMMailbox,New-Mailbox -StartIndex 4 -ResultSize 9 | Format-Table CmdletName,ObjectModified',
  },
  {
    name: 'dial plans in pages',
    code: "'Fabrikam','Tailspin','Litware','Northwind' | ForEach-Object { New-UMDialPlan -Name $_ -NumberOfDigitsInExtension 4 } | Out-Null; Get-UMDialPlan | Format-Table Name; Get-UMMailboxPolicy | Format-Table Name,UMDialPlan",
  },
];

describe.each(ENGINES)('remote operations the cmdlets do not reach return what the services return (%s)', (engine) => {
  it('policyId filters, whole PIN lists, single-valued audit filters, afterSeq', async () => {
    const f = await demoShell(engine, 'remote');
    try {
      const local = localOperations(f.ctx.deps, f.actor);
      const [policy] = await local.getMailboxPolicies({ identity: 'Contoso Default Policy' });
      const same = async <T>(call: (ops: typeof local) => Promise<T>, strip = (v: T) => v) =>
        expect(strip(await call(f.ops))).toEqual(strip(await call(local)));
      await same((o) => o.listRecipients({ policyId: policy!.id, limit: 7 }));
      await same((o) => o.listRecipients({ policyId: 'no-such-policy', limit: 7 }));
      await same((o) => o.listUMMailboxes({ policyId: policy!.id, search: 'k', limit: 5 }));
      await same((o) => o.listUMMailboxPINs(7));
      await same((o) => o.listUMMailboxPINs());
      // the audit chain's bookkeeping, which the API does not show
      const withoutHash = (entries: Array<{ hash?: string; chain?: number; position?: number }>) =>
        entries.map(({ hash: _hash, chain: _chain, position: _position, ...e }) => e);
      await same((o) => o.searchAuditLog({ action: 'Enable-UMMailbox', target: 'tonysmith@contoso.com' }), withoutHash);
      await same((o) => o.searchAuditLog({ afterSeq: 10, limit: 5, actor: 'local:test' }), withoutHash);
      await same(
        (o) => o.searchAuditLog({ from: Date.UTC(2026, 10, 25), to: Date.UTC(2026, 10, 25, 9, 0, 0, 5), limit: 3000 }),
        withoutHash,
      );
      await same((o) => o.searchAuditLog({ limit: 0 }));
      await same((o) => o.setUMMailboxPIN({ identity: 'kimakers', pin: '5820913', whatIf: true }));
      await same((o) => o.setUMMailboxPIN({ identity: 'kimakers', lockedOut: true, whatIf: true }));
      await same((o) => o.pageUMMailboxPINs({ limit: 0 }));
    } finally {
      await f.close();
    }
  });
});

describe.each(ENGINES)('remote shell over the network (%s)', (engine) => {
  it('PINs typed in the remote shell reach no server log line and no answer', async () => {
    const lines: string[] = [];
    const stream = { write: (line: string) => void lines.push(line) };
    const f = await demoShell(engine, 'remote', { app: { logger: { level: 'debug', stream } } });
    try {
      const typed = ['5820913', '7305918', '6619283'];
      const r = await f.run(
        `New-Mailbox -Name 'Pat Doe' -Alias patdoe -PrimarySmtpAddress patdoe@contoso.com; Enable-UMMailbox patdoe -UMMailboxPolicy 'Contoso Default Policy' -Extensions 10400 -Pin ${typed[0]}; ` +
          `Set-UMMailboxPIN tonysmith -Pin ${typed[1]} -LockedOut $true; Set-UMMailboxPIN kimakers -Pin ${typed[2]}; Get-UMMailboxPIN | Format-List`,
      );
      expect(r.err).toBe('');
      expect(lines.length).toBeGreaterThan(5);
      for (const pin of typed) {
        expect(lines.join('\n')).not.toContain(pin);
        expect(r.out).not.toContain(pin);
      }
    } finally {
      await f.close();
    }
  });

  it.each(PAGED)('$name, 3 items a request', (line) =>
    expectSame(engine, line, { ...asAdmin, remote: { pageSize: 3 } }),
  );

  it('waits out the PIN-change rate limit and goes on, or reports it', async () => {
    const waits: number[] = [];
    const f = await demoShell(engine, 'remote', {
      app: { rateLimits: { 'pin-change': { max: 2, windowMs: 1000 } } },
      remote: { onRateLimited: (s) => waits.push(s) },
    });
    try {
      const r = await f.run(
        "'tonysmith','kimakers','junliu' | Set-UMMailboxPIN -NotifyEmail helpdesk@contoso.com -PinExpired $false",
      );
      expect(r.err).toBe('');
      expect(waits.length).toBeGreaterThan(0);
      for (const id of ['tonysmith', 'kimakers', 'junliu'])
        expect((await getUMMailboxPIN(f.ctx.deps, ADMIN, id)).pinExpired).toBe(false);
    } finally {
      await f.close();
    }
    const impatient = await demoShell(engine, 'remote', {
      app: { rateLimits: { 'pin-change': { max: 1, windowMs: 60_000 } } },
      remote: { maxRateLimitWaitMs: 0 },
    });
    try {
      const r = await impatient.run("'tonysmith','kimakers' | Set-UMMailboxPIN -NotifyEmail helpdesk@contoso.com");
      expect(r.ok).toBe(false);
      expect(r.err).toMatch(
        /Set-UMMailboxPIN : Too many attempts; try again in \d+ seconds\.[\s\S]*LimitsExceeded[\s\S]*FullyQualifiedErrorId : UMPIN_RATE_LIMITED,Set-UMMailboxPIN/,
      );
    } finally {
      await impatient.close();
    }
  });
});

describe('remote shell errors of its own', () => {
  async function runAgainst(url: string, token: string, source: string): Promise<ShellRun> {
    const host = new BufferHost();
    const session = new Session({
      ops: remoteOperations(url, token, { timeoutMs: 5000 }),
      host,
      commands: shellCommands(),
    });
    await session.run(source);
    return { ok: !session.hadErrors, out: host.output, err: host.errors, host };
  }

  async function listening(server: Server): Promise<string> {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('a token the server does not accept: the token named, authentication error', async () => {
    const f = await demoShell(ENGINES[0]!, 'remote');
    try {
      const r = await runAgainst(f.url!, 'umpin_not-a-real-token', 'Get-UMMailboxPIN tonysmith');
      expect(r.ok).toBe(false);
      expect(r.err).toMatch(
        /Get-UMMailboxPIN : The umpin server at http:\/\/127\.0\.0\.1:\d+ does not accept the API token \(UMPIN_TOKEN\): it is unknown or was revoked\./,
      );
      expect(r.err).toMatch(/AuthenticationError[\s\S]*FullyQualifiedErrorId : UMPIN_AUTH_REQUIRED,Get-UMMailboxPIN/);
    } finally {
      await f.close();
    }
  });

  it('no server there: unreachable, with the URL and the reason', async () => {
    const server = createServer();
    const url = await listening(server);
    await new Promise((r) => server.close(r));
    const r = await runAgainst(url, 'umpin_x', 'Get-UMMailboxPIN tonysmith; Get-UMMailbox tonysmith');
    expect(r.ok).toBe(false);
    expect(r.err).toContain(
      `Get-UMMailboxPIN : The umpin server at ${url} cannot be used: the connection was refused (ECONNREFUSED).`,
    );
    expect(r.err).toMatch(
      /ResourceUnavailable: \(Server\)[\s\S]*FullyQualifiedErrorId : UMPIN_SERVER_UNREACHABLE,Get-UMMailboxPIN/,
    );
  });

  it('a server that is not umpin: said so, not mistaken for an answer', async () => {
    const server = createServer((req, res) => {
      if (req.url?.includes('/pins')) res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>');
      else res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
    });
    const url = await listening(server);
    try {
      const r = await runAgainst(url, 'umpin_x', 'Get-UMMailbox tonysmith; Get-UMMailboxPIN');
      expect(r.err).toContain(
        `Get-UMMailbox : The umpin server at ${url} cannot be used: it answered HTTP 502 Bad Gateway without an umpin error (check the URL, or a proxy in between).`,
      );
      expect(r.err).toContain(
        `Get-UMMailboxPIN : The umpin server at ${url} cannot be used: it answered HTTP 200 without JSON, so it is not the umpin API (check the URL).`,
      );
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('--server must be an http(s) URL without credentials', () => {
    expect(() => remoteOperations('ftp://umpin.contoso.com', 't')).toThrow(
      /--server is not valid: it must be an http:\/\/ or https:\/\/ URL/,
    );
    expect(() => remoteOperations('https://admin:secret@umpin.contoso.com', 't')).toThrow(
      /the API token goes in UMPIN_TOKEN/,
    );
    expect(() => remoteOperations('umpin.contoso.com', 't')).toThrow(/it must be a URL/);
  });
});

describe.each(ENGINES)('remote -Filter and -SortBy are evaluated by the server (%s)', (engine) => {
  const setup = 'Get-UMMailbox -ResultSize 5 | Set-UMMailboxPIN -LockedOut $true';
  const line = "Get-UMMailbox -Filter {LockedOut -eq $true} -SortBy '-Alias' | Format-Table Name,Extensions";

  it('Get-UMMailbox -Filter {LockedOut -eq $true}: one request per page of matches, the answer the in-process shell gives', async () => {
    const lines: string[] = [];
    const f = await demoShell(engine, 'remote', {
      ...asAdmin,
      app: { logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } } },
      remote: { pageSize: 3 },
    });
    const local = await demoShell(engine, 'in-process', asAdmin);
    try {
      for (const shell of [f, local]) expect((await shell.run(setup)).ok).toBe(true);
      const total = (await local.ops.listUMMailboxes({ limit: 1000 })).items.length;
      lines.length = 0;
      const remote = await f.run(line);
      const inProcess = await local.run(line);
      expect(remote.err).toBe('');
      expect(comparable(remote.out)).toBe(comparable(inProcess.out));
      expect(remote.out.match(/^\w.* \{\d+\}$/gm)).toHaveLength(5);
      // 5 matches in pages of 3: two requests, where pulling every mailbox to filter here would take one per 3 of them all
      const listed = lines
        .map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string } })
        .filter((l) => l.msg === 'request completed' && l.req?.url?.startsWith('/api/v1/um-mailboxes?'));
      expect(listed).toHaveLength(2);
      expect(total).toBeGreaterThan(9);
      // a refusal is the service's, word for word
      for (const bad of [
        'Get-UMMailbox -Filter {Departmnet -eq 1}',
        'Get-UMMailbox -SortBy LockedOut',
        'Get-Mailbox -Filter "EmailAddresses -like \'eum:[1]*\'"',
      ]) {
        const [r, l] = [await f.run(bad), await local.run(bad)];
        expect(r.err).toContain('UMPIN_VALUE_INVALID');
        expect(comparable(r.err)).toBe(comparable(l.err));
      }
    } finally {
      await f.close();
      await local.close();
    }
  });

  it('Get-Mailbox reads a page of recipients with their UM mailboxes in one request', async () => {
    const lines: string[] = [];
    const f = await demoShell(engine, 'remote', {
      ...asAdmin,
      app: { logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } } },
    });
    const local = await demoShell(engine, 'in-process', asAdmin);
    try {
      const code =
        "Get-Mailbox -Filter \"EmailAddresses -like 'eum:102*' -or UMEnabled -eq `$false\" -SortBy 'Name desc' -ResultSize 12 | Format-Table Name,EmailAddresses";
      lines.length = 0;
      const [remote, inProcess] = [await f.run(code), await local.run(code)];
      expect(remote.err).toBe(inProcess.err);
      expect(comparable(remote.out)).toBe(comparable(inProcess.out));
      expect(remote.out).toContain('EUM:102');
      const requests = lines
        .map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string } })
        .filter((l) => l.msg === 'request completed');
      expect(requests.map((l) => l.req!.url!.split('?')[0])).toEqual(['/api/v1/recipients']);
    } finally {
      await f.close();
      await local.close();
    }
  });
});
