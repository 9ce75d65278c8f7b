import { GENESIS_HASH, verifyChainSegment, type ChainPlace } from '../domain/audit-chain.js';
import { DIAL_PLAN_LIMITS } from '../domain/dial-plan.js';
import { POLICY_LIMITS } from '../domain/policy.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type { AuditChainHead, AuditEntry } from '../domain/audit-entry.js';
import type { AuditFilter } from './ports/audit.js';
import type { Page } from '../domain/page.js';
import type { Actor } from './actor.js';
import { authorize, authorizeWholeOrganization } from './permissions.js';
import { inScope, isScoped } from './scope.js';
import type { Deps } from './ports/deps.js';
import { mutate } from './audit.js';
import { UmpinError } from '../domain/errors.js';

/** The most entries one search returns; -StartIndex pages further. */
export const AUDIT_SEARCH_MAX = 5000;

/**
 * Search-AdminAuditLog's filters. The single-valued fields of AuditFilter still work; the
 * lists match any of their values (several cmdlets, objects or callers at once). Names
 * and targets match case-insensitively and as recorded (the identity as it was given).
 */
export interface AuditSearch extends AuditFilter {
  actions?: readonly string[];
  targets?: readonly string[];
  actors?: readonly string[];
  /** entries whose parameters include any of these names, in Exchange's or umpin's spelling */
  parameters?: readonly string[];
  result?: AuditEntry['result'];
  /** matches to skip first (Search-AdminAuditLog -StartIndex) */
  offset?: number;
}

const BATCH = 1000;
/** Above this many action × target × actor combinations one scan of the log is cheaper than a query each. */
const MAX_QUERIES = 64;

/** Where a page of the log starts: after the entry of this sequence number (a cursor's key). */
export function auditCursor(afterSeq: number): string {
  return encodeCursor([String(afterSeq)]);
}

/** Search-AdminAuditLog a page at a time, in log order: the cursor is the last entry's sequence number (REST's list). */
export async function pageAuditLog(
  deps: Deps,
  actor: Actor,
  filter: Omit<AuditSearch, 'afterSeq' | 'beforeSeq' | 'offset'> & {
    cursor?: string | null | undefined;
    limit: number;
  },
): Promise<Page<AuditEntry>> {
  const { cursor, ...search } = filter;
  let at: number | undefined;
  if (cursor !== undefined && cursor !== null) {
    at = Number(decodeCursor(cursor, 1)[0]);
    if (!Number.isSafeInteger(at) || at < 0) decodeCursor('', 1);
  }
  const items = await searchAuditLog(
    deps,
    actor,
    search.newestFirst ? { ...search, beforeSeq: at } : { ...search, afterSeq: at },
  );
  const last = items[items.length - 1];
  // entries are in sequence order (either way), so the last one seen is where the next page starts
  return { items, next: items.length === filter.limit && last ? auditCursor(last.seq) : null };
}

export async function searchAuditLog(deps: Deps, actor: Actor, filter: AuditSearch): Promise<AuditEntry[]> {
  authorize(actor, 'audit:read', 'Search-AdminAuditLog');
  const limit = Math.max(0, Math.min(filter.limit ?? 1000, AUDIT_SEARCH_MAX));
  const offset = Math.max(0, filter.offset ?? 0);
  const need = offset + limit;
  if (limit === 0) return [];
  const actions = values(filter.action, filter.actions);
  const targets = values(filter.target, filter.targets);
  const actors = values(filter.actor, filter.actors);
  const parameterKeys =
    filter.parameters && filter.parameters.length > 0
      ? new Set(filter.parameters.map((p) => p.trim().toLowerCase()))
      : null;
  const visible = scopeJudge(deps, actor);
  const keep = async (e: AuditEntry): Promise<boolean> =>
    (filter.result === undefined || e.result === filter.result) &&
    (parameterKeys === null ||
      Object.keys(e.parameters).some((k) => parameterNames(k).some((n) => parameterKeys.has(n)))) &&
    (await visible(e));
  const base: AuditFilter = {
    from: filter.from,
    to: filter.to,
    afterSeq: filter.afterSeq,
    beforeSeq: filter.beforeSeq,
    newestFirst: filter.newestFirst,
  };

  const combos = (actions?.length ?? 1) * (targets?.length ?? 1) * (actors?.length ?? 1);
  let found: AuditEntry[];
  if (combos <= MAX_QUERIES) {
    // the store matches one action, target and actor each; one query per combination, merged in log order
    found = [];
    for (const action of actions ?? [undefined]) {
      for (const target of targets ?? [undefined]) {
        for (const who of actors ?? [undefined])
          found.push(...(await scan(deps, { ...base, action, target, actor: who }, keep, need)));
      }
    }
    found.sort(filter.newestFirst ? (a, b) => b.seq - a.seq : (a, b) => a.seq - b.seq);
  } else {
    const among = (list: string[] | null, v: string | null) =>
      list === null || (v !== null && list.includes(v.trim().toLowerCase()));
    found = await scan(
      deps,
      base,
      async (e) => among(actions, e.action) && among(targets, e.target) && among(actors, e.actor) && (await keep(e)),
      need,
    );
  }
  return found.slice(offset, need);
}

