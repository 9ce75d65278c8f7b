/**
 * Whole scripts in the style administrators keep (reports, bulk resets from a file,
 * unlocking with conditions, onboarding from CSV with error handling, dry runs with
 * -WhatIf), each file in test/shell-scripts/ run as `umpin shell script.ps1` runs it, on
 * both engines, in-process and remote, and checked against the expectations in its header:
 *
 *   # expect: <regex>        the output matches (one line each, all must match)
 *   # expect-error: <regex>  the errors match; without it, there must be no error
 *   # expect-fails           the run reports a failure (the exit code would be 1)
 *   # expect-exit: <n>       the script ends with `exit n`
 *   # args: -Name value      the script's command-line arguments (split on spaces)
 *   # input: <line>          a line Read-Host gets
 *   # hidden: <text>         never in the output, the errors, or the error records
 *   # after: <command>       run afterwards in a new session, to see the effect ...
 *   # after-expect: <regex>  ... which must print this
 *
 * One organisation per engine and mode serves all the scripts, in file order; each script
 * touches its own users, so none depends on another.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umpin } from './cli-runner.js';
import { childEnv, ENGINES, freshDatabase } from './harness.js';
import { demoShell, SHELL_MODES, type ShellFixture } from './shell-harness.js';
import { shellCommands } from '../src/shell/commands.js';
import { BufferHost } from '../src/shell/host.js';
import { Session } from '../src/shell/session.js';

const DIR = new URL('./shell-scripts/', import.meta.url);

interface ScriptCase {
  name: string;
  source: string;
  expect: RegExp[];
  expectError: RegExp[];
  fails: boolean;
  exit: number | null;
  args: string[];
  input: string[];
  hidden: string[];
  after: Array<{ command: string; expect: RegExp[] }>;
}

function header(source: string, key: string): string[] {
  const re = new RegExp(`^#\\s*${key}:\\s?(.*)$`, 'gm');
  return [...source.matchAll(re)].map((m) => m[1]!.trimEnd());
}

function load(): ScriptCase[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.ps1'))
    .sort()
    .map((name) => {
      const source = readFileSync(new URL(name, DIR), 'utf8');
      const after: ScriptCase['after'] = [];
      for (const line of source.split('\n')) {
        const cmd = /^#\s*after:\s?(.*)$/.exec(line);
        const exp = /^#\s*after-expect:\s?(.*)$/.exec(line);
        if (cmd) after.push({ command: cmd[1]!, expect: [] });
        else if (exp) after[after.length - 1]!.expect.push(new RegExp(exp[1]!, 'm'));
      }
      const exit = header(source, 'expect-exit')[0];
      return {
        name,
        source,
        expect: header(source, 'expect').map((r) => new RegExp(r, 'm')),
        expectError: header(source, 'expect-error').map((r) => new RegExp(r, 'm')),
        fails: /^#\s*expect-fails\s*$/m.test(source),
        exit: exit === undefined ? null : Number(exit),
        args: header(source, 'args').flatMap((a) => a.split(' ').filter(Boolean)),
        input: header(source, 'input'),
        hidden: header(source, 'hidden'),
        after,
      };
    });
}

const SCRIPTS = load();

/** the input files the scripts read, as an administrator would have them beside the script */
function prepareFiles(cwd: string): void {
  writeFileSync(join(cwd, 'unlock-list.txt'), 'davidpelton@contoso.com\nchrisashton@contoso.com\n\n');
  writeFileSync(
    join(cwd, 'new-starters.csv'),
    'Alias,DisplayName,Extension\r\nnewhire1,New Hire One,10401\r\nnewhire2,New Hire Two,10402\r\nbadhire,Bad Hire,abc\r\n',
  );
  writeFileSync(
    join(cwd, 'settings.json'),
    '{ "Policy": "Contoso Default Policy", "Users": ["janedow", "lukeharris"] }\n',
  );
}

async function runScript(f: ShellFixture, c: ScriptCase) {
  const host = new BufferHost();
  host.lines.push(...c.input);
  const session = new Session({ ops: f.ops, host, commands: shellCommands(), cwd: f.cwd });
  await session.run(c.source, c.name, c.args);
  return { session, out: host.output, err: host.errors };
}

async function runLine(f: ShellFixture, command: string) {
  const host = new BufferHost();
  const session = new Session({ ops: f.ops, host, commands: shellCommands(), cwd: f.cwd });
  await session.run(command);
  return { out: host.output, err: host.errors };
}

describe('the script corpus', () => {
  it('has at least 60 scripts', () => {
    expect(SCRIPTS.length).toBeGreaterThanOrEqual(60);
  });
});

describe.each(ENGINES)('admin scripts (%s)', (engine) => {
  describe.each(SHELL_MODES)('%s', (mode) => {
    let f: ShellFixture;
    beforeAll(async () => {
      f = await demoShell(engine, mode);
      prepareFiles(f.cwd);
    });
    afterAll(async () => {
      await f?.close();
    });

    it.each(SCRIPTS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const r = await runScript(f, c);
      const context = `--- output ---\n${r.out}\n--- errors ---\n${r.err}`;
      for (const re of c.expect) expect(r.out, context).toMatch(re);
      if (c.expectError.length === 0) expect(r.err.replace(/^WARNING: .*$/gm, '').trim(), context).toBe('');
      for (const re of c.expectError) expect(r.err, context).toMatch(re);
      expect(r.session.hadErrors, context).toBe(c.fails || c.expectError.length > 0);
      expect(r.session.exitCode, context).toBe(c.exit);
      for (const secret of c.hidden) {
        expect(r.out, context).not.toContain(secret);
        expect(r.err, context).not.toContain(secret);
      }
      for (const a of c.after) {
        const after = await runLine(f, a.command);
        for (const re of a.expect) expect(after.out, `${a.command}\n${after.out}\n${after.err}`).toMatch(re);
      }
    });
  });
});

// the command line's part: a script's own arguments after its name, and its exit code
describe('umpin shell script.ps1 -Name value', () => {
  it('binds the arguments to param(...), exits with exit N, and runs nothing when a parameter is missing', async () => {
    const db = await freshDatabase('sqlite');
    try {
      const env = childEnv(db);
      expect((await umpin(env, 'init', '--demo')).code).toBe(0);
      const script = join(db.dataDir, 'lock.ps1');
      writeFileSync(
        script,
        [
          'param([Parameter(Mandatory)][string]$Identity, [int]$code = 0, [switch]$Lock)',
          'if ($Lock) { Set-UMMailboxPIN $Identity -LockedOut $true }',
          '"locked ${Identity}: $((Get-UMMailboxPIN $Identity).LockedOut)"',
          'exit $code',
        ].join('\n'),
      );
      // -count, -c...: a script's parameters are never taken for umpin's own options
      const r = await umpin(env, 'shell', script, '-Identity', 'tonysmith', '-Lock', '-c', '3');
      expect(r).toMatchObject({ code: 3, stderr: '' });
      expect(r.stdout).toContain('locked tonysmith: True');
      const missing = await umpin(env, 'shell', script, '-Lock');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('UMPIN_SHELL_PARAMETER_MISSING');
      expect(missing.stdout).toBe('');
    } finally {
      await db.drop();
    }
  });
});
