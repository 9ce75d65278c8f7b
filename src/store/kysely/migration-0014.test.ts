/**
 * 0014-audit-chains: the single chain an older umpin kept becomes chain 0 unchanged (its
 * links still verify, nothing rewritten), new entries go to several chains, and going down
 * keeps every entry with the single head at the newest.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { canonicalJson } from '../../domain/audit-chain.js';
import { deriveSecrets } from '../../crypto/secrets.js';
import { verifyAuditLog } from '../../services/audit-log.js';
import type { Kysely } from 'kysely';
import type { KyselyStore } from './kysely-store.js';
import type { AuditLogTable } from './schema.js';

/** The audit tables as they were before 0014. */
interface SingleChainSchema {
  audit_log: Omit<AuditLogTable, 'chain_id' | 'chain_position'>;
  audit_head: { id: number; seq: number; hash: string };
}

describe.each(ENGINES)('migration 0014-audit-chains (%s)', (engine) => {
  let t: TestContext;
  let store: KyselyStore;
  beforeEach(async () => {
    t = await testContext(engine);
    store = t.deps.store as unknown as KyselyStore;
    const down = await store.migrator().migrateTo('0013-limit-counters');
    if (down.error) throw down.error;
    expect(down.results?.map((r) => r.migrationName)).toContain('0014-audit-chains');
  });
  afterEach(() => t.close());
  const before0014 = () => store.kysely as unknown as Kysely<SingleChainSchema>;

  /** Five entries as umpin wrote them before 0014: one chain, each link HMAC(key, previous ‖ "\n" ‖ entry with its seq). */
  async function singleChainLog(): Promise<string[]> {
    const key = deriveSecrets(Buffer.from(t.db.masterKey, 'base64')).auditKey;
    const db = before0014();
    let prev = '0'.repeat(64);
    const hashes: string[] = [];
    for (let seq = 1; seq <= 5; seq++) {
      const e = {
        seq,
        at: 1_700_000_000_000 + seq,
        actor: 'admin:old',
        source: 'cli',
        action: 'Set-UMMailboxPIN',
        target: `user${seq}@contoso.com`,
        parameters: { Identity: `user${seq}@contoso.com`, Pin: '(redacted)' },
        result: 'success',
        errorCode: null,
      };
      prev = createHmac('sha256', key).update(prev).update('\n').update(canonicalJson(e)).digest('hex');
      hashes.push(prev);
      await db
        .insertInto('audit_log')
        .values({
          seq,
          at: e.at,
          actor: e.actor,
          source: e.source,
          action: e.action,
          target: e.target,
          parameters: canonicalJson(e.parameters),
          result: e.result,
          error_code: null,
          hash: prev,
        })
        .execute();
    }
    await db.updateTable('audit_head').set({ seq: 5, hash: prev }).where('id', '=', 1).execute();
    return hashes;
  }

  it('keeps the single chain as chain 0, links unchanged, and writes on in several chains', async () => {
    const hashes = await singleChainLog();
    await store.migrate();
    const heads = await store.auditChains();
    expect(heads).toHaveLength(8);
    expect(heads[0]).toEqual({ chain: 0, length: 5, hash: hashes[4], legacyLength: 5, writable: true });
    expect(heads.slice(1).every((h) => h.length === 0 && h.hash === '0'.repeat(64))).toBe(true);
    const old = await store.listAudit({});
    expect(old.map((e) => [e.seq, e.chain, e.position, e.hash])).toEqual(hashes.map((h, i) => [i + 1, 0, i + 1, h]));
    expect(await verifyAuditLog(t.deps, ADMIN)).toEqual({ ok: true, entries: 5, chains: 8 });

    // new entries come after the old ones in the log, in chains of their own choosing
    await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231' }]);
    const all = await store.listAudit({});
    expect(all.length).toBeGreaterThan(5);
    expect(all.slice(5).every((e) => e.seq > 5)).toBe(true);
    expect(await verifyAuditLog(t.deps, ADMIN)).toEqual({ ok: true, entries: all.length, chains: 8 });

    // an old entry changed is still caught, at its place in chain 0
    await store.kysely.updateTable('audit_log').set({ actor: 'admin:someone' }).where('seq', '=', 3).execute();
    expect(await verifyAuditLog(t.deps, ADMIN)).toMatchObject({
      ok: false,
      chain: 0,
      position: 3,
      brokenAtSeq: 3,
      reason: 'hash-mismatch',
    });
  });

  it('goes down to the single chain unchanged while only its entries exist; later ones stay, the head at the newest', async () => {
    const hashes = await singleChainLog();
    await store.migrate();
    const down = await store.migrator().migrateTo('0013-limit-counters');
    if (down.error) throw down.error;
    const db = before0014();
    expect(await db.selectFrom('audit_head').selectAll().execute()).toEqual([{ id: 1, seq: 5, hash: hashes[4] }]);

    await store.migrate();
    expect(await verifyAuditLog(t.deps, ADMIN)).toEqual({ ok: true, entries: 5, chains: 8 });
    await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231' }]);
    const [newest] = await store.listAudit({ newestFirst: true, limit: 1 });
    const count = (await store.listAudit({})).length;
    const again = await store.migrator().migrateTo('0013-limit-counters');
    if (again.error) throw again.error;
    // an older umpin writes on after the newest entry; nothing was removed
    expect(await db.selectFrom('audit_head').selectAll().execute()).toEqual([
      { id: 1, seq: newest!.seq, hash: newest!.hash },
    ]);
    expect(await db.selectFrom('audit_log').select('seq').execute()).toHaveLength(count);
  });
});