/**
 * Which entries a scoped caller sees: those whose target, as recorded, names only objects
 * inside its dial plans today — UM mailboxes (a recipient without one is in no dial plan),
 * dial plans, UM mailbox policies. An entry without a target (a sign-in), about a token or
 * an account, or about an object since removed is outside every scope. Each target is
 * looked up once a search.
 */
function scopeJudge(deps: Deps, actor: Actor): (e: AuditEntry) => Promise<boolean> {
  if (!isScoped(actor)) return async () => true;
  const judged = new Map<string, Promise<boolean>>();
  const judge = async (target: string): Promise<boolean> => {
    const named = [
      ...(await deps.store.findMailboxes(target)).map((m) => m.mailbox?.dialPlanId ?? null),
      ...(await deps.store.findDialPlans(target)).map((d) => d.id),
      ...(await deps.store.findPolicies(target)).map((p) => p.dialPlanId),
    ];
    return named.length > 0 && named.every((id) => inScope(actor, id));
  };
  return (e) => {
    if (e.target === null || e.target.trim() === '') return Promise.resolve(false);
    const key = e.target.trim().toLowerCase();
    if (!judged.has(key)) judged.set(key, judge(e.target.trim()));
    return judged.get(key)!;
  };
}

/** The filter's values, lower-cased and without repeats; null when it does not filter. */
function values(one: string | undefined, many: readonly string[] | undefined): string[] | null {
  const all = [...(one !== undefined ? [one] : []), ...(many ?? [])]
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
  return all.length === 0 ? null : [...new Set(all)];
}

/** Services record some parameters by umpin's names (pinLifetimeDays); these are Exchange's for them. */
const EXCHANGE_NAMES: ReadonlyMap<string, string> = new Map([
  ...[...Object.entries(POLICY_LIMITS), ...Object.entries(DIAL_PLAN_LIMITS)].map(([key, limit]): [string, string] => [
    key.toLowerCase(),
    limit.field,
  ]),
  ['umdialplan', 'UMDialPlan'],
  ['ummailboxpolicy', 'UMMailboxPolicy'],
]);

/** A recorded parameter under Exchange's name: pinLifetimeDays is PINLifetime, primarySmtpAddress PrimarySmtpAddress. */
export function exchangeParameterName(recorded: string): string {
  return EXCHANGE_NAMES.get(recorded.toLowerCase()) ?? recorded.charAt(0).toUpperCase() + recorded.slice(1);
}

/** A filter by parameter matches the name as recorded and as Exchange spells it. */
function parameterNames(recorded: string): string[] {
  return [recorded.toLowerCase(), exchangeParameterName(recorded).toLowerCase()];
}

/** Reads the log in the filter's order from its position until `need` entries pass `keep` or it ends. */
async function scan(
  deps: Deps,
  filter: AuditFilter,
  keep: (e: AuditEntry) => Promise<boolean>,
  need: number,
): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let position: AuditFilter = filter;
  for (;;) {
    const page = await deps.store.listAudit({ ...position, limit: BATCH });
    for (const e of page) {
      if (await keep(e)) out.push(e);
      if (out.length >= need) return out;
    }
    if (page.length < BATCH) return out;
    const last = page[page.length - 1]!.seq;
    position = filter.newestFirst ? { ...position, beforeSeq: last } : { ...position, afterSeq: last };
  }
}

export type AuditVerification =
  | { ok: true; entries: number; chains: number }
  | {
      ok: false;
      /** entries that verified, in every chain (up to each chain's first break) */
      entries: number;
      /** the first break in the log: its chain and place, and the entry's seq (null: that entry is missing) */
      chain: number;
      position: number;
      brokenAtSeq: number | null;
      reason: 'hash-mismatch' | 'gap' | 'head-mismatch' | 'unknown-chain';
      /** every chain that breaks somewhere, in chain order */
      brokenChains: number[];
    };

type ChainBreak = Omit<Extract<AuditVerification, { ok: false }>, 'ok' | 'entries' | 'brokenChains'> & {
  /** where in the log the break sits: the broken entry's seq, or just after the entry before a missing one */
  at: number;
};

