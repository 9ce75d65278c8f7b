/**
 * npm run bench → BENCHMARKS.md. Every figure is a median of repeated trials, and every
 * ratio compares against a baseline measured in the same run on the same machine, so a
 * noisy neighbour moves both sides alike.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { sql } from 'kysely';
import pg from 'pg';
import { makeDeps, openStore } from '../src/compose.js';
import { DEFAULT_KDF, type KdfParams, parseKdfParams } from '../src/crypto/kdf-params.js';
import { deriveSecrets } from '../src/crypto/secrets.js';
import type { Actor } from '../src/services/actor.js';
import type { Deps } from '../src/services/ports/deps.js';
import { resetUMMailboxPINs } from '../src/services/set-um-mailbox-pin.js';
import { verifyLogon } from '../src/services/voice-logon.js';
import type { KyselyStore } from '../src/store/kysely/kysely-store.js';
import { startPostgres } from '../test/postgres-server.js';
import { seedMailboxes } from './seed.js';
import { benchMail, type MailFigures } from './mail-bench.js';
import { benchShell, type ShellFigures } from './shell-bench.js';
import { apiSection, benchApi, listsSection, type ApiBenchOptions, type ApiFigures } from './api-bench.js';
import { benchWeb, type WebBenchOptions, type WebFigures, webSection } from './web-bench.js';
import { benchDtmf, type DtmfFigures, dtmfSection } from './dtmf-bench.js';
import { benchVoice, type VoiceBenchOptions, type VoiceFigures, voiceSection } from './voice-bench.js';
import { benchFairLogons, type FairLogonFigures, type FairLogonOptions, fairLogonSection } from './fair-logon-bench.js';
import { benchServers, type ServersBenchOptions, serversSection } from './servers-bench.js';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ADMIN: Actor = { kind: 'admin', name: 'bench', roles: ['OrganizationManagement'] };
const GATEWAY: Actor = { kind: 'admin', name: 'bench-pbx', roles: ['VoiceGateway'] };
const CORES = availableParallelism();
const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const LOGONS = Number(process.env.BENCH_LOGONS ?? 240);
const BULK = Number(process.env.BENCH_BULK ?? 10_000);
const MAIL_N = Number(process.env.BENCH_MAIL ?? 1000);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const f = (x: number, d = 1) => x.toFixed(d);
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Runs n tasks with at most `width` in flight. */
async function pool(n: number, width: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

function argonOpts(k: KdfParams, secret: Buffer) {
  return { algorithm: 2 as const, memoryCost: k.m, timeCost: k.t, parallelism: k.p, secret };
}

/** CPU milliseconds this process spent (every thread: the KDF's pool too) while `work` ran. */
async function cpuMs(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

/**
 * CPU ms the PostgreSQL server's processes have used so far (/proc, clock ticks of 10 ms): the
 * database shares the machine's cores with the logons, and its work is part of their cost.
 */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks * 10;
}

/** The raw KDF on all cores: CORES verifications in flight, nothing else. */
async function rawVerifyRate(encoded: string, secret: Buffer, n: number): Promise<{ rate: number; cpu: number }> {
  const m = await cpuMs(() => pool(n, CORES, () => argonVerify(encoded, '1985848', { secret })));
  return { rate: n / (m.wall / 1000), cpu: m.cpu / n };
}

async function rawHashRate(k: KdfParams, secret: Buffer, n: number): Promise<number> {
  const t0 = performance.now();
  await pool(n, CORES, () => argonHash(String(randomInt(1e6, 1e7)), argonOpts(k, secret)));
  return n / ((performance.now() - t0) / 1000);
}

interface Target {
  engine: 'sqlite' | 'postgres';
  url: string;
  dispose(): Promise<void>;
}

async function newTarget(engine: 'sqlite' | 'postgres', pgAdmin: string | null): Promise<Target> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'umpin-bench-'));
    return { engine, url: join(dir, 'umpin.db'), dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `umpin_bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: pgAdmin! });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(pgAdmin!);
  u.pathname = `/${name}`;
  return {
    engine,
    url: u.toString(),
    dispose: async () => {
      const c2 = new pg.Client({ connectionString: pgAdmin! });
      await c2.connect();
      await c2.query(`drop database if exists ${name} with (force)`);
      await c2.end();
    },
  };
}

async function depsFor(t: Target, kdf: KdfParams, master: Buffer): Promise<Deps> {
  const store = openStore({ engine: t.engine, databaseUrl: t.url });
  await store.migrate();
  // (a) sends 16 logons at once to one mailbox from one caller: a rate, not an attack, so the guard's fair share
  // and its count of checks running at once (each counts until it is forgiven) are lifted
  return makeDeps(store, deriveSecrets(master), kdf, undefined, {
    tollFraud: { inflightPerCaller: 1000, inflightPerMailbox: 1000, failures: 1000 },
  });
}

async function dbBytes(t: Target, deps: Deps): Promise<number> {
  if (t.engine === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute((deps.store as KyselyStore).kysely);
    return statSync(t.url).size + (existsSync(`${t.url}-wal`) ? statSync(`${t.url}-wal`).size : 0);
  }
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  await c.query('vacuum analyze');
  const r = await c.query<{ n: string }>(
    "select sum(pg_total_relation_size(c.oid))::bigint as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind = 'r'",
  );
  await c.end();
  return Number(r.rows[0]!.n);
}

interface LogonFigures {
  engine: string;
  logonRate: number;
  rawVerify: number;
  /** CPU of this process per logon and per bare verification (ms; the database server's own CPU not included) */
  logonCpu: number;
  rawCpu: number;
  /** each trial's logons/s ÷ raw verifications/s */
  ratios: number[];
  /** the PostgreSQL server's CPU per logon (ms), on the same cores; null on SQLite */
  serverCpu: number | null;
}

interface EngineFigures extends LogonFigures {
  bulkRate: number;
  rawHash: number;
  bulkSeconds: number;
  bytesState: number;
  bytesAfterReset: number;
}

/** (a): right-PIN logons through verifyLogon against bare verifications of the same hash, interleaved trials. */
async function logonTrials(
  engine: 'sqlite' | 'postgres',
  deps: Deps,
  recipientId: string,
  secret: Buffer,
): Promise<LogonFigures> {
  const logonHash = await deps.hasher.hash('1985848');
  await deps.store.transaction((tx) =>
    tx.replacePin({
      recipientId,
      pinHash: logonHash,
      pinSetAt: Date.now(),
      pinExpired: false,
      firstTimeUser: false,
      lockedOut: false,
      keepHistory: 4,
    }),
  );
  const logon: Array<{ rate: number; cpu: number; server: number }> = [];
  const raw: Array<{ rate: number; cpu: number }> = [];
  for (let i = 0; i < TRIALS; i++) {
    // each trial starts with the other side, so a neighbour's burst does not always land on one
    const rawTrial = async () => raw.push(await rawVerifyRate(logonHash, secret, LOGONS));
    const logonTrial = async () => {
      const server0 = engine === 'postgres' ? postgresCpuMs() : 0;
      const m = await cpuMs(() =>
        pool(LOGONS, 16, async () => {
          const r = await verifyLogon(deps, GATEWAY, { extension: '20000', pin: '1985848' });
          if (r.outcome !== 'ok' && r.outcome !== 'must-change') throw new Error(`unexpected ${r.outcome}`);
        }),
      );
      const server = engine === 'postgres' ? (postgresCpuMs() - server0) / LOGONS : 0;
      logon.push({ rate: LOGONS / (m.wall / 1000), cpu: m.cpu / LOGONS, server });
    };
    if (i % 2 === 0) {
      await rawTrial();
      await logonTrial();
    } else {
      await logonTrial();
      await rawTrial();
    }
    log(`[${engine}] logon trial ${i + 1}: ${f(logon.at(-1)!.rate)} /s vs raw ${f(raw.at(-1)!.rate)} /s`);
  }
  return {
    engine,
    logonRate: median(logon.map((x) => x.rate)),
    rawVerify: median(raw.map((x) => x.rate)),
    logonCpu: median(logon.map((x) => x.cpu)),
    rawCpu: median(raw.map((x) => x.cpu)),
    ratios: logon.map((x, i) => x.rate / raw[i]!.rate),
    serverCpu: engine === 'postgres' ? median(logon.map((x) => x.server)) : null,
  };
}

function logonSection(figures: readonly LogonFigures[]): string {
  const row = (x: LogonFigures) =>
    `| ${x.engine} | ${f(x.logonRate)} | ${f(x.rawVerify)} | **${f(x.logonRate / x.rawVerify, 2)}** | ${x.ratios.map((r) => f(r, 2)).join(', ')} | ${f(x.logonCpu)} ms | ${f(x.rawCpu)} ms | ${f(x.rawCpu / x.logonCpu, 2)} | ${x.serverCpu === null ? '–' : `${f(x.serverCpu, 2)} ms`} |`;
  return `## (a) Voice logons vs the raw KDF

${LOGONS} right-PIN \`verifyLogon\` calls per trial (16 in flight; identity look-up, KDF, conditional write of the result), against ${LOGONS} bare argon2 verifications with ${CORES} in flight (all cores). ${TRIALS} trials, interleaved, each starting with the other side. Goal: ratio ≥ 0.95. CPU is this process's, every thread (the KDF's too), per call; the PostgreSQL server's own CPU a logon, on the same two cores, is beside it (from /proc, in 10 ms ticks over a trial).

| engine | logons/s | raw verifications/s | **ratio** (median rates) | trials' ratios | CPU a logon | CPU a bare verification | ratio by CPU | database server's CPU a logon |
|---|---|---|---|---|---|---|---|---|
${figures.map(row).join('\n')}
`;
}

