/**
 * A separate process that fires many wrong PINs at once at one mailbox, through the real
 * composition root (config from the environment, like `umpin serve`). Used by the lockout
 * concurrency test; prints the outcome counts, when it began and when each attempt ended, as JSON.
 *   HAMMER_EXTENSION, HAMMER_PIN, HAMMER_COUNT, HAMMER_START_AT (epoch ms to start together)
 */
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/services/actor.js';
import { verifyLogon } from '../src/services/voice-logon.js';

const gateway: Actor = {
  kind: 'admin',
  name: `token:hammer-${process.pid}`,
  roles: ['VoiceGateway'],
  source: '127.0.0.1',
};
const app = await compose(loadConfig(), { migrate: false });
const count = Number(process.env.HAMMER_COUNT);
const startAt = Number(process.env.HAMMER_START_AT ?? 0);
await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
const outcomes: Record<string, number> = {};
const errors: string[] = [];
// wall-clock instants (epoch ms, sub-millisecond) comparable across processes on one machine
const now = () => performance.timeOrigin + performance.now();
const started = now();
/** when each attempt ended, for the test to see the two processes' attempts interleave */
const ended: number[] = [];
await Promise.all(
  Array.from({ length: count }, async () => {
    try {
      const r = await verifyLogon(app.deps, gateway, {
        extension: process.env.HAMMER_EXTENSION!,
        pin: process.env.HAMMER_PIN!,
      });
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    } catch (err) {
      errors.push(String((err as Error).message ?? err));
    }
    ended.push(now());
  }),
);
await app.close();
process.stdout.write(
  `${JSON.stringify({ outcomes, errors: errors.slice(0, 5), errorCount: errors.length, started, ended })}\n`,
);
