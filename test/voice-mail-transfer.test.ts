/**
 * The dial plan's VoiceMailUri on a real call: the built `umpin serve --demo` with its SIP
 * endpoint, called by Debian's sipp, which logs on by RFC 4733 events and then plays the PBX:
 * it receives the REFER, checks that Refer-To is the VoiceMailUri with the extension filled in
 * (and no PIN anywhere in it), accepts it (202) and reports the outcome by NOTIFY. The setup
 * (serve with SIP, a gateway token, a mailbox with a known PIN) is a small copy of
 * voice-logon-calls.test.ts, which does not export its helpers.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServe, umpin, type RunningServer } from './cli-runner.js';
import { ensureDebianPackages } from './debian-packages.js';
import { childEnv, freshDatabase, type TestDb } from './harness.js';

const SIPP = '/usr/bin/sipp';
const SCENARIOS = join(process.cwd(), 'test', 'sipp');
// seven digits, no extension, port or part of another: found in any output, a PIN leaked
const FIRST_PIN = '4829163';
const TONY_PIN = '6150794';
const VOICE_MAIL_URI = 'sip:*97{extension}@voicemail.contoso.com';
const TONY_VOICE_MAIL = 'sip:*9710231@voicemail.contoso.com';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a signed-in caller transferred to the PBX’s voice mail, against umpin serve with sipp', () => {
  let db: TestDb;
  let server: RunningServer;
  let sipPort: number;
  let token: string;
  let work: string;
  const peers = new Set<ChildProcess>();
  let calls = 0;

  async function shell(command: string): Promise<string> {
    const r = await umpin(childEnv(db), 'shell', '-c', command);
    if (r.code !== 0) throw new Error(`${command}: ${r.stderr}`);
    return r.stdout;
  }

  /** The outcome the dialogue logged when the call ended. */
  function ended(callId: string): unknown {
    return server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{') && l.includes('voice dialogue ended'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.callId === callId)?.outcome;
  }

  /** One sipp call over UDP from `caller` keying `keys`; its exit code, output and the messages it traced. */
  async function sipp(
    scenario: string,
    caller: string,
    keys: string,
  ): Promise<{ code: number; output: string; messages: string; callId: string }> {
    const dir = mkdtempSync(join(work, 'sipp-'));
    const callId = `${scenario.replace('.xml', '')}-${++calls}@127.0.0.1`;
    const args = [
      `127.0.0.1:${sipPort}`,
      ...['-sf', join(SCENARIOS, scenario), '-m', '1', '-t', 'u1', '-i', '127.0.0.1'],
      ...['-p', String(await freePort()), '-mp', String(await freePort()), '-s', '8000'],
      ...['-key', 'caller', caller, '-key', 'keys', keys],
      ...['-timeout', '40s', '-timeout_error', '-nostdin', '-trace_err', '-trace_msg', '-cid_str', callId],
    ];
    return new Promise((resolve) => {
      const child = execFile(SIPP, args, { cwd: dir, timeout: 50_000 }, (err, stdout, stderr) => {
        peers.delete(child);
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        const read = (suffix: string) =>
          readdirSync(dir)
            .filter((f) => f.endsWith(suffix))
            .map((f) => readFileSync(join(dir, f), 'utf8'))
            .join('\n');
        resolve({
          code: typeof code === 'number' ? code : 1,
          output: `${stdout}\n${stderr}\n${read('_errors.log')}`,
          messages: read('_messages.log'),
          callId,
        });
      });
      peers.add(child);
    });
  }

  beforeAll(async () => {
    ensureDebianPackages({ [SIPP]: 'sip-tester' });
    work = mkdtempSync(join(tmpdir(), 'umpin-voice-mail-'));
    db = await freshDatabase('sqlite');
    sipPort = await freePort();
    server = await startServe(
      childEnv(db, {
        UMPIN_SIP_HOST: '127.0.0.1',
        UMPIN_SIP_PORT: String(sipPort),
        UMPIN_SIP_TRUSTED: '127.0.0.1',
      }),
      ['--demo'],
    );
    for (let waited = 0; !server.output().includes('SIP endpoint listening'); waited += 50) {
      if (waited > 10_000) throw new Error(`the SIP endpoint did not start:\n${server.output()}`);
      await sleep(50);
    }
    const t = await umpin(childEnv(db), 'token', 'new', '--name', 'pbx', '--role', 'Voice Gateway');
    expect(t.code, t.stderr).toBe(0);
    token = t.stdout.trim().split('\n').at(-1)!;
    // a PIN that need not be changed: set by the administrator, changed once through the gateway
    await shell(`Set-UMMailboxPIN -Identity tonysmith -Pin ${FIRST_PIN} -PinExpired $false`);
    const res = await fetch(`${server.url}/api/v1/voice/pin-changes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ extension: '10231', oldPin: FIRST_PIN, newPin: TONY_PIN, confirmPin: TONY_PIN }),
    });
    expect(await res.json()).toMatchObject({ outcome: 'changed' });
    await shell(`Set-UMDialPlan -Identity Contoso -VoiceMailUri '${VOICE_MAIL_URI}'`);
    expect(await shell('(Get-UMDialPlan Contoso).VoiceMailUri')).toContain(VOICE_MAIL_URI);
  }, 120_000);

  afterAll(async () => {
    for (const peer of peers) peer.kill('SIGKILL');
    await server?.stop();
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('after the PIN and #, # transfers: REFER to the voice mail of extension 10231, 202, NOTIFY 200, then umpin hangs up', async () => {
    const call = await sipp('voice-mail-transfer.xml', '10231', `${TONY_PIN}##`);
    expect(call.code, call.output).toBe(0);
    const refer = call.messages.split(/\n(?=-{5,})/).find((m) => /^REFER /m.test(m));
    expect(refer).toBeDefined();
    expect(refer).toContain(`Refer-To: <${TONY_VOICE_MAIL}>`);
    expect(refer).not.toContain(TONY_PIN);
    expect(ended(call.callId)).toBe('transferred-voice-mail');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/umpin_voice_calls_total\{outcome="transferred-voice-mail"\} 1\b/);
  });

  it('a transfer the PBX reports as trying (NOTIFY 100), then failed (NOTIFY 486): the caller stays, hears so, and * hangs up', async () => {
    const call = await sipp('voice-mail-transfer-fails.xml', '10231', `${TONY_PIN}##`);
    expect(call.code, call.output).toBe(0);
    expect(ended(call.callId)).toBe('signed-in');
  });

  it('no PIN reached serve’s output', () => {
    expect(server.output()).not.toMatch(new RegExp(`(^|[^0-9])(${FIRST_PIN}|${TONY_PIN})([^0-9]|$)`));
  });
});
