/** Everything a test database holds, as text: the SQLite file with its WAL, or a PostgreSQL dump. For "this secret is stored nowhere" checks. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestDb } from './harness.js';

function pgDumpBinary(): string {
  const root = '/usr/lib/postgresql';
  const v = existsSync(root)
    ? readdirSync(root)
        .filter((d) => existsSync(join(root, d, 'bin', 'pg_dump')))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  return v ? join(root, v, 'bin', 'pg_dump') : 'pg_dump';
}

export function databaseText(t: { db: TestDb }): string {
  if (t.db.engine === 'sqlite') {
    return ['', '-wal', '-shm']
      .map((s) => t.db.url + s)
      .filter(existsSync)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
  }
  return execFileSync(pgDumpBinary(), ['--dbname', t.db.url, '--no-owner'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}
