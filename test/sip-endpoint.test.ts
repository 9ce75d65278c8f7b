/**
 * The SIP endpoint against real peers: Debian's sipp over UDP and TCP (scenarios in
 * test/sipp/), baresip over TLS with SRTP, and raw sockets for malformed input. Media is a
 * real, minimal RTP port allocator (a UDP socket bound per call, nothing sent): the SIP
 * behaviour under test is the endpoint's own.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, MediaSession, MediaSessions, PendingMedia } from '../src/sip/call-media.js';
import { loadConfig } from '../src/config.js';
import { openSipEndpoint } from '../src/compose.js';
import { SipEndpoint } from '../src/sip/endpoint/sip-endpoint.js';
import type { AcceptableAudio } from '../src/sip/sdp/audio-offer.js';
import type { SipLogger } from '../src/sip/transport/flow.js';
import { DEFAULT_TRANSPORT_LIMITS } from '../src/sip/transport/transport-limits.js';
import { loadTlsCredentials } from '../src/sip/transport/tls-credentials.js';
import fc from 'fast-check';
import { freePort, startServe } from './cli-runner.js';
import { chunk, cutsArb, mutatedArb } from './sip-fuzz.js';
import { PEER_MESSAGES } from './sip-peer-messages.js';
import { childEnv, freshDatabase } from './harness.js';
import { ensureDebianPackages } from './debian-packages.js';
import { baresipConfig, wavFile } from './voice-call-peers.js';

const SIPP = '/usr/bin/sipp';
const BARESIP = '/usr/bin/baresip';
const SCENARIOS = join(process.cwd(), 'test', 'sipp');

/** A UDP socket per call on loopback; it receives and drops, and never sends. */
class LoopbackRtpPorts implements MediaSessions {
  open = 0;
  allocations = 0;
  secureAllocations = 0;
  delayMs = 0;
  readonly started: { callId: string; audio: AcceptableAudio }[] = [];
  readonly updates: AcceptableAudio[] = [];

  async allocate(options: { readonly secure: boolean }): Promise<PendingMedia> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const socket = createSocket('udp4');
    socket.on('message', () => undefined);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    this.allocations++;
    if (options.secure) this.secureAllocations++;
    this.open++;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.open--;
      socket.close();
    };
    const localPort = socket.address().port;
    const localKey = options.secure ? { key: randomBytes(16), salt: randomBytes(14) } : null;
    return {
      localPort,
      localKey,
      start: (audio, callId) => {
        this.started.push({ callId, audio });
        return this.#session(socket, localPort, localKey, audio, close);
      },
      release: close,
    };
  }

  #session(
    _socket: UdpSocket,
    localPort: number,
    localKey: MediaSession['localKey'],
    first: AcceptableAudio,
    close: () => void,
  ): MediaSession {
    let audio = first;
    let done!: () => void;
    const closedPromise = new Promise<void>((r) => {
      done = r;
    });
    const updates = this.updates;
    return {
      localPort,
      localKey,
      get audio() {
        return audio;
      },
      update(next) {
        audio = next;
        updates.push(next);
      },
      onDigit: () => () => undefined,
      play: async () => 'done',
      stopPlayback: () => undefined,
      closed: closedPromise,
      close: async () => {
        close();
        done();
      },
    };
  }
}

interface LogLine {
  level: string;
  fields: object;
  message: string;
}

function memoryLogger(lines: LogLine[]): SipLogger {
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(20);
  }
}

interface SippResult {
  code: number;
  output: string;
}

