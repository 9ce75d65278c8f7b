/** `umpin token …` and `umpin admin …`: API tokens and administrators' accounts, from the server's command line. */
import type { Command } from 'commander';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { App } from '../compose.js';
import { UmpinError } from '../domain/errors.js';
import type { Actor, RoleGroup } from '../services/actor.js';
import {
  addAdminAccount,
  bootstrapAdmin,
  listAdminAccounts,
  resetAdminPassword,
  setAdminAccountDisabled,
} from '../services/admin-accounts.js';
import { listApiTokens, newApiToken, revokeApiToken } from '../services/api-tokens.js';
import { parseRoleGroup, ROLE_DISPLAY_NAMES } from '../services/role-names.js';

export interface CliContext {
  withApp(fn: (app: App) => Promise<void>): Promise<void>;
  actor(): Actor;
}

/** "--scope A --scope B" or "--scope A,B" */
const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== ''),
];
const when = (ms: number | null): string =>
  ms === null ? '-' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
const scopeText = (scope: string[] | null): string => (scope === null ? 'all dial plans' : scope.join(', '));
const roleText = (role: RoleGroup): string => ROLE_DISPLAY_NAMES[role] ?? role;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}

/** One line typed at the terminal without echo. */
function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  process.stderr.write(question);
  muted = true;
  return new Promise<string>((resolve, reject) => {
    // Ctrl-D or Ctrl-C: no password
    rl.once('close', () =>
      reject(
        new UmpinError({
          code: 'UMPIN_VALUE_INVALID',
          field: 'Password',
          params: { field: 'Password', rule: 'none was typed' },
        }),
      ),
    );
    rl.question('', (answer) => {
      rl.removeAllListeners('close');
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** The new password: UMPIN_ADMIN_PASSWORD, else typed twice at a terminal; never echoed, never printed. */
async function newPassword(account: string): Promise<string> {
  const fromEnv = process.env.UMPIN_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'Password',
      params: {
        field: 'Password',
        rule: 'none was given: set UMPIN_ADMIN_PASSWORD, or run the command at a terminal to type it',
      },
    });
  }
  const first = await askHidden(`New password for ${account}: `);
  const second = await askHidden('Type it again: ');
  if (first !== second)
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'Password',
      params: { field: 'Password', rule: 'the two entries do not match' },
    });
  return first;
}

