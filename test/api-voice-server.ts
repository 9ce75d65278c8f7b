/**
 * A second umpin HTTP server in its own process, on the test's database, for the HTTP
 * lockout test: composed from the environment like `umpin serve`. Prints its port as JSON,
 * serves until its stdin closes.
 */
import type { AddressInfo } from 'node:net';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';

const app = await compose(loadConfig(), { migrate: false });
const http = buildApp(app.deps, { metrics: { processMetrics: false } });
await http.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: (http.server.address() as AddressInfo).port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void (async () => {
    await http.close();
    await app.close();
    process.exit(0);
  })();
});