async function benchEngine(
  engine: 'sqlite' | 'postgres',
  pgAdmin: string | null,
  master: Buffer,
  cheapHash: string,
  only?: 'logon',
): Promise<EngineFigures> {
  const secret = deriveSecrets(master).pepper;
  const t = await newTarget(engine, pgAdmin);
  const deps = await depsFor(t, DEFAULT_KDF, master);
  try {
    log(`[${engine}] seeding ${BULK} mailboxes`);
    const ids = await seedMailboxes(deps, BULK, cheapHash);
    const bytesState = await dbBytes(t, deps);

    // (a) logons: the right PIN, through verifyLogon, against raw verifications, interleaved
    const logons = await logonTrials(engine, deps, ids[0]!, secret);
    if (only === 'logon') return logons as EngineFigures;

    // (b) bulk reset of every mailbox (generated PINs, hashes, history, audit, outbox) vs raw hashing
    const rawH: number[] = [];
    for (let i = 0; i < 3; i++) rawH.push(await rawHashRate(DEFAULT_KDF, secret, 600));
    log(`[${engine}] raw hash rate ${f(median(rawH))} /s; bulk reset of ${BULK}…`);
    const t0 = performance.now();
    const r = await resetUMMailboxPINs(deps, ADMIN, { identities: ids });
    const bulkSeconds = (performance.now() - t0) / 1000;
    if (r.reset !== BULK)
      throw new Error(`bulk reset reset ${r.reset} of ${BULK}: ${JSON.stringify(r.failed.slice(0, 3))}`);
    for (let i = 0; i < 3; i++) rawH.push(await rawHashRate(DEFAULT_KDF, secret, 600));
    const bytesAfterReset = await dbBytes(t, deps);
    log(`[${engine}] bulk reset ${f(BULK / bulkSeconds)} /s`);
    return {
      ...logons,
      bulkRate: BULK / bulkSeconds,
      rawHash: median(rawH),
      bulkSeconds,
      bytesState,
      bytesAfterReset,
    };
  } finally {
    await deps.store.close();
    await t.dispose();
  }
}

