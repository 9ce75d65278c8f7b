/** The store port's promises, held by both engines through the one Kysely implementation. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../domain/audit-chain.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { contoso } from '../../test/fixtures.js';
import type { AuditInput } from './store.js';

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

    it('counts failures one by one and locks at the limit; a locked mailbox counts nothing more', async () => {
      const s = t.deps.store;
      const counts = [];
      for (let i = 0; i < 4; i++) counts.push(await s.transaction((tx) => tx.recordFailure(id, 3, null)));
      expect(counts).toEqual([1, 2, 3, null]);
      expect(await s.getPin(id)).toMatchObject({ failedAttempts: 3, lockedOut: true, lockedUntil: null });
    });

    it('records when a timed lock lifts, and lifts it only after that time', async () => {
      const s = t.deps.store;
      await s.transaction((tx) => tx.recordFailure(id, 1, 5_000));
      expect(await s.transaction((tx) => tx.liftLapsedLock(id, 4_999))).toBe(false);
      expect(await s.transaction((tx) => tx.liftLapsedLock(id, 5_000))).toBe(true);
      expect(await s.getPin(id)).toMatchObject({ lockedOut: false, failedAttempts: 0, lockedUntil: null });
    });

    it('a success applies only to the PIN version that was verified', async () => {
      const s = t.deps.store;
      await s.transaction((tx) => tx.recordFailure(id, null, null));
      const v = (await s.getPin(id))!.version;
      await s.transaction((tx) => tx.replacePin({ recipientId: id, pinHash: 'h2', pinSetAt: 1, pinExpired: false, firstTimeUser: false, lockedOut: false, keepHistory: 4 }));
      expect(await s.transaction((tx) => tx.recordSuccess(id, v, null))).toBe(false);
      expect(await s.transaction((tx) => tx.recordSuccess(id, v + 1, null))).toBe(true);
    });

    it('keeps PINHistoryCount−1 previous hashes and refuses a stale expected version', async () => {
      const s = t.deps.store;
      for (let i = 2; i <= 8; i++) {
        await s.transaction((tx) => tx.replacePin({ recipientId: id, pinHash: `h${i}`, pinSetAt: i, pinExpired: false, firstTimeUser: false, lockedOut: false, keepHistory: 4 }));
      }
      const history = await s.getPinHistory(id, 20);
      expect(history.map((h) => h.pinHash)).toEqual(['h7', 'h6', 'h5', 'h4']);
      expect(await s.transaction((tx) => tx.replacePin({ recipientId: id, pinHash: 'x', pinSetAt: 9, pinExpired: false, firstTimeUser: false, lockedOut: false, keepHistory: 4 }, 1))).toBe(false);
      expect((await s.getPin(id))!.pinHash).toBe('h8');
    });

    it('chains audit entries: each link covers the previous hash, across batches', async () => {
      const s = t.deps.store;
      const head = await s.auditHead();
      const e = (n: number): AuditInput => ({ at: n, actor: 'a', source: null, action: 'X', target: null, parameters: { n }, result: 'success', errorCode: null });
      const calls: string[] = [];
      const link = (prev: string, content: string) => {
        calls.push(prev);
        return t.deps.signer.link(prev, content);
      };
      const written = await s.transaction((tx) => tx.appendAudit([e(1), e(2), e(3)], link));
      expect(written.map((w) => w.seq)).toEqual([head.seq + 1, head.seq + 2, head.seq + 3]);
      expect(calls).toEqual([head.hash, written[0]!.hash, written[1]!.hash]);
      expect(await s.auditHead()).toEqual({ seq: head.seq + 3, hash: written[2]!.hash });
      expect(head.hash).not.toBe(GENESIS_HASH); // the fixture's own actions were audited
    });

    it('rolls back everything when a transaction fails', async () => {
      const s = t.deps.store;
      const before = await s.auditHead();
      await expect(
        s.transaction(async (tx) => {
          await tx.recordFailure(id, null, null);
          await tx.appendAudit([{ at: 1, actor: 'a', source: null, action: 'X', target: null, parameters: {}, result: 'success', errorCode: null }], (p, c) => t.deps.signer.link(p, c));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await s.auditHead()).toEqual(before);
      expect((await s.getPin(id))!.failedAttempts).toBe(0);
    });

    it('enforces one owner per extension in a dial plan', async () => {
      const s = t.deps.store;
      const m = (await s.getUmMailbox(id))!;
      await expect(s.transaction((tx) => tx.insertUmMailbox({ ...m, recipientId: id }))).rejects.toThrow();
    });
  });
}
