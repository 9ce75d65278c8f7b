/**
 * After PINs are set every way umpin sets them (typed by an administrator, generated,
 * changed by the user, reset automatically), no clear PIN is anywhere in the database:
 * not in the SQLite file and its WAL, not in a PostgreSQL dump. Outbox payloads carry
 * them only encrypted.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setMailboxPolicy } from '../src/services/mailbox-policies.js';
import { resetUMMailboxPINs, setUMMailboxPIN } from '../src/services/set-um-mailbox-pin.js';
import { requestSignInCode, signInWithCode } from '../src/services/sign-in-codes.js';
import { changePin, verifyLogon } from '../src/services/voice-logon.js';
import type { Actor } from '../src/services/actor.js';
import { databaseText } from './db-haystack.js';
import { ADMIN, contoso } from './fixtures.js';
import { ENGINES, testContext, type TestContext } from './harness.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'] };

function pgDumpBinary(): string {
  const root = '/usr/lib/postgresql';
  const v = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'bin', 'pg_dump')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return v ? join(root, v, 'bin', 'pg_dump') : 'pg_dump';
}

for (const engine of ENGINES) {
  describe(`no clear PIN in the database (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
    });
    afterEach(() => t.close());

    it('finds none of the PINs set, changed, generated or refused', async () => {
      const known = ['73019468', '50813627', '91827364', '62840573', '38571946'];
      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: known[0] },
        { alias: 'kimakers', extension: '10232', pin: known[1] },
        { alias: 'weichen', extension: '10233', language: 'zh-TW' },
      ]);
      // 10-digit generated PINs: long enough that a chance match in timestamps or ids is impossible in practice
      await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { minPinLength: 10 });
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: `${known[2]}55`, pinExpired: true });
      await changePin(t.deps, GATEWAY, { extension: '10231', oldPin: `${known[2]}55`, newPin: `${known[3]}19` });
      // refused (too short for the raised policy): audited as a failure, must not leak either
      await expect(setUMMailboxPIN(t.deps, ADMIN, { identity: 'kimakers', pin: known[4] })).rejects.toMatchObject({
        code: 'UMPIN_PIN_TOO_SHORT',
      });
      await resetUMMailboxPINs(t.deps, ADMIN, { identities: ['kimakers', 'weichen'] });
      for (let i = 0; i < 5; i++) await verifyLogon(t.deps, GATEWAY, { extension: '10233', pin: '0000000000' });

      // every PIN ever issued, including generated ones, read back from the encrypted outbox
      const mails = await t.deps.store.listOutbox({});
      const generated = mails
        .filter((m) => m.sealedPayload)
        .map((m) => (JSON.parse(t.deps.cipher.open(m.sealedPayload!, m.id)) as { pin?: string }).pin)
        .filter((p): p is string => Boolean(p));
      expect(generated.length).toBeGreaterThanOrEqual(6);
      const secrets = [
        ...new Set([...known, `${known[2]}55`, `${known[3]}19`, ...generated.filter((p) => p.length >= 8)]),
      ];

      let haystack: string;
      if (engine === 'sqlite') {
        haystack = ['', '-wal', '-shm']
          .map((s) => t.db.url + s)
          .filter(existsSync)
          .map((f) => readFileSync(f).toString('latin1'))
          .join('\n');
      } else {
        haystack = execFileSync(pgDumpBinary(), ['--dbname', t.db.url, '--no-owner'], {
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
        });
      }
      expect(haystack.length).toBeGreaterThan(10_000);
      // the scan itself works: known non-secret values are found
      expect(haystack).toContain('tonysmith@contoso.com');
      for (const pin of secrets)
        expect(haystack.includes(pin), `PIN ${pin.slice(0, 2)}… found in the ${engine} database`).toBe(false);
    });

    it('finds no sign-in code: mailed, used, mistyped, or waiting in the outbox', async () => {
      await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: '73019468' }]);
      const codeOf = async () => {
        const [m] = (await t.deps.store.listOutbox({ status: 'queued' })).filter((o) => o.kind === 'sign-in-code');
        const code = (JSON.parse(t.deps.cipher.open(m!.sealedPayload!, m!.id)) as { code: string }).code;
        await t.deps.store.completeOutbox([m!.id], t.clock.now()); // as the mail worker does once the server accepts it
        return code;
      };
      await requestSignInCode(t.deps, { identity: 'tonysmith@contoso.com', source: '192.0.2.1' }, { answerMs: 0 });
      const used = await codeOf();
      // typed the way users type it, and once into the identity box by mistake
      await expect(
        signInWithCode(t.deps, { identity: used, code: used, source: '192.0.2.1' }, { answerMs: 0 }),
      ).rejects.toMatchObject({ code: 'UMPIN_SIGN_IN_FAILED' });
      await signInWithCode(
        t.deps,
        { identity: 'tonysmith', code: used.toLowerCase().replace('-', ''), source: '192.0.2.1' },
        { answerMs: 0 },
      );
      const mistyped = used === 'BCDF-GHJK' ? 'BCDF-GHJM' : 'BCDF-GHJK';
      await expect(
        signInWithCode(t.deps, { identity: 'tonysmith', code: mistyped, source: '192.0.2.1' }, { answerMs: 0 }),
      ).rejects.toMatchObject({ code: 'UMPIN_SIGN_IN_FAILED' });
      // a code still waiting for its mail: only its sealed payload holds it
      await requestSignInCode(t.deps, { identity: 'tonysmith@contoso.com', source: '192.0.2.1' }, { answerMs: 0 });
      const [waiting] = (await t.deps.store.listOutbox({ status: 'queued' })).filter((o) => o.kind === 'sign-in-code');
      const pending = (JSON.parse(t.deps.cipher.open(waiting!.sealedPayload!, waiting!.id)) as { code: string }).code;

      const haystack = databaseText(t);
      expect(haystack).toContain('Request-SignInCode');
      for (const code of [used, pending, mistyped]) {
        for (const form of [code, code.replace('-', ''), code.toLowerCase(), code.replace('-', '').toLowerCase()]) {
          expect(haystack.includes(form), `sign-in code ${form.slice(0, 2)}… found in the ${engine} database`).toBe(
            false,
          );
        }
      }
    });
  });
}
