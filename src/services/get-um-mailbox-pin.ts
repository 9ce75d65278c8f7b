import { errorBody, UmpinError, type ErrorBody } from '../domain/errors.js';
import { isLockedOut, isPinExpired, pinAgeDays, type PinState } from '../domain/logon.js';
import type { Page } from '../domain/page.js';
import type { MailboxPolicy } from '../domain/policy.js';
import { locksInARow } from '../domain/progressive-lockout.js';
import type { Actor } from './actor.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports/deps.js';
import { resolvePinStatus } from './resolve.js';
import { scopeCondition } from './scope.js';

/** Get-UMMailboxPIN: computed from the protected PIN data; never the PIN itself. */
export interface UMMailboxPINView {
  userId: string;
  identity: string;
  pinExpired: boolean;
  firstTimeUser: boolean;
  lockedOut: boolean;
  /** when a LockoutDuration lock lifts by itself; null = until an administrator unlocks */
  lockedUntil: number | null;
  failedAttempts: number;
  pinSetAt: number;
  pinAgeDays: number;
  /** when the last failed logon was counted; null when none was (or before umpin kept it) */
  lastFailureAt: number | null;
  /** the calling number of that failed logon, where the voice gateway gave one */
  lastFailureCaller: string | null;
  /** locks in a row, each within a day of the one before: ProgressiveLockout doubles the next (0 once a day passed) */
  lockCount: number;
  /** PinChangeAllowed (a umpin addition): $false, the user can neither change nor reset the PIN, nor is made to */
  pinChangeAllowed: boolean;
}

/** The view of a PIN state: judged at now against the policy's PINLifetime. */
function viewOf(
  now: number,
  m: { recipientId: string; primarySmtpAddress: string; pinLifetimeDays: number | null; pinChangeAllowed: boolean },
  s: PinState | null | undefined,
): UMMailboxPINView {
  if (!s) throw new UmpinError({ code: 'UMPIN_INTERNAL' });
  const locked = isLockedOut(s, now);
  return {
    userId: m.primarySmtpAddress,
    identity: m.recipientId,
    pinExpired: isPinExpired(s, m, now),
    firstTimeUser: s.firstTimeUser,
    lockedOut: locked,
    lockedUntil: locked ? s.lockedUntil : null,
    // a lapsed LockoutDuration lock has cleared the count, even before the next call stores that
    failedAttempts: s.lockedOut && !locked ? 0 : s.failedAttempts,
    pinSetAt: s.pinSetAt,
    pinAgeDays: pinAgeDays(s, now),
    lastFailureAt: s.lastFailureAt ?? null,
    lastFailureCaller: s.lastFailureCaller ?? null,
    lockCount: locksInARow(s, now),
    pinChangeAllowed: m.pinChangeAllowed,
  };
}

/** One mailbox's PIN status: one store read (pinStatusByIdentity), no policy or dial plan look-ups beside it. */
export async function getUMMailboxPIN(deps: Deps, actor: Actor, identity: string): Promise<UMMailboxPINView> {
  const m = await resolvePinStatus(deps.store, identity, { actor });
  authorize(actor, 'pin:read', 'Get-UMMailboxPIN', {
    recipientId: m.recipientId,
    dialPlanId: m.mailbox.dialPlanId,
    label: m.primarySmtpAddress,
  });
  return viewOf(
    deps.clock.now(),
    {
      recipientId: m.recipientId,
      primarySmtpAddress: m.primarySmtpAddress,
      pinLifetimeDays: m.mailbox.pinLifetimeDays,
      pinChangeAllowed: m.mailbox.pinChangeAllowed,
    },
    m.pin,
  );
}

export interface UMMailboxPINPage extends Page<UMMailboxPINView> {
  /** with ignoreErrors: mailboxes left out because their PIN data could not be read */
  skipped: Array<ErrorBody & { userId: string }>;
}

/**
 * One page of Get-UMMailboxPIN without Identity, in the store's order. With ignoreErrors
 * (Exchange's -IgnoreErrors) a mailbox whose PIN data cannot be read is left out and
 * named in `skipped` instead of failing the whole listing.
 */
export async function pageUMMailboxPINs(
  deps: Deps,
  actor: Actor,
  q: { cursor?: string | null; limit: number; ignoreErrors?: boolean },
): Promise<UMMailboxPINPage> {
  authorize(actor, 'pin:read', 'Get-UMMailboxPIN');
  // a scoped caller's pages hold its dial plans' mailboxes only, full, in the store's order
  const scope = scopeCondition(actor);
  // the page with each mailbox and its PIN state in one statement; the policies from the store's cache
  const page = await deps.store.umMailboxPage(
    {
      umEnabled: true,
      ...(scope ? { filter: scope } : {}),
      cursor: q.cursor ?? null,
      limit: Math.min(Math.max(1, q.limit), 500),
    },
    { pins: true },
  );
  const now = deps.clock.now();
  const policies = new Map<string, Promise<MailboxPolicy | null>>();
  const items: UMMailboxPINView[] = [];
  const skipped: UMMailboxPINPage['skipped'] = [];
  for (const { recipient: r, mailbox, pin } of page.items) {
    try {
      if (!mailbox)
        throw new UmpinError({
          code: 'UMPIN_MAILBOX_NOT_UM_ENABLED',
          field: 'Identity',
          params: { identity: r.primarySmtpAddress },
        });
      if (!policies.has(mailbox.policyId)) policies.set(mailbox.policyId, deps.store.getPolicy(mailbox.policyId));
      const p = await policies.get(mailbox.policyId)!;
      if (!p) throw new UmpinError({ code: 'UMPIN_INTERNAL' });
      items.push(
        viewOf(
          now,
          {
            recipientId: r.id,
            primarySmtpAddress: r.primarySmtpAddress,
            pinLifetimeDays: p.pinLifetimeDays,
            pinChangeAllowed: mailbox.pinChangeAllowed,
          },
          pin,
        ),
      );
    } catch (err) {
      if (!q.ignoreErrors || !(err instanceof UmpinError)) throw err;
      // the error's body (code, field, params, English message): any client can word it in its own language
      skipped.push({ userId: r.primarySmtpAddress, ...errorBody(err, 'en') });
    }
  }
  return { items, next: page.next, skipped };
}

/** Without Identity, Exchange lists every UM-enabled mailbox up to ResultSize (default 1000). */
export async function listUMMailboxPINs(deps: Deps, actor: Actor, resultSize = 1000): Promise<UMMailboxPINView[]> {
  const out: UMMailboxPINView[] = [];
  let cursor: string | null = null;
  do {
    const page = await pageUMMailboxPINs(deps, actor, { cursor, limit: Math.min(500, resultSize - out.length) });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor && out.length < resultSize);
  return out.slice(0, resultSize);
}
