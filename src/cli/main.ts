#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { compose } from '../compose.js';
import { loadConfig } from '../config.js';
import { UmpinError } from '../domain/errors.js';
import { buildApp } from '../http/app.js';
import { localAdministrator } from '../services/actor.js';
import { verifyAuditLog } from '../services/audit-log.js';
import { initDemo } from '../services/demo.js';
import { importRecipientsCsv } from '../services/recipients.js';

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
    run(async () => {
      const app = await compose(loadConfig());
      try {
        if (opts.demo) {
          const r = await initDemo(app.deps, actor());
          process.stdout.write(`demo organisation ready: ${r.enabled} UM mailboxes enabled now${r.enabled ? ', their PIN mails queued' : ''}\n`);
        } else {
          process.stdout.write(`data directory ${app.config.dataDir} ready\n`);
        }
      } finally {
        await app.close();
      }
    }),
  );

const audit = program.command('audit').description('the tamper-evident audit log');
audit
  .command('verify')
  .description('check every link of the audit chain; exit 1 at the first broken one')
  .action(() =>
    run(async () => {
      const app = await compose(loadConfig());
      try {
        const v = await verifyAuditLog(app.deps, actor());
        if (v.ok) process.stdout.write(`audit log intact: ${v.entries} entries verified\n`);
        else {
          process.stdout.write(`audit log BROKEN at entry ${v.brokenAtSeq} (${v.reason}); ${v.entries} entries before it verified\n`);
          process.exitCode = 1;
        }
      } finally {
        await app.close();
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

await program.parseAsync(process.argv);
