/**
 * A separate process that enables UM mailboxes at agreed instants, through the real
 * composition root, for the extension race of the store contract test: it says `ready` once
 * connected, reads the instant to start at (epoch ms) from stdin, and round r enables the
 * r-th identity with the r-th extension at that instant + r × RACE_ROUND_MS.
 * Prints one JSON line: each round's outcome ('enabled' or the error's code), when it began and ended.
 *   RACE_IDENTITIES, RACE_EXTENSIONS (comma-separated), RACE_POLICY, RACE_ROUND_MS
 */
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { UmpinError } from '../src/domain/errors.js';
import { localAdministrator } from '../src/services/actor.js';
import { enableUMMailbox } from '../src/services/um-mailboxes.js';

const app = await compose(loadConfig(), { migrate: false });
const identities = process.env.RACE_IDENTITIES!.split(',');
const extensions = process.env.RACE_EXTENSIONS!.split(',');
const roundMs = Number(process.env.RACE_ROUND_MS);
// started and connected: the parent answers with the instant to start at, once both processes are ready
process.stdout.write('ready\n');
const startAt = await new Promise<number>((resolve) =>
  process.stdin.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
);
const rounds: Array<{ identity: string; extension: string; outcome: string; began: number; ended: number }> = [];
const now = () => performance.timeOrigin + performance.now();
for (let r = 0; r < identities.length; r++) {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt + r * roundMs - Date.now())));
  let outcome: string;
  const began = now();
  try {
    await enableUMMailbox(app.deps, localAdministrator(`race-${process.pid}`), {
      identity: identities[r]!,
      umMailboxPolicy: process.env.RACE_POLICY!,
      extensions: [extensions[r]!],
    });
    outcome = 'enabled';
  } catch (err) {
    outcome = err instanceof UmpinError ? err.code : `not an UmpinError: ${String(err)}`;
  }
  rounds.push({ identity: identities[r]!, extension: extensions[r]!, outcome, began, ended: now() });
}
await app.close();
process.stdout.write(`${JSON.stringify(rounds)}\n`);
process.stdin.destroy();
