/** The audit log's rows and the head of its hash chain. */
import { sql } from 'kysely';
import { auditContent, canonicalJson } from '../../domain/audit-chain.js';
import type { AuditEntry, AuditInput } from '../../domain/audit-entry.js';
import type { AuditFilter, AuditReads, AuditRepository } from '../../services/ports/audit.js';
import { key, Rows } from './rows.js';

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
    const rows = await q
      .orderBy('seq', f.newestFirst ? 'desc' : 'asc')
      .limit(f.limit ?? 1000)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: Number(r.at),
      actor: r.actor,
      source: r.source,
      action: r.action,
      target: r.target,
      parameters: JSON.parse(r.parameters) as Record<string, unknown>,
      result: r.result as AuditEntry['result'],
      errorCode: r.error_code,
      hash: r.hash,
    }));
  }

  async auditHead(): Promise<{ seq: number; hash: string }> {
    const r = await this.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: Number(r.seq), hash: r.hash };
  }
}

export class AuditRows extends AuditReadRows implements AuditRepository {
  async appendAudit(
    entries: AuditInput[],
    link: (previousHash: string, content: string) => string,
  ): Promise<AuditEntry[]> {
    if (entries.length === 0) return [];
    // Claiming the sequence numbers locks the chain head until commit (row lock on
    // PostgreSQL, the write lock on SQLite): links are made one writer at a time.
    const head = await this.db
      .updateTable('audit_head')
      .set({ seq: sql`seq + ${entries.length}` })
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    let seq = Number(head.seq) - entries.length;
    let prev = head.hash;
    const out: AuditEntry[] = [];
    for (const e of entries) {
      seq++;
      const hash = link(prev, auditContent({ ...e, seq }));
      out.push({ ...e, seq, hash });
      prev = hash;
    }
    for (let i = 0; i < out.length; i += 200) {
      await this.db
        .insertInto('audit_log')
        .values(
          out.slice(i, i + 200).map((e) => ({
            seq: e.seq,
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
    await this.db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
    return out;
  }
}
