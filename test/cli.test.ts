/** The `umpin` executable as an administrator uses it: the built dist/cli/main.js, on each engine. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { localAdministrator } from '../src/services/actor.js';
import { setUMMailboxPIN } from '../src/services/set-um-mailbox-pin.js';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/compose.js';
import { ENGINES, freshDatabase, childEnv, type TestDb } from './harness.js';
import { CLI, freePort, umpin } from './cli-runner.js';

for (const engine of ENGINES) {
  describe(`umpin command line (${engine})`, () => {
    let db: TestDb;
    let env: NodeJS.ProcessEnv;
    beforeEach(async () => {
      db = await freshDatabase(engine);
      // no UMPIN_SECRET_KEY: the key file in the data directory is created and used
      env = { ...childEnv(db), UMPIN_SECRET_KEY: '' };
    });
    afterEach(() => db.drop());

    it('init --demo creates the Contoso organisation once, with mails queued, and is idempotent', async () => {
      const first = await umpin(env, 'init', '--demo');
      expect(first).toMatchObject({ code: 0 });
      expect(first.stdout).toContain('20 UM mailboxes');
      expect(statSync(join(db.dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
      const second = await umpin(env, 'init', '--demo');
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('0 UM mailboxes enabled now');

      const store = openStore({ engine, databaseUrl: db.url });
      try {
        const tony = (await store.findRecipients('tonysmith@contoso.com'))[0]!;
        expect(tony).toMatchObject({ displayName: 'Tony Smith', alias: 'tonysmith' });
        const ext = (await store.getUmMailbox(tony.id))!.extensions[0]!;
        expect('1985848'.includes(ext) || '1985848'.includes(ext.slice(-4))).toBe(false);
        // delivered before the command exited, to the maildrop (no SMTP configured); PINs erased from the outbox
        const welcome = await store.listOutbox({});
        expect(welcome).toHaveLength(20);
        expect(welcome.every((m) => m.kind === 'welcome' && m.status === 'sent' && m.sealedPayload === null)).toBe(
          true,
        );
        const files = readdirSync(join(db.dataDir, 'maildrop')).filter((f) => f.endsWith('.eml'));
        expect(files).toHaveLength(20);
        const mails = await Promise.all(
          files.map(async (f) => simpleParser(readFileSync(join(db.dataDir, 'maildrop', f)))),
        );
        const toTony = mails.find((m) => m.text?.includes('10231'))!;
        expect(toTony.to).toMatchObject({ text: 'tonysmith@contoso.com' });
        expect(mails.filter((m) => /[\u4e00-\u9fff]/.test(m.subject ?? ''))).toHaveLength(5);
      } finally {
        await store.close();
      }
      expect(await umpin(env, 'audit', 'verify')).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('audit log intact'),
      });
    });

    it('audit verify names the first entry that was tampered with', async () => {
      await umpin(env, 'init', '--demo');
      const store = openStore({
        engine,
        databaseUrl: db.url,
      }) as import('../src/store/kysely/kysely-store.js').KyselyStore;
      await store.kysely.updateTable('audit_log').set({ actor: 'someone-else' }).where('seq', '=', 7).execute();
      await store.close();
      const r = await umpin(env, 'audit', 'verify');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('BROKEN at entry 7');
    });

    it('audit chains lists the heads and sets how many take new entries', async () => {
      const narrowed = await umpin(env, 'audit', 'chains', '--writable', '1');
      expect(narrowed.code).toBe(0);
      expect(narrowed.stdout.trim().split('\n')).toHaveLength(8);
      // the change is itself audited, in the one chain left taking entries
      expect(narrowed.stdout).toMatch(/^chain 0: 1 entry, writable, last hash [0-9a-f]{64}$/m);
      expect(narrowed.stdout).toMatch(/^chain 7: 0 entries, closed, last hash 0{64}$/m);
    });

    it('serve answers /healthz', async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [CLI, 'serve', '--demo'], {
        env: { ...env, UMPIN_HTTP_PORT: String(port), UMPIN_HTTP_HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const closed = new Promise((r) => child.once('close', r));
      try {
        let body: unknown = null;
        // a first start migrates and seeds the demo: on a loaded machine that can take well over 10 s
        let exited = false;
        child.once('exit', () => {
          exited = true;
        });
        for (let i = 0; i < 600 && body === null && !exited; i++) {
          await new Promise((r) => setTimeout(r, 100));
          try {
            const res = await fetch(`http://127.0.0.1:${port}/healthz`);
            if (res.status === 200) body = await res.json();
          } catch {
            /* not listening yet */
          }
        }
        expect(body).toEqual({ status: 'ok', store: engine });

        // an administrator resets Tony's PIN while the server runs: its worker writes the mail to the maildrop
        const app = await compose(loadConfig(env));
        try {
          await setUMMailboxPIN(app.deps, localAdministrator('test'), {
            identity: 'tonysmith@contoso.com',
            pin: '1985848',
          });
        } finally {
          await app.close();
        }
        let found = false;
        for (let i = 0; i < 100 && !found; i++) {
          await new Promise((r) => setTimeout(r, 100));
          for (const f of readdirSync(join(db.dataDir, 'maildrop'))) {
            if (
              f.endsWith('.eml') &&
              (await simpleParser(readFileSync(join(db.dataDir, 'maildrop', f)))).text?.includes('1985848')
            )
              found = true;
          }
        }
        expect(found).toBe(true);
      } finally {
        child.kill('SIGTERM');
        await closed;
      }
    });

    it('refuses bad configuration with the code and the variable named, and exit 1', async () => {
      const r = await umpin({ ...env, UMPIN_KDF: 'm=lots' }, 'migrate');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/UMPIN_VALUE_INVALID: UMPIN_KDF is not valid/);
      const smtp = await umpin({ ...env, UMPIN_SMTP_URL: 'http://admin:s3cret@mail' }, 'mail', 'drain');
      expect(smtp.code).toBe(1);
      expect(smtp.stderr).toMatch(/UMPIN_SMTP_URL is not valid: an smtp:\/\/ or smtps:\/\/ URL/);
      expect(smtp.stderr).not.toContain('s3cret');
    });

    it('imports recipients from CSV and reports a bad line without importing anything', async () => {
      const { writeFileSync } = await import('node:fs');
      const good = join(db.dataDir, 'good.csv');
      writeFileSync(
        good,
        'DisplayName,PrimarySmtpAddress,Language\n"Smith, Ann",ann@contoso.com,en-US\nBo Li,boli@contoso.com,zh-TW\n',
      );
      expect(await umpin(env, 'recipient', 'import', good)).toMatchObject({
        code: 0,
        stdout: '2 recipients created, 0 updated\n',
      });
      const bad = join(db.dataDir, 'bad.csv');
      writeFileSync(bad, 'PrimarySmtpAddress\ncarl@contoso.com\nnot-an-address\n');
      const r = await umpin(env, 'recipient', 'import', bad);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('UMPIN_CSV_INVALID: CSV line 3');
      const store = openStore({ engine, databaseUrl: db.url });
      expect(await store.findRecipients('carl@contoso.com')).toEqual([]);
      await store.close();
    });
  });
}
