/**
 * The API benchmark's server, in its own process (the load generator runs in the parent):
 * the umpin HTTP app as `umpin serve` builds it (request logs at info, on stdout, which the
 * parent sends to /dev/null), and beside it a bare Fastify server: the baseline, a route doing one raw
 * prepared read of a mailbox's PIN-state row (better-sqlite3 on SQLite, one `pg` query on
 * PostgreSQL), and for reference a route returning a constant.
 *
 * The server measures itself: while recording, an onResponse hook keeps each umpin request's
 * server time (Fastify's reply.elapsedTime: from the request's arrival to the end of the
 * response). The parent asks over IPC: 'record' (from now on), 'times' (those recorded; and
 * stop), 'memory', 'cpu' (its CPU time so far).
 */
import { readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { authenticateToken } from '../src/services/api-tokens.js';
import { getUMMailboxPIN } from '../src/services/get-um-mailbox-pin.js';

const app = await compose(loadConfig(), { migrate: false });
// logged as `umpin serve` logs (its default destination, stdout), the parent sends stdout to /dev/null
const http = buildApp(app.deps, { logger: { level: app.config.logLevel } });
let times: number[] | null = null;
// a callback hook, not an async one: the measuring itself adds no promise to the requests it measures
http.addHook('onResponse', (_request, reply, done) => {
  times?.push(reply.elapsedTime);
  done();
});

const bare = Fastify();
const CONSTANT = {
  userId: 'tonysmith@contoso.com',
  pinExpired: false,
  firstTimeUser: false,
  lockedOut: false,
  failedAttempts: 0,
};
bare.get('/constant', async () => CONSTANT);

// what the engine itself does for a PIN status: one prepared read of the PIN-state row by its
// key, the columns the PIN status view shows, sent as JSON by Fastify's default serializer
const PIN_ROW =
  'select pin_set_at, pin_expired, first_time_user, locked_out, locked_until, failed_attempts, last_failure_at, last_failure_caller from pin_state where recipient_id = ';
type PinRow = Record<string, unknown>;
let readPinRow: (id: string) => Promise<PinRow | undefined>;
if (app.config.engine === 'sqlite') {
  const raw = new BetterSqlite3(app.config.databaseUrl, { readonly: true, fileMustExist: true });
  // the key as SQLite holds it since migration 0018: the GUID's 16 bytes
  const statement = raw.prepare(`${PIN_ROW}unhex(?, '-')`);
  readPinRow = async (id) => statement.get(id) as PinRow | undefined;
} else {
  // a pool of the size umpin's store uses (10), queries named so that PostgreSQL keeps them prepared
  const pool = new pg.Pool({ connectionString: app.config.databaseUrl, max: 10 });
  readPinRow = async (id) =>
    (await pool.query<PinRow>({ name: 'pin_row', text: `${PIN_ROW}$1`, values: [id] })).rows[0];
}
bare.get<{ Params: { id: string } }>('/one-read/:id', async (request, reply) => {
  const row = await readPinRow(request.params.id);
  return row ?? reply.code(404).send();
});
/** The bearer token's check as the API makes it, on the bare server. */
const bearer = (request: { headers: { authorization?: string }; ip: string }) =>
  authenticateToken(app.deps, (request.headers.authorization ?? '').replace(/^Bearer\s+/i, ''), request.ip);

// the baseline with what any authenticated read must do first: the same bearer-token check the
// API does (its HMAC, the token's row from the read cache, its expiry and revocation), then the
// one raw read
bare.get<{ Params: { id: string } }>('/authenticated-read/:id', async (request, reply) => {
  const actor = await bearer(request);
  if (!actor) return reply.code(401).send();
  const row = await readPinRow(request.params.id);
  return row ?? reply.code(404).send();
});
// the service alone behind the bare server: the same token check and PIN status, none of the
// API's HTTP layers (schemas, hooks, logs, metrics); splits a request's cost in two
bare.get<{ Params: { identity: string } }>('/service/:identity', async (request, reply) => {
  const actor = await bearer(request);
  if (!actor) return reply.code(401).send();
  return getUMMailboxPIN(app.deps, actor, request.params.identity);
});

const apiAddress = await http.listen({ port: 0, host: '127.0.0.1' });
const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });

process.on('message', (m: { ask: 'record' | 'times' | 'memory' | 'cpu' | 'stop' }) => {
  if (m.ask === 'cpu') {
    // user + system CPU time of this process so far, µs
    const u = process.cpuUsage();
    process.send!({ cpu: u.user + u.system });
  } else if (m.ask === 'record') {
    times = [];
    process.send!({ recording: true });
  } else if (m.ask === 'times') {
    process.send!({ times: times ?? [] });
    times = null;
  } else if (m.ask === 'memory') {
    // maxRSS: the peak resident set of this process so far, in KiB; RssFile: the part that is file pages (SQLite's
    // memory-mapped database: the kernel's page cache, shared and given back under pressure, not the process's own)
    const file = /^RssFile:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    process.send!({
      rss: process.memoryUsage().rss,
      maxRss: process.resourceUsage().maxRSS * 1024,
      fileRss: file ? Number(file[1]) * 1024 : 0,
    });
  } else {
    void Promise.all([http.close(), bare.close()])
      .then(() => app.close())
      .then(() => process.exit(0));
  }
});
process.send!({ apiAddress, bareAddress });
