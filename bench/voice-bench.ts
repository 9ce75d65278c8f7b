/**
 * Voice access under load: one `umpin serve` (the built dist/, SIP over UDP on loopback, the
 * default KDF cost) answers BENCH_VOICE_CALLS (200) concurrent telephone logons from Debian's
 * sipp. Each call keys its own mailbox's extension and PIN as RFC 4733 events (an injection
 * file gives every call its line), is verified by argon2id at the configured cost, and says *
 * at the signed-in menu; umpin says goodbye and hangs up. Every call is checked by serve's own
 * metrics (logons `ok`, calls ended `signed-in`), not by sipp's word alone.
 *
 * Per trial: calls attempted, succeeded and failed (sipp's and serve's counts), the setup rate
 * reached (answers per second), time to answer (INVITE to 200 OK, sipp's RTD), serve's RTP send
 * lateness (its umpin_rtp_send_lateness_seconds histogram: every frame of every call), and serve's
 * CPU time (user + system of the process, all threads, from /proc) per call. Interleaved with the
 * logon trials: the same number of media-only calls (answered, held as long without a key, ended
 * by the caller), bare argon2id verifications at the same cost in this process — the baselines
 * that split a call's CPU into the KDF, the media and the rest — and logon calls one at a time,
 * the baseline of the send lateness.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { makeDeps, openStore } from '../src/compose.js';
import { DEFAULT_KDF, type KdfParams } from '../src/crypto/kdf-params.js';
import { deriveSecrets } from '../src/crypto/secrets.js';
import { syntheticAddress, syntheticExtension } from '../src/services/demo-large.js';
import { freePort } from '../test/cli-runner.js';
import { ensureDebianPackages } from '../test/debian-packages.js';

const exec = promisify(execFile);
const SIPP = '/usr/bin/sipp';
const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const SCENARIOS = join(process.cwd(), 'bench', 'sipp');
const DEMO_USERS = 20;
/** /proc's clock ticks (USER_HZ) */
const TICKS_PER_SECOND = 100;
/** logon calls one at a time per round: the baseline */
const SINGLE_CALLS = 2;
/** the bare verification's PIN */
const BARE_PIN = '5927314';
const log = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface VoiceBenchOptions {
  /** concurrent calls per trial (sipp -l and -m) */
  calls: number;
  /** calls started per second (sipp -r) */
  rate: number;
  /** rounds of (bare verifications, logon trial, media-only trial, logon calls one at a time) */
  trials: number;
  /** ms between the answer and the first key, while the greeting plays (sipp -d) */
  greetingMs: number;
  /** serve's KDF cost (UMPIN_KDF) and the PINs' hashes; umpin's default when absent */
  kdf?: KdfParams;
}

interface Metrics {
  /** series name with labels → value */
  readonly values: Map<string, number>;
}

interface TrialRun {
  attempted: number;
  /** sipp's successful calls */
  succeeded: number;
  /** sipp's failed calls */
  failed: number;
  /** serve's counts for the trial: logons by outcome, calls ended by outcome */
  logonsOk: number;
  signedIn: number;
  callerHangups: number;
  otherOutcomes: Record<string, number>;
  /** answers per second from the first to the last 200 OK */
  setupRate: number;
  /** INVITE → 200 OK, ms, one per call */
  answerMs: number[];
  /** most calls in progress at once (sipp's CurrentCall, sampled each second) */
  peakCalls: number;
  /** mean call length as sipp saw it, s */
  callSeconds: number;
  wallSeconds: number;
  /** serve's CPU seconds (user + system) over the trial */
  cpuSeconds: number;
  /** lateness histogram deltas: bucket bound (s) → cumulative count, and the count */
  lateness: Array<[number, number]>;
  frames: number;
  digits: number;
  dropped: number;
}