async function sipp(
  scenario: string,
  target: string,
  opts: { transport: 'u1' | 't1'; service?: string; bind?: string; keys?: string },
): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'umpin-sipp-'));
  const args = [
    target,
    '-sf',
    join(SCENARIOS, scenario),
    '-m',
    '1',
    '-t',
    opts.transport,
    '-i',
    opts.bind ?? '127.0.0.1',
    '-p',
    String(await freePort()),
    '-mp',
    String(await freePort()),
    '-s',
    opts.service ?? '8000',
    '-timeout',
    '20s',
    '-timeout_error',
    '-nostdin',
    '-trace_err',
    ...(opts.keys === undefined ? [] : ['-key', 'keys', opts.keys, '-key', 'caller', '5551234']),
  ];
  return new Promise((resolve) => {
    execFile(SIPP, args, { cwd: dir, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      let errors = '';
      try {
        errors = readdirSync(dir)
          .filter((f) => f.endsWith('_errors.log'))
          .map((f) => readFileSync(join(dir, f), 'utf8'))
          .join('\n');
      } catch {
        /* none */
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: typeof code === 'number' ? code : 1, output: `${stdout}\n${stderr}\n${errors}` });
    });
  });
}

describe('the SIP endpoint with sipp (UDP and TCP)', () => {
  const log: LogLine[] = [];
  const media = new LoopbackRtpPorts();
  const calls: Call[] = [];
  const endings: string[] = [];
  const transfers: boolean[] = [];
  let endpoint: SipEndpoint;
  let port: number;

  beforeAll(async () => {
    ensureDebianPackages({ [SIPP]: 'sip-tester' });
    port = await freePort();
    endpoint = new SipEndpoint(
      {
        host: '127.0.0.1',
        udpPort: port,
        tcpPort: port,
        tlsPort: null,
        trusted: ['127.0.0.1/32'],
        maxCallMs: 60_000,
        timers: { t1: 100, t2: 400, t4: 500 },
        log: memoryLogger(log),
      },
      media,
      async (call) => {
        calls.push(call);
        void call.ended.then((r) => endings.push(r));
        // the dialled number picks what this small dialogue does: hang up itself, or wait for the caller
        if (call.dialled === 'transfer') {
          transfers.push(await call.transfer('sip:voicemail@127.0.0.1'));
          // the transferred caller leaves our leg with a BYE
          await call.ended;
        } else if (call.dialled === 'hangup') {
          await call.media.play(new Int16Array(160));
          await sleep(300);
          await call.hangUp();
        } else await call.ended;
      },
    );
    await endpoint.start();
  });

  afterAll(async () => {
    await endpoint?.stop();
  });

  const target = () => `127.0.0.1:${port}`;

  for (const transport of ['u1', 't1'] as const) {
    const name = transport === 'u1' ? 'UDP' : 'TCP';

    it(`completes a call over ${name}: INVITE, 200 with G.711, ACK, the caller's BYE`, async () => {
      const before = calls.length;
      const r = await sipp('uac-call.xml', target(), { transport });
      expect(r.code, r.output).toBe(0);
      await waitFor(() => endings.length > before);
      const call = calls.at(-1)!;
      expect(call.transport).toBe(transport === 'u1' ? 'udp' : 'tcp');
      expect(call.callerId).toBe('5551234');
      expect(call.dialled).toBe('8000');
      expect(call.media.audio.codec.name).toBe('PCMU');
      expect(call.media.audio.telephoneEvent?.payloadType).toBe(101);
      expect(await call.ended).toBe('caller-hangup');
      await waitFor(() => media.open === 0);
    });

    it(`takes a delayed offer over ${name}: our offer in the 200, the answer (PCMA) in the ACK`, async () => {
      const before = calls.length;
      const r = await sipp('delayed-offer.xml', target(), { transport });
      expect(r.code, r.output).toBe(0);
      await waitFor(() => calls.length > before);
      const call = calls.at(-1)!;
      expect(call.media.audio.codec.name).toBe('PCMA');
      expect(call.media.audio.telephoneEvent?.payloadType).toBe(101);
      expect(await call.ended).toBe('caller-hangup');
      await waitFor(() => media.open === 0);
    });

    it(`ends a delayed-offer call whose ACK brings no answer over ${name}, with BYE and its media released`, async () => {
      const before = calls.length;
      const r = await sipp('delayed-offer-no-answer.xml', target(), { transport });
      expect(r.code, r.output).toBe(0);
      expect(calls.length).toBe(before);
      await waitFor(() => media.open === 0);
      expect(log.some((l) => l.message.includes('SIP answer in the ACK refused'))).toBe(true);
    });

    it(`hangs up itself over ${name}: our BYE is answered`, async () => {
      const r = await sipp('uac-remote-bye.xml', target(), { transport, service: 'hangup' });
      expect(r.code, r.output).toBe(0);
      expect(await calls.at(-1)!.ended).toBe('local-hangup');
      await waitFor(() => media.open === 0);
    });

    it(`answers INFO and OPTIONS in a call over ${name}, 405 to SUBSCRIBE and 501 to an unknown method`, async () => {
      const r = await sipp('uac-in-dialog.xml', target(), { transport });
      expect(r.code, r.output).toBe(0);
      expect(await calls.at(-1)!.ended).toBe('caller-hangup');
    });

    it(`transfers a call by REFER over ${name}: 202, a NOTIFY answered, the caller's BYE`, async () => {
      const before = transfers.length;
      const r = await sipp('uac-transfer.xml', target(), { transport, service: 'transfer' });
      expect(r.code, r.output).toBe(0);
      expect(transfers.slice(before)).toEqual([true]);
      expect(await calls.at(-1)!.ended).toBe('caller-hangup');
    });

    it(`answers OPTIONS over ${name} with Allow`, async () => {
      const r = await sipp('options.xml', target(), { transport });
      expect(r.code, r.output).toBe(0);
    });

    it(`answers a CANCEL before the answer over ${name}: 200, then 487 to the INVITE, media released`, async () => {
      const before = calls.length;
      const allocations = media.allocations;
      media.delayMs = 600;
      try {
        const r = await sipp('cancel.xml', target(), { transport });
        expect(r.code, r.output).toBe(0);
      } finally {
        media.delayMs = 0;
      }
      // the port found after the CANCEL is given back at once
      await waitFor(() => media.allocations === allocations + 1 && media.open === 0);
      expect(calls.length).toBe(before);
    });

    it(`puts a call on hold by re-INVITE over ${name}`, async () => {
      const updates = media.updates.length;
      const r = await sipp('reinvite-hold.xml', target(), { transport });
      expect(r.code, r.output).toBe(0);
      expect(media.updates.length).toBe(updates + 1);
      expect(media.updates.at(-1)!.direction).toBe('sendonly');
    });

    it(`changes codec by re-INVITE over ${name}`, async () => {
      const r = await sipp('reinvite-codec.xml', target(), { transport });
      expect(r.code, r.output).toBe(0);
      expect(media.updates.at(-1)!.codec.name).toBe('PCMA');
    });

    it(`refuses Max-Forwards 0 (483) and an offer without G.711 (488) over ${name}`, async () => {
      const allocations = media.allocations;
      const r1 = await sipp('max-forwards-zero.xml', target(), { transport });
      expect(r1.code, r1.output).toBe(0);
      const r2 = await sipp('no-g711.xml', target(), { transport });
      expect(r2.code, r2.output).toBe(0);
      await waitFor(() => media.open === 0);
      expect(media.allocations).toBe(allocations + 1);
    });

    it(`refuses an untrusted source over ${name} with 403 and a log line naming it`, async () => {
      const r = await sipp('untrusted-invite.xml', target(), { transport, bind: '127.0.0.2' });
      expect(r.code, r.output).toBe(0);
      expect(log.some((l) => l.level === 'warn' && l.message.includes('127.0.0.2'))).toBe(true);
    });
  }

  it('absorbs a retransmitted INVITE over UDP: one call, the copy answered again', async () => {
    const allocations = media.allocations;
    const before = calls.length;
    media.delayMs = 300;
    try {
      const r = await sipp('retransmitted-invite.xml', target(), { transport: 'u1' });
      expect(r.code, r.output).toBe(0);
    } finally {
      media.delayMs = 0;
    }
    expect(media.allocations).toBe(allocations + 1);
    await waitFor(() => calls.length === before + 1);
    expect(await calls.at(-1)!.ended).toBe('caller-hangup');
  });

  it('survives malformed input on its sockets and keeps answering OPTIONS', async () => {
    // garbage datagrams
    const udp = createSocket('udp4');
    for (const junk of [
      randomBytes(200),
      Buffer.from('INVITE sip:x SIP/2.0\r\n\r\n'),
      Buffer.from('\r\n\r\n'),
      Buffer.from('SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n'),
      Buffer.from(
        `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\n${'X-Big: y\r\n'.repeat(3000)}\r\n`,
      ),
    ]) {
      await new Promise<void>((r) => udp.send(junk, port, '127.0.0.1', () => r()));
    }
    udp.close();
    // a TCP stream with a bad Content-Length, and another with a 100 KB message: each connection is closed
    for (const payload of [
      Buffer.from(
        'OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKbad\r\nContent-Length: lots\r\n\r\n',
      ),
      Buffer.concat([
        Buffer.from('OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKbig\r\n'),
        Buffer.from(`X-Padding: ${'a'.repeat(100 * 1024)}\r\n\r\n`),
      ]),
    ]) {
      const socket: Socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((r) => socket.once('connect', () => r()));
      socket.write(payload);
      await new Promise<void>((r) => socket.once('close', () => r()));
    }
    const r = await sipp('options.xml', target(), { transport: 'u1' });
    expect(r.code, r.output).toBe(0);
    const t = await sipp('options.xml', target(), { transport: 't1' });
    expect(t.code, t.output).toBe(0);
  });
});

