/**
 * A running `umpin serve` keeps the organisation's settings and the API tokens in memory
 * (the store's read cache). What an administrator changes meanwhile from the command line, in
 * another process, holds for the server's very next request: a revoked token is refused, a
 * stricter policy applies. On both engines.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childEnv, ENGINES, freshDatabase, type TestDb } from './harness.js';
import { startServe, umpin, type RunningServer } from './cli-runner.js';

/** PostgreSQL's change notification travels on its own connection: allow it a moment (never more than 5 s). */
async function soon(engine: string, check: () => Promise<boolean>): Promise<boolean> {
  const tries = engine === 'sqlite' ? 1 : 100;
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

for (const engine of ENGINES) {
  describe(`changes from the command line reach a running server (${engine})`, () => {
    let db: TestDb;
    let env: NodeJS.ProcessEnv;
    let server: RunningServer;
    beforeEach(async () => {
      db = await freshDatabase(engine);
      env = childEnv(db, { UMPIN_ADMIN_PASSWORD: 'a long enough passphrase', UMPIN_LOG_LEVEL: 'silent' });
      expect((await umpin(env, 'init', '--demo')).code).toBe(0);
      server = await startServe(env);
    });
    afterEach(async () => {
      await server.stop();
      await db.drop();
    });

    const token = async (role: string, name: string) =>
      (await umpin(env, 'token', 'new', '--role', role, '--name', name)).stdout.trimEnd().split('\n').at(-1)!;
    const get = (t: string, path: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${t}` } });

    it('umpin token revoke: the server refuses the token on its next request', async () => {
      const desk = await token('HelpDesk', 'desk');
      // used, so the server holds it
      for (let i = 0; i < 3; i++)
        expect((await get(desk, '/api/v1/um-mailboxes/tonysmith%40contoso.com/pin')).status).toBe(200);
      expect((await umpin(env, 'token', 'revoke', 'desk')).code).toBe(0);
      expect(
        await soon(
          engine,
          async () => (await get(desk, '/api/v1/um-mailboxes/tonysmith%40contoso.com/pin')).status === 401,
        ),
      ).toBe(true);
    });

    it('Set-UMMailboxPolicy in umpin shell: the server shows the policy as changed', async () => {
      const desk = await token('HelpDesk', 'desk');
      const policyOf = async () =>
        (
          (await (await get(desk, '/api/v1/um-mailboxes/tonysmith%40contoso.com')).json()) as {
            umMailboxPolicy: string;
          }
        ).umMailboxPolicy;
      for (let i = 0; i < 3; i++) expect(await policyOf()).toBe('Contoso Default Policy');
      const shell = await umpin(
        env,
        'shell',
        '-c',
        "Set-UMMailboxPolicy -Identity 'Contoso Default Policy' -Name 'Contoso Staff Policy'",
      );
      expect(shell.code, shell.stderr).toBe(0);
      expect(await soon(engine, async () => (await policyOf()) === 'Contoso Staff Policy')).toBe(true);
    });
  });
}