export interface VoiceFigures {
  options: VoiceBenchOptions;
  kdf: { m: number; t: number; p: number };
  logon: TrialRun[];
  hold: TrialRun[];
  /** one logon call at a time, SINGLE_CALLS per trial */
  single: TrialRun[];
  /** CPU ms of one bare argon2id verification at the configured cost, one per trial (median of a batch) */
  argonCpuMs: number[];
  /** the same, POOL verifications in flight at once (as serve's thread pool runs them under load): CPU ms per verification */
  argonPoolCpuMs: number[];
  /** serve's CPU while idle, ms per second */
  idleCpuMsPerSecond: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** User + system CPU seconds of a process and all its threads (/proc/<pid>/stat fields 14 and 15). */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function scrape(url: string): Promise<Metrics> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return { values };
}

const delta = (a: Metrics, b: Metrics, series: string): number =>
  (b.values.get(series) ?? 0) - (a.values.get(series) ?? 0);

/** Histogram deltas between two scrapes: [bound in s, cumulative count], +Inf last. */
function latenessDelta(a: Metrics, b: Metrics): { buckets: Array<[number, number]>; count: number } {
  const buckets: Array<[number, number]> = [];
  for (const key of b.values.keys()) {
    const m = /^umpin_rtp_send_lateness_seconds_bucket\{le="([^"]+)"\}$/.exec(key);
    if (m) buckets.push([m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), delta(a, b, key)]);
  }
  buckets.sort((x, y) => x[0] - y[0]);
  return { buckets, count: delta(a, b, 'umpin_rtp_send_lateness_seconds_count') };
}

/** A quantile from cumulative histogram buckets, interpolated linearly within its bucket (as histogram_quantile does). */
export function histogramQuantile(
  q: number,
  buckets: Array<[number, number]>,
): { value: number; bucket: [number, number] } {
  const total = buckets.at(-1)?.[1] ?? 0;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [bound, cumulative] of buckets) {
    if (cumulative >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return { value: lower, bucket: [lower, bound] };
      const inBucket = cumulative - below;
      const value = inBucket === 0 ? bound : lower + ((bound - lower) * (rank - below)) / inBucket;
      return { value, bucket: [lower, bound] };
    }
    lower = bound;
    below = cumulative;
  }
  return { value: Number.NaN, bucket: [0, 0] };
}

/** sipp's -trace_stat columns used here (cumulative counts, and the mean call length) */
const SIPP_COLUMNS = {
  created: 'TotalCallCreated',
  succeeded: 'SuccessfulCall(C)',
  failed: 'FailedCall(C)',
  callLength: 'CallLength(C)',
} as const;
const CURRENT_CALLS: string = 'CurrentCall';

/** The last data line of sipp's -trace_stat file, by column name; and the peak of CurrentCall over its lines. */
function sippStats(dir: string): { last: Record<string, string>; peakCalls: number; header: string[] } {
  const file = readdirSync(dir).find((f) => f.endsWith('_.csv'));
  if (!file) throw new Error(`sipp wrote no statistics in ${dir}`);
  const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const header = lines[0]!.split(';');
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(';').map((v, i) => [header[i], v])));
  return {
    last: rows.at(-1) ?? {},
    peakCalls: Math.max(0, ...rows.map((r) => Number(r[CURRENT_CALLS] ?? 0))),
    header,
  };
}

