import { UmpinError } from '../domain/errors.js';
import { isLockedOut, isPinExpired, pinAgeDays } from '../domain/logon.js';
import type { Actor } from './actor.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports.js';
import { loadMailbox, resolveMailbox, type ResolvedMailbox } from './resolve.js';

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
}

async function view(deps: Deps, m: ResolvedMailbox): Promise<UMMailboxPINView> {
  const s = await deps.store.getPin(m.recipient.id);
  if (!s) throw new UmpinError({ code: 'UMPIN_INTERNAL' });
  const now = deps.clock.now();
  const locked = isLockedOut(s, now);
  return {
    userId: m.recipient.primarySmtpAddress,
    identity: m.recipient.id,
    pinExpired: isPinExpired(s, m.policy, now),
    firstTimeUser: s.firstTimeUser,
    lockedOut: locked,
    lockedUntil: locked ? s.lockedUntil : null,
    // a lapsed LockoutDuration lock has cleared the count, even before the next call stores that
    failedAttempts: s.lockedOut && !locked ? 0 : s.failedAttempts,
    pinSetAt: s.pinSetAt,
    pinAgeDays: pinAgeDays(s, now),
  };
}

export async function getUMMailboxPIN(deps: Deps, actor: Actor, identity: string): Promise<UMMailboxPINView> {
  const m = await resolveMailbox(deps.store, identity);
  authorize(actor, 'pin:read', 'Get-UMMailboxPIN', { recipientId: m.recipient.id, dialPlanId: m.dialPlan.id, label: m.recipient.primarySmtpAddress });
  return view(deps, m);
}

/** Without Identity, Exchange lists every UM-enabled mailbox up to ResultSize (default 1000). */
export async function listUMMailboxPINs(deps: Deps, actor: Actor, resultSize = 1000): Promise<UMMailboxPINView[]> {
  authorize(actor, 'pin:read', 'Get-UMMailboxPIN');
  const out: UMMailboxPINView[] = [];
  let cursor: string | null = null;
  do {
    const page = await deps.store.listRecipients({ umEnabled: true, cursor, limit: Math.min(500, resultSize - out.length) });
    for (const r of page.items) {
      const m = await loadMailbox(deps.store, r);
      if (actor.dialPlanScope && !actor.dialPlanScope.includes(m.dialPlan.id)) continue;
      out.push(await view(deps, m));
    }
    cursor = page.next;
  } while (cursor && out.length < resultSize);
  return out;
}