/** Most chains new entries may spread over: each is a head row every verification walks. */
export const AUDIT_CHAINS_MAX = 64;

/**
 * The audit chains' heads (umpin audit chains). With writable, new entries spread over
 * chains 0 to writable - 1 from the next write on, on every server (head rows are made as
 * needed); the other chains keep their entries and are verified as before.
 */
export async function auditChains(deps: Deps, actor: Actor, writable?: number): Promise<AuditChainHead[]> {
  if (writable === undefined) {
    authorizeWholeOrganization(actor, 'audit:read', 'Verify-AuditLog');
    return deps.store.auditChains();
  }
  authorizeWholeOrganization(actor, 'organization:write', 'Set-AuditChains');
  if (!Number.isSafeInteger(writable) || writable < 1 || writable > AUDIT_CHAINS_MAX)
    throw new UmpinError({
      code: 'UMPIN_VALUE_OUT_OF_RANGE',
      field: 'Writable',
      params: { field: 'Writable', min: 1, max: AUDIT_CHAINS_MAX },
    });
  await mutate(deps, actor, { action: 'Set-AuditChains', target: null, parameters: { writable } }, (tx) =>
    tx.setWritableAuditChains(writable),
  );
  return deps.store.auditChains();
}

/**
 * Walks every chain against its head row; reports the first broken entry of the log (by seq),
 * and every chain that breaks. The heads are read first, at one moment: entries appended
 * while the walk goes on are beyond them and not judged.
 */
export async function verifyAuditLog(deps: Deps, actor: Actor): Promise<AuditVerification> {
  authorizeWholeOrganization(actor, 'audit:read', 'Verify-AuditLog');
  const heads = await deps.store.auditChains();
  let entries = 0;
  const breaks: ChainBreak[] = [];
  for (const head of heads) {
    const v = await verifyChain(deps, head);
    entries += v.checked;
    if (v.broken) breaks.push(v.broken);
  }
  // an entry that names a chain without a head is in no walk: it cannot be genuine
  const [stray] = await deps.store.listAudit({ outsideChains: heads.map((h) => h.chain), limit: 1 });
  if (stray)
    breaks.push({
      chain: stray.chain,
      position: stray.position,
      brokenAtSeq: stray.seq,
      reason: 'unknown-chain',
      at: stray.seq,
    });
  const first = [...breaks].sort((a, b) => a.at - b.at || a.chain - b.chain)[0];
  if (!first) return { ok: true, entries, chains: heads.length };
  return {
    ok: false,
    entries,
    chain: first.chain,
    position: first.position,
    brokenAtSeq: first.brokenAtSeq,
    reason: first.reason,
    brokenChains: [...new Set(breaks.map((b) => b.chain))].sort((x, y) => x - y),
  };
}

async function verifyChain(deps: Deps, head: AuditChainHead): Promise<{ checked: number; broken?: ChainBreak }> {
  const link = (prev: string, content: string) => deps.signer.link(prev, content);
  let place: ChainPlace = {
    chain: head.chain,
    legacyLength: head.legacyLength,
    previousHash: GENESIS_HASH,
    previousPosition: 0,
  };
  let lastSeq = 0;
  let checked = 0;
  const missing = (position: number): ChainBreak => ({
    chain: head.chain,
    position,
    brokenAtSeq: null,
    reason: 'gap',
    at: lastSeq + 0.5,
  });
  for (;;) {
    const page = (await deps.store.listAuditChain(head.chain, place.previousPosition, 1000)).filter(
      (e) => e.position <= head.length,
    );
    if (page.length === 0) break;
    const v = verifyChainSegment(page, link, place);
    checked += v.checked;
    lastSeq = page.find((e) => e.position === v.lastPosition)?.seq ?? lastSeq;
    if (!v.ok) {
      if (v.seq === null) return { checked, broken: missing(v.position) };
      return {
        checked,
        broken: { chain: head.chain, position: v.position, brokenAtSeq: v.seq, reason: v.reason, at: v.seq },
      };
    }
    place = { ...place, previousHash: v.lastHash, previousPosition: v.lastPosition };
  }
  // the head says how long the chain is and how it ends: a removed tail shows here
  if (place.previousPosition < head.length) return { checked, broken: missing(place.previousPosition + 1) };
  if (place.previousHash !== head.hash)
    return {
      checked,
      broken: {
        chain: head.chain,
        position: head.length,
        brokenAtSeq: head.length > 0 ? lastSeq : null,
        reason: 'head-mismatch',
        at: lastSeq,
      },
    };
  return { checked };
}
