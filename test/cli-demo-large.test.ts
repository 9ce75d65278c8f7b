/** `umpin init --demo --mailboxes N` as a benchmark or load test runs it: the built dist/cli/main.js, on each engine. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/compose.js';
import { childEnv, ENGINES, freshDatabase, type TestDb } from './harness.js';
import { umpin } from './cli-runner.js';

for (const engine of ENGINES) {
  describe(`umpin init --demo --mailboxes (${engine})`, () => {
    let db: TestDb;
    let env: NodeJS.ProcessEnv;
    beforeEach(async () => {
      db = await freshDatabase(engine);
      env = childEnv(db);
    });
    afterEach(() => db.drop());

    it('builds N mailboxes with progress on stderr, then only adds what is missing', async () => {
      const first = await umpin(env, 'init', '--demo', '--mailboxes', '1_045');
      expect(first.stderr).toMatch(/synthetic UM mailboxes: 1,025 of 1,025 \([\d,]+\/s\)/);
      expect(first).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/demo organisation ready: 1,045 UM mailboxes, 1,025 synthetic ones created now/),
      });
      // the 20 demo users' welcome mails were delivered; the synthetic users got none
      expect(first.stdout).toMatch(/mail: 20 delivered/);
      const again = await umpin(env, 'init', '--demo', '--mailboxes', '1045');
      expect(again).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/1,045 UM mailboxes, 0 synthetic ones created now/),
      });
      const store = openStore({ engine, databaseUrl: db.url });
      try {
        expect((await store.listRecipients({ umEnabled: true, limit: 1000 })).next).not.toBeNull();
        expect(await store.listAudit({ action: 'New-SyntheticUMMailboxes' })).toHaveLength(1);
      } finally {
        await store.close();
      }
    });

    it('refuses --mailboxes without --demo, and a count it cannot make', async () => {
      expect(await umpin(env, 'init', '--mailboxes', '100')).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('UMPIN_VALUE_INVALID'),
      });
      expect(await umpin(env, 'init', '--demo', '--mailboxes', 'many')).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('UMPIN_VALUE_INVALID'),
      });
    });
  });
}