/** sipp's -trace_rtt file: one line per answered call, `date_ms;response_time_ms;rtd_no`. */
function sippAnswers(dir: string): Array<{ at: number; ms: number }> {
  const file = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  if (!file) return [];
  return readFileSync(join(dir, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(';'))
    .filter((c) => c.length >= 2 && c[0] !== '')
    .map((c) => ({ at: Number(c[0]), ms: Number(c[1]) }));
}

/** sipp's durations, `HH:MM:SS:uuuuuu` (microseconds last) → seconds. */
function sippSeconds(s: string | undefined): number {
  if (!s) return Number.NaN;
  const [h, m, sec, us] = s.split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (sec ?? 0) + (us ?? 0) / 1e6;
}

interface Serve {
  url: string;
  sipPort: number;
  pid: number;
  /** calls serve has logged as ended so far ('SIP call ended') */
  ended(): number;
  output(): string;
  stop(): Promise<void>;
}

async function startServe(env: NodeJS.ProcessEnv, calls: number): Promise<Serve> {
  const httpPort = await freePort();
  const sipPort = await freePort();
  const tlsPort = await freePort();
  // an RTP range of its own, four ports a call: the bind skips ports other programs hold
  const rtpBase = 30_000 + 2 * randomInt(5_000);
  // BENCH_VOICE_NODE_ARGS: flags for serve's node, e.g. --cpu-prof --cpu-prof-dir=DIR to profile it under the load
  const nodeArgs = process.env.BENCH_VOICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--demo'], {
    env: {
      ...env,
      UMPIN_HTTP_HOST: '127.0.0.1',
      UMPIN_HTTP_PORT: String(httpPort),
      UMPIN_SIP_HOST: '127.0.0.1',
      UMPIN_SIP_PORT: String(sipPort),
      UMPIN_SIP_TLS_PORT: String(tlsPort),
      UMPIN_SIP_TRUSTED: '127.0.0.1',
      UMPIN_RTP_PORTS: `${rtpBase}-${rtpBase + Math.max(400, calls * 8)}`,
      UMPIN_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let partial = '';
  let ended = 0;
  const keep = (c: Buffer) => {
    const lines = (partial + c.toString('utf8')).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.includes('"SIP call ended"')) ended++;
    // keep only the tail: each call logs a few lines, and the bench places many
    out = (out + c.toString('utf8')).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  };
  for (let i = 0; i < 300; i++) {
    await sleep(100);
    if (out.includes('SIP endpoint listening')) {
      try {
        if ((await fetch(`${url}/healthz`)).status === 200)
          return { url, sipPort, pid: child.pid!, ended: () => ended, output: () => out, stop };
      } catch {
        /* HTTP not listening yet */
      }
    }
  }
  await stop();
  throw new Error(`umpin serve did not start with SIP:\n${out}`);
}

/**
 * The demo organisation grown by `calls` synthetic mailboxes (`umpin init --demo --mailboxes`),
 * then each given a PIN known here, hashed at the default cost with the server's pepper and
 * written as a PIN the user chose (not first-time, not expired), straight through the store as
 * the other benchmarks seed: the logon is then a real argon2id verification at that cost.
 */
async function seed(
  env: NodeJS.ProcessEnv,
  dbPath: string,
  master: Buffer,
  calls: number,
  kdf: KdfParams,
): Promise<string[]> {
  await exec(process.execPath, [CLI, 'init', '--demo', '--mailboxes', String(DEMO_USERS + calls)], { env });
  const store = openStore({ engine: 'sqlite', databaseUrl: dbPath });
  const deps = makeDeps(store, deriveSecrets(master), kdf);
  const lines: string[] = [];
  try {
    const pins = new Set<string>();
    while (pins.size < calls) pins.add(String(randomInt(1_000_000, 10_000_000)));
    const list = [...pins];
    const rows = await Promise.all(
      list.map(async (pin, i) => {
        const [recipient] = await deps.store.findRecipients(syntheticAddress(i));
        if (!recipient) throw new Error(`no synthetic mailbox ${syntheticAddress(i)}`);
        return { id: recipient.id, extension: syntheticExtension(i), pin, hash: await deps.hasher.hash(pin) };
      }),
    );
    await deps.store.transaction(async (tx) => {
      for (const r of rows)
        await tx.replacePin({
          recipientId: r.id,
          pinHash: r.hash,
          pinSetAt: Date.now(),
          pinExpired: false,
          firstTimeUser: false,
          lockedOut: false,
          keepHistory: 4,
        });
    });
    // calling numbers that name no mailbox, so the dialogue asks for the extension
    for (const [i, r] of rows.entries())
      lines.push(`42555${String(60_000 + i).padStart(5, '0')};${r.extension};${r.pin}`);
  } finally {
    await store.close();
  }
  return lines;
}

/** One sipp run: `calls` calls, at most `limit` at once, `rate` started per second, `pauseMs` for the scenario's pause. */
interface Load {
  calls: number;
  limit: number;
  rate: number;
  pauseMs: number;
}

async function runSipp(
  serve: Serve,
  work: string,
  scenario: string,
  inject: string[],
  load: Load,
): Promise<{ dir: string; code: number; output: string }> {
  const dir = mkdtempSync(join(work, 'sipp-'));
  writeFileSync(join(dir, 'calls.csv'), `SEQUENTIAL\n${inject.join('\n')}\n`);
  const args = [
    `127.0.0.1:${serve.sipPort}`,
    '-sf',
    join(SCENARIOS, scenario),
    '-inf',
    join(dir, 'calls.csv'),
    '-m',
    String(load.calls),
    '-l',
    String(load.limit),
    '-r',
    String(load.rate),
    '-t',
    'u1',
    '-i',
    '127.0.0.1',
    '-p',
    String(await freePort()),
    '-mp',
    String(await freePort()),
    '-s',
    '8000',
    '-d',
    String(load.pauseMs),
    '-timeout',
    '180s',
    '-nostdin',
    '-trace_stat',
    '-fd',
    '1',
    '-trace_rtt',
    '-rtt_freq',
    '1',
    '-trace_err',
  ];
  // sipp's screen (stdout) is not read: its statistics and errors go to files
  const child = spawn(SIPP, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-4000);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? 1)));
  clearTimeout(killer);
  const errors = readdirSync(dir)
    .filter((f) => f.endsWith('_errors.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8').slice(0, 4000))
    .join('\n');
  return { dir, code, output: `${stderr}\n${errors}`.trim() };
}

