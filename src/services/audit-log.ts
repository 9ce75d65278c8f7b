import { GENESIS_HASH, verifyChainSegment } from '../domain/audit-chain.js';
import type { AuditEntry, AuditFilter } from '../store/store.js';
import type { Actor } from './actor.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports.js';

export async function searchAuditLog(deps: Deps, actor: Actor, filter: AuditFilter): Promise<AuditEntry[]> {
  authorize(actor, 'audit:read', 'Search-AdminAuditLog');
  return deps.store.listAudit({ ...filter, limit: Math.min(filter.limit ?? 1000, 5000) });
}

export type AuditVerification =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAtSeq: number; reason: 'hash-mismatch' | 'gap' | 'head-mismatch' };

/** Walks the whole chain; reports the first entry whose link does not hold. */
export async function verifyAuditLog(deps: Deps, actor: Actor): Promise<AuditVerification> {
  authorize(actor, 'audit:read', 'Verify-AuditLog');
  const link = (prev: string, content: string) => deps.signer.link(prev, content);
  let at = { previousHash: GENESIS_HASH, previousSeq: 0 };
  let entries = 0;
  // read the head first: entries appended while we walk are beyond it and not judged
  const head = await deps.store.auditHead();
  for (;;) {
    const page = (await deps.store.listAudit({ afterSeq: at.previousSeq, limit: 1000 })).filter((e) => e.seq <= head.seq);
    if (page.length === 0) break;
    const v = verifyChainSegment(page, link, at);
    entries += v.checked;
    if (!v.ok) return { ok: false, entries, brokenAtSeq: v.brokenAtSeq, reason: v.reason };
    at = { previousHash: v.lastHash, previousSeq: v.lastSeq };
  }
  if (at.previousSeq !== head.seq) return { ok: false, entries, brokenAtSeq: at.previousSeq + 1, reason: 'gap' };
  if (at.previousHash !== head.hash) return { ok: false, entries, brokenAtSeq: head.seq, reason: 'head-mismatch' };
  return { ok: true, entries };
}
