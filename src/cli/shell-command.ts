/**
 * `umpin shell`: in-process on the local data directory, or with --server on a remote
 * umpin through its API (token in UMPIN_TOKEN). The same session runs the same cmdlets
 * either way; only the operations under them differ.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../compose.js';
import { UmpinError } from '../domain/errors.js';
import type { Actor } from '../services/actor.js';
import { shellCommands } from '../shell/commands.js';
import { languageFromLocaleEnv } from '../shell/culture.js';
import { TerminalHost } from '../shell/host.js';
import { localOperations, type ShellOperations } from '../shell/operations.js';
import { serverUrl } from '../shell/remote-client.js';
import { remoteActor, remoteOperations } from '../shell/remote-operations.js';
import { runRepl } from '../shell/repl.js';
import { Session } from '../shell/session.js';

export interface ShellCliContext {
  /** runs a command: errors print their code and message, exit 1 */
  run(fn: () => Promise<void>): Promise<void>;
  withApp(fn: (app: App) => Promise<void>): Promise<void>;
  actor(): Actor;
  deliverQueued(app: App): Promise<void>;
}

interface ShellOptions {
  command?: string;
  server?: string;
  /** after the script file: its own arguments */
  scriptArgs?: string[];
}

export function registerShellCommand(program: Command, cli: ShellCliContext): void {
  program
    .command('shell')
    .argument('[file]', 'a script (.ps1) to run, then exit')
    .argument('[arguments...]', "the script's own arguments, bound to its param(...): -Name value, -Switch")
    .passThroughOptions()
    .description(
      'the management shell: Exchange UM cmdlets as written for Exchange, interactive or from -c / a script file',
    )
    .option('-c, --command <commands>', 'run these commands, then exit (exit code 1 if any failed)')
    .option(
      '--server <url>',
      'run the cmdlets on a remote umpin server through its API (token in UMPIN_TOKEN); no local data directory is used',
    )
    .action((file: string | undefined, scriptArgs: string[], opts: ShellOptions) => {
      const options = { ...opts, scriptArgs };
      return opts.server !== undefined
        ? cli.run(() => remoteShell(opts.server!, file, options))
        : localShell(cli, file, options);
    });
}

function localShell(cli: ShellCliContext, file: string | undefined, opts: ShellOptions): Promise<void> {
  return cli.withApp(async (app) => {
    const host = new TerminalHost();
    await runShell(localOperations(app.deps, cli.actor()), host, file, opts, {
      historyFile: join(app.config.dataDir, 'shell_history'),
      afterEach: () => cli.deliverQueued(app),
    });
  });
}

/** Remote: no data directory, no store, no mail delivery here (the server's worker delivers). */
async function remoteShell(server: string, file: string | undefined, opts: ShellOptions): Promise<void> {
  const url = serverUrl(server);
  const token = process.env.UMPIN_TOKEN?.trim();
  if (!token)
    throw new UmpinError({
      code: 'UMPIN_VALUE_REQUIRED',
      field: 'UMPIN_TOKEN',
      params: { field: 'UMPIN_TOKEN (an API token of that server, from umpin token new)' },
    });
  const host = new TerminalHost();
  const { hostname, protocol } = new URL(url);
  if (protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(hostname)) {
    host.warn(`The API token goes to ${url} unencrypted; use https:// beyond this machine.`);
  }
  // the session's culture goes to the server too, though errors are worded here from their code
  const language = languageFromLocaleEnv(process.env);
  // one call first, so that a wrong URL or token fails before any command runs
  const actor = await remoteActor(url, token, { language });
  const ops = remoteOperations(url, token, {
    language,
    onRateLimited: (seconds) =>
      host.warn(`The server limits PIN changes per client; waiting ${seconds} s before going on.`),
  });
  const interactive = opts.command === undefined && file === undefined && process.stdin.isTTY;
  if (interactive) process.stdout.write(`Connected to ${url} as ${actor.name} (${actor.roles.join(', ')}).\n`);
  await runShell(ops, host, file, opts, { historyFile: join(homedir(), '.umpin_remote_shell_history') });
}

/** -c and a script file, else piped commands as one script, else the interactive prompt. */
async function runShell(
  ops: ShellOperations,
  host: TerminalHost,
  file: string | undefined,
  opts: ShellOptions,
  more: { historyFile: string; afterEach?: () => Promise<void> },
): Promise<void> {
  const session = new Session({ ops, host, commands: shellCommands() });
  if (opts.command !== undefined || file !== undefined) {
    // Ctrl-C stops the running cmdlet between two objects; a second one ends the process
    process.once('SIGINT', () => {
      session.cancel();
      process.once('SIGINT', () => process.exit(130));
    });
    if (opts.command !== undefined) {
      // -c's text is this process's command line: any local user reads it with ps. Said to a
      // person at a terminal; a script's output stays as it was
      if (process.stderr.isTTY && /-(pin|oldpin|newpin)[\s:]+['"]?[0-9]/i.test(opts.command))
        host.warn(
          'A PIN given in -c can be read by every user of this machine (ps, /proc/<pid>/cmdline). Pass it as $env:NAME, or pipe the commands in; see docs/shell.md.',
        );
      await session.run(opts.command);
    }
    if (file !== undefined) {
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch (err) {
        throw new UmpinError({
          code: 'UMPIN_SHELL_FILE_ERROR',
          field: 'file',
          params: { operation: 'read', path: file, rule: (err as Error).message },
        });
      }
      await session.run(source, file, opts.scriptArgs ?? []);
    }
    await more.afterEach?.();
    // `exit N` sets the code; otherwise 1 when anything failed
    process.exitCode = session.exitCode ?? (session.hadErrors ? 1 : 0);
    return;
  }
  if (!process.stdin.isTTY) {
    // piped commands: run them as one script
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    await session.run(Buffer.concat(chunks).toString('utf8'), 'stdin');
    await more.afterEach?.();
    process.exitCode = session.exitCode ?? (session.hadErrors ? 1 : 0);
    return;
  }
  await runRepl({
    session,
    host,
    historyFile: more.historyFile,
    ...(more.afterEach ? { afterEach: more.afterEach } : {}),
  });
  if (session.exitCode !== null) process.exitCode = session.exitCode;
}
