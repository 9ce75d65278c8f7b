#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { compose, type App } from '../compose.js';
import { listDeadLetters, retryDeadLetter } from '../services/dead-letters.js';
import { loadConfig } from '../config.js';
import { UmpinError } from '../domain/errors.js';
import { buildApp } from '../http/app.js';
import { localAdministrator, SYSTEM_ACTOR } from '../services/actor.js';
import { queueExpiryReminders } from '../services/expiry-reminders.js';
import { verifyAuditLog } from '../services/audit-log.js';
import { initDemo } from '../services/demo.js';
import { importRecipientsCsv } from '../services/recipients.js';
import { shellCommands } from '../shell/commands.js';
import { TerminalHost } from '../shell/host.js';
import { localOperations } from '../shell/operations.js';
import { runRepl } from '../shell/repl.js';
import { Session } from '../shell/session.js';

const actor = () => localAdministrator(userInfo().username);

/** Errors print their stable code and message, never a stack, and exit 1. */
async function run(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof UmpinError) {
      process.stderr.write(`umpin: ${err.code}: ${err.message}\n`);
    } else {
      process.stderr.write(`umpin: UMPIN_INTERNAL: ${(err as Error)?.message ?? String(err)}\n`);
    }
    process.exitCode = 1;
  }
}

/**
 * A command that works in-process delivers the mails it queued before it exits, so an
 * administrator on the embedded default sees them at once; what fails stays queued for
 * the server.
 */
async function deliverQueued(app: App): Promise<void> {
  try {
    const r = await app.mail.drain();
    if (r.sent + r.retried + r.dead > 0) {
      const where = app.config.smtpUrl ? 'by SMTP' : `to ${join(app.config.dataDir, 'maildrop')}`;
      process.stdout.write(`mail: ${r.sent} delivered ${where}${r.retried ? `, ${r.retried} queued for retry` : ''}${r.dead ? `, ${r.dead} dead letters` : ''}\n`);
    }
  } catch (err) {
    process.stderr.write(`umpin: mail not delivered now (${(err as Error).message}); it stays queued for the server\n`);
  }
}

/** Runs a command against the data directory's store, closing it whatever happens. */
function withApp(fn: (app: App) => Promise<void>): Promise<void> {
  return run(async () => {
    const app = await compose(loadConfig());
    try {
      await fn(app);
    } finally {
      await app.close();
    }
  });
}

