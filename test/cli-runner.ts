/** Runs the built `umpin` command (dist/cli/main.js) as an administrator would, for end-to-end tests. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

/** Exit code and output; a non-zero exit is a result, not a thrown error. */
export async function umpin(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A TCP port free on 127.0.0.1 at the moment of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export interface RunningServer {
  url: string;
  /** what it printed so far, stdout and stderr */
  output(): string;
  stop(): Promise<void>;
  /** the child itself (a test may kill it), and how it ended */
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `umpin serve` (with `args`, such as --demo) on a free loopback port and waits until /healthz answers (at most 15 s). */
export async function startServe(env: NodeJS.ProcessEnv, args: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    // SIP off unless a test asks for it: parallel servers must not race for 5060 and 5061
    env: {
      UMPIN_SIP_PORT: '0',
      UMPIN_SIP_TLS_PORT: '0',
      ...env,
      UMPIN_HTTP_PORT: String(port),
      UMPIN_HTTP_HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  };
  for (let i = 0; i < 150; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      if ((await fetch(`${url}/healthz`)).status === 200)
        return { url, output: () => out, stop, process: child, exited };
    } catch {
      /* not listening yet */
    }
  }
  await stop();
  throw new Error(`umpin serve did not start:\n${out}`);
}