export function registerAccessCommands(program: Command, cli: CliContext): void {
  const token = program.command('token').description('API tokens for automation (each carries one role group)');
  token
    .command('new')
    .description('make an API token; it is printed once, alone on the last line')
    .requiredOption('--name <name>', 'a name for the token, e.g. helpdesk-tool')
    .requiredOption(
      '--role <role>',
      'Organization Management, UM Management, Help Desk, View-Only Organization Management or Voice Gateway',
    )
    .option('--scope <dialplan>', 'limit the token to a dial plan (repeat, or separate with commas)', collect)
    .action((opts: { name: string; role: string; scope?: string[] }) =>
      cli.withApp(async (app) => {
        const role = parseRoleGroup(opts.role);
        const { token: secret, view } = await newApiToken(app.deps, cli.actor(), {
          name: opts.name,
          role,
          scope: opts.scope,
        });
        process.stdout.write(
          `API token '${view.name}' (${roleText(view.role)}, ${scopeText(view.dialPlanScope)}) created; it is shown only now:\n${secret}\n`,
        );
      }),
    );
  token
    .command('list')
    .description('list API tokens, revoked ones included')
    .action(() =>
      cli.withApp(async (app) => {
        const tokens = await listApiTokens(app.deps, cli.actor());
        const rows = tokens.map((t) => [
          t.name,
          roleText(t.role),
          scopeText(t.dialPlanScope),
          when(t.createdAt),
          when(t.lastUsedAt),
          when(t.revokedAt),
        ]);
        process.stdout.write(table(['NAME', 'ROLE', 'SCOPE', 'CREATED', 'LAST USED', 'REVOKED'], rows));
      }),
    );
  token
    .command('revoke <name>')
    .description('revoke an API token at once')
    .action((name: string) =>
      cli.withApp(async (app) => {
        await revokeApiToken(app.deps, cli.actor(), name);
        process.stdout.write(`API token '${name}' revoked\n`);
      }),
    );

  const admin = program.command('admin').description("administrators' accounts for the web admin center and the API");
  admin
    .command('add <name>')
    .description('add an account (password from UMPIN_ADMIN_PASSWORD, or typed twice)')
    .requiredOption(
      '--role <role>',
      'Organization Management, UM Management, Help Desk or View-Only Organization Management',
    )
    .option('--scope <dialplan>', 'limit the account to a dial plan (repeat, or separate with commas)', collect)
    .action((name: string, opts: { role: string; scope?: string[] }) =>
      cli.withApp(async (app) => {
        const role = parseRoleGroup(opts.role);
        const view = await addAdminAccount(app.deps, cli.actor(), {
          name,
          role,
          scope: opts.scope,
          password: await newPassword(name),
        });
        process.stdout.write(
          `administrator '${view.name}' (${roleText(view.role)}, ${scopeText(view.dialPlanScope)}) created\n`,
        );
      }),
    );
  admin
    .command('reset <name>')
    .description("set a new password (from UMPIN_ADMIN_PASSWORD, or typed twice); ends the account's sessions")
    .action((name: string) =>
      cli.withApp(async (app) => {
        await resetAdminPassword(app.deps, cli.actor(), name, await newPassword(name));
        process.stdout.write(`password of '${name}' reset; its sessions have ended\n`);
      }),
    );
  admin
    .command('list')
    .description("list administrators' accounts")
    .action(() =>
      cli.withApp(async (app) => {
        const accounts = await listAdminAccounts(app.deps, cli.actor());
        const rows = accounts.map((a) => [
          a.name,
          roleText(a.role),
          scopeText(a.dialPlanScope),
          when(a.createdAt),
          a.disabled ? 'disabled' : 'enabled',
        ]);
        process.stdout.write(table(['NAME', 'ROLE', 'SCOPE', 'CREATED', 'STATUS'], rows));
      }),
    );
  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    admin
      .command(`${verb} <name>`)
      .description(
        disabled ? 'stop an account from signing in and end its sessions' : 'let a disabled account sign in again',
      )
      .action((name: string) =>
        cli.withApp(async (app) => {
          await setAdminAccountDisabled(app.deps, cli.actor(), name, disabled);
          process.stdout.write(`administrator '${name}' ${verb}d\n`);
        }),
      );
  }
}

/**
 * `umpin serve` on an empty database: the first administrator from UMPIN_ADMIN_PASSWORD, or a
 * one-time setup token to print once the server listens. Returns that announcement (never a password).
 */
export async function bootstrapOnServe(app: App): Promise<(address: string) => string | null> {
  const r = await bootstrapAdmin(app.deps, { adminPassword: process.env.UMPIN_ADMIN_PASSWORD || undefined });
  return (address) => {
    if (r.created) return `administrator '${r.created}' created from UMPIN_ADMIN_PASSWORD`;
    if (r.setupToken) {
      const url = new URL(address);
      // bound to every interface: name the machine, as a browser elsewhere would
      if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = hostname();
      // the token goes in the page's form, never in its URL (URLs end up in logs and histories)
      return [
        'first run: no administrator yet. Within 24 hours, create the first one (Organization Management):',
        `  open ${url.origin}/setup and enter the setup token ${r.setupToken}`,
        'or over the API:',
        `  curl -X POST ${url.origin}/api/v1/setup -H 'Content-Type: application/json' -d '{"token":"${r.setupToken}","name":"admin","password":"<12 or more characters>"}'`,
        'or on this machine: umpin admin add NAME --role OrganizationManagement',
      ].join('\n');
    }
    return null;
  };
}
