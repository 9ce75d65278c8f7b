/**
 * After PINs are set every way umpin sets them (typed by an administrator, generated,
 * changed by the user, reset automatically, mistyped), no PIN is anywhere in the database's
 * files in any encoding it could take (text, UTF-16, hex, base64, an integer, a float, a
 * numeric): not in the SQLite file and its WAL, not in PostgreSQL's data files (dead rows
 * too) or its WAL. Outbox payloads carry them only encrypted. A control plants a PIN in
 * each encoding and requires the scan to find it.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setMailboxPolicy } from '../src/services/mailbox-policies.js';
import { resetUMMailboxPINs, setUMMailboxPIN } from '../src/services/set-um-mailbox-pin.js';
import { requestSignInCode, signInWithCode } from '../src/services/sign-in-codes.js';
import { changePin, verifyLogon } from '../src/services/voice-logon.js';
import type { Actor } from '../src/services/actor.js';
import { databaseText, encodingsOf, scanDatabase } from './db-haystack.js';
import { ADMIN, contoso } from './fixtures.js';
import { ENGINES, testContext, type TestContext } from './harness.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'] };

for (const engine of ENGINES) {
  describe(`no clear PIN in the database (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
    });
    afterEach(() => t.close());

    it('finds none of the PINs set, changed, generated, refused or mistyped, in any encoding', async () => {
      // ten digits: from 2^32 up, so their integer forms are searched too
      const known = ['7301946825', '5081362794', '9182736455', '6284057319', '385719462'] as const;
      const mistyped = ['4829103756', '6150392847'] as const;
      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: known[0] },
        { alias: 'kimakers', extension: '10232', pin: known[1] },
        { alias: 'weichen', extension: '10233', language: 'zh-TW' },
      ]);
      // 10-digit generated PINs: long enough that a chance match in timestamps or ids is impossible in practice
      await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { minPinLength: 10 });
      await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: known[2], pinExpired: true });
      // a wrong old PIN, then the right one
      expect(
        await changePin(t.deps, GATEWAY, { extension: '10231', oldPin: mistyped[1], newPin: known[3] }),
      ).toMatchObject({ outcome: 'wrong' });
      await changePin(t.deps, GATEWAY, { extension: '10231', oldPin: known[2], newPin: known[3] });
      // refused (too short for the raised policy): audited as a failure, must not leak either
      await expect(setUMMailboxPIN(t.deps, ADMIN, { identity: 'kimakers', pin: known[4] })).rejects.toMatchObject({
        code: 'UMPIN_PIN_TOO_SHORT',
      });
      await resetUMMailboxPINs(t.deps, ADMIN, { identities: ['kimakers', 'weichen'] });
      // wrong PINs typed on the telephone, up to the automatic reset
      for (let i = 0; i < 5; i++) await verifyLogon(t.deps, GATEWAY, { extension: '10233', pin: mistyped[0] });

      // every PIN ever issued, including generated ones, read back from the encrypted outbox
      const mails = await t.deps.store.listOutbox({});
      const generated = mails
        .filter((m) => m.sealedPayload)
        .map((m) => (JSON.parse(t.deps.cipher.open(m.sealedPayload!, m.id)) as { pin?: string }).pin)
        .filter((p): p is string => Boolean(p));
      expect(generated.length).toBeGreaterThanOrEqual(6);
      // the automatic reset's PIN too
      expect(mails.some((m) => m.kind === 'auto-reset')).toBe(true);
      const secrets = [...new Set([...known, ...mistyped, ...generated.filter((p) => p.length >= 8)])];

      const { findings, scannedBytes } = await scanDatabase(t, [...secrets, 'tonysmith@contoso.com']);
      expect(scannedBytes).toBeGreaterThan(10_000);
      // the scan itself works: a known non-secret value is found
      expect(findings.filter((f) => f.secret === 'tonysmith@contoso.com').length).toBeGreaterThan(0);
      const leaks = findings
        .filter((f) => f.secret !== 'tonysmith@contoso.com')
        .map((f) => `PIN ${f.secret.slice(0, 2)}… as ${f.encoding} in ${f.where}`);
      expect(leaks, `in the ${engine} database`).toEqual([]);
    });

    it('the scan finds a PIN planted in each encoding, in a live row and in a deleted one', async () => {
      let next = 7_104_293_851;
      const needle = () => {
        next += 1_000_003;
        return String(next);
      };
      // what is planted, and the encoding the scan must name for it
      const planted: Array<{ secret: string; encoding: string }> = [];
      const raw: Array<{ secret: string; bytes: Buffer }> = [];
      for (const { encoding } of encodingsOf(needle())) {
        const secret = needle();
        raw.push({ secret, bytes: encodingsOf(secret).find((e) => e.encoding === encoding)!.bytes });
        planted.push({ secret, encoding });
      }
      const [text, integer, real, numeric, deleted] = [needle(), needle(), needle(), needle(), needle()];
      if (engine === 'sqlite') {
        const db = new Database(t.db.url);
        db.exec('create table control (v)');
        const insert = db.prepare('insert into control values (?)');
        for (const r of raw) insert.run(r.bytes);
        insert.run(text);
        db.prepare('insert into control values (cast(? as integer))').run(integer);
        db.prepare('insert into control values (cast(? as real))').run(real);
        insert.run(deleted);
        db.prepare('delete from control where v = ?').run(deleted);
        db.close();
        planted.push(
          { secret: text, encoding: 'text' },
          { secret: integer, encoding: 'int48be' },
          { secret: real, encoding: 'float64be' },
          { secret: deleted, encoding: 'text' },
        );
      } else {
        const c = new pg.Client({ connectionString: t.db.url });
        await c.connect();
        await c.query('create table control (b bytea, t text, i bigint, r double precision, n numeric)');
        for (const r of raw) await c.query('insert into control (b) values ($1)', [r.bytes]);
        await c.query('insert into control (t, i, r, n) values ($1, $2, $3, $4)', [text, integer, real, numeric]);
        await c.query('insert into control (t) values ($1)', [deleted]);
        await c.query('delete from control where t = $1', [deleted]);
        await c.query('vacuum control');
        await c.end();
        planted.push(
          { secret: text, encoding: 'text' },
          { secret: integer, encoding: 'int64le' },
          { secret: real, encoding: 'float64le' },
          { secret: numeric, encoding: 'numeric' },
          { secret: deleted, encoding: 'text' },
        );
      }
      const { findings } = await scanDatabase(
        t,
        planted.map((p) => p.secret),
      );
      const missed = planted.filter((p) => !findings.some((f) => f.secret === p.secret && f.encoding === p.encoding));
      expect(missed, JSON.stringify(findings)).toEqual([]);
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