const program = new Command()
  .name('umpin')
  .description('Voice-mail PIN service: Exchange UM PIN management, self-hosted')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the server (HTTP on UMPIN_HTTP_PORT, default 8080)')
  .option('--demo', 'create the demo organisation on first run (an empty database)')
  .action((opts: { demo?: boolean }) =>
    run(async () => {
      const app = await compose(loadConfig());
      if (opts.demo && !(await app.deps.store.getOrganization())) {
        const r = await initDemo(app.deps, actor());
        process.stdout.write(`demo organisation Contoso created: ${r.enabled} UM mailboxes, their PIN mails queued\n`);
      }
      const http = buildApp(app.deps, { logger: true });
      app.mail.start();
      // hourly: reminders for PINs about to expire join the outbox, and the worker sends them
      const remind = () => void queueExpiryReminders(app.deps, SYSTEM_ACTOR, app.config.reminderDays).catch(() => undefined);
      remind();
      setInterval(remind, 3_600_000).unref();
      const stop = async () => {
        await http.close();
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await http.listen({ port: app.config.httpPort, host: app.config.httpHost });
    }),
  );

program
  .command('migrate')
  .description('create or upgrade the database schema')
  .action(() =>
    run(async () => {
      const app = await compose(loadConfig());
      await app.close();
      process.stdout.write('database schema is up to date\n');
    }),
  );

program
  .command('init')
  .description('initialise the data directory and database')
  .option('--demo', 'create the demo organisation Contoso with 20 UM mailboxes (idempotent)')
  .action((opts: { demo?: boolean }) =>
    withApp(async (app) => {
      if (opts.demo) {
        const r = await initDemo(app.deps, actor());
        process.stdout.write(`demo organisation ready: ${r.enabled} UM mailboxes enabled now${r.enabled ? ', their PIN mails queued' : ''}\n`);
        await deliverQueued(app);
      } else {
        process.stdout.write(`data directory ${app.config.dataDir} ready\n`);
      }
    }),
  );

const audit = program.command('audit').description('the tamper-evident audit log');
audit
  .command('verify')
  .description('check every link of the audit chain; exit 1 at the first broken one')
  .action(() =>
    withApp(async (app) => {
      const v = await verifyAuditLog(app.deps, actor());
      if (v.ok) process.stdout.write(`audit log intact: ${v.entries} entries verified\n`);
      else {
        process.stdout.write(`audit log BROKEN at entry ${v.brokenAtSeq} (${v.reason}); ${v.entries} entries before it verified\n`);
        process.exitCode = 1;
      }
    }),
  );

const recipient = program.command('recipient').description('users, before and after they are UM-enabled');
recipient
  .command('import <file>')
  .description('import recipients from CSV (PrimarySmtpAddress, Alias, DisplayName, UserPrincipalName, Language)')
  .action((file: string) =>
    run(async () => {
      const csv = readFileSync(file, 'utf8');
      const app = await compose(loadConfig());
      try {
        const r = await importRecipientsCsv(app.deps, actor(), csv);
        process.stdout.write(`${r.created} recipients created, ${r.updated} updated\n`);
      } finally {
        await app.close();
      }
    }),
  );

program
  .command('shell')
  .argument('[file]', 'a script (.ps1) to run, then exit')
  .description('the management shell: Exchange UM cmdlets as written for Exchange, interactive or from -c / a script file')
  .option('-c, --command <commands>', 'run these commands, then exit (exit code 1 if any failed)')
  .option('--server <url>', 'run the cmdlets on a remote umpin server through its API (token in UMPIN_TOKEN)')
  .action((file: string | undefined, opts: { command?: string; server?: string }) =>
    withApp(async (app) => {
      if (opts.server) {
        throw new UmpinError({ code: 'UMPIN_VALUE_INVALID', field: 'server', params: { field: '--server', rule: 'the remote shell needs the HTTP API, which this version does not have yet; run the shell on the server' } });
      }
      const host = new TerminalHost();
      const session = new Session({ ops: localOperations(app.deps, actor()), host, commands: shellCommands() });
      if (opts.command !== undefined || file !== undefined) {
        // Ctrl-C stops the running cmdlet between two objects; a second one ends the process
        process.once('SIGINT', () => {
          session.cancel();
          process.once('SIGINT', () => process.exit(130));
        });
        if (opts.command !== undefined) await session.run(opts.command);
        if (file !== undefined) {
          let source: string;
          try {
            source = readFileSync(file, 'utf8');
          } catch (err) {
            throw new UmpinError({ code: 'UMPIN_SHELL_FILE_ERROR', field: 'file', params: { operation: 'read', path: file, rule: (err as Error).message } });
          }
          await session.run(source, file);
        }
        await deliverQueued(app);
        if (session.hadErrors) process.exitCode = 1;
        return;
      }
      if (!process.stdin.isTTY) {
        // piped commands: run them as one script
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        await session.run(Buffer.concat(chunks).toString('utf8'), 'stdin');
        await deliverQueued(app);
        if (session.hadErrors) process.exitCode = 1;
        return;
      }
      await runRepl({ session, host, historyFile: join(app.config.dataDir, 'shell_history'), afterEach: () => deliverQueued(app) });
    }),
  );

const mail = program.command('mail').description('the outbox of PIN mails');
mail
  .command('drain')
  .description('deliver every due mail once, then exit (for cron)')
  .action(() =>
    withApp(async (app) => {
      const reminders = await queueExpiryReminders(app.deps, SYSTEM_ACTOR, app.config.reminderDays);
      if (reminders > 0) process.stdout.write(`${reminders} PIN-expiry reminders queued\n`);
      const r = await app.mail.drain();
      process.stdout.write(`${r.sent} delivered, ${r.retried} to retry later, ${r.dead} dead letters\n`);
    }),
  );
mail
  .command('dead')
  .description('list dead letters: mails that could not be delivered')
  .action(() =>
    withApp(async (app) => {
      const dead = await listDeadLetters(app.deps, actor());
      for (const d of dead) process.stdout.write(`${d.id}  ${d.kind}  ${d.toAddress}  attempts=${d.attempts}  ${d.lastError ?? ''}\n`);
      process.stdout.write(`${dead.length} dead letters\n`);
    }),
  );
mail
  .command('retry <id...>')
  .description('queue dead letters again (ids from `umpin mail dead`)')
  .action((ids: string[]) =>
    withApp(async (app) => {
      for (const id of ids) await retryDeadLetter(app.deps, actor(), id);
      process.stdout.write(`${ids.length} queued again\n`);
      await deliverQueued(app);
    }),
  );

await program.parseAsync(process.argv);
