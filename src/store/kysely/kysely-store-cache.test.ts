/**
 * The store's read cache on real databases: a second store on the same database stands for
 * another process (its own connection, as `umpin token revoke` or another `umpin serve` has).
 * Whatever one of them changes, the other's next read returns, on both engines.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeDeps, openStore } from '../../compose.js';
import { deriveSecrets } from '../../crypto/secrets.js';
import { authenticateToken, newApiToken, revokeApiToken } from '../../services/api-tokens.js';
import { getUMMailboxPIN } from '../../services/get-um-mailbox-pin.js';
import { setMailboxPolicy } from '../../services/mailbox-policies.js';
import { setRecipient } from '../../services/recipients.js';
import { disableUMMailbox } from '../../services/um-mailboxes.js';
import type { Deps } from '../../services/ports/deps.js';
import { ADMIN, contoso, failure } from '../../../test/fixtures.js';
import type { KyselyStore } from './kysely-store.js';
import { ENGINES, freshDatabase, TEST_KDF, TestClock, type TestDb } from '../../../test/harness.js';

/** Until the predicate holds (PostgreSQL's notification is on its way), at most 5 s. */
async function eventually(p: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await p()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the change was not seen within 5 s');
}

/**
 * A request starts on a turn of the event loop of its own (a socket read); SQLite's change
 * signal is read once per turn (read-cache.ts oncePerTick), so "the next request" here waits
 * for the next turn, as a real one does.
 */
