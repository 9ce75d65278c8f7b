/**
 * `Read-Host -AsSecureString` at the interactive prompt, in a real pseudo-terminal (util-linux
 * `script`, which also keeps the terminal's transcript): the PIN typed is never echoed, binds
 * to -Pin of Set-UMMailboxPIN, and is written neither to the history file nor to the
 * transcript of the session.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, umpin } from './cli-runner.js';
import { childEnv, freshDatabase, type TestDb } from './harness.js';

const PIN = '73915284';

/** the terminal: what it showed so far, and a way to type a line once a text has appeared */
class Terminal {
  private shown = '';
  private readonly closed: Promise<number>;
  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => {
      this.shown += d.toString();
    });
    this.closed = new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  }

  get output(): string {
    return this.shown;
  }

  /** waits until the terminal shows `text` after `from`; returns where it ends */
  async waitFor(text: string, from: number): Promise<number> {
    for (let i = 0; i < 400; i++) {
      const at = this.shown.indexOf(text, from);
      if (at >= 0) return at + text.length;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the terminal never showed ${JSON.stringify(text)}; it shows:\n${this.shown}`);
  }

  /** types a line at the next `prompt` (after `from`), as a person would: the characters, then Enter */
  async type(line: string, prompt: string, from: number): Promise<number> {
    const at = await this.waitFor(prompt, from);
    this.child.stdin.write(`${line}\r`);
    return at;
  }

  exit(): Promise<number> {
    return this.closed;
  }
}

describe('umpin shell, interactive: Read-Host -AsSecureString', () => {
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    env = childEnv(db);
    expect((await umpin(env, 'init', '--demo')).code).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('masks the PIN typed, binds it to -Pin, and keeps it out of the history and the transcript', async () => {
    const transcript = join(db.dataDir, 'typescript');
    const child = spawn('script', ['-qfec', `${process.execPath} ${CLI} shell`, transcript], {
      env: { ...env, TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const t = new Terminal(child);
    const prompt = '[PS] umpin> ';
    let at = await t.type("$pin = Read-Host -Prompt 'New PIN' -AsSecureString", prompt, 0);
    const asked = await t.type(PIN, 'New PIN: ', at);
    at = await t.type(
      'Set-UMMailboxPIN -Identity tonysmith -Pin $pin -PinExpired $false -Confirm:$false; "typed $($pin.Length)"',
      prompt,
      asked,
    );
    // the same PIN again is refused as one of the last PINs: the first reset really set it
    at = await t.type(`Set-UMMailboxPIN -Identity tonysmith -Pin $pin -Confirm:$false`, prompt, at);
    at = await t.type('exit', prompt, at);
    expect(await t.exit()).toBe(0);

    const shown = t.output;
    expect(shown.slice(asked, shown.indexOf(prompt, asked))).not.toMatch(/\d|\*/);
    expect(shown).toContain('typed 8');
    expect(shown).toContain('UMPIN_PIN_IN_HISTORY');
    expect(shown).not.toContain(PIN);
    expect(readFileSync(transcript, 'utf8')).not.toContain(PIN);
    const history = readFileSync(join(db.dataDir, 'shell_history'), 'utf8');
    expect(history).toContain("$pin = Read-Host -Prompt 'New PIN' -AsSecureString");
    expect(history).not.toContain(PIN);
    const audit = await umpin(env, 'shell', '-c', 'Search-AdminAuditLog -Cmdlets Set-UMMailboxPIN | Format-List *');
    expect(audit.stdout).toContain('Set-UMMailboxPIN');
    expect(audit.stdout).not.toContain(PIN);
  });
});