async function kdfCostTable(secret: Buffer): Promise<Array<{ k: KdfParams; ms: number }>> {
  const out = [];
  for (const k of [
    { m: 19456, t: 2, p: 1 },
    { m: 32768, t: 2, p: 1 },
    DEFAULT_KDF,
    { m: 65536, t: 2, p: 1 },
    { m: 65536, t: 3, p: 1 },
  ]) {
    const h = await argonHash('1985848', argonOpts(k, secret));
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      await argonVerify(h, '1985848', { secret });
      times.push(performance.now() - t0);
    }
    out.push({ k, ms: median(times) });
  }
  return out;
}

const master = randomBytes(32);
const secret = deriveSecrets(master).pepper;
async function mailOnly(): Promise<MailFigures> {
  const t = await newTarget('sqlite', null);
  const deps = await depsFor(t, { m: 64, t: 1, p: 1 }, master);
  try {
    return await benchMail(
      deps,
      await seedMailboxes(deps, MAIL_N, await argonHash('0000000', argonOpts({ m: 64, t: 1, p: 1 }, secret))),
    );
  } finally {
    await deps.store.close();
    await t.dispose();
  }
}

/** The -Filter section: one indexed query per page however large the directory (BENCH_ONLY=api-filter). */
function filterSection(rows: readonly string[]): string {
  return `## API: -Filter at 1,000,000 mailboxes, in-process and over the remote shell

\`Get-UMMailbox -Filter {LockedOut -eq $true}\` on an organisation built by \`umpin init --demo --mailboxes 1000000\` with 25
mailboxes locked out. The filter is evaluated by the service in one store query per page, read from the partial index of
locked-out mailboxes (migration 0008; the plan is checked by src/store/kysely/recipient-queries.test.ts): the server's time
for \`GET /api/v1/um-mailboxes?filter=LockedOut -eq $true\` (p50, p95 of repeated requests after a warm-up, Fastify's
\`reply.elapsedTime\`), and the whole remote shell command \`Get-UMMailbox -Filter {LockedOut -eq $true} | Measure-Object\`
over \`--server\` (median of 5), with the requests it made: the directory is never transferred.

| engine | mailboxes | server p50 | **server p95** | remote shell command | matches | requests |
|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

/** Replaces one "## " section of BENCHMARKS.md (or appends it), leaving the others as they are. */
function replaceSection(heading: string, text: string): void {
  const current = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : '# Benchmarks\n';
  const at = current.indexOf(`## ${heading}`);
  if (at < 0) {
    writeFileSync('BENCHMARKS.md', `${current.trimEnd()}\n\n${text}`);
    return;
  }
  const next = current.indexOf('\n## ', at + 3);
  writeFileSync('BENCHMARKS.md', `${current.slice(0, at)}${text}${next >= 0 ? `\n${current.slice(next + 1)}` : ''}`);
}

