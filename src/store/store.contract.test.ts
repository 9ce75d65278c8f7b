/** The store port's promises, held by both engines through the one Kysely implementation. */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childEnv, ENGINES, testContext, togetherOn, type TestContext } from '../../test/harness.js';
import { ADMIN, contoso } from '../../test/fixtures.js';
import { newRecipient } from '../services/recipients.js';
import { setUMMailbox } from '../services/um-mailboxes.js';
import type { AuditInput } from '../domain/audit-entry.js';
import { sql } from 'kysely';
import { openStore } from '../compose.js';
import { verifyAuditLog } from '../services/audit-log.js';
import type { KyselyStore } from './kysely/kysely-store.js';
import { fixedLock } from '../domain/progressive-lockout.js';

/** An audit entry that says nothing but its number. */
const auditEntry = (n: number): AuditInput => ({
  at: n,
  actor: 'a',
  source: null,
  action: 'X',
  target: null,
  parameters: { n },
  result: 'success',
  errorCode: null,
});

interface RaceRound {
  identity: string;
  extension: string;
  outcome: string;
  began: number;
  ended: number;
}

/** Starts test/extension-race.ts in a process of its own; `ready` once it is connected, `go(at)` runs its rounds. */
function raceProcess(env: NodeJS.ProcessEnv): { ready: Promise<void>; go(at: number): Promise<RaceRound[]> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/extension-race.ts'], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let signalReady: () => void;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) signalReady();
  });
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<RaceRound[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`extension race exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
  return {
    ready: Promise.race([ready, done.then(() => {})]),
    go: (at) => {
      child.stdin.write(`${at}\n`);
      return done;
    },
  };
}

for (const engine of ENGINES) {
  describe(`store contract (${engine})`, () => {
    let t: TestContext;
    let id: string;
    beforeEach(async () => {
      t = await testContext(engine);
      await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: '1985848' }]);
      id = (await t.deps.store.findRecipients('tonysmith'))[0]!.id;
    });
    afterEach(() => t.close());

    it('finds mailboxes by any identity in one read: the UM mailbox with its extensions in order and its PIN state, or null for each', async () => {
      const s = t.deps.store;
      await setUMMailbox(t.deps, ADMIN, 'tonysmith', { extensions: ['10231', '10299', '10240'] });
      await newRecipient(t.deps, ADMIN, {
        primarySmtpAddress: 'kim@contoso.com',
        alias: 'kim',
        displayName: 'Kim Akers',
      });
      await newRecipient(t.deps, ADMIN, {
        primarySmtpAddress: 'kim.akers@fabrikam.com',
        alias: 'kakers',
        displayName: 'Kim Akers',
      });
      const byAddress = await s.findMailboxes('TonySmith@Contoso.com');
      expect(byAddress).toHaveLength(1);
      expect(byAddress[0]!.recipient.id).toBe(id);
      expect(byAddress[0]!.mailbox).toEqual(await s.getUmMailbox(id));
      expect(byAddress[0]!.mailbox!.extensions).toEqual(['10231', '10299', '10240']);
      expect(byAddress[0]!.pin).toEqual(await s.getPin(id));
      // a page's PIN states in one read: only the recipients that have one
      expect(await s.getPins([id, '00000000-0000-0000-0000-000000000000'])).toEqual([await s.getPin(id)]);
      expect((await s.findMailboxes(`CONTOSO\\tonysmith`)).map((m) => m.recipient.id)).toEqual([id]);
      // a recipient that is not UM-enabled comes with neither
      expect(await s.findMailboxes('kim')).toEqual([
        { recipient: (await s.findRecipients('kim'))[0], mailbox: null, pin: null },
      ]);
      // an ambiguous identity names all it matches, as findRecipients does
      expect((await s.findMailboxes('kim akers')).map((m) => m.recipient.primarySmtpAddress).sort()).toEqual([
        'kim.akers@fabrikam.com',
        'kim@contoso.com',
      ]);
      expect(await s.findMailboxes('nobody')).toEqual([]);
    });

    it('counts failures one by one and locks at the limit; a locked mailbox counts nothing more', async () => {
      const s = t.deps.store;
      const counts = [];
      for (let i = 0; i < 4; i++) counts.push(await s.transaction((tx) => tx.recordFailure(id, 3, fixedLock(0, null))));
      expect(counts).toEqual([1, 2, 3, null]);
      expect(await s.getPin(id)).toMatchObject({ failedAttempts: 3, lockedOut: true, lockedUntil: null });
    });

    it('records when a timed lock lifts, and lifts it only after that time', async () => {
      const s = t.deps.store;
      await s.transaction((tx) => tx.recordFailure(id, 1, fixedLock(0, 5_000)));
      expect(await s.transaction((tx) => tx.liftLapsedLock(id, 4_999))).toBe(false);
      expect(await s.transaction((tx) => tx.liftLapsedLock(id, 5_000))).toBe(true);
      expect(await s.getPin(id)).toMatchObject({ lockedOut: false, failedAttempts: 0, lockedUntil: null });
    });

    it('a success applies only to the PIN version that was verified', async () => {
      const s = t.deps.store;
      await s.transaction((tx) => tx.recordFailure(id, null, fixedLock(0, null)));
      const v = (await s.getPin(id))!.version;
      await s.transaction((tx) =>
        tx.replacePin({
          recipientId: id,
          pinHash: 'h2',
          pinSetAt: 1,
          pinExpired: false,
          firstTimeUser: false,
          lockedOut: false,
          keepHistory: 4,
        }),
      );
      expect(await s.transaction((tx) => tx.recordSuccess(id, v, null))).toBe(false);
      expect(await s.transaction((tx) => tx.recordSuccess(id, v + 1, null))).toBe(true);
    });

    it('keeps PINHistoryCount−1 previous hashes and refuses a stale expected version', async () => {
      const s = t.deps.store;
      for (let i = 2; i <= 8; i++) {
        await s.transaction((tx) =>
          tx.replacePin({
            recipientId: id,
            pinHash: `h${i}`,
            pinSetAt: i,
            pinExpired: false,
            firstTimeUser: false,
            lockedOut: false,
            keepHistory: 4,
          }),
        );
      }
      const history = await s.getPinHistory(id, 20);
      expect(history.map((h) => h.pinHash)).toEqual(['h7', 'h6', 'h5', 'h4']);
      expect(
        await s.transaction((tx) =>
          tx.replacePin(
            {
              recipientId: id,
              pinHash: 'x',
              pinSetAt: 9,
              pinExpired: false,
              firstTimeUser: false,
              lockedOut: false,
              keepHistory: 4,
            },
            1,
          ),
        ),
      ).toBe(false);
      expect((await s.getPin(id))!.pinHash).toBe('h8');
    });

    it('chains audit entries: a transaction takes one chain; each link covers the previous entry of that chain', async () => {
      const s = t.deps.store;
      const before = await s.auditChains();
      expect(before.map((h) => h.chain)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(before.every((h) => h.writable && h.legacyLength === 0)).toBe(true);
      // the fixture's own actions were audited, each in a chain of its own choosing
      expect(before.reduce((n, h) => n + h.length, 0)).toBe((await s.listAudit({})).length);
      const lastSeq = Math.max(...(await s.listAudit({})).map((x) => x.seq));
      const calls: string[] = [];
      const link = (prev: string, content: string) => {
        calls.push(prev);
        return t.deps.signer.link(prev, content);
      };
      const written = await s.transaction(async (tx) => [
        ...(await tx.appendAudit([auditEntry(1), auditEntry(2)], link)),
        ...(await tx.appendAudit([auditEntry(3)], link)),
      ]);
      const chain = written[0]!.chain;
      const was = before.find((h) => h.chain === chain)!;
      expect(written.map((w) => [w.chain, w.position])).toEqual([
        [chain, was.length + 1],
        [chain, was.length + 2],
        [chain, was.length + 3],
      ]);
      expect(calls).toEqual([was.hash, written[0]!.hash, written[1]!.hash]);
      expect(written[0]!.seq).toBeGreaterThan(lastSeq);
      expect(written.map((w) => w.seq)).toEqual([...written.map((w) => w.seq)].sort((a, b) => a - b));
      expect((await s.auditChains()).find((h) => h.chain === chain)).toMatchObject({
        length: was.length + 3,
        hash: written[2]!.hash,
      });
      expect(await s.listAuditChain(chain, was.length, 10)).toEqual(written);
      expect(await verifyAuditLog(t.deps, ADMIN)).toMatchObject({ ok: true, chains: 8 });
    });

    it('rolls back everything when a transaction fails', async () => {
      const s = t.deps.store;
      const before = await s.auditChains();
      const entries = (await s.listAudit({})).length;
      await expect(
        s.transaction(async (tx) => {
          await tx.recordFailure(id, null, fixedLock(0, null));
          await tx.appendAudit([auditEntry(1)], (p, c) => t.deps.signer.link(p, c));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await s.auditChains()).toEqual(before);
      expect(await s.listAudit({})).toHaveLength(entries);
      expect((await s.getPin(id))!.failedAttempts).toBe(0);
    });

    describe('audit chains against tampering', () => {
      const db = () => (t.deps.store as KyselyStore).kysely;
      /** count entries appended into the one chain, each in a transaction of its own */
      const appendTo = async (chain: number, count: number) => {
        await db()
          .updateTable('audit_chain')
          .set({ writable: sql`case when id = ${chain} then 1 else 0 end` })
          .execute();
        for (let i = 0; i < count; i++)
          await t.deps.store.transaction((tx) => tx.appendAudit([auditEntry(i)], (p, c) => t.deps.signer.link(p, c)));
        await db().updateTable('audit_chain').set({ writable: 1 }).execute();
        return t.deps.store.listAuditChain(chain, 0, 1000);
      };
      const move = (from: { chain: number; position: number }, to: { chain: number; position: number }) =>
        db()
          .updateTable('audit_log')
          .set({ chain_id: to.chain, chain_position: to.position })
          .where('chain_id', '=', from.chain)
          .where('chain_position', '=', from.position)
          .execute();

      it('a changed entry in chain 3 breaks that chain at that entry, and only it', async () => {
        const three = await appendTo(3, 3);
        const victim = three[three.length - 2]!;
        await db().updateTable('audit_log').set({ actor: 'someone-else' }).where('seq', '=', victim.seq).execute();
        const entries = (await t.deps.store.listAudit({})).length;
        expect(await verifyAuditLog(t.deps, ADMIN)).toEqual({
          ok: false,
          entries: entries - 2,
          chain: 3,
          position: victim.position,
          brokenAtSeq: victim.seq,
          reason: 'hash-mismatch',
          brokenChains: [3],
        });
      });

      it("removing a chain's last entry is caught by its head", async () => {
        const five = await appendTo(5, 2);
        const last = five[five.length - 1]!;
        await db().deleteFrom('audit_log').where('seq', '=', last.seq).execute();
        expect(await verifyAuditLog(t.deps, ADMIN)).toMatchObject({
          ok: false,
          chain: 5,
          position: last.position,
          brokenAtSeq: null,
          reason: 'gap',
          brokenChains: [5],
        });
      });

      it('a removed entry inside a chain leaves a gap at its place', async () => {
        const six = await appendTo(6, 3);
        await db()
          .deleteFrom('audit_log')
          .where('seq', '=', six[six.length - 2]!.seq)
          .execute();
        expect(await verifyAuditLog(t.deps, ADMIN)).toMatchObject({
          ok: false,
          chain: 6,
          position: six[six.length - 2]!.position,
          brokenAtSeq: null,
          reason: 'gap',
        });
      });

      it('entries swapped between two chains break both', async () => {
        const [one, two] = [await appendTo(1, 2), await appendTo(2, 2)];
        const a = one[one.length - 1]!;
        const b = two[two.length - 1]!;
        await move(a, { chain: 99, position: 1 });
        await move(b, a);
        await move({ chain: 99, position: 1 }, b);
        // the first break in the log: a (written first) where b was
        expect(await verifyAuditLog(t.deps, ADMIN)).toMatchObject({
          ok: false,
          chain: 2,
          position: b.position,
          brokenAtSeq: a.seq,
          reason: 'hash-mismatch',
          brokenChains: [1, 2],
        });
      });

      it('two entries of a chain swapped in place break it at the first of them', async () => {
        const four = await appendTo(4, 3);
        const [x, y] = four.slice(-3);
        await move(x!, { chain: 99, position: 1 });
        await move(y!, x!);
        await move({ chain: 99, position: 1 }, y!);
        expect(await verifyAuditLog(t.deps, ADMIN)).toMatchObject({
          ok: false,
          chain: 4,
          position: x!.position,
          brokenAtSeq: y!.seq,
          reason: 'hash-mismatch',
          brokenChains: [4],
        });
      });

      it('an entry moved to a chain without a head is missed by its own and found out', async () => {
        const seven = await appendTo(7, 2);
        const moved = seven[seven.length - 2]!;
        await move(moved, { chain: 42, position: moved.position });
        expect(await verifyAuditLog(t.deps, ADMIN)).toMatchObject({
          ok: false,
          chain: 7,
          position: moved.position,
          reason: 'gap',
          brokenChains: [7, 42],
        });
      });

      it('a head whose last hash was changed is caught', async () => {
        const zero = await appendTo(0, 1);
        await db()
          .updateTable('audit_chain')
          .set({ last_hash: 'f'.repeat(64) })
          .where('id', '=', 0)
          .execute();
        expect(await verifyAuditLog(t.deps, ADMIN)).toMatchObject({
          ok: false,
          chain: 0,
          position: zero[zero.length - 1]!.position,
          reason: 'head-mismatch',
        });
      });
    });

    if (engine === 'postgres') {
      it('a writer takes a chain nobody holds, and waits only when every writable one is held', async () => {
        const s = t.deps.store;
        const link = (p: string, c: string) => t.deps.signer.link(p, c);
        let release: () => void = () => {};
        const held = new Promise<void>((r) => (release = r));
        let holds: (chain: number) => void = () => {};
        const holding = new Promise<number>((r) => (holds = r));
        const first = s.transaction(async (tx) => {
          const [e] = await tx.appendAudit([auditEntry(1)], link);
          holds(e!.chain);
          await held;
        });
        const chain = await holding;
        // another writer meanwhile: done while the first still holds its head, in another chain
        const [other] = await s.transaction((tx) => tx.appendAudit([auditEntry(2)], link));
        expect(other!.chain).not.toBe(chain);
        // with that chain the only one taking entries, the next writer waits for it
        await (s as KyselyStore).kysely
          .updateTable('audit_chain')
          .set({ writable: sql`case when id = ${chain} then 1 else 0 end` })
          .where('id', '!=', chain)
          .execute();
        let firstDone = false;
        const waiter = s
          .transaction((tx) => tx.appendAudit([auditEntry(3)], link))
          .then(([e]) => ({ e: e!, afterFirst: firstDone }));
        await new Promise((r) => setTimeout(r, 200));
        firstDone = true;
        release();
        await first;
        const waited = await waiter;
        expect(waited).toMatchObject({ e: { chain }, afterFirst: true });
        expect(await verifyAuditLog(t.deps, ADMIN)).toMatchObject({ ok: true });
      });

      it('200 audited writes at once from three stores all land, in chains that verify', async () => {
        const stores = [
          t.deps.store,
          openStore({ engine, databaseUrl: t.db.url }),
          openStore({ engine, databaseUrl: t.db.url }),
        ];
        try {
          const before = (await t.deps.store.listAudit({})).length;
          const link = (p: string, c: string) => t.deps.signer.link(p, c);
          const written = (
            await Promise.all(
              Array.from({ length: 200 }, (_, i) =>
                stores[i % 3]!.transaction((tx) => tx.appendAudit([auditEntry(i)], link)),
              ),
            )
          ).flat();
          expect(written).toHaveLength(200);
          const all = await t.deps.store.listAudit({ limit: 5000 });
          expect(all).toHaveLength(before + 200);
          expect(new Set(all.map((e) => e.seq)).size).toBe(all.length);
          expect(new Set(all.map((e) => `${e.chain}:${e.position}`)).size).toBe(all.length);
          // the writers spread over the chains instead of queuing on one
          expect(new Set(written.map((e) => e.chain)).size).toBeGreaterThan(1);
          const heads = await t.deps.store.auditChains();
          expect(heads.reduce((n, h) => n + h.length, 0)).toBe(all.length);
          expect(await verifyAuditLog(t.deps, ADMIN)).toEqual({ ok: true, entries: all.length, chains: 8 });
        } finally {
          await Promise.all(stores.slice(1).map((x) => x.close()));
        }
      });
    }

    it("refuses another recipient's mailbox on an extension that is taken, and writes none of it", async () => {
      const s = t.deps.store;
      const m = (await s.getUmMailbox(id))!;
      await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'kim@contoso.com', alias: 'kim' });
      const kim = (await s.findRecipients('kim'))[0]!.id;
      // a new extension first, then the one Tony has: the first must not stay behind either
      await expect(
        s.transaction((tx) => tx.insertUmMailbox({ ...m, recipientId: kim, extensions: ['10232', '10231'] })),
      ).rejects.toMatchObject({ code: 'UMPIN_EXTENSION_IN_USE', params: { extension: '10231', dialPlan: 'Contoso' } });
      expect(await s.getUmMailbox(kim)).toBeNull();
      expect(await s.recipientsWithExtension('10231', m.dialPlanId)).toEqual([id]);
      expect(await s.recipientsWithExtension('10232', m.dialPlanId)).toEqual([]);
      // so does a change of a mailbox's extensions
      await s.transaction((tx) => tx.insertUmMailbox({ ...m, recipientId: kim, extensions: ['10232'] }));
      await expect(
        s.transaction((tx) => tx.updateUmMailbox({ ...m, recipientId: kim, extensions: ['10231'] })),
      ).rejects.toMatchObject({ code: 'UMPIN_EXTENSION_IN_USE', params: { extension: '10231', dialPlan: 'Contoso' } });
      expect((await s.getUmMailbox(kim))!.extensions).toEqual(['10232']);
    });

    it('one owner per extension: of two recipients enabled on it at once from two processes, one wins and the other is told it is in use', async () => {
      const rounds = 8;
      const extensions = Array.from({ length: rounds }, (_, r) => String(10401 + r));
      for (const name of ['a', 'b'])
        for (let r = 0; r < rounds; r++)
          await newRecipient(t.deps, ADMIN, { primarySmtpAddress: `${name}${r}@contoso.com`, alias: `${name}${r}` });
      // each process has its own connection: the two enables meet in the database, not in one connection's queue
      const side = (name: string) =>
        raceProcess(
          childEnv(t.db, {
            RACE_IDENTITIES: extensions.map((_, r) => `${name}${r}`).join(','),
            RACE_EXTENSIONS: extensions.join(','),
            RACE_POLICY: 'Contoso Default Policy',
            RACE_ROUND_MS: '100',
          }),
        );
      const sides = [side('a'), side('b')];
      await Promise.all(sides.map((p) => p.ready));
      const startAt = Date.now() + 300;
      const [a, b] = (await Promise.all(sides.map((p) => p.go(startAt)))) as [RaceRound[], RaceRound[]];
      // the two enables of a round really were under way at the same time
      const overlapped = a.filter((x, r) => x.began < b[r]!.ended && b[r]!.began < x.ended).length;
      expect(overlapped, JSON.stringify({ a, b })).toBeGreaterThanOrEqual(rounds / 2);
      const dialPlanId = (await t.deps.store.getUmMailbox(id))!.dialPlanId;
      const idOf = async (alias: string) => (await t.deps.store.findRecipients(alias))[0]!.id;
      for (let r = 0; r < rounds; r++) {
        const [x, y] = [a[r]!, b[r]!];
        expect([x.outcome, y.outcome].sort(), `extension ${extensions[r]}`).toEqual([
          'UMPIN_EXTENSION_IN_USE',
          'enabled',
        ]);
        const [winner, loser] = x.outcome === 'enabled' ? [x, y] : [y, x];
        expect(await t.deps.store.recipientsWithExtension(extensions[r]!, dialPlanId)).toEqual([
          await idOf(winner.identity),
        ]);
        // the loser's enable wrote nothing: no mailbox, no PIN
        expect(await t.deps.store.getUmMailbox(await idOf(loser.identity))).toBeNull();
        expect(await t.deps.store.getPin(await idOf(loser.identity))).toBeNull();
      }
    });

    describe('sign-in codes', () => {
      const MIN = 60_000;
      const limit = { max: 3, windowMs: 15 * MIN };
      const issue = (digest: string, at: number) =>
        t.deps.store.transaction((tx) =>
          tx.issueSignInCode({ recipientId: id, codeDigest: digest, issuedAt: at, expiresAt: at + 15 * MIN }, limit),
        );
      const consume = (digest: string, now: number) =>
        t.deps.store.transaction((tx) => tx.consumeSignInCode(id, digest, now));
      const fail = () => t.deps.store.transaction((tx) => tx.failSignInCode(id, 5));

      it('issues at most max codes within a sliding window; a newer code replaces an unused one', async () => {
        expect(await issue('d1', 0)).toBe(true);
        expect(await issue('d2', 5 * MIN)).toBe(true);
        expect(await issue('d3', 10 * MIN)).toBe(true);
        expect(await issue('d4', 14 * MIN)).toBe(false);
        // refused: nothing changed, d3 is still the live code
        expect(await consume('d4', 14 * MIN)).toBe(false);
        expect(await consume('d1', 14 * MIN)).toBe(false);
        // the first code left the window: one more may go
        expect(await issue('d5', 15 * MIN + 1)).toBe(true);
        expect(await issue('d6', 16 * MIN)).toBe(false);
        expect(await consume('d3', 16 * MIN)).toBe(false);
        expect(await consume('d5', 16 * MIN)).toBe(true);
      });

      it('a code signs in once, and not after it expires', async () => {
        await issue('d1', 0);
        expect(await consume('d1', 15 * MIN)).toBe(false);
        await issue('d2', 20 * MIN);
        expect(await consume('d2', 20 * MIN + 1)).toBe(true);
        expect(await consume('d2', 20 * MIN + 2)).toBe(false);
        // no live code: a wrong try counts nothing
        expect(await fail()).toBeNull();
      });

      it('counts wrong tries against the live code and voids it at the limit; a new code starts again', async () => {
        await issue('d1', 0);
        const counts = [];
        for (let i = 0; i < 6; i++) counts.push(await fail());
        expect(counts).toEqual([1, 2, 3, 4, 5, null]);
        expect(await consume('d1', 1)).toBe(false);
        await issue('d2', 2);
        expect(await fail()).toBe(1);
        expect(await consume('d2', 3)).toBe(true);
      });

      it(`started together (${togetherOn(engine)}), one code signs in once and wrong tries stop at the limit`, async () => {
        await issue('d1', 0);
        const uses = await Promise.all(Array.from({ length: 20 }, () => consume('d1', 1)));
        expect(uses.filter(Boolean)).toHaveLength(1);
        await issue('d2', 2);
        const counts = await Promise.all(Array.from({ length: 20 }, () => fail()));
        expect(counts.filter((c) => c !== null).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5]);
        // and parallel requests for codes get no more than the limit
        const more = await Promise.all(Array.from({ length: 10 }, (_, i) => issue(`p${i}`, 3)));
        expect(more.filter(Boolean)).toHaveLength(1); // d1, d2 and one of these
      });
    });

    describe('PIN links', () => {
      const link = (digest: string, at: number, recipientId = id) => ({
        tokenDigest: digest,
        recipientId,
        sealedPayload: `sealed-${digest}`,
        requiresSignIn: digest.endsWith('s'),
        createdAt: at,
        expiresAt: at + 100,
      });
      const insert = (digest: string, at: number) =>
        t.deps.store.transaction((tx) => tx.insertPinLink(link(digest, at)));
      const consume = (digest: string, now: number) => t.deps.store.transaction((tx) => tx.consumePinLink(digest, now));
      const expire = (now: number, limit = 10) => t.deps.store.transaction((tx) => tx.expirePinLinks(now, limit));

      it('keeps a link as given, active; consuming it once returns its sealed payload and erases it', async () => {
        await insert('d1s', 1000);
        expect(await t.deps.store.getPinLink('d1s')).toEqual({
          ...link('d1s', 1000),
          state: 'active',
          endedAt: null,
        });
        expect(await t.deps.store.getPinLink('nope')).toBeNull();
        expect(await consume('d1s', 1050)).toBe('sealed-d1s');
        expect(await consume('d1s', 1051)).toBeNull();
        expect(await t.deps.store.getPinLink('d1s')).toMatchObject({
          state: 'shown',
          sealedPayload: null,
          endedAt: 1050,
        });
      });

      it('a newer link of the mailbox replaces the active one, erasing its payload', async () => {
        await insert('d1', 0);
        await insert('d2', 10);
        expect(await t.deps.store.getPinLink('d1')).toMatchObject({
          state: 'replaced',
          sealedPayload: null,
          endedAt: 10,
        });
        expect(await consume('d1', 11)).toBeNull();
        expect(await consume('d2', 11)).toBe('sealed-d2');
      });

      it('is not consumed at or after its end; the sweep ends such links as expired, a batch at a time', async () => {
        await insert('d1', 0);
        expect(await consume('d1', 100)).toBeNull();
        expect(await expire(99)).toEqual([]);
        expect(await expire(100)).toEqual([{ tokenDigest: 'd1', recipientId: id }]);
        expect(await expire(100)).toEqual([]);
        expect(await t.deps.store.getPinLink('d1')).toMatchObject({
          state: 'expired',
          sealedPayload: null,
          endedAt: 100,
        });
        // other mailboxes' links: each has its own, and the limit bounds one sweep
        const others = await Promise.all(
          ['a', 'b', 'c'].map((alias) =>
            newRecipient(t.deps, ADMIN, { primarySmtpAddress: `${alias}@contoso.com`, alias }),
          ),
        );
        for (const [i, r] of others.entries())
          await t.deps.store.transaction((tx) => tx.insertPinLink(link(`o${i}`, 200 + i, r.id)));
        expect(await expire(400, 2)).toHaveLength(2);
        expect(await expire(400, 2)).toHaveLength(1);
      });

      it(`started together (${togetherOn(engine)}), a link is consumed once, and expired by one sweep only`, async () => {
        await insert('d1', 0);
        const uses = await Promise.all(Array.from({ length: 20 }, () => consume('d1', 1)));
        expect(uses.filter((u) => u !== null)).toEqual(['sealed-d1']);
        await insert('d2', 10);
        const sweeps = await Promise.all(Array.from({ length: 10 }, () => expire(200)));
        expect(sweeps.flat()).toEqual([{ tokenDigest: 'd2', recipientId: id }]);
      });
    });

    describe('web sessions', () => {
      const session = (owner: { accountId?: string | null; recipientId?: string | null }, idDigest = 'sid') =>
        t.deps.store.transaction((tx) =>
          tx.insertSession({
            idDigest,
            accountId: owner.accountId ?? null,
            recipientId: owner.recipientId ?? null,
            csrfDigest: 'c',
            createdAt: 1,
            lastSeenAt: 1,
            absoluteExpiresAt: 10,
          }),
        );

      it('belong to an end user (with whether the mailbox is UM-enabled) or an account, never both or neither', async () => {
        await session({ recipientId: id });
        expect(await t.deps.store.findSession('sid')).toMatchObject({
          session: { accountId: null, recipientId: id },
          owner: { kind: 'user', umEnabled: true, recipient: { primarySmtpAddress: 'tonysmith@contoso.com' } },
        });
        await expect(session({}, 'neither')).rejects.toThrow();
        const account = {
          id: 'acc',
          name: 'alice',
          passwordHash: 'h',
          role: 'HelpDesk',
          dialPlanScope: null,
          disabled: false,
          createdAt: 1,
          passwordChangedAt: 1,
        };
        await t.deps.store.transaction((tx) => tx.insertAdminAccount(account));
        await expect(session({ accountId: 'acc', recipientId: id }, 'both')).rejects.toThrow();
        await session({ accountId: 'acc' }, 'admin');
        expect(await t.deps.store.findSession('admin')).toMatchObject({ owner: { kind: 'admin', account } });
        expect(await t.deps.store.transaction((tx) => tx.deleteSession('admin'))).toBe(true);
        expect(await t.deps.store.transaction((tx) => tx.deleteSession('admin'))).toBe(false);
      });

      it("end with the user's UM mailbox, as does the sign-in code; the recipient can then be removed", async () => {
        await session({ recipientId: id });
        await t.deps.store.transaction((tx) =>
          tx.issueSignInCode(
            { recipientId: id, codeDigest: 'd1', issuedAt: 1, expiresAt: 100 },
            { max: 3, windowMs: 100 },
          ),
        );
        await t.deps.store.transaction((tx) => tx.deleteUmMailbox(id));
        expect(await t.deps.store.findSession('sid')).toBeNull();
        expect(await t.deps.store.transaction((tx) => tx.consumeSignInCode(id, 'd1', 2))).toBe(false);
        await t.deps.store.transaction((tx) => tx.deleteRecipient(id));
        expect(await t.deps.store.getRecipient(id)).toBeNull();
      });
    });
  });
}
