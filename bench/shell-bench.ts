/**
 * The shell at scale: `Import-Csv users.csv | Enable-UMMailbox -UMMailboxPolicy ...` for
 * N new mailboxes, run by `umpin shell -c` as an administrator would (a child process on
 * an SQLite data directory, the default KDF cost, mails delivered to the maildrop at the
 * end). Baseline in the same run: the same N enables as direct service calls in one
 * process, so the ratio is the shell's own cost (parsing, binding, CSV, progress, output).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { makeDeps, openStore } from '../src/compose.js';
import { DEFAULT_KDF } from '../src/crypto/kdf-params.js';
import { deriveSecrets } from '../src/crypto/secrets.js';
import type { Actor } from '../src/services/actor.js';
import { initDemo } from '../src/services/demo.js';
import { newRecipient } from '../src/services/recipients.js';
import { enableUMMailbox } from '../src/services/um-mailboxes.js';

const ADMIN: Actor = { kind: 'admin', name: 'bench', roles: ['OrganizationManagement'] };

export interface ShellFigures {
  n: number;
  /** seconds for the whole `umpin shell -c` run, process start to exit, mails included */
  shellSeconds: number;
  /** seconds for the enables alone, as the shell's progress line reports them */
  shellEnableSeconds: number;
  /** seconds for the same enables as direct service calls */
  directSeconds: number;
  mails: number;
  progressShown: boolean;
}

async function prepare(n: number, masterKey: string): Promise<{ dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'umpin-shell-bench-'));
  const store = openStore({ engine: 'sqlite', databaseUrl: join(dir, 'umpin.db') });
  await store.migrate();
  const deps = makeDeps(store, deriveSecrets(Buffer.from(masterKey, 'base64')), DEFAULT_KDF);
  await initDemo(deps, ADMIN);
  const lines = ['Identity,Extensions'];
  for (let i = 0; i < n; i++) {
    const alias = `new${String(i).padStart(4, '0')}`;
    await newRecipient(deps, ADMIN, { primarySmtpAddress: `${alias}@contoso.com`, alias });
    lines.push(`${alias}@contoso.com,${30000 + i}`);
  }
  writeFileSync(join(dir, 'users.csv'), `${lines.join('\r\n')}\r\n`);
  await store.close();
  return { dir };
}

async function direct(n: number, masterKey: string): Promise<number> {
  const { dir } = await prepare(n, masterKey);
  const store = openStore({ engine: 'sqlite', databaseUrl: join(dir, 'umpin.db') });
  const deps = makeDeps(store, deriveSecrets(Buffer.from(masterKey, 'base64')), DEFAULT_KDF);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await enableUMMailbox(deps, ADMIN, {
      identity: `new${String(i).padStart(4, '0')}@contoso.com`,
      umMailboxPolicy: 'Contoso Default Policy',
      extensions: [String(30000 + i)],
    });
  }
  const s = (performance.now() - t0) / 1000;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return s;
}

async function viaShell(n: number, masterKey: string, cli: string): Promise<Omit<ShellFigures, 'directSeconds' | 'n'>> {
  const { dir } = await prepare(n, masterKey);
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      cli,
      'shell',
      '-c',
      'Import-Csv users.csv | Enable-UMMailbox -UMMailboxPolicy "Contoso Default Policy" | Out-Null',
    ],
    {
      cwd: dir,
      env: {
        ...process.env,
        UMPIN_DATA_DIR: dir,
        UMPIN_SECRET_KEY: masterKey,
        UMPIN_DATABASE_URL: '',
        UMPIN_SMTP_URL: '',
        UMPIN_KDF: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // the shell runs in the data directory, so users.csv is found relative to it
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const shellSeconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`umpin shell exited ${code}: ${stderr.slice(-2000)}`);
  const done = /Completed Enable-UMMailbox: (\d+) of (\d+) objects in ([\d.]+) s/.exec(stderr);
  const mails = readdirSync(join(dir, 'maildrop')).filter((f) => f.endsWith('.eml')).length;
  rmSync(dir, { recursive: true, force: true });
  return {
    shellSeconds,
    shellEnableSeconds: done ? Number(done[3]) : NaN,
    mails,
    progressShown: done !== null && Number(done[1]) === n,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** `cli`: the built dist/cli/main.js. Trials alternate baseline and shell; figures are medians. */
export async function benchShell(n: number, cli: string, trials = 3): Promise<ShellFigures> {
  const masterKey = randomBytes(32).toString('base64');
  const direct_: number[] = [];
  const shells: Array<Omit<ShellFigures, 'directSeconds' | 'n'>> = [];
  for (let t = 0; t < trials; t++) {
    direct_.push(await direct(n, masterKey));
    shells.push(await viaShell(n, masterKey, cli));
  }
  return {
    n,
    directSeconds: median(direct_),
    shellSeconds: median(shells.map((s) => s.shellSeconds)),
    shellEnableSeconds: median(shells.map((s) => s.shellEnableSeconds)),
    mails: shells[0]!.mails,
    progressShown: shells.every((s) => s.progressShown),
  };
}