const SHELL_N = Number(process.env.BENCH_SHELL ?? 500);
async function shellOnly(): Promise<ShellFigures> {
  return benchShell(SHELL_N, join(process.cwd(), 'dist', 'cli', 'main.js'));
}

const API: Omit<ApiBenchOptions, 'engine' | 'url'> = {
  mailboxes: Number(process.env.BENCH_API_MAILBOXES ?? 1_000_000),
  seconds: Number(process.env.BENCH_API_SECONDS ?? 10),
  connections: 10,
  trials: 3,
  samples: Number(process.env.BENCH_API_SAMPLES ?? 300),
};
/**
 * BENCH_API_DIR keeps the SQLite organisation (and its master key) between runs: a directory
 * where it is built the first time and reused after (building 1,000,000 mailboxes takes minutes).
 */
function keptSqlite(dir: string): Pick<ApiBenchOptions, 'url' | 'masterKey' | 'built' | 'onBuilt'> {
  mkdirSync(dir, { recursive: true });
  const url = join(dir, `umpin-${API.mailboxes}.db`);
  const about = `${url}.json`;
  if (existsSync(url) && existsSync(about)) {
    const kept = JSON.parse(readFileSync(about, 'utf8')) as { key: string; initSeconds: number };
    return { url, masterKey: kept.key, built: { initSeconds: kept.initSeconds } };
  }
  for (const f of [url, `${url}-wal`, `${url}-shm`]) rmSync(f, { force: true });
  const key = randomBytes(32).toString('base64');
  return {
    url,
    masterKey: key,
    onBuilt: (initSeconds) => writeFileSync(about, JSON.stringify({ key, initSeconds }), { mode: 0o600 }),
  };
}