const CALL_OUTCOME = /^umpin_voice_calls_total\{outcome="([^"]+)"\}$/;

async function trial(
  serve: Serve,
  work: string,
  kind: 'logon' | 'hold',
  inject: string[],
  load: Load,
): Promise<TrialRun> {
  const before = await scrape(serve.url);
  const ended0 = serve.ended();
  const cpu0 = processCpuSeconds(serve.pid);
  const t0 = performance.now();
  const r = await runSipp(serve, work, kind === 'logon' ? 'voice-logon-load.xml' : 'voice-hold-load.xml', inject, load);
  // serve ends its side of the last calls (the BYE's 200, the media sockets) a moment after sipp; watched in its
  // log, because a scrape of /metrics costs serve CPU of its own
  for (let i = 0; i < 100 && serve.ended() - ended0 < load.calls; i++) await sleep(50);
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpuSeconds = processCpuSeconds(serve.pid) - cpu0;
  const after = await scrape(serve.url);
  const stats = sippStats(r.dir);
  const answers = sippAnswers(r.dir);
  const firstAt = Math.min(...answers.map((a) => a.at));
  const lastAt = Math.max(...answers.map((a) => a.at));
  const otherOutcomes: Record<string, number> = {};
  for (const key of after.values.keys()) {
    const m = CALL_OUTCOME.exec(key);
    const n = delta(before, after, key);
    if (m && n > 0 && m[1] !== 'signed-in' && m[1] !== 'caller-hangup') otherOutcomes[m[1]!] = n;
  }
  const lateness = latenessDelta(before, after);
  const run: TrialRun = {
    attempted: Number(stats.last[SIPP_COLUMNS.created] ?? Number.NaN),
    succeeded: Number(stats.last[SIPP_COLUMNS.succeeded] ?? Number.NaN),
    failed: Number(stats.last[SIPP_COLUMNS.failed] ?? Number.NaN),
    logonsOk: delta(before, after, 'umpin_voice_logons_total{outcome="ok"}'),
    signedIn: delta(before, after, 'umpin_voice_calls_total{outcome="signed-in"}'),
    callerHangups: delta(before, after, 'umpin_voice_calls_total{outcome="caller-hangup"}'),
    otherOutcomes,
    setupRate: answers.length > 1 ? (answers.length - 1) / ((lastAt - firstAt) / 1000) : Number.NaN,
    answerMs: answers.map((a) => a.ms),
    peakCalls: stats.peakCalls,
    callSeconds: sippSeconds(stats.last[SIPP_COLUMNS.callLength]),
    wallSeconds,
    cpuSeconds,
    lateness: lateness.buckets,
    frames: lateness.count,
    digits:
      delta(before, after, 'umpin_voice_digits_total{method="rfc4733"}') +
      delta(before, after, 'umpin_voice_digits_total{method="inband"}'),
    dropped: [...after.values.keys()]
      .filter((k) => k.startsWith('umpin_rtp_dropped_packets_total{'))
      .reduce((s, k) => s + delta(before, after, k), 0),
  };
  const p99 = histogramQuantile(0.99, run.lateness);
  log(
    `[voice] ${kind} (${load.calls} calls, ${load.limit} at once): ${run.succeeded}/${run.attempted} calls succeeded (sipp exit ${r.code}), serve: ${run.logonsOk} logons ok, ` +
      `${run.signedIn} signed in, ${run.callerHangups} caller hang-ups${Object.keys(otherOutcomes).length ? `, other ${JSON.stringify(otherOutcomes)}` : ''}; ` +
      `peak ${run.peakCalls} calls, setup ${run.setupRate.toFixed(1)}/s, answer p50 ${median(run.answerMs).toFixed(1)} ms p99 ${percentile(run.answerMs, 99).toFixed(1)} ms; ` +
      `call ${run.callSeconds.toFixed(1)} s; RTP lateness p99 ${(p99.value * 1000).toFixed(2)} ms over ${run.frames} frames; ` +
      `CPU ${((run.cpuSeconds / load.calls) * 1000).toFixed(1)} ms/call (${run.cpuSeconds.toFixed(2)} s in ${run.wallSeconds.toFixed(1)} s)`,
  );
  if (r.code !== 0) log(`[voice] sipp said: ${r.output.slice(0, 2000)}`);
  return run;
}

