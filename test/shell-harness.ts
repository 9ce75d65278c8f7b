/** A shell session on a fresh demo organisation, its output captured. */
import { ADMIN } from './fixtures.js';
import { testContext, type Engine, type TestContext } from './harness.js';
import { initDemo } from '../src/services/demo.js';
import { shellCommands } from '../src/shell/commands.js';
import { BufferHost, type ConfirmAnswer } from '../src/shell/host.js';
import { localOperations } from '../src/shell/operations.js';
import { Session } from '../src/shell/session.js';

export interface ShellRun {
  ok: boolean;
  out: string;
  err: string;
  host: BufferHost;
}

export interface ShellFixture {
  ctx: TestContext;
  cwd: string;
  /** runs commands in a new session (variables do not carry over) */
  run(source: string, answers?: ConfirmAnswer[]): Promise<ShellRun>;
  close(): Promise<void>;
}

export async function demoShell(engine: Engine): Promise<ShellFixture> {
  const ctx = await testContext(engine);
  await initDemo(ctx.deps, ADMIN);
  const cwd = ctx.db.dataDir;
  return {
    ctx,
    cwd,
    async run(source, answers = []) {
      const host = new BufferHost(answers);
      const session = new Session({ ops: localOperations(ctx.deps, ADMIN), host, commands: shellCommands(), cwd });
      await session.run(source);
      return { ok: !session.hadErrors, out: host.output, err: host.errors, host };
    },
    close: () => ctx.close(),
  };
}
