/**
 * A separate process that fires many attempts at once at one shared limit, through the real
 * composition root (config from the environment, like `umpin serve`). Used by the shared
 * limits test; prints how the attempts ended (an outcome, or an error code) as JSON.
 *   LIMIT_MODE=voice: wrong PINs at LIMIT_EXTENSION from one calling number, LIMIT_CALLER
 *   LIMIT_MODE=password: wrong passwords for the account LIMIT_ACCOUNT from one address, LIMIT_SOURCE
 *   LIMIT_COUNT, LIMIT_START_AT (epoch ms to start together)
 */
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { UmpinError } from '../src/domain/errors.js';
import type { Actor } from '../src/services/actor.js';
import { signInWithPassword } from '../src/services/sessions.js';
import { verifyLogon } from '../src/services/voice-logon.js';

const gateway: Actor = {
  kind: 'admin',
  name: `token:limits-${process.pid}`,
  roles: ['VoiceGateway'],
  source: '127.0.0.1',
};
const app = await compose(loadConfig(), { migrate: false });
const env = process.env;
const count = Number(env.LIMIT_COUNT);
await new Promise((r) => setTimeout(r, Math.max(0, Number(env.LIMIT_START_AT ?? 0) - Date.now())));
const ended: Record<string, number> = {};
const attempt = async (i: number): Promise<string> => {
  if (env.LIMIT_MODE === 'voice')
    return (
      await verifyLogon(app.deps, gateway, {
        extension: env.LIMIT_EXTENSION!,
        callerId: env.LIMIT_CALLER!,
        pin: '2468013',
      })
    ).outcome;
  await signInWithPassword(app.deps, {
    name: env.LIMIT_ACCOUNT!,
    password: `guess ${process.pid} ${i}`,
    source: env.LIMIT_SOURCE!,
  });
  return 'signed-in';
};
await Promise.all(
  Array.from({ length: count }, async (_, i) => {
    let how: string;
    try {
      how = await attempt(i);
    } catch (err) {
      how = err instanceof UmpinError ? err.code : `error: ${String((err as Error).message ?? err)}`;
    }
    ended[how] = (ended[how] ?? 0) + 1;
  }),
);
await app.close();
process.stdout.write(`${JSON.stringify(ended)}\n`);
