/**
 * In-band DTMF: umpin's detector against libspandsp's dtmf_rx (a small C program,
 * bench/spandsp-dtmf.c, compiled here against Debian's libspandsp-dev) and multimon-ng.
 * (a) speed on the same audio — the whole battery, tones, noise and speech, end to end —
 *     in seconds of audio per CPU-second, trials interleaved, medians; multimon-ng needs
 *     22,050 Hz input, so it gets the same audio resampled by sox;
 * (b) accuracy of all three on the battery of test/dtmf-battery.ts, case by case, each case
 *     heard by a fresh detector.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sinePower } from '../src/sip/media/dbm0.js';
import { DtmfDetector, QUIET_DBM0 } from '../src/sip/media/dtmf-detector.js';
import { type BatteryCase, GROUPS, speechBattery, syntheticBattery } from '../test/dtmf-battery.js';
import { ensureDebianPackages } from '../test/debian-packages.js';

const RATE = 8000;
const MULTIMON_RATE = 22050;
/** A case padded to whole 20 ms frames: 160 samples at 8 kHz are exactly 441 at 22,050 Hz. */
const FRAME = 160;
const log = (s: string) => process.stderr.write(`${s}\n`);

export interface DtmfBenchOptions {
  trials: number;
}

interface Tally {
  passed: number;
  /** keys reported where the case expects none (talk-off) */
  falseKeys: number;
}

