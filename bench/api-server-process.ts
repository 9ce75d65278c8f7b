/**
 * The API benchmark's server, in its own process (the load generator runs in the parent):
 * the umpin HTTP app as `umpin serve` builds it (request logs at info, written to
 * /dev/null), and beside it a bare Fastify route returning a constant, the baseline.
 *
 * The server measures itself: an onResponse hook keeps each umpin request's server time
 * (Fastify's reply.elapsedTime: from the request's arrival to the end of the response).
 * The parent asks over IPC: 'times' (and forget them), 'memory'.
 */
import Fastify from 'fastify';
import pino from 'pino';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';

const app = await compose(loadConfig(), { migrate: false });
const http = buildApp(app.deps, { logger: { level: app.config.logLevel, stream: pino.destination({ dest: '/dev/null', sync: false }) } });
let times: number[] = [];
http.addHook('onResponse', async (_request, reply) => {
  times.push(reply.elapsedTime);
});

const bare = Fastify();
const CONSTANT = { userId: 'tonysmith@contoso.com', pinExpired: false, firstTimeUser: false, lockedOut: false, failedAttempts: 0 };
bare.get('/constant', async () => CONSTANT);

const apiAddress = await http.listen({ port: 0, host: '127.0.0.1' });
const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });

process.on('message', (m: { ask: 'times' | 'memory' | 'stop' }) => {
  if (m.ask === 'times') {
    process.send!({ times });
    times = [];
  } else if (m.ask === 'memory') {
    // maxRSS: the peak resident set of this process so far, in KiB
    process.send!({ rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 });
  } else {
    void Promise.all([http.close(), bare.close()]).then(() => app.close()).then(() => process.exit(0));
  }
});
process.send!({ apiAddress, bareAddress });
