/**
 * The API benchmark's server, in its own process (the load generator runs in the parent):
 * the umpin HTTP app as `umpin serve` builds it (request logs at info, written to
 * /dev/null), and beside it a bare Fastify route returning a constant, the baseline.
 *
 * The server measures itself: while recording, an onResponse hook keeps each umpin request's
 * server time (Fastify's reply.elapsedTime: from the request's arrival to the end of the
 * response). The parent asks over IPC: 'record' (from now on), 'times' (those recorded; and
 * stop), 'memory', 'cpu' (its CPU time so far).
 */
import Fastify from 'fastify';
import pino from 'pino';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { authenticateToken } from '../src/services/api-tokens.js';
import { getUMMailboxPIN } from '../src/services/get-um-mailbox-pin.js';

const app = await compose(loadConfig(), { migrate: false });
const http = buildApp(app.deps, {
  logger: { level: app.config.logLevel, stream: pino.destination({ dest: '/dev/null', sync: false }) },
});
let times: number[] | null = null;
http.addHook('onResponse', async (_request, reply) => {
  times?.push(reply.elapsedTime);
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
// the service alone behind the bare server: the same token check and PIN status, none of the
// API's HTTP layers (schemas, hooks, logs, metrics); splits a request's cost in two
bare.get<{ Params: { identity: string } }>('/service/:identity', async (request, reply) => {
  const actor = await authenticateToken(
    app.deps,
    (request.headers.authorization ?? '').replace(/^Bearer\s+/i, ''),
    request.ip,
  );
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
    // maxRSS: the peak resident set of this process so far, in KiB
    process.send!({ rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 });
  } else {
    void Promise.all([http.close(), bare.close()])
      .then(() => app.close())
      .then(() => process.exit(0));
  }
});
process.send!({ apiAddress, bareAddress });
