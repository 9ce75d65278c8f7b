/**
 * The PIN-status read (pin-status-query.ts) is one statement, compiled once, whose plan is
 * index searches only, on both engines: at a few thousand mailboxes after the planner's
 * statistics are taken, so the planner chooses as it does at a million.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { initLargeDemo, syntheticAddress } from '../../services/demo-large.js';
import type { KyselyStore } from './kysely-store.js';
import { pinStatusQuery } from './pin-status-query.js';
import type { Database } from './schema.js';
import { queryPlan } from './query-plan.js';

const N = 3_000;
/** the tables that grow with the directory; a handful of policies may be read whole */
const GROWING = 'recipient|um_mailbox|pin_state|extension';

for (const engine of ENGINES) {
  describe(`the PIN-status read (${engine})`, () => {
    let t: TestContext;
    let store: KyselyStore;
    let db: Kysely<Database>;

    beforeAll(async () => {
      t = await testContext(engine);
      await initLargeDemo(t.deps, ADMIN, { mailboxes: N });
      store = t.deps.store as KyselyStore;
      db = store.kysely;
      await store.bulkLoad(async () => undefined); // the planner's statistics, as after a load
    }, 120_000);
    afterAll(() => t?.close());

    const plan = (k: string): Promise<string[]> => queryPlan(db, engine, pinStatusQuery(db, k));

    it('finds a mailbox by address, alias, GUID and display name, with its PIN state and no hash', async () => {
      const [r] = await store.findRecipients(syntheticAddress(1234));
      for (const identity of [r!.primarySmtpAddress.toUpperCase(), r!.alias, r!.id, r!.displayName]) {
        const found = await store.pinStatusByIdentity(identity);
        expect(found.map((m) => m.recipientId)).toContain(r!.id);
        const m = found.find((x) => x.recipientId === r!.id)!;
        expect(m.primarySmtpAddress).toBe(r!.primarySmtpAddress);
        expect(m.mailbox).toMatchObject({ pinChangeAllowed: true });
        expect(m.pin).toMatchObject({ lockedOut: false, failedAttempts: 0 });
        expect(JSON.stringify(m)).not.toMatch(/argon2|pinHash|pin_hash/);
      }
      expect(await store.pinStatusByIdentity('nobody@nowhere.example')).toEqual([]);
    });

    it('reads straight on the engine outside a transaction, and through the transaction inside one', async () => {
      const address = syntheticAddress(2345);
      const [r] = await store.findRecipients(address);
      const outcome = await store
        .transaction(async (tx) => {
          await tx.setLock(r!.id, true);
          // the transaction's own change, not yet committed: only a read in the transaction sees it
          const inside = await tx.pinStatusByIdentity(address);
          expect(inside[0]!.pin).toMatchObject({ lockedOut: true });
          throw new Error('roll back');
        })
        .catch((e: Error) => e.message);
      expect(outcome).toBe('roll back');
      const [after] = await store.pinStatusByIdentity(address);
      expect(after!.pin).toMatchObject({ lockedOut: false });
      // the direct read and the read through Kysely answer alike
      const [viaTx] = await store.transaction(async (tx) => tx.pinStatusByIdentity(address));
      expect(after).toEqual(viaTx);
    });

    it('is compiled once: later calls compile nothing', async () => {
      await store.pinStatusByIdentity(syntheticAddress(1));
      const compile = vi.spyOn(store.kysely.getExecutor(), 'compileQuery');
      try {
        for (const i of [2, 3, 4]) expect(await store.pinStatusByIdentity(syntheticAddress(i))).toHaveLength(1);
        expect(compile).not.toHaveBeenCalled();
      } finally {
        compile.mockRestore();
      }
    });

    it('is index searches only: no growing table read from end to end, nothing sorted', async () => {
      const [r] = await store.findRecipients(syntheticAddress(77));
      for (const k of [r!.primarySmtpAddress, r!.alias.toLowerCase(), r!.id, r!.displayName.toLowerCase()]) {
        const lines = await plan(k);
        const bad =
          engine === 'sqlite'
            ? new RegExp(`^SCAN (${GROWING})\\b|TEMP B-TREE`)
            : new RegExp(`Seq Scan on (${GROWING})\\b|^(->\\s+)?Sort\\b`);
        expect(
          lines.filter((l) => bad.test(l)),
          lines.join('\n'),
        ).toEqual([]);
      }
    });
  });
}
