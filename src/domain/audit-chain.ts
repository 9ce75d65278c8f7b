/**
 * The audit log's tamper evidence, as pure functions. The log is kept as several chains so
 * that writers on several servers need not queue on one head: each entry's hash covers its
 * own content, its chain and position, and the previous entry of the same chain, so
 * changing, removing, reordering or moving any entry to another chain breaks a link. The
 * link function is keyed (HMAC) by the caller.
 */

import type { AuditEntry } from './audit-entry.js';

/** What each chain's first link follows. */
export const GENESIS_HASH = '0'.repeat(64);

/** What each link covers: the entry and its place in its chain (its hash is the link itself). */
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

/**
 * The bytes a link covers. A legacy entry (linked before there were several chains) was
 * linked without its chain and position, and is checked as it was made; its seq, which it
 * covers, was then its position in the one chain.
 */
export function auditContent(e: ChainedContent, legacy = false): string {
  return canonicalJson({
    seq: e.seq,
    chain: legacy ? undefined : e.chain,
    position: legacy ? undefined : e.position,
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
  | {
      ok: false;
      checked: number;
      /** where the chain breaks: the entry that does not link, or the place of the one missing */
      position: number;
      /** the broken entry's sequence number; null when the entry at that place is missing */
      seq: number | null;
      reason: 'hash-mismatch' | 'gap';
    };

export interface ChainPlace {
  chain: number;
  /** entries up to this position are legacy (auditContent) */
  legacyLength: number;
  previousHash: string;
  previousPosition: number;
}

/** Walks one chain's entries in position order from a known place; reports the first broken link. */
export function verifyChainSegment(
  entries: Iterable<ChainedContent & { hash: string }>,
  link: (previousHash: string, content: string) => string,
  start: ChainPlace,
): ChainVerdict & { lastHash: string; lastPosition: number } {
  let prev = start.previousHash;
  let at = start.previousPosition;
  let checked = 0;
  const broken = (position: number, seq: number | null, reason: 'hash-mismatch' | 'gap') => ({
    ok: false as const,
    checked,
    position,
    seq,
    reason,
    lastHash: prev,
    lastPosition: at,
  });
  for (const e of entries) {
    if (e.chain !== start.chain) return broken(e.position, e.seq, 'hash-mismatch');
    if (e.position !== at + 1) return broken(at + 1, null, 'gap');
    if (link(prev, auditContent(e, e.position <= start.legacyLength)) !== e.hash)
      return broken(e.position, e.seq, 'hash-mismatch');
    prev = e.hash;
    at = e.position;
    checked++;
  }
  return { ok: true, checked, lastHash: prev, lastPosition: at };
}