async function apiOnly(pgAdmin: string, only?: 'lists'): Promise<ApiFigures[]> {
  const out: ApiFigures[] = [];
  const engines = (process.env.BENCH_API_ENGINES ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
  for (const engine of engines) {
    const keep = process.env.BENCH_API_DIR;
    if (engine === 'sqlite' && keep) {
      out.push(await benchApi({ ...API, engine, ...keptSqlite(keep), only }));
      continue;
    }
    const t = await newTarget(engine, pgAdmin);
    try {
      out.push(await benchApi({ ...API, engine, url: t.url, only }));
    } finally {
      await t.dispose();
    }
  }
  return out;
}

// BENCH_ONLY=mail, =shell or =api re-measures that section alone and replaces it in BENCHMARKS.md
if (process.env.BENCH_ONLY === 'mail') {
  replaceSection('Mail:', mailSection(await mailOnly()));
  log('rewrote the mail section of BENCHMARKS.md');
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'api') {
  const pgApi = await startPostgres();
  try {
    replaceSection('API:', apiSection(await apiOnly(pgApi.url), API));
  } finally {
    pgApi.stop();
  }
  log('rewrote the API section of BENCHMARKS.md');
  process.exit(0);
}
// BENCH_ONLY=logon: section (a) alone, both engines
if (process.env.BENCH_ONLY === 'logon') {
  const pgLogon = await startPostgres();
  const figs: LogonFigures[] = [];
  try {
    const cheap = await argonHash('0000000', argonOpts({ m: 64, t: 1, p: 1 }, secret));
    for (const engine of ['sqlite', 'postgres'] as const)
      figs.push(await benchEngine(engine, pgLogon.url, master, cheap, 'logon'));
  } finally {
    pgLogon.stop();
  }
  replaceSection('(a) Voice logons', logonSection(figs));
  log('rewrote section (a) of BENCHMARKS.md');
  process.exit(0);
}
// BENCH_ONLY=api-lists: the list, search and filter rows of the API section alone (no throughput runs), in a section of their own
if (process.env.BENCH_ONLY === 'api-lists') {
  const pgApi = await startPostgres();
  try {
    replaceSection('API: list, search', listsSection(await apiOnly(pgApi.url, 'lists'), API));
  } finally {
    pgApi.stop();
  }
  log('rewrote the list and search section of BENCHMARKS.md');
  process.exit(0);
}
// BENCH_ONLY=api-filter: the remote shell's Get-UMMailbox -Filter {LockedOut -eq $true} at BENCH_API_MAILBOXES (default
// 1,000,000) on both engines, in a section of its own (the database is built first: about as long as BENCH_ONLY=api's build)
if (process.env.BENCH_ONLY === 'api-filter') {
  const pgApi = await startPostgres();
  const rows: string[] = [];
  try {
    for (const engine of ['sqlite', 'postgres'] as const) {
      const t = await newTarget(engine, pgApi.url);
      try {
        const x = await benchApi({ ...API, engine, url: t.url, only: 'filter' });
        const l = x.lists[0]!;
        const r = x.remoteFilter;
        rows.push(
          `| ${engine} | ${x.mailboxes.toLocaleString('en-US')} | ${l.p50.toFixed(2)} ms | **${l.p95.toFixed(2)} ms** | ${r.ms.toFixed(1)} ms | ${r.matches} | ${r.requests} |`,
        );
        process.stdout.write(
          `${engine}, ${x.mailboxes.toLocaleString('en-US')} mailboxes: GET /api/v1/um-mailboxes?filter=LockedOut -eq $true p50 ${l.p50.toFixed(2)} ms, p95 ${l.p95.toFixed(2)} ms; ` +
            `remote shell "${x.remoteFilter.command}" ${x.remoteFilter.ms.toFixed(1)} ms, ${x.remoteFilter.matches} matches, ${x.remoteFilter.requests} request(s)\n`,
        );
      } finally {
        await t.dispose();
      }
    }
  } finally {
    pgApi.stop();
  }
  replaceSection('API: -Filter', filterSection(rows));
  log('rewrote the -Filter section of BENCHMARKS.md');
  process.exit(0);
}
const WEB: WebBenchOptions = {
  mailboxes: Number(process.env.BENCH_WEB_MAILBOXES ?? 1_000_000),
  loads: Number(process.env.BENCH_WEB_LOADS ?? 10),
  words: Number(process.env.BENCH_WEB_WORDS ?? 20),
};
// BENCH_ONLY=web: the admin center in chromium at BENCH_WEB_MAILBOXES (default 1,000,000) on SQLite
if (process.env.BENCH_ONLY === 'web') {
  replaceSection('Web admin center', webSection(await benchWeb(WEB)));
  log('rewrote the web section of BENCHMARKS.md');
  process.exit(0);
}
const DTMF_TRIALS = Number(process.env.BENCH_DTMF_TRIALS ?? 5);
// BENCH_ONLY=dtmf: the in-band DTMF detector against spandsp and multimon-ng, speed and accuracy
if (process.env.BENCH_ONLY === 'dtmf') {
  replaceSection('In-band DTMF', dtmfSection(await benchDtmf({ trials: DTMF_TRIALS })));
  log('rewrote the DTMF section of BENCHMARKS.md');
  process.exit(0);
}
const VOICE: VoiceBenchOptions = {
  calls: Number(process.env.BENCH_VOICE_CALLS ?? 200),
  rate: Number(process.env.BENCH_VOICE_RATE ?? 40),
  trials: Number(process.env.BENCH_VOICE_TRIALS ?? 3),
  greetingMs: Number(process.env.BENCH_VOICE_GREETING_MS ?? 1000),
  // BENCH_VOICE_KDF=m=64,t=1,p=1: the same calls with a cheap KDF, to see what the verifications cost the media
  ...(process.env.BENCH_VOICE_KDF ? { kdf: parseKdfParams(process.env.BENCH_VOICE_KDF, 'BENCH_VOICE_KDF') } : {}),
};
// BENCH_ONLY=voice: concurrent telephone logons from sipp against one umpin serve (needs root, for sipp's play_dtmf)
if (process.env.BENCH_ONLY === 'voice') {
  replaceSection('Voice access:', voiceSection(await benchVoice(VOICE)));
  log('rewrote the voice section of BENCHMARKS.md');
  process.exit(0);
}
const FAIR: FairLogonOptions = {
  burst: Number(process.env.BENCH_FAIR_BURST ?? 300),
  logons: Number(process.env.BENCH_FAIR_LOGONS ?? 20),
  trials: Number(process.env.BENCH_FAIR_TRIALS ?? 4),
};
// BENCH_ONLY=fair: a right logon's time while one calling number fires a burst of wrong PINs, with and without the fair share
if (process.env.BENCH_ONLY === 'fair') {
  replaceSection('Fair logons', fairLogonSection(await benchFairLogons(FAIR)));
  log('rewrote the fair-logon section of BENCHMARKS.md');
  process.exit(0);
}
const SERVERS: ServersBenchOptions = {
  seconds: Number(process.env.BENCH_SERVERS_SECONDS ?? 5),
  trials: Number(process.env.BENCH_SERVERS_TRIALS ?? 3),
  connections: Number(process.env.BENCH_SERVERS_CONNECTIONS ?? 24),
  mailboxes: Number(process.env.BENCH_SERVERS_MAILBOXES ?? 10_000),
};
// BENCH_ONLY=servers: audited writes through one and three umpin serve (dist/) on one PostgreSQL, and what waits for the
// audit chain's head row
if (process.env.BENCH_ONLY === 'servers') {
  const pgServers = await startPostgres();
  try {
    replaceSection(
      'Several servers on one PostgreSQL',
      serversSection(await benchServers(SERVERS, pgServers.url, log)),
    );
  } finally {
    pgServers.stop();
  }
  log('rewrote the several-servers section of BENCHMARKS.md');
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'shell') {
  replaceSection('Shell:', shellSection(await shellOnly()));
  log('rewrote the shell section of BENCHMARKS.md');
  process.exit(0);
}

log('KDF cost table…');
const costs = await kdfCostTable(secret);
const cheapHash = await argonHash('0000000', argonOpts({ m: 64, t: 1, p: 1 }, secret));
const pgServer = await startPostgres();
const figures: EngineFigures[] = [];
let mail: MailFigures;
let shell: ShellFigures;
let api: ApiFigures[];
let web: WebFigures;
let dtmf: DtmfFigures;
let voice: VoiceFigures;
let fair: FairLogonFigures;
try {
  for (const engine of ['sqlite', 'postgres'] as const)
    figures.push(await benchEngine(engine, pgServer.url, master, cheapHash));
  log('mail throughput…');
  mail = await mailOnly();
  log('shell: Import-Csv | Enable-UMMailbox…');
  shell = await shellOnly();
  log(`API: PIN status and list/search at ${API.mailboxes} mailboxes…`);
  api = await apiOnly(pgServer.url);
  log(`web admin center at ${WEB.mailboxes} mailboxes…`);
  web = await benchWeb(WEB);
  log('in-band DTMF detector…');
  dtmf = await benchDtmf({ trials: DTMF_TRIALS });
  log(`voice access: ${VOICE.calls} concurrent telephone logons…`);
  voice = await benchVoice(VOICE);
  log(`fair logons: right logons during a burst of ${FAIR.burst} wrong PINs…`);
  fair = await benchFairLogons(FAIR);
} finally {
  pgServer.stop();
}

function shellSection(x: ShellFigures): string {
  return `## Shell: Import-Csv | Enable-UMMailbox for ${x.n} mailboxes

\`umpin shell -c 'Import-Csv users.csv | Enable-UMMailbox -UMMailboxPolicy "Contoso Default Policy" | Out-Null'\` on an SQLite data
directory with the demo organisation and ${x.n} more recipients, as an administrator runs it: one process, default KDF cost (each
enable generates a PIN and hashes it), every welcome mail delivered to the maildrop before the shell exits. Baseline: the same
${x.n} \`enableUMMailbox\` service calls in one loop, in the same run, alternating with the shell; medians of 3 trials. The shell showed its progress bar throughout${x.progressShown ? '' : ' (NOT seen in this run)'}.

| path | seconds | per mailbox |
|---|---|---|
| direct service calls (baseline) | ${f(x.directSeconds)} | ${f((x.directSeconds / x.n) * 1000)} ms |
| shell pipeline, enables (progress bar's own figure) | ${f(x.shellEnableSeconds)} | ${f((x.shellEnableSeconds / x.n) * 1000)} ms |
| shell, whole process: start, enables, ${x.mails} mails, exit | ${f(x.shellSeconds)} | ${f((x.shellSeconds / x.n) * 1000)} ms |
| **ratio** baseline ÷ shell enables | **${f(x.directSeconds / x.shellEnableSeconds, 2)}** | |
`;
}

function mailSection(mail: MailFigures): string {
  const trials = (k: 'composed' | 'raw') =>
    mail.trials.map((x) => `${f(x.worker, 0)} / ${f(x[k], 0)} = ${f(x.worker / x[k], 2)}`).join('; ');
  return `## Mail: outbox to SMTP, and to the maildrop

${mail.n.toLocaleString('en-US')} queued PIN mails per trial (SQLite outbox), ${mail.trials.length} trials after a warm-up round; within a trial the three
sides run back to back, each trial starting with another. Every side sends over the same kind of pooled nodemailer transport
(2 connections) to the same loopback SMTP sink (smtp-server, in its own process, parsing each mail; it checks that each side
delivered every message once).

- **delivery worker**: claims the rows under a lease, decrypts each payload, renders the MIME message (text + HTML, on its
  render thread while earlier mails are on the wire), sends it, then marks it sent and erases its payload as soon as the
  server has accepted it.
- **plain nodemailer** (the baseline of the goal): a program handing nodemailer the same messages — from, to, subject,
  date, Message-ID, text and HTML, the same headers — to compose and send, with nothing stored and nothing guaranteed.
- **plain nodemailer, pre-rendered** (stricter): the same messages already rendered to bytes, so it does no composing at all.

Goal: ratio ≥ 0.80 against plain nodemailer.

| path | mails/s | CPU per mail (sending process, all threads) |
|---|---|---|
| delivery worker → SMTP | ${f(mail.worker.rate)} | ${f(mail.worker.cpu, 2)} ms |
| plain nodemailer → SMTP (baseline) | ${f(mail.composed.rate)} | ${f(mail.composed.cpu, 2)} ms |
| plain nodemailer, pre-rendered → SMTP | ${f(mail.raw.rate)} | ${f(mail.raw.cpu, 2)} ms |
| **ratio** worker ÷ plain nodemailer (median of the trials' ratios) | **${f(mail.ratio.composed, 2)}** | |
| ratio worker ÷ pre-rendered (median of the trials' ratios) | ${f(mail.ratio.raw, 2)} | |
| delivery worker → maildrop (.eml, fsync + link) | ${f(mail.maildrop)} | |

Trials, worker / plain nodemailer mails/s: ${trials('composed')}.
Worker / pre-rendered: ${trials('raw')}.

The CPU figures move less with other work on the machine than the rates do; the sink's CPU per mail is the same for every side.
What the worker spends beyond the pre-rendered side is the work that side skips: rendering each message (about 0.16 ms of it,
on the render thread), opening its sealed payload, and the database writes that make delivery survive a crash (the claim
under a lease, and marking each message sent the moment the server accepts it).
`;
}

const def = costs.find((c) => c.k === DEFAULT_KDF)!;
const kib = (n: number) => `${f(n / 1024, 2)} KiB`;
const md = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${CORES} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${f(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}.
Figures are medians of repeated trials; each ratio divides by a baseline measured in the same run, interleaved with the trials, so machine noise moves both sides.

## (c) Default KDF cost

argon2id keyed with the server pepper. One verification, median of 15, single thread:

| cost (m KiB, t, p) | one verification |
|---|---|
${costs.map((c) => `| ${c.k.m}, ${c.k.t}, ${c.k.p}${c.k === DEFAULT_KDF ? ' **(default)**' : ''} | ${f(c.ms)} ms |`).join('\n')}

**Default: m=${DEFAULT_KDF.m} KiB (46 MiB), t=${DEFAULT_KDF.t}, p=${DEFAULT_KDF.p} — ${f(def.ms)} ms here.** Why: the goal is 20–60 ms per verification.
A caller waits for one verification after keying the PIN, so anything under ~100 ms is unnoticed, but the server's
logon capacity is cores ÷ cost (about ${f(CORES / (def.ms / 1000), 0)} logons/s here), and an attacker holding the database *and* the pepper
pays the same cost per guess. 46 MiB is OWASP's argon2id memory floor; a second pass doubles the attacker's work for
the same memory. 64 MiB × 3 passes would exceed 60 ms on this machine with no room for a noisy neighbour. The cost is
stored in every hash (PHC string), so it can be raised later with \`UMPIN_KDF\`; hashes upgrade at the next right logon.

${logonSection(figures)}
## (b) Bulk reset of ${BULK.toLocaleString('en-US')} mailboxes vs raw KDF throughput

\`resetUMMailboxPINs\` (= \`Set-UMMailboxPIN\` without \`-Pin\` for each): a generated PIN, its hash at the default cost, the old hash moved to history, one sealed outbox row and one chained audit entry per mailbox, written in transactions of 250 while the next batch hashes. Baseline: bare argon2 hashes at the same cost with ${CORES} in flight, median of 6 runs of 600 around the reset. Goal: ratio ≥ 0.80.

| engine | resets/s | raw hashes/s | ratio | wall time |
|---|---|---|---|---|
${figures.map((x) => `| ${x.engine} | ${f(x.bulkRate)} | ${f(x.rawHash)} | **${f(x.bulkRate / x.rawHash, 2)}** | ${f(x.bulkSeconds)} s |`).join('\n')}

## (d) Database size per mailbox

${BULK.toLocaleString('en-US')} mailboxes (recipient, UM mailbox, extension, PIN state, indexes), divided by the count; SQLite file after a checkpoint, PostgreSQL \`pg_total_relation_size\` after VACUUM.

| engine | PIN state only | after one reset (+ history, audit entry, outbox row) |
|---|---|---|
${figures.map((x) => `| ${x.engine} | ${kib(x.bytesState / BULK)} | ${kib(x.bytesAfterReset / BULK)} |`).join('\n')}

${mailSection(mail!)}
${shellSection(shell!)}
${apiSection(api!, API)}
${webSection(web!)}
${dtmfSection(dtmf!)}
${voiceSection(voice!)}
${fairLogonSection(fair!)}`;
// the -Filter section is measured by BENCH_ONLY=api-filter alone: keep the one already written
const before = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : '';
const filterAt = before.indexOf('## API: -Filter');
const filterEnd = before.indexOf('\n## ', filterAt + 3);
const kept = filterAt < 0 ? '' : `\n${before.slice(filterAt, filterEnd < 0 ? undefined : filterEnd + 1).trimEnd()}\n`;
// and the several-servers section, measured by BENCH_ONLY=servers alone
const serversAt = before.indexOf('## Several servers on one PostgreSQL');
const serversEnd = before.indexOf('\n## ', serversAt + 3);
const keptServers =
  serversAt < 0 ? '' : `\n${before.slice(serversAt, serversEnd < 0 ? undefined : serversEnd + 1).trimEnd()}\n`;
writeFileSync('BENCHMARKS.md', md + kept + keptServers);
log('wrote BENCHMARKS.md');
process.exit(0);
