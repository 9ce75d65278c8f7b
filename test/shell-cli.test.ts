/**
 * `umpin shell` as an administrator runs it: -c, a script file, piped input, and the
 * interactive prompt in a real pseudo-terminal (util-linux `script`), on each engine; and
 * with --server against a running `umpin serve`, from a directory with no umpin data.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childEnv, ENGINES, freshDatabase, type TestDb } from './harness.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

async function umpin(
  env: NodeJS.ProcessEnv,
  args: string[],
  opts: { cwd?: string; input?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function mails(dir: string): Promise<Array<{ to: string; text: string }>> {
  const drop = join(dir, 'maildrop');
  if (!existsSync(drop)) return [];
  const out = [];
  for (const f of readdirSync(drop).filter((n) => n.endsWith('.eml'))) {
    const m = await simpleParser(readFileSync(join(drop, f)));
    out.push({ to: (Array.isArray(m.to) ? m.to[0] : m.to)?.text ?? '', text: m.text ?? '' });
  }
  return out;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

for (const engine of ENGINES) {
  describe(`umpin shell --server (${engine})`, () => {
    it('runs the cmdlets on the server through its API: same output and errors, no local data, clear errors for a bad token or no server', async () => {
      const db = await freshDatabase(engine);
      const env = childEnv(db);
      const elsewhere = mkdtempSync(join(tmpdir(), 'umpin-remote-'));
      let server: ReturnType<typeof spawn> | undefined;
      try {
        expect((await umpin(env, ['init', '--demo'])).code).toBe(0);
        const made = await umpin(env, ['token', 'new', '--role', 'OrganizationManagement', '--name', 'remote-shell']);
        expect(made.code).toBe(0);
        const token = made.stdout.trim().split('\n').pop()!;
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        server = spawn(process.execPath, [CLI, 'serve'], {
          env: { ...env, UMPIN_HTTP_PORT: String(port), UMPIN_HTTP_HOST: '127.0.0.1' },
          stdio: ['ignore', 'ignore', 'ignore'],
        });
        let up = false;
        for (let i = 0; i < 100 && !up; i++) {
          await new Promise((r) => setTimeout(r, 100));
          up = await fetch(`${url}/readyz`).then(
            (r) => r.ok,
            () => false,
          );
        }
        expect(up).toBe(true);

        // the administrator's machine: no data directory, no database, no server secret
        const remote = { PATH: process.env.PATH ?? '', HOME: elsewhere, UMPIN_TOKEN: token };
        const shell = (command: string, e: NodeJS.ProcessEnv = remote) =>
          umpin(e, ['shell', '--server', url, '-c', command], { cwd: elsewhere });
        const before = (await mails(db.dataDir)).length;
        const set = await shell('Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 1985848 -PinExpired $true');
        expect(set).toMatchObject({ code: 0, stderr: '' });
        const get = await shell('Get-UMMailboxPIN -Identity tonysmith');
        expect(get.code).toBe(0);
        expect(get.stdout).toMatch(/tonysmith@contoso\.com\s+True\s+\w+\s+False/);
        // the server's worker delivers the mail
        let mailed = false;
        for (let i = 0; i < 100 && !mailed; i++) {
          await new Promise((r) => setTimeout(r, 100));
          mailed = (await mails(db.dataDir)).some(
            (m) => m.to.includes('tonysmith@contoso.com') && m.text.includes('1985848'),
          );
        }
        expect(mailed).toBe(true);
        expect((await mails(db.dataDir)).length).toBe(before + 1);

        // a refused PIN: exit 1, and stderr exactly as in-process
        const weak = 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 123456';
        const refused = await shell(weak);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('FullyQualifiedErrorId : UMPIN_PIN_COMMON_PATTERN,Set-UMMailboxPIN');
        expect(refused.stderr).toBe((await umpin(env, ['shell', '-c', weak])).stderr);
        expect(readdirSync(elsewhere)).toEqual([]);

        const wrong = await shell('Get-UMMailboxPIN tonysmith', { ...remote, UMPIN_TOKEN: 'umpin_not-the-token' });
        expect(wrong).toMatchObject({ code: 1, stdout: '' });
        expect(wrong.stderr).toBe(
          `umpin: UMPIN_AUTH_REQUIRED: The umpin server at ${url} does not accept the API token (UMPIN_TOKEN): it is unknown or was revoked.\n`,
        );
        const none = await shell('Get-UMMailboxPIN tonysmith', { PATH: remote.PATH, HOME: elsewhere });
        expect(none.code).toBe(1);
        expect(none.stderr).toMatch(/^umpin: UMPIN_VALUE_REQUIRED: UMPIN_TOKEN .* is required\.\n$/);
        const closed = `http://127.0.0.1:${await freePort()}`;
        const unreachable = await umpin(remote, ['shell', '--server', closed, '-c', 'Get-UMMailboxPIN tonysmith'], {
          cwd: elsewhere,
        });
        expect(unreachable.code).toBe(1);
        expect(unreachable.stderr).toBe(
          `umpin: UMPIN_SERVER_UNREACHABLE: The umpin server at ${closed} cannot be used: the connection was refused (ECONNREFUSED).\n`,
        );
      } finally {
        if (server) {
          server.kill('SIGTERM');
          await new Promise((r) => server!.once('close', r));
        }
        rmSync(elsewhere, { recursive: true, force: true });
        await db.drop();
      }
    });
  });

  describe(`umpin shell (${engine})`, () => {
    let db: TestDb;
    let env: NodeJS.ProcessEnv;
    beforeEach(async () => {
      db = await freshDatabase(engine);
      env = childEnv(db);
      expect((await umpin(env, ['init', '--demo'])).code).toBe(0);
    });
    afterEach(() => db.drop());

    it('runs the seed command verbatim: exit 0, PinExpired True, the mail with the PIN in the maildrop; refuses weak PINs with exit 1', async () => {
      const before = (await mails(db.dataDir)).length;
      const set = await umpin(env, [
        'shell',
        '-c',
        'Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 1985848 -PinExpired $true',
      ]);
      expect(set.stderr).toBe('');
      expect(set.code).toBe(0);
      const get = await umpin(env, ['shell', '-c', 'Get-UMMailboxPIN -Identity tonysmith']);
      expect(get.code).toBe(0);
      expect(get.stdout).toMatch(
        /UserID\s+PinExpired\s+FirstTimeUser\s+LockedOut\n-+\s+-+\s+-+\s+-+\ntonysmith@contoso\.com\s+True\s+\w+\s+False/,
      );
      const all = await mails(db.dataDir);
      expect(all.length).toBe(before + 1);
      expect(all.filter((m) => m.to.includes('tonysmith@contoso.com') && m.text.includes('1985848'))).toHaveLength(1);

      for (const [weak, rule] of [
        ['123456', /consecutive digits/],
        ['12', /at least 6 digits/],
      ] as const) {
        const r = await umpin(env, ['shell', '-c', `Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN ${weak}`]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(rule);
        expect(r.stderr).not.toContain(` ${weak}`);
      }
      expect((await mails(db.dataDir)).length).toBe(before + 1);
      // nothing changed: the PIN mailed before still logs on (and must be changed)
      const still = await umpin(env, ['shell', '-c', 'Get-UMMailboxPIN tonysmith | Format-List PinExpired,LockedOut']);
      expect(still.stdout).toMatch(/PinExpired : True\nLockedOut {2}: False/);
    });

    it('runs a script file, reports the failing line, and exits 1 when any command failed', async () => {
      const ok = join(db.dataDir, 'unlock.ps1');
      writeFileSync(
        ok,
        '# unlock everyone who is locked out\r\nGet-UMMailboxPIN |\r\n  Where-Object LockedOut -eq $true |\r\n  Set-UMMailboxPIN -LockedOut $false\r\n',
      );
      expect(await umpin(env, ['shell', ok])).toMatchObject({ code: 0, stderr: '' });
      const bad = join(db.dataDir, 'bad.ps1');
      writeFileSync(
        bad,
        'Get-UMMailboxPIN tonysmith | Out-Null\nSet-UMMailboxPIN -Identity nobody@contoso.com\nWrite-Host "still runs"\n',
      );
      const r = await umpin(env, ['shell', bad]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`At ${bad}:line:2 char:1`);
      expect(r.stdout).toContain('still runs');
    });

    it('runs commands piped on stdin', async () => {
      const r = await umpin(env, ['shell'], { input: 'Get-UMMailbox | Measure-Object\n' });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Count\s+: 20/);
    });

    it('Import-Csv | Enable-UMMailbox for many users shows progress and finishes', async () => {
      const n = 60;
      const rows = ['PrimarySmtpAddress,Alias'];
      const csv = ['Identity,Extensions'];
      for (let i = 0; i < n; i++) {
        rows.push(`imp${i}@contoso.com,imp${i}`);
        csv.push(`imp${i}@contoso.com,${11000 + i}`);
      }
      writeFileSync(join(db.dataDir, 'recipients.csv'), rows.join('\n'));
      expect((await umpin(env, ['recipient', 'import', join(db.dataDir, 'recipients.csv')])).code).toBe(0);
      writeFileSync(join(db.dataDir, 'users.csv'), csv.join('\r\n'));
      const r = await umpin(
        env,
        ['shell', '-c', 'Import-Csv users.csv | Enable-UMMailbox -UMMailboxPolicy "Contoso Default Policy" | Out-Null'],
        { cwd: db.dataDir },
      );
      expect(r.stderr).toMatch(new RegExp(`Completed Enable-UMMailbox: ${n} of ${n} objects in [\\d.]+ s`));
      expect(r.code).toBe(0);
      const count = await umpin(env, ['shell', '-c', 'Get-UMMailbox -ResultSize Unlimited | Measure-Object']);
      expect(count.stdout).toMatch(new RegExp(`Count\\s+: ${20 + n}`));
    });

    it('interactive: prompt, help, continuation lines, history kept across runs without PIN lines', async () => {
      const input = [
        'Get-Help Set-UMMailboxPIN -Examples',
        'Get-UMMailboxPIN tonysmith |',
        '  Format-List LockedOut',
        'Set-UMMailboxPIN tonysmith -PIN 1985848',
        'exit',
        '',
      ].join('\r');
      const r = await new Promise<{ code: number; out: string }>((resolve) => {
        // `script` gives the shell a real terminal; its input is typed line by line
        const child = spawn('script', ['-qfec', `${process.execPath} ${CLI} shell`, '/dev/null'], {
          env: { ...env, TERM: 'dumb' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        const lines = input.split('\r');
        const typeNext = () => {
          const line = lines.shift();
          if (line === undefined) return;
          child.stdin.write(`${line}\r`);
          setTimeout(typeNext, 600);
        };
        setTimeout(typeNext, 1500);
        child.on('close', (code) => resolve({ code: code ?? -1, out }));
      });
      expect(r.out).toContain('[PS] umpin> ');
      expect(r.out).toContain('Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 1985848 -PinExpired $true');
      expect(r.out).toMatch(/>> /);
      expect(r.out).toMatch(/LockedOut : False/);
      expect(r.code).toBe(0);
      const history = readFileSync(join(db.dataDir, 'shell_history'), 'utf8');
      expect(history).toContain('Get-Help Set-UMMailboxPIN -Examples');
      expect(history).toContain('Get-UMMailboxPIN tonysmith |   Format-List LockedOut');
      expect(history).not.toContain('1985848');
      expect(statSync(join(db.dataDir, 'shell_history')).mode & 0o777).toBe(0o600);
    });
  });
}
