/**
 * Set-UMMailboxPIN for many mailboxes in one request, as a pipeline of identities into the
 * cmdlet: reset each to a generated PIN (the bulk path: hashes on every core, rows written a
 * batch at a time) or unlock each. Every mailbox is authorized, audited and answered on its
 * own, exactly as if it were done alone; one refusal does not stop the others. The web's bulk
 * pane sends a batch at a time so that it can show progress and stop between batches.
 */
import type { Issue } from '../domain/errors.js';
import { UmpinError } from '../domain/errors.js';
import type { Actor } from './actor.js';
import { auditRefusal } from './audit.js';
import { authorizeUse } from './permissions.js';
import type { Deps } from './ports/deps.js';
import { resetUMMailboxPINs, setUMMailboxPIN } from './set-um-mailbox-pin.js';

/** At most this many identities a request: a batch is a few seconds of KDF work at most. */
export const MAX_BULK_IDENTITIES = 100;

export interface SetUMMailboxPINsInput {
  identities: string[];
  /** false: unlock each (keeping its PIN, no mail); left out: reset each to a generated PIN */
  lockedOut?: false;
  /** with a reset: the user must change the PIN at the next logon (default true) */
  pinExpired?: boolean;
  /** with a reset: mail the new PIN (default true) */
  sendEmail?: boolean;
}

export type MailboxOutcome =
  | { identity: string; ok: true; userId: string; mailTo: string | null }
  | { identity: string; ok: false; issue: Issue };

/** One outcome per identity, in the order given. */
export async function setUMMailboxPINs(
  deps: Deps,
  actor: Actor,
  input: SetUMMailboxPINsInput,
): Promise<{ items: MailboxOutcome[] }> {
  // a caller who may not do this to any mailbox is refused once, on record, not a hundred times
  const unlock = input.lockedOut === false;
  await auditRefusal(
    deps,
    actor,
    {
      action: 'Set-UMMailboxPIN',
      target: null,
      parameters: { Identity: input.identities, LockedOut: input.lockedOut },
    },
    async () => authorizeUse(actor, unlock ? 'pin:lock' : 'pin:reset', 'Set-UMMailboxPIN'),
  );
  if (unlock) {
    const items: MailboxOutcome[] = [];
    for (const identity of input.identities) {
      try {
        const r = await setUMMailboxPIN(deps, actor, { identity, lockedOut: false });
        items.push({ identity, ok: true, userId: r.userId, mailTo: null });
      } catch (err) {
        if (!(err instanceof UmpinError)) throw err;
        items.push({ identity, ok: false, issue: err.issue });
      }
    }
    return { items };
  }
  const r = await resetUMMailboxPINs(deps, actor, {
    identities: input.identities,
    pinExpired: input.pinExpired,
    sendEmail: input.sendEmail,
  });
  const done = new Map(r.done.map((d) => [d.identity, d]));
  const failed = new Map(r.failed.map((f) => [f.identity, f]));
  return {
    items: input.identities.map((identity): MailboxOutcome => {
      const d = done.get(identity);
      if (d) return { identity, ok: true, userId: d.userId, mailTo: d.mailTo };
      return { identity, ok: false, issue: failed.get(identity)?.issue ?? { code: 'UMPIN_INTERNAL' } };
    }),
  };
}
