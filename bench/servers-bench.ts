/**
 * Several servers on one PostgreSQL: what the audit chains' head rows cost. Every audited
 * write claims its place in a chain with an UPDATE of its head row in `audit_chain` and
 * holds that row lock until its transaction commits; a writer takes a head nobody holds.
 * This measures audited writes per second with one chain taking entries (as before
 * 0014-audit-chains: every writer queues on one row) and with eight, interleaved trial by
 * trial on the same servers and database, through one `umpin serve` and through three (the
 * built dist/, behind a round-robin client as a load balancer would spread them), the CPU
 * each write costs (the servers and the database together), and how many writers stood
 * waiting for a head's lock (pg_stat_activity sampled every few milliseconds; by Little's
 * law, waiters ÷ rate is the time each write waited for it).
 *
 * The KDF is the cheap test cost on purpose: with the default cost the KDF bounds every rate
 * far below what the database can write, and the head could never show.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { makeDeps, openStore } from '../src/compose.js';
import { deriveSecrets } from '../src/crypto/secrets.js';
import type { Actor } from '../src/services/actor.js';
import { addAdminAccount } from '../src/services/admin-accounts.js';
import { newApiToken } from '../src/services/api-tokens.js';
import { seedMailboxes } from './seed.js';

const ADMIN: Actor = { kind: 'admin', name: 'bench', roles: ['OrganizationManagement'] };
const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const KDF = { m: 64, t: 1, p: 1 };
const PASSWORD = 'bench-Passw0rd-long-enough';
const ACCOUNTS = 20;
/** how often pg_stat_activity is read for waiters on the head (each read costs the database a little) */
const SAMPLE_MS = 20;

export interface ServersBenchOptions {
  /** seconds each workload runs, per trial */
  seconds: number;
  trials: number;
  /** requests in flight at once, spread over the servers */
  connections: number;
  mailboxes: number;
}

/** Chains taking entries in the two settings compared: one (all writers on one head) and the migration's eight. */
const CHAIN_SETTINGS = [1, 8] as const;

export interface WorkloadFigures {
  workload: string;
  servers: number;
  /** chains taking entries (umpin audit chains --writable) */
  chains: number;
  /** audited entries written a second (each request's audit entries) */
  entriesPerSecond: number;
  /** requests (transactions that took the head's lock) a second */
  requestsPerSecond: number;
  /** CPU (servers + PostgreSQL, user + system) per audit entry, µs */
  cpuPerEntryUs: number;
  /** cores the servers and PostgreSQL kept busy together (CPU time ÷ wall time) */
  coresBusy: number;
  /** mean writers waiting for the head's lock, and the share of samples with at least one */
  headWaiters: number;
  headBusyShare: number;
  /** mean time a write waited for the head's lock (Little's law), ms */
  headWaitMs: number;
  /** of the samples that found the head's holder, the share in which it sat idle in its transaction, waiting for its server */
  holderIdleShare: number;
  failures: number;
}

export interface ServersFigures {
  options: ServersBenchOptions;
  rows: WorkloadFigures[];
  cores: number;
  /** the machine's 1-minute load average at the start and the end: other work on a shared machine shows here */
  load: [number, number];
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

interface Server {
  url: string;
  child: ChildProcess;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: {
      ...env,
      UMPIN_HTTP_PORT: String(port),
      UMPIN_HTTP_HOST: '127.0.0.1',
      UMPIN_SIP_PORT: '0',
      UMPIN_SIP_TLS_PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return { url, child };
    } catch {
      /* not yet */
    }
  }
  child.kill('SIGKILL');
  throw new Error(`umpin serve did not start: ${err}`);
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const closed = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await closed;
}

/** user + system CPU of a process, in clock ticks (100 a second on Linux) */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The PostgreSQL processes of the cluster listening on port: its postmaster and every child. */
function clusterPids(port: number): number[] {
  const all: Array<{ pid: number; ppid: number; cmd: string }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ');
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      all.push({ pid: Number(d), ppid, cmd });
    } catch {
      /* gone */
    }
  }
  const master = all.find((p) => /postgres/.test(p.cmd) && p.cmd.includes(`-p ${port} `));
  if (!master) return [];
  return [master.pid, ...all.filter((p) => p.ppid === master.pid).map((p) => p.pid)];
}

