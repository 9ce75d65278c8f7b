/**
 * Real callers for the end-to-end telephone tests: the built `umpin serve --demo` with its SIP
 * endpoint, and Debian's sipp (UDP, keys as RFC 4733 events or in-band tones), baresip (TLS
 * with SRTP, driven through ctrl_tcp) and linphonec (stdin) calling it. Each test file starts
 * its own server; a call is judged by what the server did (its log, the mailbox as the shell
 * and the API show it, /metrics), never by timing.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { encodeUlaw } from '../src/sip/media/g711.js';
import { dtmfFrequencies } from '../src/sip/media/dtmf-keypad.js';
import { sinePeak } from '../src/sip/media/dbm0.js';
import { freePort, startServe, umpin, type RunningServer } from './cli-runner.js';
import { ensureDebianPackages } from './debian-packages.js';
import { childEnv, freshDatabase, type TestDb } from './harness.js';

export const SIPP = '/usr/bin/sipp';
export const BARESIP = '/usr/bin/baresip';
export const LINPHONEC = '/usr/bin/linphonec';
const SCENARIOS = join(process.cwd(), 'test', 'sipp');
export const RATE = 8000;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(check: () => boolean, ms: number, what: () => string): Promise<void> {
  for (let waited = 0; !check(); waited += 50) {
    if (waited > ms) throw new Error(`not in time: ${what()}`);
    await sleep(50);
  }
}

/** Key presses as 8 kHz samples: 100 ms of the key's two tones (−10 dBm0 each), 100 ms of silence; `lead` ms of silence first. */
export function dtmfSamples(keys: string, lead: number, trail: number): Int16Array {
  const tone = 0.1 * RATE;
  const gap = 0.1 * RATE;
  const out = new Int16Array(((lead + trail) / 1000) * RATE + keys.length * (tone + gap));
  const peak = sinePeak(-10);
  let at = (lead / 1000) * RATE;
  for (const key of keys) {
    const { row, column } = dtmfFrequencies(key);
    for (let i = 0; i < tone; i++) {
      const t = i / RATE;
      out[at + i] = Math.round(peak * (Math.sin(2 * Math.PI * row * t) + Math.sin(2 * Math.PI * column * t)));
    }
    at += tone + gap;
  }
  return out;
}

/** μ-law bytes for sipp's rtp_stream, padded to whole 20 ms frames. */
export function ulawFile(samples: Int16Array): Buffer {
  const frames = Math.ceil(samples.length / 160);
  const padded = new Int16Array(frames * 160);
  padded.set(samples);
  return Buffer.from(encodeUlaw(padded));
}

/** An 8 kHz mono 16-bit WAV for baresip's aufile. */
export function wavFile(samples: Int16Array): Buffer {
  const data = samples.length * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(RATE, 24);
  wav.writeUInt32LE(RATE * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(data, 40);
  Buffer.from(samples.buffer, samples.byteOffset, data).copy(wav, 44);
  return wav;
}

/**
 * baresip's config for a call over TLS from loopback: its SIP and ctrl_tcp ports, the CA that
 * vouches for umpin's certificate, G.711 and SRTP, audio from `silence.wav` in its home.
 */
export function baresipConfig(home: string, o: { sipPort: number; ctrlPort: number; caFile: string }): string {
  return [
    `sip_listen 127.0.0.1:${o.sipPort}`,
    'net_interface 127.0.0.1',
    `sip_cafile ${o.caFile}`,
    `audio_source aufile,${join(home, 'silence.wav')}`,
    'audio_player aufile,/dev/null',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    'module srtp.so',
    'module_tmp account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${o.ctrlPort}`,
    '',
  ].join('\n');
}

/** Whether a UDP port is free on loopback now (0: any free port); resolves with the port, or null. */
function bindUdp(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind(port, '127.0.0.1', () => {
      const bound = socket.address().port;
      socket.close(() => resolve(bound));
    });
  });
}

/** A UDP port free on 127.0.0.1 at the moment of asking (a SIP peer's signalling port over UDP). */
async function freeUdpPort(): Promise<number> {
  return (await bindUdp(0))!;
}

/**
 * An even UDP port with the three above it free (RTP, RTCP, and sipp's second media pair), out
 * of the kernel's ephemeral range and umpin's default RTP range, so that no other process's
 * socket takes it between the asking and the peer's bind, and chosen at random, so that peers
 * started at once do not ask for the same.
 */
