/**
 * The shell under an attacker's eye. Data cannot attack the administrator's terminal: an anonymous visitor puts a title change,
 * a bell and a screen clear in a sign-in-code request; the audit log keeps what was sent, and
 * `umpin shell` shows it with the escapes made visible instead of obeying them. Names refuse
 * such characters when they are set. And a PIN typed into `-c` — readable by every local user
 * in the process list — brings a warning, with the environment as the way round it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { CLI, startServe, type RunningServer, umpin } from './cli-runner.js';
import { childEnv, freshDatabase, type TestDb } from './harness.js';

const ATTACK = 'tony\u001b]0;owned\u0007\u001b[2J\u009b31m@contoso.com';
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminal-safe output and names', () => {
  let db: TestDb;
  let server: RunningServer;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    server = await startServe(childEnv(db), ['--demo']);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it("shows an attacker's escape sequences from the audit log as text, never as bytes the terminal obeys", async () => {
    const res = await fetch(`${server.url}/api/v1/self/sign-in-codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: ATTACK }),
    });
    expect(res.status).toBe(202);
    const r = await umpin(
      childEnv(db),
      'shell',
      '-c',
      'Search-AdminAuditLog | Select-Object -ExpandProperty CmdletParameters; Search-AdminAuditLog | Format-List',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('tony`e]0;owned`a`e[2J`u{9b}31m@contoso.com');
    expect(r.stdout).not.toMatch(RAW_CONTROLS);
    expect(r.stderr).not.toMatch(RAW_CONTROLS);
  });

  it('refuses a display name with a control character or a bidi override, naming the field, and changes nothing', async () => {
    const before = await umpin(childEnv(db), 'shell', '-c', '(Get-Mailbox tonysmith).DisplayName');
    const esc = await umpin(childEnv(db), 'shell', '-c', 'Set-Mailbox tonysmith -DisplayName "Tony`e[2J"');
    expect(esc.code).not.toBe(0);
    expect(esc.stderr).toContain('DisplayName must not contain control characters (U+001B found).');
    expect(esc.stderr).not.toMatch(RAW_CONTROLS);
    const bidi = await umpin(childEnv(db), 'shell', '-c', 'Set-Mailbox tonysmith -DisplayName "Tony`u{202E}htimS"');
    expect(bidi.code).not.toBe(0);
    expect(bidi.stderr).toContain('DisplayName must not contain characters that reorder or hide text');
    const after = await umpin(childEnv(db), 'shell', '-c', '(Get-Mailbox tonysmith).DisplayName');
    expect(after.stdout).toBe(before.stdout);
  });

  it('warns a person at a terminal that a PIN in -c is readable by other users; a PIN from the environment draws no word', async () => {
    // `script` gives the shell a real terminal, as a person typing the command has
    const atTerminal = (command: string, extra: Record<string, string> = {}) =>
      new Promise<string>((resolve) => {
        const child = spawn('script', ['-qfec', `${process.execPath} ${CLI} shell -c '${command}'`, '/dev/null'], {
          env: { ...childEnv(db, extra), TERM: 'dumb' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', () => resolve(out));
      });
    const open = await atTerminal('Set-UMMailboxPIN -Identity tonysmith -Pin 38472917');
    expect(open).toContain('A PIN given in -c can be read by every user of this machine');
    const hidden = await atTerminal('Set-UMMailboxPIN -Identity tonysmith -Pin $env:UMPIN_NEW_PIN', {
      UMPIN_NEW_PIN: '40617285',
    });
    expect(hidden).not.toContain('WARNING');
    // a script (no terminal) keeps its output as it was
    const scripted = await umpin(childEnv(db), 'shell', '-c', 'Set-UMMailboxPIN -Identity tonysmith -Pin 51836204');
    expect(scripted).toMatchObject({ code: 0, stderr: '' });
  });
});
