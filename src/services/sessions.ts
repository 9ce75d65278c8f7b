/**
 * Web sessions, of administrators (password sign-in, throttled per account and address with
 * growing delays, never locked: sign-in-limiter.ts; equal timing whether or not the name exists) and of end users (a mailed code: sign-in-codes.ts): a fresh session
 * id and CSRF token on every sign-in, idle and absolute timeouts. The session id and CSRF
 * token are secrets held by the browser; the store keeps only their keyed digests.
 */
import { timingSafeEqual } from 'node:crypto';
import { UmpinError } from '../domain/errors.js';
import type { AdminAccountRecord } from '../domain/admin-account.js';
import type { SessionOwner } from '../domain/session.js';
import type { StoreTx } from './ports/store.js';
import { endUser, type Actor } from './actor.js';
import { auditRefusal, mutate, type AuditRecord } from './audit.js';
import { decoyHash, isValidName, newSecret, SECRET_SHAPE } from './credentials.js';
import type { Deps } from './ports/deps.js';
import { isRoleGroup } from './role-names.js';
import { countPasswordSignIn } from './sign-in-limiter.js';

export interface SessionGrant {
  sessionId: string /* secret, goes in the cookie */;
  csrfToken: string /* secret, sent to the client once, echoed in X-CSRF-Token */;
  actor: Actor;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

/** last-seen is written at most this often, so browsing does not write on every request */

function adminActor(account: AdminAccountRecord, source: string | null): Actor {
  return {
    kind: 'admin',
    name: `admin:${account.name}`,
    roles: isRoleGroup(account.role) ? [account.role] : [],
    ...(account.dialPlanScope ? { dialPlanScope: account.dialPlanScope } : {}),
    source,
  };
}

function actorOf(owner: SessionOwner, source: string | null): Actor {
  return owner.kind === 'admin' ? adminActor(owner.account, source) : endUser(owner.recipient, source);
}

/** How the audit log names what a session belongs to: the account, or the user's address. */
function ownerName(owner: SessionOwner): string {
  return owner.kind === 'admin' ? owner.account.name : owner.recipient.primarySmtpAddress;
}

/**
 * Writes a new session for an account or a recipient in the caller's transaction (which
 * writes the sign-in's audit entry too). A new id on every sign-in: an id planted in the
 * browser beforehand is never adopted (no session fixation).
 */
export async function insertNewSession(
  deps: Deps,
  tx: StoreTx,
  owner: { accountId: string } | { recipientId: string },
  actor: Actor,
): Promise<SessionGrant> {
  const sessionId = newSecret();
  const csrfToken = newSecret();
  const { idleMs, absoluteMs } = deps.sessionTimeouts;
  const now = deps.clock.now();
  await tx.deleteExpiredSessions(now, now - idleMs);
  await tx.insertSession({
    idDigest: deps.digest(sessionId),
    accountId: 'accountId' in owner ? owner.accountId : null,
    recipientId: 'recipientId' in owner ? owner.recipientId : null,
    csrfDigest: deps.digest(csrfToken),
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt: now + absoluteMs,
  });
  return { sessionId, csrfToken, actor, idleExpiresAt: now + idleMs, absoluteExpiresAt: now + absoluteMs };
}

/** Password sign-in (audited as Sign-In success/failure; never says whether the name exists). Throws UMPIN_SIGN_IN_FAILED. */
export async function signInWithPassword(
  deps: Deps,
  input: { name: string; password: string; source: string | null },
): Promise<SessionGrant> {
  const validName = isValidName(input.name);
  const name = validName ? input.name.trim() : '';
  const source = input.source ?? null;
  // the attempt is on record under the name it gave; a malformed name (perhaps a password typed in the wrong box) is not
  const attempt: Actor = { kind: 'admin', name: validName ? `admin:${name}` : 'anonymous', roles: [], source };
  const rec: AuditRecord = {
    action: 'Sign-In',
    target: validName ? name : null,
    parameters: validName ? { Name: name } : {},
  };

  const account = await auditRefusal(deps, attempt, rec, async () => {
    // counted before the check (a burst cannot all pass it), under the name as typed, so the
    // count tells nothing of whether the account exists
    const counted = await countPasswordSignIn(deps, validName ? name : null, source);
    const found = validName ? await deps.store.findAdminAccount(name) : null;
    // one KDF verification whatever happens, so the time taken does not tell whether the name exists
    const password = typeof input.password === 'string' ? input.password : '';
    const ok = await deps.hasher.verify(found?.passwordHash ?? (await decoyHash(deps.hasher)), password);
    if (!found || !ok || found.disabled || !isRoleGroup(found.role)) {
      await counted.failed();
      throw new UmpinError({ code: 'UMPIN_SIGN_IN_FAILED' });
    }
    await counted.succeeded();
    return found;
  });

  const actor = adminActor(account, source);
  return mutate(deps, actor, rec, (tx) => insertNewSession(deps, tx, { accountId: account.id }, actor));
}

/**
 * The session's actor and CSRF check; null when unknown, signed out or expired (idle
 * UMPIN_SESSION_IDLE_MINUTES default 30, absolute UMPIN_SESSION_HOURS default 12), when the
 * account was disabled or its password reset since, or when the user's mailbox is no longer
 * UM-enabled. Touches the idle timer.
 */
export async function resumeSession(
  deps: Deps,
  sessionId: string,
  source: string | null,
): Promise<{ actor: Actor; checkCsrf(token: string | undefined): boolean } | null> {
  if (typeof sessionId !== 'string' || !SECRET_SHAPE.test(sessionId)) return null;
  const idDigest = deps.digest(sessionId);
  const found = await deps.store.findSession(idDigest);
  if (!found) return null;
  const { session, owner } = found;
  const now = deps.clock.now();
  const expired = session.absoluteExpiresAt <= now || session.lastSeenAt + deps.sessionTimeouts.idleMs <= now;
  const revoked =
    owner.kind === 'admin'
      ? owner.account.disabled ||
        session.createdAt < owner.account.passwordChangedAt ||
        !isRoleGroup(owner.account.role)
      : !owner.umEnabled;
  if (expired || revoked) {
    await deps.store.transaction((tx) => tx.deleteSession(idDigest)).catch(() => undefined);
    return null;
  }
  if (now > session.lastSeenAt) {
    // every request moves the idle deadline, so it is exact to the request (sessions are
    // people at a browser: one small write per click); best effort: a busy database must
    // not sign anyone out
    await deps.store.touchSession(idDigest, now, 1).catch(() => undefined);
  }
  const expected = Buffer.from(session.csrfDigest);
  return {
    actor: actorOf(owner, source),
    checkCsrf(token: string | undefined): boolean {
      if (typeof token !== 'string' || !SECRET_SHAPE.test(token)) return false;
      const presented = Buffer.from(deps.digest(token));
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    },
  };
}

/** Ends the session (audited as Sign-Out under the account's or the user's name); an unknown id is a no-op. */
export async function signOut(deps: Deps, sessionId: string, source: string | null = null): Promise<void> {
  if (typeof sessionId !== 'string' || !SECRET_SHAPE.test(sessionId)) return;
  const idDigest = deps.digest(sessionId);
  const found = await deps.store.findSession(idDigest);
  if (!found) return;
  const actor = actorOf(found.owner, source);
  await mutate(deps, actor, { action: 'Sign-Out', target: ownerName(found.owner), parameters: {} }, async (tx) => {
    await tx.deleteSession(idDigest);
  });
}
