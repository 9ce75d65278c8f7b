/**
 * What a test database holds, for "this secret is stored nowhere" checks: as text (the SQLite
 * file with its WAL, or a PostgreSQL dump), or as every byte of its files searched for a
 * secret in each encoding it could take (scanDatabase).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestContext, TestDb } from './harness.js';

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

// ------------------------------------------------------------------ every encoding, every byte

/** The shapes a secret of digits could take in a database's bytes, each as the bytes to look for. */
export function encodingsOf(secret: string): Array<{ encoding: string; bytes: Buffer }> {
  const ascii = Buffer.from(secret, 'latin1');
  const out: Array<{ encoding: string; bytes: Buffer }> = [
    { encoding: 'text', bytes: ascii },
    { encoding: 'utf16le', bytes: Buffer.from(secret, 'utf16le') },
    { encoding: 'utf16be', bytes: Buffer.from(secret, 'utf16le').swap16() },
    { encoding: 'hex', bytes: Buffer.from(ascii.toString('hex'), 'latin1') },
    { encoding: 'HEX', bytes: Buffer.from(ascii.toString('hex').toUpperCase(), 'latin1') },
  ];
  // base64 of the secret wherever it starts in the encoded bytes: only the groups of three
  // bytes that hold nothing but the secret come out the same whatever surrounds it
  for (let align = 0; align < 3; align++) {
    const text = Buffer.concat([Buffer.alloc(align), ascii]).toString('base64');
    const firstGroup = align === 0 ? 0 : 1;
    const fullGroups = Math.floor((align + ascii.length) / 3);
    const stable = text.slice(firstGroup * 4, fullGroups * 4);
    out.push({ encoding: `base64+${align}`, bytes: Buffer.from(stable, 'latin1') });
    const url = stable.replace(/\+/g, '-').replace(/\//g, '_');
    if (url !== stable) out.push({ encoding: `base64url+${align}`, bytes: Buffer.from(url, 'latin1') });
  }
  // as a number: only from 2^32 up, where each form holds five bytes or more that are not zero;
  // four could turn up by chance in megabytes of data files
  const n = Number(secret);
  if (/^[0-9]+$/.test(secret) && n >= 2 ** 32 && n <= Number.MAX_SAFE_INTEGER) {
    const i64 = Buffer.alloc(8);
    i64.writeBigInt64LE(BigInt(n));
    out.push({ encoding: 'int64le', bytes: i64 });
    out.push({ encoding: 'int64be', bytes: Buffer.from(i64).reverse() });
    // SQLite keeps an integer below 2^47 in six bytes, big-endian
    if (n < 2 ** 47) out.push({ encoding: 'int48be', bytes: Buffer.from(i64).reverse().subarray(2) });
    const f64 = Buffer.alloc(8);
    f64.writeDoubleLE(n);
    out.push({ encoding: 'float64le', bytes: f64 });
    out.push({ encoding: 'float64be', bytes: Buffer.from(f64).reverse() });
    // PostgreSQL's numeric: base-10000 digits, two bytes each, without trailing zero digits
    const groups: number[] = [];
    for (let v = BigInt(n); v > 0n; v /= 10000n) groups.unshift(Number(v % 10000n));
    while (groups.at(-1) === 0) groups.pop();
    const numeric = Buffer.alloc(groups.length * 2);
    for (const [i, g] of groups.entries()) numeric.writeUInt16LE(g, i * 2);
    out.push({ encoding: 'numeric', bytes: numeric });
  }
  return out;
}

export interface Finding {
  secret: string;
  encoding: string;
  /** the file it was found in, relative to the database or the cluster's data directory */
  where: string;
}

interface Place {
  where: string;
  bytes: Buffer;
}

/** WAL pages are 8 kB; each begins with a header (longer on a segment's first page) that can split a record's bytes. */
const WAL_PAGE = 8192;
function walPayload(segment: Buffer, from: number, to: number): Buffer {
  const parts: Buffer[] = [];
  for (let page = Math.floor(from / WAL_PAGE) * WAL_PAGE; page < Math.min(to, segment.length); page += WAL_PAGE) {
    parts.push(segment.subarray(page + (page === 0 ? 40 : 24), page + WAL_PAGE));
  }
  return Buffer.concat(parts);
}

async function postgresPlaces(t: TestContext): Promise<Place[]> {
  const c = new pg.Client({ connectionString: t.db.url });
  await c.connect();
  try {
    // everything written is in the data files and the WAL on disk
    await c.query('checkpoint');
    const one = async (q: string) => Object.values((await c.query(q)).rows[0] as Record<string, string>)[0]!;
    const dataDir = await one('show data_directory');
    const oid = await one('select oid::text from pg_database where datname = current_database()');
    const [start, end] = [t.db.walStart!, await one('select pg_current_wal_lsn()::text')];
    const at = async (lsn: string) =>
      (await c.query<{ file_name: string; file_offset: number }>('select * from pg_walfile_name_offset($1)', [lsn]))
        .rows[0]!;
    const [first, last] = [await at(start), await at(end)];
    if (!existsSync(join(dataDir, 'base', oid)))
      throw new Error(
        `the secrecy scan reads PostgreSQL's files, and ${dataDir} is not on this machine or not readable`,
      );
    const places: Place[] = readdirSync(join(dataDir, 'base', oid)).map((f) => ({
      where: `base/${oid}/${f}`,
      bytes: readFileSync(join(dataDir, 'base', oid, f)),
    }));
    // the WAL since the database was made (other databases' records in between are scanned too)
    const segments = readdirSync(join(dataDir, 'pg_wal'))
      .filter((f) => /^[0-9A-F]{24}$/.test(f) && f >= first.file_name && f <= last.file_name)
      .sort();
    if (segments[0] !== first.file_name)
      throw new Error(`WAL segment ${first.file_name} is gone: the scan would miss what the test wrote first`);
    for (const f of segments) {
      const segment = readFileSync(join(dataDir, 'pg_wal', f));
      const from = f === first.file_name ? first.file_offset : 0;
      const to = f === last.file_name ? last.file_offset + WAL_PAGE : segment.length;
      places.push({ where: `pg_wal/${f}`, bytes: walPayload(segment, from, to) });
    }
    return places;
  } finally {
    await c.end();
  }
}

/**
 * Every byte the test database holds, searched for each secret in each encoding: the SQLite
 * file with its WAL and shared memory (free pages too), or PostgreSQL's data files of the
 * database (dead rows too) after a checkpoint and the WAL written since it was made.
 */
export async function scanDatabase(
  t: TestContext,
  secrets: readonly string[],
): Promise<{ findings: Finding[]; scannedBytes: number }> {
  const places: Place[] =
    t.db.engine === 'sqlite'
      ? ['', '-wal', '-shm']
          .filter((s) => existsSync(t.db.url + s))
          .map((s) => ({ where: `umpin.db${s}`, bytes: readFileSync(t.db.url + s) }))
      : await postgresPlaces(t);
  const findings: Finding[] = [];
  for (const secret of secrets)
    for (const { encoding, bytes } of encodingsOf(secret))
      for (const place of places)
        if (place.bytes.includes(bytes)) findings.push({ secret, encoding, where: place.where });
  return { findings, scannedBytes: places.reduce((n, p) => n + p.bytes.length, 0) };
}