const handedOut = new Set<number>();
async function freeMediaPort(): Promise<number> {
  // each test process draws from its own slice (calls in two files run at once), and never
  // hands out a base twice: two calls started together would both find it free before either binds
  const slice = 21_000 + (process.pid % 5) * 2_000;
  for (;;) {
    const base = slice + 4 * Math.floor(Math.random() * 500);
    if (handedOut.has(base)) continue;
    let free = true;
    for (let p = base; free && p < base + 4; p++) free = (await bindUdp(p)) !== null;
    if (free && !handedOut.has(base)) {
      handedOut.add(base);
      return base;
    }
  }
}

/** A no-match-between-digits pattern: a PIN in some output, not as part of a longer number. */
export const asWholeNumber = (digits: string): RegExp => new RegExp(`(?<![0-9])${digits}(?![0-9])`);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Lengths of the random hex umpin writes: SIP tags and Call-IDs (16), SHA-256 links and digests (64), 32 for keys. */
const HEX_TOKEN_LENGTHS = new Set([16, 32, 64]);

/**
 * Where a PIN of digits shows up in some text as a whole number, each with the text around
 * it; empty when it shows up nowhere. A random PIN of six digits turns up by chance inside
 * the hex of a UUID or a SHA-256 link now and then (a few megabytes of database pages hold
 * thousands of them), so a match wholly inside such a token is not a sighting. A PIN written
 * next to one still is: the token is then longer than any umpin writes.
 */
export function pinSightings(text: string, digits: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(new RegExp(asWholeNumber(digits).source, 'g'))) {
    const [from, to] = [m.index, m.index + digits.length];
    const window = text.slice(Math.max(0, from - 64), to + 64);
    const offset = Math.max(0, from - 64);
    const inUuid = [...window.matchAll(UUID)].some(
      (u) => offset + u.index <= from && offset + u.index + u[0].length >= to,
    );
    let [start, end] = [from, to];
    while (start > 0 && /[0-9a-f]/i.test(text[start - 1]!)) start--;
    while (end < text.length && /[0-9a-f]/i.test(text[end]!)) end++;
    const run = text.slice(start, end);
    const inHexToken = HEX_TOKEN_LENGTHS.has(run.length) && /[a-f]/i.test(run);
    if (!inUuid && !inHexToken) found.push(JSON.stringify(text.slice(Math.max(0, from - 40), to + 40)));
  }
  return found;
}

export interface SippCall {
  code: number;
  output: string;
  callId: string;
}

export interface LinphonecCall {
  /** what linphonec printed on stdout and stderr */
  output: string;
  /** its own log (-d 6): the SIP messages it sent and received, and its media engine's lines */
  log: string;
  callId: string;
}

export interface VoiceServer {
  db: TestDb;
  server: RunningServer;
  /** a Voice Gateway token (the REST voice API, as a PBX) */
  token: string;
  /** a View-Only Organization Management token */
  viewer: string;
  shell(command: string): Promise<string>;
  /** the mailbox's PIN state as the REST API shows it (Get-UMMailboxPIN, with the last failure's calling number) */
  pinState(alias: string): Promise<Record<string, unknown>>;
  /** the dialogue's log lines for one call, as serve printed them (JSON lines) */
  dialogueLines(callId: string): Record<string, unknown>[];
  /** the logon outcomes the dialogue logged for a call, then how it ended */
  outcomes(callId: string): unknown[];
  /** serve's log line `msg` for the call, parsed */
  sipLine(callId: string, msg: string): Record<string, unknown> | undefined;
  /** one counter or gauge of /metrics, by its name and labels as printed (`umpin_x{outcome="ok"}`) */
  metric(series: string): Promise<number>;
  /**
   * A mailbox with a known PIN that is neither expired nor first-time: the administrator sets
   * `firstPin`, and the gateway (the REST voice API) changes it to `pin`, as a first telephone
   * logon would.
   */
  mailboxWithPin(alias: string, extension: string, firstPin: string, pin: string): Promise<void>;
  /** a PIN change through the gateway's REST API (Voice Gateway token), as a first telephone logon would make it */
  gatewayPinChange(extension: string, oldPin: string, newPin: string): Promise<void>;
  /** a wrong PIN through the gateway's REST API, so that a telephone logon afterwards is seen to clear the count */
  failOnce(extension: string, wrongPin: string): Promise<void>;
  /** one sipp call over UDP from `caller` with a scenario of test/sipp; resolves once sipp exits */
  sipp(
    scenario: string,
    caller: string,
    opts?: { keys?: string; pauseMs?: number; files?: Record<string, Buffer> },
  ): Promise<SippCall>;
  /** one baresip call over TLS with SRTP from `caller`: keys as RFC 4733 events, or tones in the audio */
  baresip(caller: string, send: { keys: string } | { tones: string }): Promise<{ events: string; callId: string }>;
  /** one linphonec call over UDP from `caller`; `keys` typed on its stdin once the call is up; resolves when the call ended */
  linphonec(caller: string, keys: string): Promise<LinphonecCall>;
  close(): Promise<void>;
}

