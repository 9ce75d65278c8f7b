/**
 * Administrators' web sessions: password sign-in (rate-limited, equal timing whether or not
 * the name exists), a fresh session id and CSRF token on every sign-in, idle and absolute
 * timeouts. The session id and CSRF token are secrets held by the browser; the store keeps
 * only their keyed digests.
 */
import { timingSafeEqual } from 'node:crypto';
import { UmpinError } from '../domain/errors.js';
import type { AdminAccountRecord, Store } from '../store/store.js';
import type { Actor } from './actor.js';
import { auditRefusal, mutate, type AuditRecord } from './audit.js';
import { decoyHash, isValidName, newSecret, SECRET_SHAPE } from './credentials.js';
import type { Deps } from './ports.js';
import { FailureLimiter } from './rate-limiter.js';
import { isRoleGroup } from './role-names.js';

export interface SessionGrant { sessionId: string /* secret, goes in the cookie */; csrfToken: string /* secret, sent to the client once, echoed in X-CSRF-Token */; actor: Actor; idleExpiresAt: number; absoluteExpiresAt: number }

/** 5 failures for one name, or 20 from one address, within 15 minutes; then refused until the window moves on. */
export const SIGN_IN_LIMITS = {
  perName: { max: 5, windowMs: 15 * 60_000 },
  perSource: { max: 20, windowMs: 15 * 60_000 },
} as const;
/** last-seen is written at most this often, so browsing does not write on every request */
const TOUCH_INTERVAL_MS = 60_000;

/** Per store (that is, per server process): see rate-limiter.ts on why in memory is enough. */
const limiters = new WeakMap<Store, { perName: FailureLimiter; perSource: FailureLimiter }>();
function limitersOf(deps: Deps) {
  let l = limiters.get(deps.store);
  if (!l) {
    l = { perName: new FailureLimiter(SIGN_IN_LIMITS.perName), perSource: new FailureLimiter(SIGN_IN_LIMITS.perSource) };
    limiters.set(deps.store, l);
  }
  return l;
}

function actorOf(account: AdminAccountRecord, source: string | null): Actor {
  return {
    kind: 'admin',
    name: `admin:${account.name}`,
    roles: isRoleGroup(account.role) ? [account.role] : [],
    ...(account.dialPlanScope ? { dialPlanScope: account.dialPlanScope } : {}),
    source,
  };
}

/** Password sign-in (audited as Sign-In success/failure; never says whether the name exists). Throws UMPIN_SIGN_IN_FAILED. */
export async function signInWithPassword(deps: Deps, input: { name: string; password: string; source: string | null }): Promise<SessionGrant> {
  const validName = isValidName(input.name);
  const name = validName ? input.name.trim() : '';
  const nameKey = name.toLowerCase();
  const source = input.source ?? null;
  // the attempt is on record under the name it gave; a malformed name (perhaps a password typed in the wrong box) is not
  const attempt: Actor = { kind: 'admin', name: validName ? `admin:${name}` : 'anonymous', roles: [], source };
  const rec: AuditRecord = { action: 'Sign-In', target: validName ? name : null, parameters: validName ? { Name: name } : {} };
  const limits = limitersOf(deps);

  const account = await auditRefusal(deps, attempt, rec, async () => {
    const now = deps.clock.now();
    const retryAfter = Math.max(validName ? limits.perName.retryAfter(nameKey, now) : 0, source ? limits.perSource.retryAfter(source, now) : 0);
    if (retryAfter > 0) throw new UmpinError({ code: 'UMPIN_RATE_LIMITED', params: { retryAfter } });
    // counted as a failure before the (slow) verification, so parallel guesses cannot all slip under the limit
    if (validName) limits.perName.fail(nameKey, now);
    if (source) limits.perSource.fail(source, now);
    const found = validName ? await deps.store.findAdminAccount(name) : null;
    // one KDF verification whatever happens, so the time taken does not tell whether the name exists
    const password = typeof input.password === 'string' ? input.password : '';
    const ok = await deps.hasher.verify(found?.passwordHash ?? (await decoyHash(deps.hasher)), password);
    if (!found || !ok || found.disabled || !isRoleGroup(found.role)) throw new UmpinError({ code: 'UMPIN_SIGN_IN_FAILED' });
    // a success clears the name's count and takes back its own count against the address
    limits.perName.clear(nameKey);
    if (source) limits.perSource.forgive(source, now);
    return found;
  });

  // a new id on every sign-in: an id planted in the browser beforehand is never adopted (no session fixation)
  const sessionId = newSecret();
  const csrfToken = newSecret();
  const { idleMs, absoluteMs } = deps.sessionTimeouts;
  const actor = actorOf(account, source);
  const now = deps.clock.now();
  await mutate(deps, actor, rec, async (tx) => {
    await tx.deleteExpiredSessions(now, now - idleMs);
    await tx.insertSession({ idDigest: deps.digest(sessionId), accountId: account.id, csrfDigest: deps.digest(csrfToken), createdAt: now, lastSeenAt: now, absoluteExpiresAt: now + absoluteMs });
  });
  return { sessionId, csrfToken, actor, idleExpiresAt: now + idleMs, absoluteExpiresAt: now + absoluteMs };
}

/** The session's actor and CSRF check; null when unknown, signed out or expired (idle UMPIN_SESSION_IDLE_MINUTES default 30, absolute UMPIN_SESSION_HOURS default 12). Touches the idle timer. */
export async function resumeSession(deps: Deps, sessionId: string, source: string | null): Promise<{ actor: Actor; checkCsrf(token: string | undefined): boolean } | null> {
  if (typeof sessionId !== 'string' || !SECRET_SHAPE.test(sessionId)) return null;
  const idDigest = deps.digest(sessionId);
  const found = await deps.store.findSession(idDigest);
  if (!found) return null;
  const { session, account } = found;
  const now = deps.clock.now();
  const expired = session.absoluteExpiresAt <= now || session.lastSeenAt + deps.sessionTimeouts.idleMs <= now;
  if (expired || account.disabled || session.createdAt < account.passwordChangedAt || !isRoleGroup(account.role)) {
    await deps.store.transaction((tx) => tx.deleteSession(idDigest)).catch(() => undefined);
    return null;
  }
  if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) {
    // best effort: a busy database must not sign anyone out
    await deps.store.touchSession(idDigest, now, TOUCH_INTERVAL_MS).catch(() => undefined);
  }
  const expected = Buffer.from(session.csrfDigest);
  return {
    actor: actorOf(account, source),
    checkCsrf(token: string | undefined): boolean {
      if (typeof token !== 'string' || !SECRET_SHAPE.test(token)) return false;
      const presented = Buffer.from(deps.digest(token));
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    },
  };
}

/** Ends the session (audited as Sign-Out under the account's name); an unknown id is a no-op. */
export async function signOut(deps: Deps, sessionId: string, source: string | null = null): Promise<void> {
  if (typeof sessionId !== 'string' || !SECRET_SHAPE.test(sessionId)) return;
  const idDigest = deps.digest(sessionId);
  const found = await deps.store.findSession(idDigest);
  if (!found) return;
  const actor = actorOf(found.account, source);
  await mutate(deps, actor, { action: 'Sign-Out', target: found.account.name, parameters: {} }, async (tx) => {
    await tx.deleteSession(idDigest);
  });
}
