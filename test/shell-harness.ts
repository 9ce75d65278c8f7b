/**
 * A shell session on a fresh demo organisation, its output captured: in-process, or
 * remote — the cmdlets calling a real umpin HTTP server (on a loopback port, on the same
 * test database) with an API token (Organization Management unless `as` says otherwise).
 */
import type { AddressInfo } from 'node:net';
import { ADMIN } from './fixtures.js';
import { databaseTemplate, testContext, type Engine, type TestContext } from './harness.js';
import { buildApp, type AppOptions } from '../src/http/app.js';
import type { Actor, RoleGroup } from '../src/services/actor.js';
import { authenticateToken, newApiToken } from '../src/services/api-tokens.js';
import type { Deps } from '../src/services/ports/deps.js';
import { initDemo } from '../src/services/demo.js';
import { shellCommands } from '../src/shell/commands.js';
import { BufferHost, type ConfirmAnswer } from '../src/shell/host.js';
import { localOperations, type ShellOperations } from '../src/shell/operations.js';
import { remoteOperations, type RemoteOptions } from '../src/shell/remote-operations.js';
import { Session } from '../src/shell/session.js';

export type ShellMode = 'in-process' | 'remote';
export const SHELL_MODES: readonly ShellMode[] = ['in-process', 'remote'];

export interface ShellRun {
  ok: boolean;
  out: string;
  err: string;
  host: BufferHost;
}

export interface ShellFixture {
  ctx: TestContext;
  cwd: string;
  mode: ShellMode;
  /** the server's base URL in remote mode */
  url: string | null;
  /** who the commands run as: the local administrator, or the actor the API token stands for */
  actor: Actor;
  /** the operations the sessions use */
  ops: ShellOperations;
  /** runs commands in a new session (variables do not carry over); `lines` are what Read-Host reads */
  run(source: string, answers?: ConfirmAnswer[], lines?: string[]): Promise<ShellRun>;
  close(): Promise<void>;
}

export interface ShellOptions {
  /**
   * The caller in both modes: an API token of this role group (and dial-plan scope); in-process
   * the actor that token stands for. Default: the local administrator in-process, an
   * Organization Management token remotely.
   */
  as?: { role: RoleGroup; scope?: string[] };
  /** runs on the demo organisation before the token is made (a scope names dial plans that must exist) */
  prepare?: (deps: Deps) => Promise<void>;
  /** the server's options (remote mode) */
  app?: AppOptions;
  remote?: RemoteOptions;
}

export async function demoShell(
  engine: Engine,
  mode: ShellMode = 'in-process',
  opts: ShellOptions = {},
): Promise<ShellFixture> {
  // the demo organisation is made once per engine and copied for each fixture
  const demo = await databaseTemplate(engine, 'demo', (t) => initDemo(t.deps, ADMIN).then(() => {}));
  const ctx = await testContext(engine, { from: demo });
  await opts.prepare?.(ctx.deps);
  const cwd = ctx.db.dataDir;
  const token =
    mode === 'remote' || opts.as
      ? (
          await newApiToken(ctx.deps, ADMIN, {
            name: 'remote-shell',
            role: opts.as?.role ?? 'OrganizationManagement',
            scope: opts.as?.scope,
          })
        ).token
      : null;
  const actor: Actor = token ? (await authenticateToken(ctx.deps, token, null))! : ADMIN;
  let ops: ShellOperations = localOperations(ctx.deps, actor);
  let url: string | null = null;
  let stop = async () => {};
  if (mode === 'remote') {
    const app = buildApp(ctx.deps, { metrics: false, ...opts.app });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    ops = remoteOperations(url, token!, opts.remote);
    stop = () => app.close();
  }
  return {
    ctx,
    cwd,
    mode,
    url,
    actor,
    ops,
    async run(source, answers = [], lines = []) {
      const host = new BufferHost(answers);
      host.lines.push(...lines);
      const session = new Session({ ops, host, commands: shellCommands(), cwd });
      await session.run(source);
      return { ok: !session.hadErrors, out: host.output, err: host.errors, host };
    },
    async close() {
      try {
        await stop();
      } finally {
        await ctx.close();
      }
    },
  };
}
