/** `umpin token …`, `umpin admin …` and the first-run bootstrap of `umpin serve`, through the built dist/cli/main.js, on each engine. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { authenticateToken } from '../src/services/api-tokens.js';
import { completeSetup } from '../src/services/admin-accounts.js';
import { signInWithPassword } from '../src/services/sessions.js';
import { childEnv, ENGINES, freshDatabase, type TestDb } from './harness.js';
import { startServe, umpin } from './cli-runner.js';

const PASSWORD = 'a long enough passphrase';

/** Starts `umpin serve`, waits until it listens, stops it; returns what it printed. */
async function serveOnce(env: NodeJS.ProcessEnv): Promise<string> {
  const server = await startServe(env);
  try {
    // the announcement follows listen()
    await new Promise((r) => setTimeout(r, 200));
    return server.output();
  } finally {
    await server.stop();
  }
}

for (const engine of ENGINES) {
  describe(`umpin token and admin (${engine})`, () => {
    let db: TestDb;
    let env: NodeJS.ProcessEnv;
    beforeEach(async () => {
      db = await freshDatabase(engine);
      env = childEnv(db);
      delete env.UMPIN_ADMIN_PASSWORD;
      expect((await umpin(env, 'init', '--demo')).code).toBe(0);
    });
    afterEach(() => db.drop());

    it('token new prints the token alone on its last line; list shows it; revoke ends it', async () => {
      const made = await umpin(env, 'token', 'new', '--role', 'Help Desk', '--name', 'helpdesk-tool');
      expect(made.code, made.stderr).toBe(0);
      const lines = made.stdout.trimEnd().split('\n');
      const token = lines.at(-1)!;
      expect(token).toMatch(/^umpin_[A-Za-z0-9_-]{43}$/);
      expect(lines.slice(0, -1).join('\n')).toContain("API token 'helpdesk-tool' (Help Desk, all dial plans)");

      const scoped = await umpin(env, 'token', 'new', '--role', 'voicegateway', '--name', 'pbx', '--scope', 'Contoso');
      expect(scoped.stdout).toContain('(Voice Gateway, Contoso)');

      const app = await compose(loadConfig(env));
      try {
        expect(await authenticateToken(app.deps, token, null)).toMatchObject({
          name: 'token:helpdesk-tool',
          roles: ['HelpDesk'],
        });
      } finally {
        await app.close();
      }

      const list = await umpin(env, 'token', 'list');
      expect(list.code).toBe(0);
      const [header, , ...rows] = list.stdout.trimEnd().split('\n');
      expect(header).toMatch(/^NAME\s+ROLE\s+SCOPE\s+CREATED\s+LAST USED\s+REVOKED$/);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(
        /^helpdesk-tool\s+Help Desk\s+all dial plans\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+-$/,
      );
      expect(rows[1]).toMatch(/^pbx\s+Voice Gateway\s+Contoso\s+\S+ \S+\s+-\s+-$/);
      expect(list.stdout).not.toContain(token);

      expect(await umpin(env, 'token', 'revoke', 'helpdesk-tool')).toMatchObject({
        code: 0,
        stdout: "API token 'helpdesk-tool' revoked\n",
      });
      expect((await umpin(env, 'token', 'list')).stdout).toMatch(/helpdesk-tool .*\d\d:\d\dZ$/m);
      const again = await umpin(env, 'token', 'revoke', 'helpdesk-tool');
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('UMPIN_IDENTITY_NOT_FOUND');

      const app2 = await compose(loadConfig(env));
      try {
        expect(await authenticateToken(app2.deps, token, null)).toBeNull();
      } finally {
        await app2.close();
      }

      const bad = await umpin(env, 'token', 'new', '--role', 'Root', '--name', 'x');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/UMPIN_VALUE_INVALID: Role is not valid: it must be one of Organization Management, /);
    });

    it('admin add takes the password from UMPIN_ADMIN_PASSWORD and never prints it; reset and list', async () => {
      const added = await umpin(
        { ...env, UMPIN_ADMIN_PASSWORD: PASSWORD },
        'admin',
        'add',
        'alice',
        '--role',
        'OrganizationManagement',
      );
      expect(added).toMatchObject({
        code: 0,
        stdout: "administrator 'alice' (Organization Management, all dial plans) created\n",
      });
      expect(added.stdout + added.stderr).not.toContain(PASSWORD);
      expect(
        (
          await umpin(
            { ...env, UMPIN_ADMIN_PASSWORD: PASSWORD },
            'admin',
            'add',
            'bob',
            '--role',
            'help-desk',
            '--scope',
            'Contoso',
          )
        ).code,
      ).toBe(0);

      // no password given and no terminal to type it at
      const none = await umpin(env, 'admin', 'add', 'carol', '--role', 'HelpDesk');
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('UMPIN_ADMIN_PASSWORD');
      const short = await umpin(
        { ...env, UMPIN_ADMIN_PASSWORD: 'tooshort' },
        'admin',
        'add',
        'carol',
        '--role',
        'HelpDesk',
      );
      expect(short.code).toBe(1);
      expect(short.stderr).toMatch(
        /UMPIN_VALUE_INVALID: Password is not valid: it must be at least 12 characters long/,
      );
      expect(short.stderr).not.toContain('tooshort');

      const list = await umpin(env, 'admin', 'list');
      const rows = list.stdout.trimEnd().split('\n').slice(2);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(/^alice\s+Organization Management\s+all dial plans\s+\S+ \S+\s+enabled$/);
      expect(rows[1]).toMatch(/^bob\s+Help Desk\s+Contoso\s+\S+ \S+\s+enabled$/);

      expect(
        (await umpin({ ...env, UMPIN_ADMIN_PASSWORD: 'a newer long passphrase' }, 'admin', 'reset', 'bob')).code,
      ).toBe(0);
      expect((await umpin(env, 'admin', 'disable', 'alice')).stdout).toBe("administrator 'alice' disabled\n");
      const app = await compose(loadConfig(env));
      try {
        expect(
          (await signInWithPassword(app.deps, { name: 'bob', password: 'a newer long passphrase', source: null })).actor
            .roles,
        ).toEqual(['HelpDesk']);
        await expect(
          signInWithPassword(app.deps, { name: 'alice', password: PASSWORD, source: null }),
        ).rejects.toMatchObject({ code: 'UMPIN_SIGN_IN_FAILED' });
        const audit = JSON.stringify(await app.deps.store.listAudit({}));
        expect(audit).toContain('New-AdminAccount');
        for (const p of [PASSWORD, 'a newer long passphrase', 'tooshort']) expect(audit).not.toContain(p);
      } finally {
        await app.close();
      }
    });

    it('serve on first run prints how to complete setup with a one-time token, or makes "admin" from UMPIN_ADMIN_PASSWORD; later runs print neither', async () => {
      const first = await serveOnce(env);
      const link = /curl -X POST (http:\/\/127\.0\.0\.1:\d+)\/api\/v1\/setup .*"token":"([A-Za-z0-9_-]{43})"/.exec(
        first,
      );
      expect(link, first).not.toBeNull();

      const second = await serveOnce({ ...env, UMPIN_ADMIN_PASSWORD: PASSWORD });
      expect(second).toContain("administrator 'admin' created from UMPIN_ADMIN_PASSWORD");
      expect(second).not.toContain(PASSWORD);

      const third = await serveOnce({ ...env, UMPIN_ADMIN_PASSWORD: PASSWORD });
      expect(third).not.toContain('administrator');
      expect(third).not.toContain('/api/v1/setup');

      // the link printed first is now useless: an account exists
      const app = await compose(loadConfig(env));
      try {
        await expect(
          completeSetup(app.deps, { token: link![2]!, name: 'mallory', password: PASSWORD, source: null }),
        ).rejects.toMatchObject({ code: 'UMPIN_SETUP_DONE' });
        expect(
          (await signInWithPassword(app.deps, { name: 'admin', password: PASSWORD, source: null })).actor.roles,
        ).toEqual(['OrganizationManagement']);
      } finally {
        await app.close();
      }
    });
  });
}