/** CPU ms of one bare argon2id verification at the configured cost (one at a time, in this process), median of `n`. */
async function argonCpuMs(encoded: string, pin: string, secret: Buffer, n: number): Promise<number> {
  const each: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    if (!(await argonVerify(encoded, pin, { secret }))) throw new Error('the bare verification failed');
    const c = process.cpuUsage(c0);
    each.push((c.user + c.system) / 1000);
  }
  return median(each);
}

/** libuv's thread pool, where serve's argon2 verifications run: UV_THREADPOOL_SIZE, else 4 */
const POOL = Number(process.env.UV_THREADPOOL_SIZE ?? 4);

/** CPU ms per bare verification with POOL in flight at once, over `n` verifications. */
async function argonPoolCpuMs(encoded: string, pin: string, secret: Buffer, n: number): Promise<number> {
  let next = 0;
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: POOL }, async () => {
      while (next++ < n)
        if (!(await argonVerify(encoded, pin, { secret }))) throw new Error('the bare verification failed');
    }),
  );
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}

export async function benchVoice(o: VoiceBenchOptions): Promise<VoiceFigures> {
  ensureDebianPackages({ [SIPP]: 'sip-tester' });
  if (process.getuid?.() !== 0) throw new Error("the voice benchmark runs sipp's play_dtmf, which needs root");
  const work = mkdtempSync(join(tmpdir(), 'umpin-voice-bench-'));
  const master = randomBytes(32);
  const dbPath = join(work, 'umpin.db');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    UMPIN_DATA_DIR: join(work, 'data'),
    UMPIN_DATABASE_URL: dbPath,
    UMPIN_SECRET_KEY: master.toString('base64'),
  };
  // the configured cost is the default one (or the one asked for), whatever the environment this runs in says
  const kdf = o.kdf ?? DEFAULT_KDF;
  if (o.kdf) env.UMPIN_KDF = `m=${kdf.m},t=${kdf.t},p=${kdf.p}`;
  else delete env.UMPIN_KDF;
  let serve: Serve | null = null;
  try {
    log(`[voice] seeding ${o.calls} mailboxes with known PINs at KDF cost m=${kdf.m},t=${kdf.t},p=${kdf.p}…`);
    const inject = await seed(env, dbPath, master, o.calls, kdf);
    serve = await startServe(env, o.calls);
    const secret = deriveSecrets(master).pepper;
    const bare = await argonHash(BARE_PIN, {
      algorithm: 2,
      memoryCost: kdf.m,
      timeCost: kdf.t,
      parallelism: kdf.p,
      secret,
    });

    const idle0 = processCpuSeconds(serve.pid);
    await sleep(3000);
    const idleCpuMsPerSecond = ((processCpuSeconds(serve.pid) - idle0) * 1000) / 3;

    // warm-up calls, so that the first trial does not pay for loading prompts and compiling code
    await trial(serve, work, 'logon', inject.slice(0, 4), { calls: 4, limit: 4, rate: 4, pauseMs: o.greetingMs });

    const figures: VoiceFigures = {
      options: o,
      kdf: { ...kdf },
      logon: [],
      hold: [],
      single: [],
      argonCpuMs: [],
      argonPoolCpuMs: [],
      idleCpuMsPerSecond,
    };
    const all = { calls: o.calls, limit: o.calls, rate: o.rate };
    for (let i = 0; i < o.trials; i++) {
      log(`[voice] round ${i + 1} of ${o.trials}`);
      figures.argonCpuMs.push(await argonCpuMs(bare, BARE_PIN, secret, 9));
      figures.argonPoolCpuMs.push(await argonPoolCpuMs(bare, BARE_PIN, secret, 8 * POOL));
      const logon = await trial(serve, work, 'logon', inject, { ...all, pauseMs: o.greetingMs });
      figures.logon.push(logon);
      // held as long as a logon call lasted: the media, prompts and signalling of a call, without the KDF
      const holdMs = Math.max(1000, Math.round(logon.callSeconds * 1000));
      figures.hold.push(await trial(serve, work, 'hold', inject, { ...all, pauseMs: holdMs }));
      // the same logon alone on the server: the baseline of the send lateness and of the CPU per call
      figures.single.push(
        await trial(serve, work, 'logon', inject.slice(0, SINGLE_CALLS), {
          calls: SINGLE_CALLS,
          limit: 1,
          rate: 1,
          pauseMs: o.greetingMs,
        }),
      );
    }
    return figures;
  } finally {
    await serve?.stop();
    // BENCH_VOICE_KEEP=1 leaves the data directory and sipp's files (statistics, errors) for a look
    if (!process.env.BENCH_VOICE_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

const ms = (seconds: number, d = 1) => `${(seconds * 1000).toFixed(d)} ms`;
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const cpuPerCall = (t: TrialRun) => t.cpuSeconds / t.attempted;
/** calls that did not end signed in, by sipp's count or by serve's, whichever is larger */
const failedCalls = (t: TrialRun, kind: 'logon' | 'hold') =>
  Math.max(t.failed, t.attempted - (kind === 'logon' ? Math.min(t.signedIn, t.logonsOk) : t.callerHangups));
const lateQuantile = (t: TrialRun, q: number) => histogramQuantile(q, t.lateness).value;
const lateOver20 = (t: TrialRun) => {
  const at20 = t.lateness.find(([bound]) => bound === 0.02)?.[1] ?? 0;
  return t.frames === 0 ? 0 : (t.frames - at20) / t.frames;
};

/** The BENCHMARKS.md section (BENCH_ONLY=voice replaces it in place). */
export function voiceSection(x: VoiceFigures): string {
  const o = x.options;
  const cols = [
    { name: `logon calls, ${o.calls} at once`, runs: x.logon, kind: 'logon' as const },
    { name: `media-only calls, ${o.calls} at once`, runs: x.hold, kind: 'hold' as const },
    { name: `logon calls, 1 at a time (${SINGLE_CALLS} per trial)`, runs: x.single, kind: 'logon' as const },
  ];
  const row = (label: string, cell: (runs: TrialRun[], kind: 'logon' | 'hold') => string) =>
    `| ${label} | ${cols.map((c) => cell(c.runs, c.kind)).join(' | ')} |`;
  const med = (runs: TrialRun[], f: (t: TrialRun) => number) => median(runs.map(f));
  const sum = (runs: TrialRun[], f: (t: TrialRun) => number) => runs.reduce((s, t) => s + f(t), 0);
  const logonCpu = med(x.logon, cpuPerCall);
  const holdCpu = med(x.hold, cpuPerCall);
  const argon = median(x.argonCpuMs) / 1000;
  const argonPool = median(x.argonPoolCpuMs) / 1000;
  // the KDF's cost in serve lies between the bare verification alone and POOL of them sharing the cores
  const restMost = logonCpu - holdCpu - argon;
  const restLeast = logonCpu - holdCpu - argonPool;
  const p99 = med(x.logon, (t) => lateQuantile(t, 0.99));
  const bucket = (runs: TrialRun[]) => {
    const b = histogramQuantile(0.99, runs[Math.floor(runs.length / 2)]!.lateness).bucket;
    return `${b[0] * 1000}–${b[1] === Number.POSITIVE_INFINITY ? '∞' : b[1] * 1000}`;
  };
  const failed = sum(x.logon, (t) => failedCalls(t, 'logon'));
  const attempted = sum(x.logon, (t) => t.attempted);
  const trials = x.logon
    .map(
      (t, i) =>
        `${t.attempted - failedCalls(t, 'logon')}/${t.attempted} signed in, ${t.setupRate.toFixed(1)} calls/s, answer p99 ${percentile(t.answerMs, 99).toFixed(0)} ms, ` +
        `lateness p99 ${ms(lateQuantile(t, 0.99))} (media-only ${ms(lateQuantile(x.hold[i]!, 0.99))}, 1 call ${ms(lateQuantile(x.single[i]!, 0.99))}), ` +
        `${ms(cpuPerCall(t))} CPU a call`,
    )
    .join('; ');
  return `## Voice access: ${o.calls} concurrent telephone logons

One \`umpin serve --demo\` (the built dist/, SQLite, SIP over UDP on loopback, the KDF cost m=${x.kdf.m} KiB,
t=${x.kdf.t}, p=${x.kdf.p}${x.kdf.m === DEFAULT_KDF.m && x.kdf.t === DEFAULT_KDF.t && x.kdf.p === DEFAULT_KDF.p ? ', the default' : ', NOT the default'}) answers ${o.calls} calls at once from Debian's sipp (bench/voice-bench.ts, scenarios in bench/sipp/):
sipp starts ${o.rate} calls a second up to ${o.calls} in progress (\`-r ${o.rate} -l ${o.calls}\`), each with its own line of an injection file
(\`-inf\`): a calling number that names no mailbox, one of ${o.calls} mailboxes' extension and its PIN. After the answer
each call lets the greeting play ${o.greetingMs} ms, then keys the extension and #, the PIN and #, and * at the signed-in menu,
as RFC 4733 events (\`play_dtmf\`); umpin says goodbye and hangs up. A call counts as signed in only when serve's own
metrics say so: \`umpin_voice_logons_total{outcome="ok"}\` and \`umpin_voice_calls_total{outcome="signed-in"}\` each
rose by the number of calls (the PINs were seeded as chosen PINs, hashed at that cost, so each logon is a real
argon2id verification). Interleaved in each of ${x.logon.length} rounds: the same number of **media-only calls** (the same offer,
answered and held as long as the round's logon calls lasted, without a key, ended by the caller), **one logon call at a
time** (${SINGLE_CALLS} in a row), and bare argon2id verifications at the same cost, one at a time, in the benchmark's process. Medians
of the rounds; failed calls are summed.

- **Setup rate**: answers (200 OK) per second from the first to the last; **time to answer**: INVITE sent to 200 OK
  received, as sipp measures it (\`-trace_rtt\`, whole milliseconds).
- **RTP send lateness**: how late each 20 ms frame left serve after its due time on the send clock, from serve's
  \`umpin_rtp_send_lateness_seconds\` histogram over every frame of every call of the trial (bounds 1, 2, 5, 10, 20, 50,
  100, 200 ms; quantiles interpolated within a bucket, so read them to the bucket: the p99 of the logon trials lies
  in ${bucket(x.logon)} ms). It is the sender's own jitter; what the network adds on loopback is not measured.
- **CPU per call**: serve's user + system CPU time over the trial (the process and all its threads, argon2's
  included, from /proc/<pid>/stat, 10 ms ticks), divided by the calls. Idle, serve used ${x.idleCpuMsPerSecond.toFixed(1)} ms of CPU a second.

Goal: no failed call.

| | ${cols.map((c) => c.name).join(' | ')} |
|---|---|---|---|
${row('calls attempted (all rounds)', (r) => String(sum(r, (t) => t.attempted)))}
${row('**failed** (all rounds)', (r, k) => `**${sum(r, (t) => failedCalls(t, k))}**`)}
${row('most calls in progress at once', (r) => String(med(r, (t) => t.peakCalls)))}
${row('setup rate reached', (r) => (r === x.single ? '(one at a time)' : `${med(r, (t) => t.setupRate).toFixed(1)} calls/s`))}
${row('time to answer p50 / p99', (r) => `${med(r, (t) => median(t.answerMs)).toFixed(0)} / ${med(r, (t) => percentile(t.answerMs, 99)).toFixed(0)} ms`)}
${row('call length (sipp, mean)', (r) => `${med(r, (t) => t.callSeconds).toFixed(1)} s`)}
${row('RTP frames sent', (r) => String(Math.round(med(r, (t) => t.frames))))}
${row('RTP send lateness p50', (r) => ms(med(r, (t) => lateQuantile(t, 0.5))))}
${row('**RTP send lateness p99**', (r) => `**${ms(med(r, (t) => lateQuantile(t, 0.99)))}**`)}
${row('frames more than 20 ms late', (r) => pct(med(r, lateOver20)))}
${row('**serve CPU per call**', (r) => `**${ms(med(r, cpuPerCall))}**`)}

Where a logon call's CPU goes (medians). The KDF's share lies between the two bare figures: one verification alone, and
${POOL} at once as serve's thread pool runs them when logons queue, sharing the cores' caches and memory bandwidth:

| part | CPU per call |
|---|---|
| bare argon2id verification at m=${x.kdf.m}, t=${x.kdf.t}, p=${x.kdf.p}, one at a time (baseline) | ${ms(argon)} |
| the same, ${POOL} at once | ${ms(argonPool)} |
| signalling, media and prompts of a call as long (the media-only calls) | ${ms(holdCpu)} |
| the rest: keys, the dialogue, verifyLogon's look-up and write, the audit entry, metrics (the logon call less the above) | ${restLeast > 0 ? `${ms(restLeast)} to ${ms(restMost)}` : `at most ${ms(Math.max(0, restMost))}`} |
| **a logon call, ${o.calls} at once** | **${ms(logonCpu)}** (**${(logonCpu / argon).toFixed(2)}×** the bare verification alone) |
| a logon call alone (its 50 wake-ups a second are shared with no other call) | ${ms(med(x.single, cpuPerCall))} |

Send lateness p99 with ${o.calls} logon calls ÷ with one call: **${(p99 / med(x.single, (t) => lateQuantile(t, 0.99))).toFixed(1)}×**.
Frames more than 20 ms late: ${pct(med(x.logon, lateOver20))} with the logons, ${pct(med(x.hold, lateOver20))} with the same calls
without them (media-only). At ${o.rate} logons a second the verifications alone need about ${(o.rate * argonPool).toFixed(1)} of the ${cpus().length} cores
(${o.rate} × ${ms(argonPool)}). They run on libuv's threads beside the one event loop that paces every call's frames, so they
compete with it as other programs on the machine do; a frame delayed goes out with the others due by then, on the
20 ms grid (docs/voice.md, "Sending"). \`BENCH_VOICE_KDF=m=64,t=1,p=1\` runs the same calls with a cheap KDF, to tell the
KDF's share of the lateness from the machine's.
${failed === 0 ? `All ${attempted} logon calls signed in.` : `**${failed} of ${attempted} logon calls failed.**`}

Rounds (logon calls): ${trials}.

Wall-clock figures (setup rate, answer times, lateness) come from a shared ${cpus().length}-core machine with other work running
and move with it; the CPU figures move much less.
`;
}
