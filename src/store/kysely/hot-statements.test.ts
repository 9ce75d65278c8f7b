import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { encodeCursor } from '../../domain/cursor.js';
import type { Actor } from '../../services/actor.js';
import { verifyLogon } from '../../services/voice-logon.js';
import type { KyselyStore } from './kysely-store.js';

// The statements every logon and every PIN status runs are built and compiled once
// (prepared.ts): Kysely compiling them per call cost more than the engine took to run them.

/**
 * Runs `f` until one run compiles nothing: warm. On PostgreSQL the read cache trusts its rows only
 * once its change listener is up, and the setup's notifications arrive when they do; until then a
 * run may read the cached tables again, on a loaded machine after the first run too.
 */
async function warm(store: KyselyStore, f: () => Promise<void>): Promise<void> {
  await vi.waitFor(
    async () => {
      const compile = vi.spyOn(store.kysely.getExecutor(), 'compileQuery');
      try {
        await f();
        expect(compile).not.toHaveBeenCalled();
      } finally {
        compile.mockRestore();
      }
    },
    { timeout: 10_000, interval: 20 },
  );
}
for (const engine of ENGINES)
  describe(`hot statements are compiled once, not per call (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
      await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: '1985848' }]);
    });
    afterEach(() => t.close());

    it('a logon success, the identity look-up, the PIN state and the PIN-status read compile nothing once warm', async () => {
      const store = t.deps.store as KyselyStore;
      const [tony] = await store.findRecipients('tonysmith');
      const hot = async () => {
        const pin = (await store.getPin(tony!.id))!;
        expect(await store.recordSuccess(tony!.id, pin.version, null)).toBe(true);
        expect(await store.recordSuccess(tony!.id, pin.version, pin.pinHash)).toBe(true);
        expect(await store.recordSuccess(tony!.id, pin.version + 1, null)).toBe(false);
        expect(await store.findMailboxes('tonysmith@contoso.com')).toHaveLength(1);
        expect(await store.pinStatusByIdentity('tonysmith@contoso.com')).toHaveLength(1);
      };
      await warm(store, hot);
      const compile = vi.spyOn(store.kysely.getExecutor(), 'compileQuery');
      await hot();
      await hot();
      expect(compile).not.toHaveBeenCalled();
    });

    it('a telephone logon by extension, its toll-fraud count included, compiles nothing once warm', async () => {
      const store = t.deps.store as KyselyStore;
      const gateway: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'], source: '127.0.0.1' };
      const logon = async () =>
        expect((await verifyLogon(t.deps, gateway, { extension: '10231', pin: '1985848' })).outcome).toBe(
          'must-change',
        );
      await warm(store, logon);
      const compile = vi.spyOn(store.kysely.getExecutor(), 'compileQuery');
      const viaKysely = vi.spyOn(store.kysely.getExecutor(), 'executeQuery');
      await logon();
      await logon();
      expect(compile).not.toHaveBeenCalled();
      // PostgreSQL runs them as named statements, parsed and planned once per connection
      if (engine === 'postgres') expect(viaKysely).not.toHaveBeenCalled();
    });

    it("a list's first page, the next, a search and its next, as umMailboxPage reads them, compile nothing once warm", async () => {
      const store = t.deps.store as KyselyStore;
      const hot = async () => {
        for (const pins of [false, true]) {
          const first = await store.umMailboxPage({ umEnabled: true, limit: 1 }, { pins });
          expect(first.items).toHaveLength(1);
          expect(first.items[0]!.mailbox!.extensions).toEqual(['10231']);
          // the next page after the one mailbox: empty, from a cursor
          const r = first.items[0]!.recipient;
          const cursor = encodeCursor([r.displayName.toLowerCase(), r.id]);
          expect(await store.umMailboxPage({ umEnabled: true, cursor, limit: 1 }, { pins })).toEqual({
            items: [],
            next: null,
          });
          // a search, and its next page
          const search = await store.umMailboxPage({ umEnabled: true, search: 'Tony', limit: 1 }, { pins });
          expect(search.items.map((i) => i.recipient.id)).toEqual([r.id]);
          expect(await store.umMailboxPage({ umEnabled: true, search: 'tony', cursor, limit: 1 }, { pins })).toEqual({
            items: [],
            next: null,
          });
        }
      };
      await warm(store, hot);
      const compile = vi.spyOn(store.kysely.getExecutor(), 'compileQuery');
      await hot();
      expect(compile).not.toHaveBeenCalled();
    });
  });
