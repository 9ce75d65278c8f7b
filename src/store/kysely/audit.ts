/** The audit log's rows and the heads of its hash chains. */
import { sql, type Selectable } from 'kysely';
import { auditContent, canonicalJson } from '../../domain/audit-chain.js';
import type { AuditChainHead, AuditEntry, AuditInput } from '../../domain/audit-entry.js';
import type { AuditFilter, AuditReads, AuditRepository } from '../../services/ports/audit.js';
import type { EngineAdapter } from './engine-adapter.js';
import { key, Rows, type Db } from './rows.js';
import type { AuditLogTable } from './schema.js';

/** Where the audit log's reading order (seq) comes from (EngineAdapter.nextValues, migration 0014). */
export const AUDIT_SEQUENCE = 'audit_log_seq';

const GENESIS = '0'.repeat(64);

function entry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: Number(r.seq),
    chain: Number(r.chain_id),
    position: Number(r.chain_position),
    at: Number(r.at),
    actor: r.actor,
    source: r.source,
    action: r.action,
    target: r.target,
    parameters: JSON.parse(r.parameters) as Record<string, unknown>,
    result: r.result as AuditEntry['result'],
    errorCode: r.error_code,
    hash: r.hash,
  };
}

export class AuditReadRows extends Rows implements AuditReads {
  async listAudit(f: AuditFilter): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (f.action) q = q.where(sql<string>`lower(action)`, '=', key(f.action));
    if (f.target) q = q.where(sql<string>`lower(target)`, '=', key(f.target));
    if (f.actor) q = q.where(sql<string>`lower(actor)`, '=', key(f.actor));
    if (f.from !== undefined) q = q.where('at', '>=', f.from);
    if (f.to !== undefined) q = q.where('at', '<=', f.to);
    if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
    if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
    if (f.outsideChains !== undefined && f.outsideChains.length > 0)
      q = q.where('chain_id', 'not in', [...f.outsideChains]);
    const rows = await q
      .orderBy('seq', f.newestFirst ? 'desc' : 'asc')
      .limit(f.limit ?? 1000)
      .execute();
    return rows.map(entry);
  }

  async auditChains(): Promise<AuditChainHead[]> {
    // one statement: every head as of one moment, so entries committed after it are left for the next walk
    const rows = await this.db.selectFrom('audit_chain').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      chain: Number(r.id),
      length: Number(r.last_position),
      hash: r.last_hash,
      legacyLength: Number(r.legacy_length),
      writable: Number(r.writable) === 1,
    }));
  }

  async listAuditChain(chain: number, afterPosition: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('chain_id', '=', chain)
      .where('chain_position', '>', afterPosition)
      .orderBy('chain_position')
      .limit(limit)
      .execute();
    return rows.map(entry);
  }
}

/**
 * The chain a transaction appends to, once it has claimed one: its later entries go to the
 * same chain (it holds that head already), so one transaction never waits for a second head
 * while holding a first — two such transactions could each wait for the other's.
 */
const claimed = new WeakMap<Db, number>();

/**
 * Claims n positions of a chain, holding its head until commit (a row lock on PostgreSQL;
 * SQLite's one writer holds the write lock already). Where writers run side by side it takes
 * a head nobody holds (SKIP LOCKED), and only when every one is held waits for one; any
 * writable chain will do, the one tried first chosen at random.
 */
async function claimHead(db: Db, adapter: EngineAdapter, n: number) {
  const pick = () =>
    db.selectFrom('audit_chain').select('id').where('writable', '=', 1).orderBy(sql`random()`).limit(1);
  const grow = (chain: ReturnType<typeof pick> | number) =>
    db
      .updateTable('audit_chain')
      .set({ last_position: sql`last_position + ${n}` })
      .where('id', '=', chain)
      .returning(['id', 'last_position', 'last_hash'])
      .executeTakeFirst();
  const mine = claimed.get(db);
  let head = mine !== undefined ? await grow(mine) : undefined;
  if (!head && adapter.claimSkipsLocked) head = await grow(pick().forUpdate().skipLocked());
  if (!head) head = await grow(pick());
  if (!head) throw new Error('no audit chain takes entries (audit_chain has no writable row)');
  claimed.set(db, Number(head.id));
  return head;
}

export class AuditRows extends AuditReadRows implements AuditRepository {
  async appendAudit(
    entries: AuditInput[],
    link: (previousHash: string, content: string) => string,
  ): Promise<AuditEntry[]> {
    if (entries.length === 0) return [];
    const n = entries.length;
    // the reading order first: drawing from the sequence holds nothing, so it is done before a head is held
    const seqs = await this.adapter.nextValues(this.db, AUDIT_SEQUENCE, n);
    const head = await claimHead(this.db, this.adapter, n);
    let position = Number(head.last_position) - n;
    let prev = head.last_hash;
    const chain = Number(head.id);
    const out: AuditEntry[] = [];
    for (const [i, e] of entries.entries()) {
      position++;
      const placed = { ...e, seq: seqs[i]!, chain, position };
      const hash = link(prev, auditContent(placed));
      out.push({ ...placed, hash });
      prev = hash;
    }
    for (let i = 0; i < out.length; i += 200) {
      await this.db
        .insertInto('audit_log')
        .values(
          out.slice(i, i + 200).map((e) => ({
            seq: e.seq,
            chain_id: e.chain,
            chain_position: e.position,
            at: e.at,
            actor: e.actor,
            source: e.source,
            action: e.action,
            target: e.target,
            parameters: canonicalJson(e.parameters),
            result: e.result,
            error_code: e.errorCode,
            hash: e.hash,
          })),
        )
        .execute();
    }
    await this.db.updateTable('audit_chain').set({ last_hash: prev }).where('id', '=', chain).execute();
    return out;
  }

  async setWritableAuditChains(count: number): Promise<void> {
    const have = await this.db.selectFrom('audit_chain').select('id').execute();
    const missing = Array.from({ length: count }, (_, id) => id).filter((id) => !have.some((h) => Number(h.id) === id));
    if (missing.length > 0)
      await this.db
        .insertInto('audit_chain')
        .values(missing.map((id) => ({ id, last_position: 0, last_hash: GENESIS, legacy_length: 0, writable: 1 })))
        .execute();
    await this.db
      .updateTable('audit_chain')
      .set({ writable: sql`case when id < ${count} then 1 else 0 end` })
      .execute();
  }
}
