#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compose, openVoiceAccess, type App } from '../compose.js';
import { bootstrapOnServe, registerAccessCommands } from './access-commands.js';
import { registerShellCommand } from './shell-command.js';
import { registerDtmfCommand } from './dtmf-command.js';
import { listDeadLetters, retryDeadLetter } from '../services/dead-letters.js';
import { loadConfig } from '../config.js';
import { renderError, UmpinError } from '../domain/errors.js';
import { buildApp } from '../http/app.js';
import { readHttpTls, reloadOnHangup } from '../http/http-tls.js';
import type { Server as TlsServer } from 'node:tls';
import { localAdministrator, SYSTEM_ACTOR } from '../services/actor.js';
import { queueExpiryReminders } from '../services/expiry-reminders.js';
import { expirePinLinks } from '../services/pin-links.js';
import { AUDIT_CHAINS_MAX, auditChains, verifyAuditLog } from '../services/audit-log.js';
import { DEMO_USERS, initDemo } from '../services/demo.js';
import { initLargeDemo, type LargeDemoProgress } from '../services/demo-large.js';
import { languageFromLocaleEnv } from '../shell/culture.js';
import { importRecipientsCsv } from '../services/recipients.js';

const actor = () => localAdministrator(userInfo().username);

/** Errors print their stable code and message, never a stack, and exit 1. */
async function run(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof UmpinError) {
      process.stderr.write(`umpin: ${err.code}: ${renderError(err, languageFromLocaleEnv(process.env))}\n`);
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
      process.stdout.write(
        `mail: ${r.sent} delivered ${where}${r.retried ? `, ${r.retried} queued for retry` : ''}${r.dead ? `, ${r.dead} dead letters` : ''}\n`,
      );
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

/** Progress of a long load on stderr: one line rewritten in place on a terminal, a line every 10 s otherwise. */
function progressLine(what: string): (p: LargeDemoProgress) => void {
  let lastPrint = 0;
  return (p) => {
    const now = Date.now();
    const done = p.created === p.toCreate;
    if (!process.stderr.isTTY && !done && now - lastPrint < 10_000) return;
    lastPrint = now;
    const rate = p.created / Math.max(0.001, p.elapsedMs / 1000);
    const line = `${what}: ${p.created.toLocaleString('en-US')} of ${p.toCreate.toLocaleString('en-US')} (${Math.round(rate).toLocaleString('en-US')}/s)`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}${done ? '\n' : ''}` : `${line}\n`);
  };
}

const program = new Command()
  .name('umpin')
  .description('Voice-mail PIN service: Exchange UM PIN management, self-hosted')
  .showHelpAfterError()
  // `umpin shell script.ps1 -Count 5`: what follows a script is the script's own (passThroughOptions)
  .enablePositionalOptions();

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
      const announce = await bootstrapOnServe(app);
      const tlsFiles = app.config.httpTls;
      const http = buildApp(app.deps, {
        logger: { level: app.config.logLevel },
        trustProxy: app.config.trustProxy,
        metrics: { token: app.config.metricsToken },
        apiDocs: app.config.apiDocs,
        ...(tlsFiles === undefined ? {} : { tls: readHttpTls(tlsFiles) }),
        // the admin center, built beside this file by `npm run build` (dist/web)
        web: { root: fileURLToPath(new URL('../web/', import.meta.url)) },
      });
      app.mail.start();
      // hourly: reminders for PINs about to expire join the outbox, and the worker sends them
      const remind = () =>
        void queueExpiryReminders(app.deps, SYSTEM_ACTOR, app.config.reminderDays).catch(() => undefined);
      remind();
      setInterval(remind, 3_600_000).unref();
      // every minute: PIN links past their time lose their sealed PIN (and are audited as expired)
      const sweep = () => void expirePinLinks(app.deps).catch(() => undefined);
      sweep();
      setInterval(sweep, 60_000).unref();
      // telephone voice access: SIP, RTP and the logon dialogue (docs/voice.md)
      const sip = await openVoiceAccess(app, http.log.child({ component: 'sip' }));
      const stop = async () => {
        await sip.stop();
        await http.close();
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const address = await http.listen({ port: app.config.httpPort, host: app.config.httpHost });
      if (tlsFiles !== undefined) reloadOnHangup(http.server as unknown as TlsServer, tlsFiles, http.log);
      const first = announce(address);
      if (first) process.stdout.write(`${first}\n`);
      try {
        await sip.start();
      } catch (err) {
        // a default port taken (another SIP stack on this host) costs the telephone door, not the server
        if (app.config.sip.portsExplicit) throw err;
        process.stderr.write(
          `umpin: SIP voice access not started (${(err as Error).message}); set UMPIN_SIP_PORT and UMPIN_SIP_TLS_PORT to free ports, or 0 to turn them off\n`,
        );
      }
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
  .option(
    '--mailboxes <n>',
    'with --demo: grow it to N UM mailboxes in all with synthetic users, for benchmarks and load tests (random PINs nobody knows, no mails; idempotent)',
  )
  .action((opts: { demo?: boolean; mailboxes?: string }) =>
    withApp(async (app) => {
      if (opts.mailboxes !== undefined) {
        if (!opts.demo)
          throw new UmpinError({
            code: 'UMPIN_VALUE_INVALID',
            field: 'mailboxes',
            params: { field: '--mailboxes', rule: 'it goes with --demo' },
          });
        const n = Number(opts.mailboxes.replace(/[_,]/g, ''));
        const r = await initLargeDemo(app.deps, actor(), {
          mailboxes: n,
          onProgress: progressLine('synthetic UM mailboxes'),
        });
        process.stdout.write(
          `demo organisation ready: ${(r.existing + r.created + DEMO_USERS.length).toLocaleString('en-US')} UM mailboxes, ${r.created.toLocaleString('en-US')} synthetic ones created now in ${r.seconds.toFixed(1)} s\n`,
        );
        await deliverQueued(app);
      } else if (opts.demo) {
        const r = await initDemo(app.deps, actor());
        process.stdout.write(
          `demo organisation ready: ${r.enabled} UM mailboxes enabled now${r.enabled ? ', their PIN mails queued' : ''}\n`,
        );
        await deliverQueued(app);
      } else {
        process.stdout.write(`data directory ${app.config.dataDir} ready\n`);
      }
    }),
  );

const audit = program.command('audit').description('the tamper-evident audit log');
audit
  .command('verify')
  .description('check every link of every audit chain; exit 1 at the first broken one')
  .action(() =>
    withApp(async (app) => {
      const v = await verifyAuditLog(app.deps, actor());
      if (v.ok) process.stdout.write(`audit log intact: ${v.entries} entries verified in ${v.chains} chains\n`);
      else {
        const where =
          v.brokenAtSeq !== null
            ? `at entry ${v.brokenAtSeq} (chain ${v.chain}, position ${v.position}: ${v.reason})`
            : `in chain ${v.chain}: the entry at position ${v.position} is missing (${v.reason})`;
        const others = v.brokenChains.filter((c) => c !== v.chain);
        process.stdout.write(
          `audit log BROKEN ${where}; ${v.entries} entries verified${others.length > 0 ? `; chain ${others.join(', ')} broken too` : ''}\n`,
        );
        process.exitCode = 1;
      }
    }),
  );
audit
  .command('chains')
  .description('list the audit chains; with --writable N, new entries spread over chains 0 to N-1')
  .option('--writable <n>', `how many chains take new entries (1 to ${AUDIT_CHAINS_MAX})`)
  .action((opts: { writable?: string }) =>
    withApp(async (app) => {
      const heads = await auditChains(
        app.deps,
        actor(),
        opts.writable === undefined ? undefined : Number(opts.writable),
      );
      for (const h of heads)
        process.stdout.write(
          `chain ${h.chain}: ${h.length} ${h.length === 1 ? 'entry' : 'entries'}${h.legacyLength > 0 ? ` (${h.legacyLength} from the single chain)` : ''}, ${h.writable ? 'writable' : 'closed'}, last hash ${h.hash}\n`,
        );
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

registerShellCommand(program, { run, withApp, actor, deliverQueued });

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
      for (const d of dead)
        process.stdout.write(`${d.id}  ${d.kind}  ${d.toAddress}  attempts=${d.attempts}  ${d.lastError ?? ''}\n`);
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

registerAccessCommands(program, { withApp, actor });
registerDtmfCommand(program);

await program.parseAsync(process.argv);
