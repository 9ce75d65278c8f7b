/**
 * Test-UMMailboxPIN (a umpin addition): would this PIN be accepted? A dry run of the policy
 * check Set-UMMailboxPIN and Enable-UMMailbox make, for the admin center to name the rule a
 * typed PIN breaks while it is typed. It stores nothing and writes no audit entry: nothing
 * changes, and an entry per keystroke would bury the log (the real reset is audited when saved).
 *
 * It checks the policy and extension rules (pin-rules.ts, the same function the real reset
 * calls, so the same code and params), but NOT the PIN history: PINHistoryCount counts the
 * current PIN, so a dry run that compared hashes would tell an administrator whether a guess
 * is the user's PIN today — a PIN oracle with no lockout behind it — and would cost a KDF run
 * per history entry on every keystroke. The history is judged when the PIN is saved.
 */
import { throwIfAny, UmpinError } from '../domain/errors.js';
import { checkPin } from '../domain/pin-rules.js';
import type { Actor } from './actor.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports/deps.js';
import { takeOrThrow, type RateLimit } from './limits.js';
import { resolveMailbox, resolvePolicy } from './resolve.js';

/** Checks per caller: ample for typing (one a pause, ~300 ms), a brake on scripted probing. */
export const PIN_CHECK_LIMIT: RateLimit = { max: 30, windowMs: 60_000 };

export interface TestUMMailboxPINInput {
  /** a UM mailbox: its policy and extensions */
  identity?: string;
  /** or a UM mailbox policy, for a mailbox not enabled yet (the Enable UM wizard) */
  umMailboxPolicy?: string;
  /** with umMailboxPolicy: the extensions the mailbox will have (a PIN may not contain them) */
  extensions?: readonly string[];
  pin: string;
}

export interface TestUMMailboxPINResult {
  ok: true;
}

/** Counts every check, accepted or not, before any work, on every server together: the limit is on asking, not on failing. */
function countCheck(deps: Deps, actor: Actor): Promise<void> {
  return takeOrThrow(deps.store, 'pin-check:caller', actor.name, PIN_CHECK_LIMIT, deps.clock.now());
}

/** Answers { ok: true }, or throws the refusal Set-UMMailboxPIN / Enable-UMMailbox would give for this PIN. */
export async function testUMMailboxPIN(
  deps: Deps,
  actor: Actor,
  input: TestUMMailboxPINInput,
): Promise<TestUMMailboxPINResult> {
  if ((input.identity === undefined) === (input.umMailboxPolicy === undefined))
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'Identity',
      params: { field: 'Identity', rule: 'give either Identity or UMMailboxPolicy' },
    });
  await countCheck(deps, actor);
  if (input.identity !== undefined) {
    const m = await resolveMailbox(deps.store, input.identity, { actor });
    authorize(actor, 'pin:reset', 'Test-UMMailboxPIN', {
      recipientId: m.recipient.id,
      dialPlanId: m.dialPlan.id,
      label: m.recipient.primarySmtpAddress,
    });
    throwIfAny(checkPin(String(input.pin), { policy: m.policy, extensions: m.mailbox.extensions }));
  } else {
    const policy = await resolvePolicy(deps.store, input.umMailboxPolicy!, 'UMMailboxPolicy', { actor });
    authorize(actor, 'pin:reset', 'Test-UMMailboxPIN', { dialPlanId: policy.dialPlanId, label: policy.name });
    const extensions = (input.extensions ?? []).map((e) => String(e).trim());
    throwIfAny(checkPin(String(input.pin), { policy, extensions }));
  }
  return { ok: true };
}