const nextRequest = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe.each(ENGINES)('the store read cache (%s)', (engine) => {
  let db: TestDb;
  let a: Deps; // the server
  let b: Deps; // another process
  beforeEach(async () => {
    db = await freshDatabase(engine);
    const secrets = deriveSecrets(Buffer.from(db.masterKey, 'base64'));
    const clock = new TestClock();
    const storeA = openStore({ engine, databaseUrl: db.url });
    await storeA.migrate();
    a = makeDeps(storeA, secrets, TEST_KDF, clock);
    b = makeDeps(openStore({ engine, databaseUrl: db.url }), secrets, TEST_KDF, clock);
    await contoso(a);
  });
  afterEach(async () => {
    await a.store.close();
    await b.store.close();
    await db.drop();
  });

  /** Reads the token through a until it is cached (PostgreSQL: once the listener is up). */
  async function cachedToken(name: string): Promise<string> {
    const { token } = await newApiToken(a, ADMIN, { name, role: 'HelpDesk' });
    // the first use records last-used (a write: the cache starts afresh), the second keeps it
    for (let i = 0; i < 3; i++)
      expect(await authenticateToken(a, token, null)).toMatchObject({ name: `token:${name}` });
    return token;
  }

  it('a token revoked by another process is refused on the next request', async () => {
    const token = await cachedToken('desk');
    await revokeApiToken(b, ADMIN, 'desk');
    await nextRequest();
    if (engine === 'sqlite') expect(await authenticateToken(a, token, null)).toBeNull();
    else await eventually(async () => (await authenticateToken(a, token, null)) === null);
  });

  it('a policy changed by another process applies to the next read', async () => {
    const [policy] = await a.store.findPolicies('Contoso Default Policy');
    for (let i = 0; i < 2; i++) expect((await a.store.getPolicy(policy!.id))!.minPinLength).toBe(6);
    await setMailboxPolicy(b, ADMIN, 'Contoso Default Policy', { minPinLength: 9 });
    await nextRequest();
    const minLength = async () => (await a.store.getPolicy(policy!.id))!.minPinLength;
    if (engine === 'sqlite') expect(await minLength()).toBe(9);
    else await eventually(async () => (await minLength()) === 9);
  });

  it("this process's own changes are read back at once", async () => {
    const token = await cachedToken('desk');
    await revokeApiToken(a, ADMIN, 'desk');
    expect(await authenticateToken(a, token, null)).toBeNull();
    const [policy] = await a.store.findPolicies('Contoso Default Policy');
    await a.store.getPolicy(policy!.id);
    await setMailboxPolicy(a, ADMIN, 'Contoso Default Policy', { pinHistoryCount: 7 });
    expect((await a.store.getPolicy(policy!.id))!.pinHistoryCount).toBe(7);
  });

  it("a PIN status shows another process's lock at once, and its rename on the next read by either name", async () => {
    const status = (identity: string) => getUMMailboxPIN(a, ADMIN, identity);
    // until the identity comes from the cache (PostgreSQL: once its listener is up and the setup's notifications are in)
    const fromCache = vi.spyOn(a.store as KyselyStore, 'pinStateOfRecipient');
    await vi.waitFor(
      async () => {
        fromCache.mockClear();
        expect(await status('tonysmith')).toMatchObject({ lockedOut: false });
        expect(fromCache).toHaveBeenCalled();
      },
      { timeout: 10_000, interval: 20 },
    );
    fromCache.mockRestore();
    const [tony] = await b.store.findRecipients('tonysmith');
    await b.store.transaction((tx) => tx.setLock(tony!.id, true));
    await nextRequest();
    // the PIN state is read afresh every time: no notification to wait for, on either engine
    expect(await status('tonysmith')).toMatchObject({ lockedOut: true });
    await setRecipient(b, ADMIN, 'tonysmith', { alias: 'anthony', displayName: 'Anthony Smith' });
    await nextRequest();
    const named = async (identity: string) => (await failure(status(identity)).catch(() => null))?.code ?? 'found';
    if (engine === 'sqlite') {
      expect(await named('tonysmith')).toBe('UMPIN_IDENTITY_NOT_FOUND');
      expect(await named('anthony')).toBe('found');
    } else await eventually(async () => (await named('tonysmith')) === 'UMPIN_IDENTITY_NOT_FOUND');
    expect(await status('anthony')).toMatchObject({ lockedOut: true, userId: 'tonysmith@contoso.com' });
  });

  it("a PIN status follows this process's own changes at once: a mailbox disabled is no longer one", async () => {
    expect(await getUMMailboxPIN(a, ADMIN, 'tonysmith')).toMatchObject({ lockedOut: false });
    await disableUMMailbox(a, ADMIN, 'tonysmith');
    expect((await failure(getUMMailboxPIN(a, ADMIN, 'tonysmith'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
  });

  if (engine === 'sqlite')
    it('keeps whom an identity names between reads, not their PIN state', async () => {
      const status = () => getUMMailboxPIN(a, ADMIN, 'tonysmith');
      await status();
      // written past the store (no transaction, its own connection: nothing tells the cache), to see what it kept
      const db = (a.store as KyselyStore).kysely;
      await db.updateTable('recipient').set({ primary_smtp_address: 'changed@contoso.com' }).execute();
      await db.updateTable('pin_state').set({ failed_attempts: 4 }).execute();
      expect(await status()).toMatchObject({ userId: 'tonysmith@contoso.com', failedAttempts: 4 });
      await a.store.transaction(async () => {});
      expect(await status()).toMatchObject({ userId: 'changed@contoso.com', failedAttempts: 4 });
    });

  it('hands out rows nobody can change by accident', async () => {
    const [policy] = await a.store.findPolicies('Contoso Default Policy');
    await a.store.getPolicy(policy!.id);
    const cached = (await a.store.getPolicy(policy!.id))!;
    expect(() => {
      (cached as { minPinLength: number }).minPinLength = 4;
    }).toThrow(TypeError);
    expect((await a.store.getPolicy(policy!.id))!.minPinLength).toBe(6);
  });

  if (engine === 'postgres') {
    it('while the listening connection is lost, reads go to the database, and it comes back', async () => {
      const token = await cachedToken('desk');
      await eventually(async () => (await listeners()).length >= 1);
      // the listeners die (a server restart, a network cut): nothing tells a of changes now
      await admin((c) =>
        c.query(
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'umpin change listener'`,
        ),
      );
      await eventually(async () => (await listeners()).length === 0);
      await new Promise((r) => setTimeout(r, 50)); // for the client to see its socket close
      await revokeApiToken(b, ADMIN, 'desk');
      // not a cached answer: refused at once
      expect(await authenticateToken(a, token, null)).toBeNull();
      // and the listener is back by itself, within its backoff
      await eventually(async () => (await listeners()).length >= 1);
      const again = await cachedToken('desk2');
      await revokeApiToken(b, ADMIN, 'desk2');
      await eventually(async () => (await authenticateToken(a, again, null)) === null);
    });

    it('hears changes made by hand in psql, too (triggers, not application code)', async () => {
      const token = await cachedToken('desk');
      await eventually(async () => (await listeners()).length >= 1);
      await admin((c) => c.query(`update api_token set revoked_at = 1 where name = 'desk'`));
      await eventually(async () => (await authenticateToken(a, token, null)) === null);
    });
  }

  async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }
  async function listeners(): Promise<unknown[]> {
    return admin(
      async (c) =>
        (
          await c.query(
            `select pid from pg_stat_activity where datname = current_database() and application_name = 'umpin change listener'`,
          )
        ).rows,
    );
  }
});
