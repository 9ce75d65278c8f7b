import type { Actor } from './actor.js';
import { appendAudit, auditInput } from './audit.js';
import { mailLanguage, outboxMessage, payloadFor } from './outbox.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports/deps.js';
import { loadMailbox } from './resolve.js';

const DAY = 86_400_000;

/**
 * PIN-expiry reminders, which Exchange never sent: `days` before PINLifetime ends (default
 * 7 and 1), one mail per PIN version and threshold. A PIN already past a later threshold
 * gets only the nearest reminder. Safe to run on every server at once: the reminder row is
 * claimed in the same transaction as its outbox row.
 */
export async function queueExpiryReminders(
  deps: Deps,
  actor: Actor,
  days: readonly number[] = [7, 1],
): Promise<number> {
  authorize(actor, 'outbox:write', 'Send-PINExpiryReminders');
  const thresholds = [...new Set(days)].filter((d) => Number.isInteger(d) && d > 0).sort((a, b) => a - b);
  const org = await deps.store.getOrganization();
  let queued = 0;
  for (const policy of await deps.store.listPolicies()) {
    if (policy.pinLifetimeDays === null) continue;
    const lifetime = policy.pinLifetimeDays * DAY;
    let windowEnd = deps.clock.now() - lifetime; // PINs set before this have expired already
    for (const d of thresholds) {
      if (d * DAY >= lifetime) continue;
      const now = deps.clock.now();
      // expires within d days: set in [now − lifetime, now − lifetime + d days)
      const setFrom = Math.max(windowEnd, now - lifetime);
      const setTo = now - lifetime + d * DAY;
      windowEnd = setTo;
      for (;;) {
        const due = await deps.store.pinsDueForReminder(policy.id, setFrom, setTo, d, 200);
        if (due.length === 0) break;
        for (const pin of due) {
          const recipient = await deps.store.getRecipient(pin.recipientId);
          if (!recipient) continue;
          const m = await loadMailbox(deps.store, recipient);
          const expiresAt = pin.pinSetAt + lifetime;
          const daysLeft = Math.max(1, Math.ceil((expiresAt - deps.clock.now()) / DAY));
          await deps.store.transaction(async (tx) => {
            if (!(await tx.recordReminder(pin.recipientId, pin.version, d, deps.clock.now()))) return;
            await tx.enqueueOutbox([
              outboxMessage(deps, m, 'expiry-reminder', payloadFor(m, 'expiry-reminder', { expiresAt, daysLeft }), {
                language: mailLanguage(m, org),
              }),
            ]);
            await appendAudit(deps, tx, [
              auditInput(
                deps,
                actor,
                {
                  action: 'Send-PINExpiryReminder',
                  target: recipient.primarySmtpAddress,
                  parameters: { DaysBefore: d },
                },
                'success',
              ),
            ]);
            queued++;
          });
        }
      }
    }
  }
  return queued;
}