export interface DtmfFigures {
  audioSeconds: number;
  /** the share of the audio's 5 ms sub-blocks quieter than QUIET_DBM0, which umpin does not filter */
  quietShare: number;
  trials: number;
  /** seconds of audio per CPU-second, one per trial */
  rates: { umpin: number[]; spandsp: number[]; multimon: number[] };
  accuracy: Array<{ group: string; cases: number; umpin: Tally; spandsp: Tally; multimon: Tally }>;
  /** cases spandsp gets right and umpin does not (the goal: none) */
  spandspOnly: string[];
  umpinOnly: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function padded(c: BatteryCase): Int16Array {
  const out = new Int16Array(Math.ceil(c.samples.length / FRAME) * FRAME);
  out.set(c.samples);
  return out;
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const bytes = (s: Int16Array) => new Uint8Array(s.buffer, s.byteOffset, s.byteLength);

/** umpin's detector over the audio in 20 ms frames, `passes` times; returns the keys of the last pass and the CPU seconds. */
function umpinRun(audio: Int16Array, passes: number): { keys: string; cpu: number } {
  let keys = '';
  const t0 = process.cpuUsage();
  for (let p = 0; p < passes; p++) {
    const d = new DtmfDetector();
    keys = '';
    for (let i = 0; i < audio.length; i += FRAME) for (const k of d.push(audio.subarray(i, i + FRAME))) keys += k.digit;
    for (const k of d.end()) keys += k.digit;
  }
  const t = process.cpuUsage(t0);
  return { keys, cpu: (t.user + t.system) / 1e6 };
}

function spandspRun(binary: string, file: string, passes: number): number {
  const r = spawnSync(binary, ['-r', String(passes), file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = /cpu ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`spandsp-dtmf failed: ${r.stderr}`);
  return Number(m[1]);
}

/**
 * multimon-ng's CPU seconds (user + system, from bash's time) for `passes` passes over the 22,050 Hz file
 * (the file named that many times: one process, so its start-up is shared and the clock's 10 ms ticks are small beside it).
 */
function multimonRun(file: string, passes: number): number {
  const r = spawnSync(
    'bash',
    [
      '-c',
      'TIMEFORMAT="%3U %3S"; time multimon-ng -q -n -c -a DTMF -t raw "$@" > /dev/null',
      '_',
      ...Array(passes).fill(file),
    ],
    { encoding: 'utf8' },
  );
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`multimon-ng failed: ${r.stderr}`);
  return Number(m[1]) + Number(m[2]);
}

const multimonKeys = (out: string) => [...out.matchAll(/^DTMF: (.)$/gm)].map((m) => m[1]).join('');

function tally(expect: string, got: string, into: Tally): boolean {
  const ok = got === expect;
  if (ok) into.passed++;
  if (expect === '') into.falseKeys += got.length;
  return ok;
}

export async function benchDtmf(opts: DtmfBenchOptions): Promise<DtmfFigures> {
  ensureDebianPackages({
    '/usr/bin/sox': 'sox',
    '/usr/bin/espeak-ng': 'espeak-ng',
    '/usr/bin/multimon-ng': 'multimon-ng',
    '/usr/include/spandsp/dtmf.h': 'libspandsp-dev',
    '/usr/bin/cc': 'gcc',
  });
  const dir = mkdtempSync(join(tmpdir(), 'umpin-dtmf-bench-'));
  try {
    const binary = join(dir, 'spandsp-dtmf');
    execFileSync('cc', ['-O2', '-o', binary, join(import.meta.dirname, 'spandsp-dtmf.c'), '-lspandsp']);
    log('DTMF: generating the battery (synthetic keys, espeak-ng speech)…');
    const cases = [...syntheticBattery(), ...speechBattery()];
    const segments = cases.map(padded);
    const audio = concat(segments);
    const file8k = join(dir, 'battery-8k.raw');
    const file22k = join(dir, 'battery-22k.raw');
    writeFileSync(file8k, bytes(audio));
    execFileSync('sox', [
      '-V1',
      '-D',
      ...['-t', 'raw', '-r', String(RATE), '-c', '1', '-e', 'signed', '-b', '16', file8k],
      ...['-t', 'raw', '-r', String(MULTIMON_RATE), '-c', '1', '-e', 'signed', '-b', '16', file22k],
    ]);
    const audioSeconds = audio.length / RATE;
    let quiet = 0;
    for (let i = 0; i + 40 <= audio.length; i += 40) {
      let e = 0;
      for (let k = i; k < i + 40; k++) e += audio[k]! * audio[k]!;
      if (e < sinePower(QUIET_DBM0) * 40) quiet++;
    }

    // (b) accuracy, case by case
    log(`DTMF: accuracy on ${cases.length} cases…`);
    const spandspLines = execFileSync(binary, [file8k, ...segments.map((s) => String(s.length))], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }).split('\n');
    const wideBytes = readFileSync(file22k);
    const wide = new Int16Array(wideBytes.buffer.slice(wideBytes.byteOffset, wideBytes.byteOffset + wideBytes.length));
    const groups = new Map<string, DtmfFigures['accuracy'][number]>();
    const spandspOnly: string[] = [];
    let umpinOnly = 0;
    let at = 0;
    cases.forEach((c, i) => {
      const g = groups.get(c.group) ?? {
        group: c.group,
        cases: 0,
        umpin: { passed: 0, falseKeys: 0 },
        spandsp: { passed: 0, falseKeys: 0 },
        multimon: { passed: 0, falseKeys: 0 },
      };
      groups.set(c.group, g);
      g.cases++;
      const seg = segments[i]!;
      const u = tally(c.expect, umpinRun(seg, 1).keys, g.umpin);
      const s = tally(c.expect, spandspLines[i] ?? '', g.spandsp);
      const wideLength = (seg.length / FRAME) * 441;
      const slice = wide.subarray((at / FRAME) * 441, (at / FRAME) * 441 + wideLength);
      at += seg.length;
      const mm = spawnSync('multimon-ng', ['-q', '-c', '-a', 'DTMF', '-t', 'raw', '-'], {
        input: bytes(slice),
        encoding: 'utf8',
      });
      tally(c.expect, multimonKeys(mm.stdout), g.multimon);
      if (s && !u) spandspOnly.push(`${c.group}: ${c.name}`);
      if (u && !s) umpinOnly++;
    });

    // (a) speed: passes chosen so each side runs for a good fraction of a second
    log(`DTMF: speed on ${audioSeconds.toFixed(0)} s of audio, ${opts.trials} interleaved trials…`);
    umpinRun(audio, 2); // warm the JIT, as a long-running server is
    const umpinPasses = Math.max(1, Math.round(1 / umpinRun(audio, 1).cpu));
    const spandspPasses = Math.max(1, Math.round(1 / spandspRun(binary, file8k, 1)));
    const multimonPasses = Math.max(1, Math.round(1 / multimonRun(file22k, 1)));
    const rates: DtmfFigures['rates'] = { umpin: [], spandsp: [], multimon: [] };
    const sides = [
      () => rates.umpin.push((audioSeconds * umpinPasses) / umpinRun(audio, umpinPasses).cpu),
      () => rates.spandsp.push((audioSeconds * spandspPasses) / spandspRun(binary, file8k, spandspPasses)),
      () => rates.multimon.push((audioSeconds * multimonPasses) / multimonRun(file22k, multimonPasses)),
    ];
    for (let t = 0; t < opts.trials; t++) for (let k = 0; k < sides.length; k++) sides[(t + k) % sides.length]!();
    return {
      audioSeconds,
      quietShare: quiet / Math.floor(audio.length / 40),
      trials: opts.trials,
      rates,
      accuracy: [...groups.values()],
      spandspOnly,
      umpinOnly,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function dtmfSection(x: DtmfFigures): string {
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const u = median(x.rates.umpin);
  const s = median(x.rates.spandsp);
  const m = median(x.rates.multimon);
  const ratioS = median(x.rates.umpin.map((r, i) => r / x.rates.spandsp[i]!));
  const ratioM = median(x.rates.umpin.map((r, i) => r / x.rates.multimon[i]!));
  const cell = (t: Tally, cases: number, silent: boolean) =>
    `${t.passed}/${cases}${silent && t.falseKeys > 0 ? ` (${t.falseKeys} false keys)` : ''}`;
  const total = (k: 'umpin' | 'spandsp' | 'multimon') => x.accuracy.reduce((a, g) => a + g[k].passed, 0);
  const cases = x.accuracy.reduce((a, g) => a + g.cases, 0);
  const silentGroups = new Set<string>([GROUPS.speechEn, GROUPS.speechZh, GROUPS.l55, GROUPS.d23]);
  return `## In-band DTMF: detector speed and accuracy against spandsp and multimon-ng

umpin's Goertzel detector (src/sip/media/dtmf-detector.ts) against libspandsp 0.0.6's \`dtmf_rx\` (bench/spandsp-dtmf.c, \`cc -O2\`,
default parameters) and multimon-ng 1.2 (\`-a DTMF\`), each fed the whole battery of test/dtmf-battery.ts end to end: ${f(x.audioSeconds)} s
of 8 kHz audio (every key at every ITU-T Q.24 edge, tones in noise, PINs, espeak-ng speech). Speed is seconds of audio per CPU-second
of one core (umpin: in-process, 20 ms frames, after a warm-up pass, as in a running server; spandsp: 20 ms frames, timed inside
the program; multimon-ng: the whole process, given the file several times, on the same audio resampled by sox to the 22,050 Hz it needs). ${x.trials} trials,
interleaved, each starting with another side; medians. Goal: umpin ≥ 0.5 × spandsp. umpin skips its filters on 5 ms stretches
quieter than ${String(QUIET_DBM0).replace('-', '−')} dBm0 (10 dB under the weakest tone it accepts): ${f(x.quietShare * 100)} % of this audio, the silences around the keys
and between words; spandsp and multimon-ng filter every sample.

| detector | seconds of audio per CPU-second | umpin ÷ it (median of the trials' ratios) |
|---|---|---|
| **umpin** | **${f(u)}** | |
| spandsp \`dtmf_rx\` (C) | ${f(s)} | **${f(ratioS, 2)}** |
| multimon-ng (22,050 Hz input) | ${f(m)} | ${f(ratioM, 2)} |

Trials, umpin / spandsp / multimon-ng: ${x.rates.umpin.map((r, i) => `${f(r)} / ${f(x.rates.spandsp[i]!)} / ${f(x.rates.multimon[i]!)}`).join('; ')}.

Accuracy: each case is heard by a fresh detector and passes when exactly the expected keys come out (none for the reject and
speech rows; one key for the dropout row, not two). Goal: every case spandsp passes, and more.

| battery | cases | umpin | spandsp | multimon-ng |
|---|---|---|---|---|
${x.accuracy.map((g) => `| ${g.group} | ${g.cases} | ${cell(g.umpin, g.cases, silentGroups.has(g.group))} | ${cell(g.spandsp, g.cases, silentGroups.has(g.group))} | ${cell(g.multimon, g.cases, silentGroups.has(g.group))} |`).join('\n')}
| **all** | ${cases} | **${total('umpin')}** | ${total('spandsp')} | ${total('multimon')} |

Cases spandsp passes and umpin does not: ${x.spandspOnly.length === 0 ? '**none**' : x.spandspOnly.join('; ')}. Cases umpin passes and spandsp does not: ${x.umpinOnly}.
`;
}
