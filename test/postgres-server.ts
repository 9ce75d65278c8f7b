/**
 * A PostgreSQL server for the tests, never skipped: UMPIN_TEST_PG_URL if given, else a
 * throwaway cluster (initdb as the postgres user, trust auth, loopback, fsync off) that is
 * removed afterwards. Installs Debian's postgresql when no server binaries exist.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages } from './debian-packages.js';

function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

function installPostgres(): void {
  if (process.getuid?.() !== 0)
    throw new Error(
      'PostgreSQL server binaries are missing and this is not root: install postgresql or set UMPIN_TEST_PG_URL',
    );
  // Debian 12's server; pgBinDir() takes whichever version is there
  ensureDebianPackages({ '/usr/lib/postgresql/15/bin/initdb': 'postgresql' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface PgServer {
  url: string;
  stop(): void;
}

export async function startPostgres(): Promise<PgServer> {
  const given = process.env.UMPIN_TEST_PG_URL;
  if (given) return { url: given, stop: () => {} };
  let bin = pgBinDir();
  if (!bin) {
    installPostgres();
    bin = pgBinDir();
    if (!bin) throw new Error('postgresql installed but initdb not found');
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'umpin-pg-'));
  const data = join(dir, 'data');
  chmodSync(dir, 0o700);
  // postgres refuses to run as root: hand the cluster to the postgres user
  const run = (cmd: string, args: string[]) => {
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin!, cmd), ...args], { encoding: 'utf8' })
      : spawnSync(join(bin!, cmd), args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  if (asRoot) {
    const pw = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gr = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(pw), Number(gr));
  }
  // wal_keep_size: the secrecy scan (test/db-haystack.ts) reads the WAL a test wrote, which a checkpoint must not recycle first
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c wal_keep_size=512MB`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