function post(
  agent: http.Agent,
  base: string,
  path: string,
  headers: Record<string, string>,
  body: object,
): Promise<number> {
  const u = new URL(path, base);
  const data = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', () => resolve(0));
    req.end(data);
  });
}

interface Workload {
  name: string;
  /** audit entries one successful request writes */
  entries: number;
  /** the i-th request: path, headers, body */
  make(i: number): { path: string; headers: Record<string, string>; body: object };
}

/** A client address for request i: the servers trust the load generator as a proxy, so each request counts as a different client's (no per-address limit is reached). */
const forwardedFor = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

export async function benchServers(
  o: ServersBenchOptions,
  pgAdmin: string,
  log: (s: string) => void,
): Promise<ServersFigures> {
  const pgPort = Number(new URL(pgAdmin).port);
  const name = `umpin_servers_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdmin });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(pgAdmin);
  u.pathname = `/${name}`;
  const dbUrl = u.toString();
  const master = randomBytes(32);
  const dataDir = mkdtempSync(join(tmpdir(), 'umpin-servers-bench-'));
  const store = openStore({ engine: 'postgres', databaseUrl: dbUrl });
  await store.migrate();
  const deps = makeDeps(store, deriveSecrets(master), KDF);
  const rows: WorkloadFigures[] = [];
  const loadAtStart = loadavg()[0]!;
  try {
    log(`servers: seeding ${o.mailboxes} mailboxes`);
    await seedMailboxes(deps, o.mailboxes, await deps.hasher.hash('1985848'));
    const { token } = await newApiToken(deps, ADMIN, { name: 'bench-servers', role: 'OrganizationManagement' });
    for (let k = 0; k < ACCOUNTS; k++)
      await addAdminAccount(deps, ADMIN, { name: `bench${k}`, password: PASSWORD, role: 'HelpDesk' });
    const alias = (i: number) => `user${String(i % o.mailboxes).padStart(6, '0')}`;
    const bearer = { authorization: `Bearer ${token}` };
    const workloads: Workload[] = [
      {
        name: 'single PIN resets (`POST /api/v1/um-mailboxes/{id}/pin`, one audited transaction each)',
        entries: 1,
        make: (i) => ({
          path: `/api/v1/um-mailboxes/${alias(i)}@contoso.com/pin`,
          headers: { ...bearer, 'x-forwarded-for': forwardedFor(i) },
          body: { sendEmail: false },
        }),
      },
      {
        name: 'bulk resets (`POST /api/v1/pins`, 100 mailboxes, one transaction and 100 entries each)',
        entries: 100,
        make: (i) => ({
          path: '/api/v1/pins',
          headers: { ...bearer, 'x-forwarded-for': forwardedFor(i) },
          body: { identities: Array.from({ length: 100 }, (_, k) => alias(i * 100 + k)), sendEmail: false },
        }),
      },
      {
        name: 'administrator sign-ins (`POST /api/v1/session`, a session row and a Sign-In entry each)',
        entries: 1,
        make: (i) => ({
          path: '/api/v1/session',
          headers: { 'x-forwarded-for': forwardedFor(i) },
          body: { name: `bench${i % ACCOUNTS}`, password: PASSWORD },
        }),
      },
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      UMPIN_DATA_DIR: dataDir,
      UMPIN_DATABASE_URL: dbUrl,
      UMPIN_SECRET_KEY: master.toString('base64'),
      UMPIN_KDF: `m=${KDF.m},t=${KDF.t},p=${KDF.p}`,
      UMPIN_TRUST_PROXY: '127.0.0.1',
      UMPIN_LOG_LEVEL: 'warn',
    };
    const sampler = new pg.Client({ connectionString: dbUrl });
    await sampler.connect();
    for (const count of [1, 3]) {
      const servers = await Promise.all(Array.from({ length: count }, () => startServer(env)));
      try {
        for (const w of workloads) {
          const trials = new Map<number, WorkloadFigures[]>(CHAIN_SETTINGS.map((k) => [k, []]));
          for (let trial = 0; trial < o.trials; trial++) {
            // one chain and eight in turn, the order swapped each trial, so drift on a shared machine falls on both
            const order = trial % 2 === 0 ? CHAIN_SETTINGS : [...CHAIN_SETTINGS].reverse();
            for (const chains of order) {
              await sampler.query('update audit_chain set writable = case when id < $1 then 1 else 0 end', [chains]);
              trials.get(chains)!.push({ ...(await runWorkload(w, servers, count, o, pgPort, sampler)), chains });
            }
          }
          for (const chains of CHAIN_SETTINGS) {
            const runs = trials.get(chains)!;
            const mid = [...runs].sort((a, b) => a.entriesPerSecond - b.entriesPerSecond)[Math.floor(runs.length / 2)]!;
            log(
              `servers: ${count} × ${w.name.split(' (')[0]}, ${chains} chain(s): ${mid.entriesPerSecond.toFixed(0)} entries/s, ${mid.cpuPerEntryUs.toFixed(0)} µs CPU each, ${mid.headWaiters.toFixed(2)} waiting on a head`,
            );
            rows.push(mid);
          }
        }
      } finally {
        await Promise.all(servers.map(stopServer));
      }
    }
    await sampler.end();
  } finally {
    await store.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { options: o, rows, cores: availableParallelism(), load: [loadAtStart, loadavg()[0]!] };
}

async function runWorkload(
  w: Workload,
  servers: Server[],
  count: number,
  o: ServersBenchOptions,
  pgPort: number,
  sampler: pg.Client,
): Promise<Omit<WorkloadFigures, 'chains'>> {
  const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: o.connections }));
  // the sampler's own backend is left out of the CPU: it is the measurement, not the work
  const samplerPid = Number((await sampler.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
  const ours = () => [...servers.map((s) => s.child.pid!), ...clusterPids(pgPort)].filter((p) => p !== samplerPid);
  const pids = ours();
  const cpu0 = new Map(pids.map((p) => [p, cpuTicks(p)]));
  let ok = 0;
  let failures = 0;
  let next = 0;
  let sampling = true;
  let samples = 0;
  let waiters = 0;
  let busy = 0;
  let holders = 0;
  let holderIdle = 0;
  // who waits for a head: a backend blocked on a lock while running the UPDATE of audit_chain
  const sample = async () => {
    while (sampling) {
      const r = await sampler.query<{ n: string }>(
        "select count(*)::text as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%audit_chain%'",
      );
      const n = Number(r.rows[0]!.n);
      samples++;
      waiters += n;
      if (n > 0) {
        busy++;
        // and what the writer holding the head is doing meanwhile: waiting for its server's next statement, or working
        const h = await sampler.query<{ idle: boolean }>(
          "select state = 'idle in transaction' as idle from pg_stat_activity where pid in (select unnest(pg_blocking_pids(pid)) from pg_stat_activity where wait_event_type = 'Lock' and query like '%audit_chain%') and wait_event_type is distinct from 'Lock'",
        );
        for (const x of h.rows) {
          holders++;
          if (x.idle) holderIdle++;
        }
      }
      await new Promise((res) => setTimeout(res, SAMPLE_MS));
    }
  };
  const sampled = sample();
  const t0 = performance.now();
  const end = t0 + o.seconds * 1000;
  await Promise.all(
    Array.from({ length: o.connections }, async () => {
      while (performance.now() < end) {
        const i = next++;
        const s = i % servers.length;
        const req = w.make(i);
        const status = await post(agents[s]!, servers[s]!.url, req.path, req.headers, req.body);
        if (status === 200 || status === 201) ok++;
        else failures++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  sampling = false;
  await sampled;
  const pidsAfter = ours();
  let ticks = 0;
  for (const p of pidsAfter) ticks += cpuTicks(p) - (cpu0.get(p) ?? 0);
  for (const a of agents) a.destroy();
  const entries = ok * w.entries;
  const rate = entries / seconds;
  const meanWaiters = samples ? waiters / samples : 0;
  return {
    workload: w.name,
    servers: count,
    entriesPerSecond: rate,
    requestsPerSecond: ok / seconds,
    cpuPerEntryUs: entries ? (ticks * 10_000) / entries : 0,
    coresBusy: ticks / 100 / seconds,
    headWaiters: meanWaiters,
    headBusyShare: samples ? busy / samples : 0,
    headWaitMs: ok ? (meanWaiters / (ok / seconds)) * 1000 : 0,
    holderIdleShare: holders ? holderIdle / holders : 0,
    failures,
  };
}

export function serversSection(x: ServersFigures): string {
  const row = (r: WorkloadFigures) =>
    `| ${r.workload} | ${r.servers} | ${r.chains} | **${r.entriesPerSecond.toFixed(0)}** | ${r.requestsPerSecond.toFixed(0)} | ${r.cpuPerEntryUs.toFixed(0)} µs | ${r.coresBusy.toFixed(2)} | ${r.headWaiters.toFixed(2)} | ${(r.headBusyShare * 100).toFixed(0)} % | ${r.headWaitMs.toFixed(2)} ms | ${(r.holderIdleShare * 100).toFixed(0)} % | ${r.failures} |`;
  return `## Several servers on one PostgreSQL: the audit chains' heads

Every audited write takes the row lock of one chain's head row (\`audit_chain\`) from the moment it claims its place in
that chain until its transaction commits; a writer takes a head nobody holds (\`FOR UPDATE SKIP LOCKED\`) and waits only
when every chain taking entries is held. *chains* is how many take entries (\`umpin audit chains --writable\`): 1 is the
single chain umpin kept before (every writer queues on one row), 8 the number a database has since migration
0014-audit-chains; the two alternate trial by trial on the same servers and database, the order swapped each trial. One
and then three \`umpin serve\` (dist/) on one PostgreSQL database of ${x.options.mailboxes.toLocaleString('en-US')}
mailboxes, ${x.options.connections} requests in flight spread round-robin over the servers, ${x.options.seconds} s a
workload, median of ${x.options.trials} trials, cheap KDF (m=64, t=1, p=1: with the default cost the KDF, not the
database, bounds every rate). Entries/s counts audit entries written; CPU is user + system time of the servers and every
PostgreSQL process of the cluster ÷ entries (*cores busy*: the same ÷ wall time); *waiting* is the mean number of
backends blocked on a head's lock (pg_stat_activity, sampled every ${SAMPLE_MS} ms), *busy* the share of samples with any,
and *wait* that mean ÷ the request rate (Little's law): the time a write stood in line for a head; *holder waits for its
server* the share of those samples in which the transaction holding the head sat idle, waiting for its umpin server to
send the next statement. ${x.cores} cores shared by the servers, the database and the load generator (the machine's load
average was ${x.load[0].toFixed(1)} at the start and ${x.load[1].toFixed(1)} at the end${x.load[0] > x.cores || x.load[1] > x.cores ? `: above ${x.cores}, other work was running too, and the rates are lower and noisier than on a machine of their own` : ''}).

| workload | servers | chains | **entries/s** | transactions/s | CPU per entry | cores busy | waiting | busy | wait per write | holder waits for its server | failures |
|---|---|---|---|---|---|---|---|---|---|---|---|
${x.rows.map(row).join('\n')}

${verdict(x.rows)}
`;
}

/** What the figures say, in words: for each workload and number of servers, one chain against eight. */
function verdict(rows: WorkloadFigures[]): string {
  const of = (prefix: string, servers: number, chains: number) =>
    rows.find((r) => r.workload.startsWith(prefix) && r.servers === servers && r.chains === chains);
  const lines: string[] = [];
  for (const prefix of ['single PIN resets', 'administrator sign-ins', 'bulk resets']) {
    const parts: string[] = [];
    for (const servers of [1, 3]) {
      const one = of(prefix, servers, 1);
      const eight = of(prefix, servers, 8);
      if (!one || !eight) continue;
      parts.push(
        `through ${servers === 1 ? 'one server' : 'three'}, ${one.entriesPerSecond.toFixed(0)} entries/s with one chain and ${eight.entriesPerSecond.toFixed(0)} with eight (×${(eight.entriesPerSecond / one.entriesPerSecond).toFixed(2)}; ${one.headWaiters.toFixed(1)} → ${eight.headWaiters.toFixed(1)} writers waiting on a head)`,
      );
    }
    if (parts.length > 0) lines.push(`- ${prefix}: ${parts.join('; ')}.`);
  }
  return `${lines.join('\n')}

With one chain, where a transaction writes one entry (a single reset, a sign-in), the head is the queue: a writer holds
its lock across three round trips to its umpin server (claim its place, insert the entry, store the new head hash) and
the commit, the samples find the holder idle in its transaction, waiting for its server's next statement, nearly every
time, and the rate of such writes is one over that hold time whatever the number of servers. With eight chains a writer
nearly always finds a head nobody holds, the line for the heads is gone, and what bounds the rate is the CPU the servers
and the database get (*cores busy*). A bulk reset writes up to 250 entries under one claim and queues on no head either
way.`;
}
