/**
 * Telephone logons end to end: the built `umpin serve --demo` with its SIP endpoint, real
 * media sessions and the logon dialogue, called by Debian's sipp (UDP, keys as RFC 4733
 * events or in-band tones) and baresip (TLS with SRTP). Each call is checked by what the
 * server did to the mailbox, as the shell and the audit log show it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeUlaw } from '../src/sip/media/g711.js';
import { dtmfFrequencies } from '../src/sip/media/dtmf-keypad.js';
import { sinePeak } from '../src/sip/media/dbm0.js';
import { freePort, startServe, umpin, type RunningServer } from './cli-runner.js';
import { ensureDebianPackages } from './debian-packages.js';
import { childEnv, freshDatabase, type TestDb } from './harness.js';

const SIPP = '/usr/bin/sipp';
const BARESIP = '/usr/bin/baresip';
const SCENARIOS = join(process.cwd(), 'test', 'sipp');
const RATE = 8000;

// Seven-digit PINs, none an extension, a port or a part of one another: if one shows up in
// the server's output between non-digits, the server wrote a PIN.
const FIRST_PIN = '4829163';
const TONY_PIN = '6150794';
const WRONG_PIN = '9174305';
const KIM_PIN = '7302958';
const DAVID_PIN = '8416027';
const JEFF_PIN = '2957640';
const CHRIS_PIN = '5927314';
const CHRIS_NEW_PIN = '3860152';
const ELLEN_PIN = '1693847';
const PINS = [FIRST_PIN, TONY_PIN, WRONG_PIN, KIM_PIN, DAVID_PIN, JEFF_PIN, CHRIS_PIN, CHRIS_NEW_PIN, ELLEN_PIN];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms: number, what: () => string): Promise<void> {
  for (let waited = 0; !check(); waited += 50) {
    if (waited > ms) throw new Error(`not in time: ${what()}`);
    await sleep(50);
  }
}

/** Key presses as 8 kHz samples: 100 ms of the key's two tones (−10 dBm0 each), 100 ms of silence; `lead` ms of silence first. */
function dtmfSamples(keys: string, lead: number, trail: number): Int16Array {
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
function ulawFile(samples: Int16Array): Buffer {
  const frames = Math.ceil(samples.length / 160);
  const padded = new Int16Array(frames * 160);
  padded.set(samples);
  return Buffer.from(encodeUlaw(padded));
}

/** An 8 kHz mono 16-bit WAV for baresip's aufile. */
function wavFile(samples: Int16Array): Buffer {
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

describe('telephone logon against umpin serve, with sipp and baresip', () => {
  let db: TestDb;
  let server: RunningServer;
  let sipPort: number;
  let tlsPort: number;
  let token: string;
  let viewer: string;
  let work: string;
  const peers = new Set<ChildProcess>();
  let calls = 0;

  async function shell(command: string): Promise<string> {
    const r = await umpin(childEnv(db), 'shell', '-c', command);
    if (r.code !== 0) throw new Error(`${command}: ${r.stderr}`);
    return r.stdout;
  }

  /** The mailbox's PIN state as the REST API shows it (Get-UMMailboxPIN, with the last failure's calling number). */
  async function pinState(alias: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${server.url}/api/v1/um-mailboxes/${alias}/pin`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  /** The dialogue's log lines for one call, as serve printed them (JSON lines). */
  function dialogueLines(callId: string): Record<string, unknown>[] {
    return server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{') && l.includes('voice dialogue'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.callId === callId);
  }

  /** The logon outcomes the dialogue logged for a call, then how it ended. */
  function outcomes(callId: string): unknown[] {
    return dialogueLines(callId)
      .filter((l) => l.step === 'logon' || l.msg === 'voice dialogue ended')
      .map((l) => l.outcome);
  }

  /**
   * A mailbox with a known PIN that is neither expired nor first-time: the administrator sets
   * FIRST_PIN, and the gateway (the REST voice API, with a Voice Gateway token) changes it, as
   * a first telephone logon would.
   */
  async function mailboxWithPin(alias: string, extension: string, pin: string): Promise<void> {
    await shell(`Set-UMMailboxPIN -Identity ${alias} -Pin ${FIRST_PIN} -PinExpired $false`);
    const res = await fetch(`${server.url}/api/v1/voice/pin-changes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ extension, oldPin: FIRST_PIN, newPin: pin, confirmPin: pin }),
    });
    expect(await res.json()).toMatchObject({ outcome: 'changed' });
  }

  /** A wrong PIN through the gateway's REST API, so that a telephone logon afterwards is seen to clear the count. */
  async function failOnce(extension: string): Promise<void> {
    const res = await fetch(`${server.url}/api/v1/voice/logons`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ extension, callerId: extension, pin: WRONG_PIN }),
    });
    expect(await res.json()).toMatchObject({ outcome: 'wrong' });
  }

  /** One sipp call over UDP from `caller`; resolves with its exit code and what it said. */
  async function sipp(
    scenario: string,
    caller: string,
    opts: { keys?: string; pauseMs?: number; files?: Record<string, Buffer> } = {},
  ): Promise<{ code: number; output: string; callId: string }> {
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
      String(await freePort()),
      '-mp',
      String(await freePort()),
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
    return new Promise((resolve) => {
      const child = execFile(SIPP, args, { cwd: dir, timeout: 50_000 }, (err, stdout, stderr) => {
        peers.delete(child);
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        const errors = readdirSync(dir)
          .filter((f) => f.endsWith('_errors.log'))
          .map((f) => readFileSync(join(dir, f), 'utf8'))
          .join('\n');
        resolve({ code: typeof code === 'number' ? code : 1, output: `${stdout}\n${stderr}\n${errors}`, callId });
      });
      peers.add(child);
    });
  }

  /**
   * One call from baresip over TLS with SRTP (mediaenc=srtp-mand), from `caller`, driven
   * through ctrl_tcp. `keys` are sent as RFC 4733 events (sndcode: events flow only while an
   * audio source runs, so a long silence plays); `tones`, as in-band audio (the source is
   * switched to a WAV of the tones, which ends in enough silence for the goodbye, because
   * aufile hangs up at the end of its file). Resolves with baresip's events once the call closed.
   */
  async function baresip(
    caller: string,
    send: { keys: string } | { tones: string },
  ): Promise<{ events: string; callId: string }> {
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
          [
            `sip_listen 127.0.0.1:${sip}`,
            'net_interface 127.0.0.1',
            `sip_cafile ${join(db.dataDir, 'sip-tls', 'cert.pem')}`,
            `audio_source aufile,${join(home, 'silence.wav')}`,
            'audio_player aufile,/dev/null',
            'module_path /usr/lib/baresip/modules',
            'module g711.so',
            'module aufile.so',
            'module srtp.so',
            'module_tmp account.so',
            'module_app menu.so',
            'module_app ctrl_tcp.so',
            `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
            '',
          ].join('\n'),
        );
        const started = spawn(BARESIP, ['-f', home], { stdio: ['ignore', 'pipe', 'pipe'] });
        child = started;
        peers.add(started);
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
          peers.delete(started);
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
      return { events, callId: established?.id ?? '' };
    } finally {
      ctrl?.destroy();
      if (child) {
        child.kill('SIGKILL');
        peers.delete(child);
      }
    }
  }

  beforeAll(async () => {
    ensureDebianPackages({ [SIPP]: 'sip-tester', [BARESIP]: 'baresip-core' });
    work = mkdtempSync(join(tmpdir(), 'umpin-voice-calls-'));
    db = await freshDatabase('sqlite');
    sipPort = await freePort();
    tlsPort = await freePort();
    server = await startServe(
      childEnv(db, {
        UMPIN_SIP_HOST: '127.0.0.1',
        UMPIN_SIP_PORT: String(sipPort),
        UMPIN_SIP_TLS_PORT: String(tlsPort),
        UMPIN_SIP_TRUSTED: '127.0.0.1',
      }),
      ['--demo'],
    );
    await waitFor(
      () => server.output().includes('SIP endpoint listening'),
      10_000,
      () => server.output(),
    );
    const t = await umpin(childEnv(db), 'token', 'new', '--name', 'pbx', '--role', 'Voice Gateway');
    expect(t.code, t.stderr).toBe(0);
    token = t.stdout.trim().split('\n').at(-1)!;
    const v = await umpin(
      childEnv(db),
      'token',
      'new',
      '--name',
      'viewer',
      '--role',
      'View-Only Organization Management',
    );
    expect(v.code, v.stderr).toBe(0);
    viewer = v.stdout.trim().split('\n').at(-1)!;
    await Promise.all([
      mailboxWithPin('tonysmith', '10231', TONY_PIN),
      mailboxWithPin('kimakers', '10232', KIM_PIN),
      mailboxWithPin('davidpelton', '10233', DAVID_PIN),
      mailboxWithPin('jeffhay', '10236', JEFF_PIN),
      mailboxWithPin('ellenadams', '10235', ELLEN_PIN),
      // a PIN the caller must change at the first logon: expired, and first-time
      shell(`Set-UMMailboxPIN -Identity chrisashton -Pin ${CHRIS_PIN} -PinExpired $true`),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const peer of peers) peer.kill('SIGKILL');
    await server?.stop();
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('sipp, RFC 4733: a wrong PIN is counted against the calling number; the right one signs in and clears the count', async () => {
    const wrong = await sipp('voice-keys-hangup.xml', '10231', { keys: `${WRONG_PIN}#`, pauseMs: 3000 });
    expect(wrong.code, wrong.output).toBe(0);
    expect(await pinState('tonysmith')).toMatchObject({ failedAttempts: 1, lastFailureCaller: '10231' });
    expect(outcomes(wrong.callId)).toEqual(['wrong', 'caller-hangup']);

    const right = await sipp('voice-keys.xml', '10231', { keys: `${TONY_PIN}#*` });
    expect(right.code, right.output).toBe(0);
    // a right PIN clears the count; the last failure stays on record
    expect(await pinState('tonysmith')).toMatchObject({ failedAttempts: 0, lastFailureCaller: '10231' });
    expect(outcomes(right.callId)).toEqual(['ok', 'signed-in']);
  });

  it.concurrent('sipp, in-band tones: the keys heard in the audio sign in', async () => {
    await failOnce('10232');
    expect(await pinState('kimakers')).toMatchObject({ failedAttempts: 1 });
    const call = await sipp('voice-inband.xml', '10232', {
      files: { 'pin.ulaw': ulawFile(dtmfSamples(`${KIM_PIN}#*`, 500, 500)) },
    });
    expect(call.code, call.output).toBe(0);
    expect(await pinState('kimakers')).toMatchObject({ failedAttempts: 0 });
    expect(outcomes(call.callId)).toEqual(['ok', 'signed-in']);
  });

  it.concurrent('baresip over TLS with SRTP, RFC 4733 events: signs in', async () => {
    await failOnce('10233');
    expect(await pinState('davidpelton')).toMatchObject({ failedAttempts: 1 });
    const call = await baresip('10233', { keys: `${DAVID_PIN}#*` });
    expect(call.events).toContain('CALL_ESTABLISHED');
    expect(await pinState('davidpelton')).toMatchObject({ failedAttempts: 0 });
    expect(outcomes(call.callId)).toEqual(['ok', 'signed-in']);
    // the call was encrypted: serve logs each answered call's transport and whether SRTP is used
    const answered = server
      .output()
      .split('\n')
      .find((l) => l.includes(call.callId) && l.includes('SIP call answered'));
    expect(JSON.parse(answered!)).toMatchObject({ transport: 'tls', srtp: true, telephoneEvent: true });
  });

  it.concurrent('baresip over TLS with SRTP, in-band tones: signs in', async () => {
    await failOnce('10236');
    expect(await pinState('jeffhay')).toMatchObject({ failedAttempts: 1 });
    const call = await baresip('10236', { tones: `${JEFF_PIN}#*` });
    expect(await pinState('jeffhay')).toMatchObject({ failedAttempts: 0 });
    expect(outcomes(call.callId)).toEqual(['ok', 'signed-in']);
  });

  it.concurrent('sipp: the first logon asks for a new PIN, refuses one that breaks a rule, and sets a good one', async () => {
    expect(await pinState('chrisashton')).toMatchObject({ pinExpired: true, firstTimeUser: true });
    const call = await sipp('voice-keys.xml', '10234', {
      keys: `${CHRIS_PIN}#111111#111111#${CHRIS_NEW_PIN}#${CHRIS_NEW_PIN}#*`,
    });
    expect(call.code, call.output).toBe(0);
    expect(await pinState('chrisashton')).toMatchObject({ pinExpired: false, firstTimeUser: false, failedAttempts: 0 });
    const steps = dialogueLines(call.callId)
      .filter((l) => l.step === 'logon' || l.step === 'new-pin')
      .map((l) => [l.step, l.outcome]);
    expect(steps).toEqual([
      ['logon', 'must-change'],
      ['new-pin', 'refused'],
      ['new-pin', 'changed'],
    ]);
    // 111111 is refused for its rule (the same digit repeated), which the caller hears spoken
    expect(dialogueLines(call.callId).find((l) => l.outcome === 'refused')).toMatchObject({
      rules: ['UMPIN_PIN_COMMON_PATTERN'],
    });
    // the change is audited once, as made by the SIP gateway for the calling number
    const audit = await shell(
      'Search-AdminAuditLog -Cmdlets Voice:ChangePIN -ObjectIds chrisashton@contoso.com | Format-List',
    );
    expect(audit.match(/^CmdletName\s*:/gm)).toHaveLength(1);
    expect(audit).toMatch(/Caller\s*: sip-gateway:127\.0\.0\.1/);
    expect(audit).toMatch(/Source\s*: sip:10234/);
    expect(audit).toMatch(/Succeeded\s*: True/);
    // the new PIN is the one in force: the gateway's logon with it says ok
    const res = await fetch(`${server.url}/api/v1/voice/logons`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ extension: '10234', pin: CHRIS_NEW_PIN }),
    });
    expect(await res.json()).toMatchObject({ outcome: 'ok' });
  });

  it.concurrent('sipp: a caller who hangs up halfway through the PIN changes nothing', async () => {
    const before = await pinState('ellenadams');
    const call = await sipp('voice-keys-hangup.xml', '10235', { keys: ELLEN_PIN.slice(0, 3), pauseMs: 1500 });
    expect(call.code, call.output).toBe(0);
    await waitFor(
      () => dialogueLines(call.callId).some((l) => l.msg === 'voice dialogue ended'),
      5000,
      () => server.output(),
    );
    expect(outcomes(call.callId)).toEqual(['caller-hangup']);
    expect(await pinState('ellenadams')).toEqual(before);
  });

  it("no PIN keyed or set in these calls appears in the server's output", () => {
    const out = server.output();
    expect(out).toContain('voice dialogue ended');
    for (const pin of PINS) expect(out).not.toMatch(new RegExp(`(?<![0-9])${pin}(?![0-9])`));
  });
});