describe('the SIP endpoint ending calls itself (short timers)', () => {
  const media = new LoopbackRtpPorts();
  const calls: Call[] = [];
  let endpoint: SipEndpoint;
  let port: number;
  let tcpPort: number;

  beforeAll(async () => {
    ensureDebianPackages({ [SIPP]: 'sip-tester' });
    port = await freePort();
    tcpPort = await freePort();
    endpoint = new SipEndpoint(
      {
        host: '127.0.0.1',
        udpPort: port,
        tcpPort: tcpPort,
        tlsPort: null,
        trusted: ['127.0.0.1'],
        maxCallMs: 500,
        timers: { t1: 20, t2: 80, t4: 100 },
        limits: { ...DEFAULT_TRANSPORT_LIMITS, idleTimeoutMs: 400, maxConnectionsPerAddress: 4 },
      },
      media,
      async (call) => {
        calls.push(call);
        await call.ended;
      },
    );
    await endpoint.start();
  });

  afterAll(async () => {
    await endpoint?.stop();
  });

  it('takes thousands of mutated peer messages on UDP and TCP without a crash or a leak, and still answers', async () => {
    const datagrams = fc.sample(mutatedArb(PEER_MESSAGES), { numRuns: 2000, seed: 12 });
    const udp = createSocket('udp4');
    for (const d of datagrams) await new Promise<void>((r) => udp.send(d, port, '127.0.0.1', () => r()));
    udp.close();
    const streams = fc.sample(fc.tuple(fc.array(mutatedArb(PEER_MESSAGES), { maxLength: 20 }), cutsArb), {
      numRuns: 40,
      seed: 13,
    });
    for (const [messages, cuts] of streams) {
      const socket: Socket = connect(tcpPort, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((r) => socket.once('connect', () => r()));
      for (const piece of chunk(Buffer.concat(messages), cuts)) socket.write(piece);
      await sleep(5);
      socket.destroy();
    }
    const r = await sipp('options.xml', `127.0.0.1:${port}`, { transport: 'u1' });
    expect(r.code, r.output).toBe(0);
    // every call a mutated INVITE opened ends (no ACK, or the maximum length) and gives its port back
    await waitFor(() => endpoint.activeCalls === 0 && media.open === 0, 10_000);
  });

  it('closes a connection that trickles bytes without completing a message, and refuses a fifth from one address', async () => {
    const open = async () => {
      const socket: Socket = connect(tcpPort, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((r) => socket.once('connect', () => r()));
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      return { socket, closed };
    };
    const slow = await open();
    const text = 'OPTIONS sip:127.0.0.1 SIP/2.0\r\n';
    let i = 0;
    const trickle = setInterval(() => {
      if (!slow.socket.destroyed) slow.socket.write(text[i++ % text.length]!);
    }, 50);
    try {
      await slow.closed;
    } finally {
      clearInterval(trickle);
    }
    const four = await Promise.all([open(), open(), open(), open()]);
    const fifth = await open();
    await fifth.closed;
    for (const c of four) expect(c.socket.destroyed).toBe(false);
    for (const c of four) c.socket.destroy();
  });

  it('answers a request missing a header it needs with 400 naming it, back to where it came from', async () => {
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    const answer = new Promise<string>((r) => peer.once('message', (m) => r(m.toString('utf8'))));
    // the Via names another port: rport sends the answer to the socket that sent the request
    peer.send(
      'OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKnocallid;rport\r\n' +
        'From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
      port,
      '127.0.0.1',
    );
    try {
      expect((await answer).split('\r\n')[0]).toBe('SIP/2.0 400 Missing Call-ID');
    } finally {
      peer.close();
    }
  });

  it('hangs up at the maximum call length', async () => {
    const r = await sipp('uac-remote-bye.xml', `127.0.0.1:${port}`, { transport: 'u1' });
    expect(r.code, r.output).toBe(0);
    expect(await calls.at(-1)!.ended).toBe('timeout');
  });

  it('retransmits its 200 while no ACK comes, then ends the call with BYE', async () => {
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    const received: string[] = [];
    peer.on('message', (m) => received.push(m.toString('utf8')));
    const peerPort = peer.address().port;
    const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n';
    const invite =
      `INVITE sip:8000@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${peerPort};branch=z9hG4bKnoack;rport\r\n` +
      `From: <sip:5550000@127.0.0.1>;tag=noack\r\nTo: <sip:8000@127.0.0.1>\r\nCall-ID: noack-1\r\nCSeq: 1 INVITE\r\n` +
      `Contact: <sip:peer@127.0.0.1:${peerPort}>\r\nMax-Forwards: 70\r\nContent-Type: application/sdp\r\n` +
      `Content-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`;
    peer.send(invite, port, '127.0.0.1');
    try {
      await waitFor(() => received.some((m) => m.startsWith('BYE ')), 5000);
    } finally {
      peer.close();
    }
    const oks = received.filter((m) => m.startsWith('SIP/2.0 200'));
    expect(oks.length).toBeGreaterThanOrEqual(3);
    expect(oks[0]).toContain('PCMA/8000');
    expect(calls.some((c) => c.callId === 'noack-1')).toBe(false);
    await waitFor(() => media.open === 0);
  });
});

describe('the SIP endpoint with baresip over TLS and SRTP', () => {
  const log: LogLine[] = [];
  const media = new LoopbackRtpPorts();
  const calls: Call[] = [];
  let endpoint: SipEndpoint;
  let tlsPort: number;
  let dir: string;
  let certPath: string;

  beforeAll(async () => {
    ensureDebianPackages({ [BARESIP]: 'baresip-core' });
    dir = mkdtempSync(join(tmpdir(), 'umpin-baresip-'));
    const credentials = await loadTlsCredentials({ dataDir: join(dir, 'data'), host: '127.0.0.1' });
    certPath = credentials.certPath;
    tlsPort = await freePort();
    endpoint = new SipEndpoint(
      {
        host: '127.0.0.1',
        udpPort: null,
        tcpPort: null,
        tlsPort,
        tls: credentials,
        trusted: ['127.0.0.1'],
        maxCallMs: 60_000,
        log: memoryLogger(log),
      },
      media,
      async (call) => {
        calls.push(call);
        await sleep(1000);
        await call.hangUp();
      },
    );
    await endpoint.start();
  });

  afterAll(async () => {
    await endpoint?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One call from baresip over TLS to the endpoint, driven through ctrl_tcp; its events as it reported them. */
  async function baresipCall(name: string, mediaenc: string): Promise<string> {
    const home = join(dir, `baresip-${name}`);
    mkdirSync(home, { recursive: true });
    // 30 s of silence: aufile hangs up at the end of its file
    writeFileSync(join(home, 'silence.wav'), wavFile(new Int16Array(8000 * 30)));
    writeFileSync(
      join(home, 'accounts'),
      `<sip:tester@127.0.0.1;transport=tls>;regint=0;audio_codecs=pcmu${mediaenc}\n`,
    );
    let baresip!: ChildProcess;
    let output = '';
    let ctrl: Socket | null = null;
    // a free port can be taken by a suite running beside this one before baresip binds it: then again, on others
    for (let attempt = 0; attempt < 3 && ctrl === null; attempt++) {
      const sipPort = await freePort();
      const ctrlPort = await freePort();
      writeFileSync(join(home, 'config'), baresipConfig(home, { sipPort, ctrlPort, caFile: certPath }));
      const child = spawn(BARESIP, ['-f', home], { stdio: ['ignore', 'pipe', 'pipe'] });
      baresip = child;
      output = '';
      child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
      for (let i = 0; i < 100 && ctrl === null && !output.includes('Address already in use'); i++) {
        await sleep(100);
        ctrl = await new Promise<Socket | null>((resolve) => {
          const s = connect(ctrlPort, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', () => resolve(null));
        });
      }
      if (ctrl === null && output.includes('Address already in use')) {
        child.kill('SIGKILL');
        await sleep(100);
      } else break;
    }
    try {
      if (ctrl === null) throw new Error(`baresip's control port did not open:\n${output}`);
      let events = '';
      ctrl.on('data', (c: Buffer) => (events += c.toString('utf8')));
      const command = JSON.stringify({ command: 'dial', params: `sip:8000@127.0.0.1:${tlsPort};transport=tls` });
      ctrl.write(`${Buffer.byteLength(command)}:${command},`);
      await waitFor(() => events.includes('CALL_CLOSED'), 20_000).catch(() => {
        throw new Error(`no CALL_CLOSED:\n${events}\n${output}`);
      });
      ctrl.destroy();
      return events;
    } finally {
      baresip.kill('SIGKILL');
    }
  }

  it('answers an INVITE over TLS with RTP/SAVP and an a=crypto key, and ends the call with BYE', async () => {
    const events = await baresipCall('srtp', ';mediaenc=srtp-mand');
    expect(events).toContain('CALL_ESTABLISHED');
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.transport).toBe('tls');
    expect(media.secureAllocations).toBe(1);
    expect(call.media.audio.profile).toBe('RTP/SAVP');
    expect(call.media.audio.crypto?.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(call.media.localKey).not.toBeNull();
    expect(await call.ended).toBe('local-hangup');
  });

  it('refuses plain RTP over TLS with 488, so that no PIN crosses the network in clear', async () => {
    const events = await baresipCall('plain', '');
    expect(events).not.toContain('CALL_ESTABLISHED');
    expect(calls).toHaveLength(1);
    expect(
      log.some((l) => l.message === 'SIP offer refused (488)' && JSON.stringify(l.fields).includes('srtp-required')),
    ).toBe(true);
    await waitFor(() => media.open === 0);
  });
});

describe('umpin serve with SIP voice access', () => {
  it('listens on UMPIN_SIP_PORT (UDP and TCP) and UMPIN_SIP_TLS_PORT, answers OPTIONS and a call', async () => {
    ensureDebianPackages({ [SIPP]: 'sip-tester' });
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
    );
    try {
      await waitFor(() => server.output().includes('SIP endpoint listening'), 10_000);
      for (const transport of ['u1', 't1'] as const) {
        const r = await sipp('options.xml', `127.0.0.1:${sipPort}`, { transport });
        expect(r.code, r.output).toBe(0);
      }
      // serve answers; the caller hangs up (calls that go through the logon dialogue: voice-logon-calls.test.ts)
      const call = await sipp('uac-call.xml', `127.0.0.1:${sipPort}`, { transport: 'u1' });
      expect(call.code, call.output).toBe(0);
      // a delayed offer (no SDP in the INVITE) on the real media: the keys are heard as RFC 4733 events
      const digits = async () => {
        const text = await (await fetch(`${server.url}/metrics`)).text();
        const line = text.split('\n').find((l) => l.startsWith('umpin_voice_digits_total{method="rfc4733"} '));
        return line === undefined ? 0 : Number(line.split(' ')[1]);
      };
      const before = await digits();
      const delayed = await sipp('voice-keys-delayed-offer.xml', `127.0.0.1:${sipPort}`, {
        transport: 'u1',
        keys: '4711#',
      });
      expect(delayed.code, delayed.output).toBe(0);
      await expect.poll(digits).toBe(before + 5);
      const untrusted = await sipp('untrusted-invite.xml', `127.0.0.1:${sipPort}`, {
        transport: 'u1',
        bind: '127.0.0.2',
      });
      expect(untrusted.code, untrusted.output).toBe(0);
      await waitFor(() => server.output().includes('untrusted address 127.0.0.2'), 5000);
      // the TLS listener's self-signed certificate, generated once into the data directory
      expect(existsSync(join(db.dataDir, 'sip-tls', 'cert.pem'))).toBe(true);
    } finally {
      await server.stop();
      await db.drop();
    }
  });
});

describe('SIP configuration', () => {
  it('stops the start on a UMPIN_SIP_TLS_CA that is missing or holds no certificate, naming the variable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'umpin-sip-ca-'));
    try {
      const notPem = join(dataDir, 'ca.txt');
      writeFileSync(notPem, 'not a certificate');
      for (const path of [join(dataDir, 'missing.pem'), notPem]) {
        const config = loadConfig({ UMPIN_DATA_DIR: dataDir, UMPIN_SIP_TLS_CA: path, UMPIN_SIP_HOST: '127.0.0.1' });
        await expect(
          openSipEndpoint(config, new LoopbackRtpPorts(), async () => undefined, memoryLogger([])),
        ).rejects.toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'UMPIN_SIP_TLS_CA' });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('defaults: 5060 for UDP and TCP, 5061 for TLS, every interface, loopback trusted, ten-minute calls', () => {
    const { sip } = loadConfig({});
    expect(sip).toMatchObject({ host: '0.0.0.0', port: 5060, tlsPort: 5061, portsExplicit: false, maxCallMs: 600_000 });
    expect(sip.trusted).toEqual(['127.0.0.0/8', '::1']);
  });

  it('0 turns a transport off; bad values name the variable and the rule', () => {
    expect(loadConfig({ UMPIN_SIP_PORT: '0', UMPIN_SIP_TLS_PORT: '0' }).sip).toMatchObject({
      port: null,
      tlsPort: null,
    });
    expect(() => loadConfig({ UMPIN_SIP_PORT: '70000' })).toThrow(/UMPIN_SIP_PORT/);
    expect(() => loadConfig({ UMPIN_SIP_TRUSTED: 'pbx.contoso.com' })).toThrow(/UMPIN_SIP_TRUSTED/);
    expect(() => loadConfig({ UMPIN_SIP_TLS_CERT: '/etc/umpin/sip.pem' })).toThrow(/UMPIN_SIP_TLS_KEY/);
    expect(() => loadConfig({ UMPIN_SIP_MAX_CALL_SECONDS: '0' })).toThrow(/UMPIN_SIP_MAX_CALL_SECONDS/);
    expect(loadConfig({ UMPIN_SIP_TLS_CA: '/etc/umpin/pbx-ca.pem' }).sip.tlsCa).toBe('/etc/umpin/pbx-ca.pem');
    expect(loadConfig({ UMPIN_SIP_TRUSTED: '192.0.2.10, 10.1.0.0/16' }).sip.trusted).toEqual([
      '192.0.2.10',
      '10.1.0.0/16',
    ]);
  });
});
