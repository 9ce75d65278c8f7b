/**
 * The audit log's tamper evidence, as pure functions: each entry's hash covers its own
 * content and the previous entry's hash, so changing, removing or reordering any entry
 * breaks every link after it. The link function is keyed (HMAC) by the caller.
 */

import type { AuditEntry } from './audit-entry.js';

export const GENESIS_HASH = '0'.repeat(64);

/** What each link covers: the entry and its place in the chain (its hash is the link itself). */
export type ChainedContent = Omit<AuditEntry, 'hash'>;

/** Deterministic JSON: keys sorted at every depth, so both engines and every process hash the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function auditContent(e: ChainedContent): string {
  return canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    source: e.source,
    action: e.action,
    target: e.target,
    parameters: e.parameters,
    result: e.result,
    errorCode: e.errorCode,
  });
}

export type ChainVerdict =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAtSeq: number; reason: 'hash-mismatch' | 'gap' };

/** Walks entries in seq order from a known previous hash; reports the first broken link. */
export function verifyChainSegment(
  entries: Iterable<ChainedContent & { hash: string }>,
  link: (previousHash: string, content: string) => string,
  start: { previousHash: string; previousSeq: number },
): ChainVerdict & { lastHash: string; lastSeq: number } {
  let prev = start.previousHash;
  let prevSeq = start.previousSeq;
  let checked = 0;
  for (const e of entries) {
    if (e.seq !== prevSeq + 1)
      return { ok: false, checked, brokenAtSeq: prevSeq + 1, reason: 'gap', lastHash: prev, lastSeq: prevSeq };
    if (link(prev, auditContent(e)) !== e.hash)
      return { ok: false, checked, brokenAtSeq: e.seq, reason: 'hash-mismatch', lastHash: prev, lastSeq: prevSeq };
    prev = e.hash;
    prevSeq = e.seq;
    checked++;
  }
  return { ok: true, checked, lastHash: prev, lastSeq: prevSeq };
}