/**
 * Starts `umpin serve --demo` with SIP on free loopback ports (and the peers' Debian packages
 * if missing). `setup`: shell commands to run, as one script, while the tokens are made.
 */
export async function startVoiceServer(opts: { linphonec?: boolean; setup?: string[] } = {}): Promise<VoiceServer> {
  ensureDebianPackages({
    [SIPP]: 'sip-tester',
    [BARESIP]: 'baresip-core',
    ...(opts.linphonec ? { [LINPHONEC]: 'linphone-cli' } : {}),
  });
  const work = mkdtempSync(join(tmpdir(), 'umpin-voice-calls-'));
  const db = await freshDatabase('sqlite');
  const sipPort = await freePort();
  const tlsPort = await freePort();
  const server = await startServe(
    childEnv(db, {
      UMPIN_SIP_HOST: '127.0.0.1',
      UMPIN_SIP_PORT: String(sipPort),
      UMPIN_SIP_TLS_PORT: String(tlsPort),
      UMPIN_SIP_TRUSTED: '127.0.0.1',
    }),
    ['--demo'],
  );
  const running = new Set<ChildProcess>();
  let calls = 0;
  await waitFor(
    () => server.output().includes('SIP endpoint listening'),
    10_000,
    () => server.output(),
  );
  const newToken = async (name: string, role: string) => {
    const t = await umpin(childEnv(db), 'token', 'new', '--name', name, '--role', role);
    expect(t.code, t.stderr).toBe(0);
    return t.stdout.trim().split('\n').at(-1)!;
  };
  const shell = async (command: string): Promise<string> => {
    const r = await umpin(childEnv(db), 'shell', '-c', command);
    if (r.code !== 0) throw new Error(`${command}: ${r.stderr}`);
    return r.stdout;
  };
  // each CLI run starts a Node process: the fewer and the more at once, the sooner the calls begin
  const [token, viewer] = await Promise.all([
    newToken('pbx', 'Voice Gateway'),
    newToken('viewer', 'View-Only Organization Management'),
    ...(opts.setup ? [shell(opts.setup.join('; '))] : []),
  ]);

  const jsonLines = () =>
    server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });

  const dialogueLines = (callId: string) =>
    jsonLines().filter((l) => String(l.msg).startsWith('voice dialogue') && l.callId === callId);

  /**
   * Once a peer is done, the call is done in serve too: a caller's BYE ends the dialogue just
   * after the peer has its 200, and serve's last lines about a call may still be on their way.
   */
  const settled = async (callId: string): Promise<void> => {
    const lines = () => jsonLines().filter((l) => l.callId === callId);
    await waitFor(
      () =>
        !lines().some((l) => l.msg === 'SIP call answered') ||
        (lines().some((l) => l.msg === 'voice dialogue ended') && lines().some((l) => l.msg === 'SIP call ended')),
      10_000,
      () => `the dialogue of ${callId} did not end:\n${server.output()}`,
    );
  };

  const voice = (path: string, body: unknown) =>
    fetch(`${server.url}/api/v1/voice/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json());

  const gatewayPinChange = async (extension: string, oldPin: string, newPin: string): Promise<void> => {
    expect(await voice('pin-changes', { extension, oldPin, newPin, confirmPin: newPin })).toMatchObject({
      outcome: 'changed',
    });
  };

  const sipp: VoiceServer['sipp'] = async (scenario, caller, opts = {}) => {
    const dir = mkdtempSync(join(work, 'sipp-'));
    const callId = `${scenario.replace('.xml', '')}-${caller}-${++calls}@127.0.0.1`;
    for (const [name, bytes] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), bytes);
    const args = [
      `127.0.0.1:${sipPort}`,
      '-sf',
      join(SCENARIOS, scenario),
      '-m',
      '1',
      '-t',
      'u1',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freeUdpPort()),
      '-mp',
      String(await freeMediaPort()),
      '-s',
      '8000',
      '-key',
      'caller',
      caller,
      '-key',
      'keys',
      opts.keys ?? '',
      '-d',
      String(opts.pauseMs ?? 1000),
      '-timeout',
      '40s',
      '-timeout_error',
      '-nostdin',
      '-trace_err',
      '-cid_str',
      callId,
    ];
    const call = await new Promise<SippCall>((resolve) => {
      const child = execFile(SIPP, args, { cwd: dir, timeout: 50_000 }, (err, stdout, stderr) => {
        running.delete(child);
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        const errors = readdirSync(dir)
          .filter((f) => f.endsWith('_errors.log'))
          .map((f) => readFileSync(join(dir, f), 'utf8'))
          .join('\n');
        resolve({ code: typeof code === 'number' ? code : 1, output: `${stdout}\n${stderr}\n${errors}`, callId });
      });
      running.add(child);
    });
    await settled(callId);
    return call;
  };

  /*
   * baresip, driven through ctrl_tcp: `keys` go as RFC 4733 events (sndcode; events flow only
   * while an audio source runs, so a long silence plays); `tones` as in-band audio (the
   * source is switched to a WAV of the tones, which ends in enough silence for the goodbye,
   * because aufile hangs up at the end of its file).
   */
  const baresip: VoiceServer['baresip'] = async (caller, send) => {
    const home = mkdtempSync(join(work, 'baresip-'));
    writeFileSync(join(home, 'silence.wav'), wavFile(new Int16Array(RATE * 30)));
    if ('tones' in send) writeFileSync(join(home, 'pin.wav'), wavFile(dtmfSamples(send.tones, 200, 6000)));
    writeFileSync(
      join(home, 'accounts'),
      `<sip:${caller}@127.0.0.1;transport=tls>;regint=0;audio_codecs=pcmu;mediaenc=srtp-mand\n`,
    );
    let child: ChildProcess | null = null;
    let output = '';
    let ctrl: Socket | null = null;
    try {
      // baresip also listens on its SIP port + 1 (TLS), which a free port does not promise:
      // when it exits before its control port opens, it starts again on other ports
      for (let attempt = 0; attempt < 3 && ctrl === null; attempt++) {
        const sip = await freePort();
        const ctrlPort = await freePort();
        writeFileSync(
          join(home, 'config'),
          baresipConfig(home, { sipPort: sip, ctrlPort, caFile: join(db.dataDir, 'sip-tls', 'cert.pem') }),
        );
        const started = spawn(BARESIP, ['-f', home], { stdio: ['ignore', 'pipe', 'pipe'] });
        child = started;
        running.add(started);
        output = '';
        started.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
        started.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
        for (let i = 0; i < 100 && ctrl === null && started.exitCode === null && started.signalCode === null; i++) {
          await sleep(100);
          ctrl = await new Promise<Socket | null>((resolve) => {
            const s = connect(ctrlPort, '127.0.0.1');
            s.once('connect', () => resolve(s));
            s.once('error', () => resolve(null));
          });
        }
        if (ctrl === null) {
          started.kill('SIGKILL');
          running.delete(started);
        }
      }
      if (ctrl === null) throw new Error(`baresip's control port did not open:\n${output}`);
      let events = '';
      ctrl.on('data', (c: Buffer) => (events += c.toString('utf8')));
      const command = (name: string, params: string) => {
        const json = JSON.stringify({ command: name, params });
        ctrl!.write(`${Buffer.byteLength(json)}:${json},`);
      };
      command('dial', `sip:8000@127.0.0.1:${tlsPort};transport=tls`);
      const seen = () => `${events}\n${output}`;
      await waitFor(() => events.includes('CALL_ESTABLISHED'), 10_000, seen);
      await sleep(1000);
      if ('keys' in send) command('sndcode', send.keys);
      else command('ausrc', `aufile,${join(home, 'pin.wav')}`);
      await waitFor(() => events.includes('CALL_CLOSED'), 30_000, seen);
      // ctrl_tcp's events are netstrings of JSON objects; each call event names the Call-ID
      const established = events
        .split(/\d+:(?=\{)/)
        .map((e) => e.replace(/,$/, ''))
        .filter((e) => e.startsWith('{'))
        .map((e) => JSON.parse(e) as { type?: string; id?: string })
        .find((e) => e.type === 'CALL_ESTABLISHED');
      await settled(established?.id ?? '');
      return { events, callId: established?.id ?? '' };
    } finally {
      ctrl?.destroy();
      if (child) {
        child.kill('SIGKILL');
        running.delete(child);
      }
    }
  };

  /*
   * linphonec as Debian builds it: it needs $HOME/.local/share/linphone, rewrites its
   * configuration (so a fresh one each run), and without use_ipv6=0 and ipv6_migration_done=1
   * it binds IPv6. `soundcard use files` keeps it off any sound card; the keys typed on stdin
   * go one a second as RFC 4733 events (use_rfc2833=1).
   */
  const linphonec: VoiceServer['linphonec'] = async (caller, keys) => {
    const home = mkdtempSync(join(work, 'linphonec-'));
    mkdirSync(join(home, '.local', 'share', 'linphone'), { recursive: true });
    const config = join(home, 'linphonerc');
    const logFile = join(home, 'linphonec.log');
    writeFileSync(
      config,
      [
        '[sip]',
        'bind_address=127.0.0.1',
        `sip_port=${await freeUdpPort()}`,
        'sip_tcp_port=-1',
        'sip_tls_port=-1',
        'use_ipv6=0',
        'ipv6_migration_done=1',
        'use_rfc2833=1',
        'use_info=0',
        `contact=sip:${caller}@127.0.0.1`,
        '[rtp]',
        `audio_rtp_port=${await freeMediaPort()}`,
        '',
      ].join('\n'),
    );
    const child = spawn(LINPHONEC, ['-c', config, '-d', '6', '-l', logFile], {
      env: { ...process.env, HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const log = () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    };
    const seen = () => `${output}\n${log().slice(-4000)}`;
    try {
      await waitFor(() => output.includes('linphonec>'), 15_000, seen);
      child.stdin.write('soundcard use files\n');
      child.stdin.write(`call sip:8000@127.0.0.1:${sipPort}\n`);
      await waitFor(() => /Call \d+ with \S+ connected/.test(output), 10_000, seen);
      await sleep(1000);
      child.stdin.write(`${keys}\n`);
      // umpin's goodbye ends the call with its BYE
      await waitFor(() => /Call \d+ with \S+ ended/.test(output), 40_000, seen);
      child.stdin.write('quit\n');
      await Promise.race([new Promise((r) => child.once('close', r)), sleep(5000)]);
      const text = log();
      const callId = /^Call-ID: *(\S+)/m.exec(text)?.[1] ?? '';
      await settled(callId);
      return { output, log: text, callId };
    } finally {
      child.kill('SIGKILL');
      running.delete(child);
    }
  };

  return {
    db,
    server,
    token,
    viewer,
    shell,
    async pinState(alias) {
      const res = await fetch(`${server.url}/api/v1/um-mailboxes/${alias}/pin`, {
        headers: { authorization: `Bearer ${viewer}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    },
    dialogueLines,
    outcomes: (callId) =>
      dialogueLines(callId)
        .filter((l) => l.step === 'logon' || l.msg === 'voice dialogue ended')
        .map((l) => l.outcome),
    sipLine: (callId, msg) => jsonLines().find((l) => l.callId === callId && l.msg === msg),
    async metric(series) {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      if (line === undefined) throw new Error(`no ${series} in /metrics`);
      return Number(line.slice(series.length + 1));
    },
    async mailboxWithPin(alias, extension, firstPin, pin) {
      await shell(`Set-UMMailboxPIN -Identity ${alias} -Pin ${firstPin} -PinExpired $false`);
      await gatewayPinChange(extension, firstPin, pin);
    },
    gatewayPinChange,
    async failOnce(extension, wrongPin) {
      expect(await voice('logons', { extension, callerId: extension, pin: wrongPin })).toMatchObject({
        outcome: 'wrong',
      });
    },
    sipp,
    baresip,
    linphonec,
    async close() {
      for (const peer of running) peer.kill('SIGKILL');
      await server.stop();
      await db.drop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
