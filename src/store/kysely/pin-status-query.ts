/**
 * The PIN-status read (Get-UMMailboxPIN -Identity) in one statement, compiled once: the
 * recipients an identity names, joined by primary key to their UM mailbox, its policy and
 * the PIN state, reading only the columns the view shows (no extensions, no PIN hash, no
 * whole recipient row). The identity match is recipient-queries' own identityQuery, so the
 * look-up follows however that helper finds a name.
 */
import type { PinState } from '../../domain/logon.js';
import type { PinStatusMatch, PinStatusReads } from '../../services/ports/pin-status.js';
import { num, pinStateOf, pinViewColumns } from './pin-view-row.js';
import { prepared } from './prepared.js';
import { guidOf, identityQuery } from './recipient-queries.js';
import { identityKey } from './recipients.js';
import { Rows, type Db } from './rows.js';

export function pinStatusQuery(db: Db, k: string, guid: string = guidOf(k)) {
  return identityQuery(db, k, guid)
    .clearSelect()
    .leftJoin('um_mailbox', 'um_mailbox.recipient_id', 'recipient.id')
    .leftJoin('mailbox_policy', 'mailbox_policy.id', 'um_mailbox.policy_id')
    .leftJoin('pin_state', 'pin_state.recipient_id', 'recipient.id')
    .select([
      'recipient.id as id',
      'recipient.primary_smtp_address as address',
      'um_mailbox.dial_plan_id as dial_plan_id',
      'um_mailbox.pin_change_allowed as pin_change_allowed',
      'mailbox_policy.id as policy_id',
      'mailbox_policy.pin_lifetime_days as pin_lifetime_days',
    ])
    .select(pinViewColumns('pin_state'));
}

// kept prepared on the engine's own handle, outside transactions (prepared.ts): the hottest read of the API
const pinStatusNamed = prepared((db, k: string, guid: string) => pinStatusQuery(db, k, guid), { named: true });
// a recipient's PIN state by its key: the one read a PIN status needs once its identity is known
const pinStateNamed = prepared(
  (db, recipientId: string) =>
    db.selectFrom('pin_state').select(pinViewColumns('pin_state')).where('recipient_id', '=', recipientId),
  { named: true },
);

type Row = Awaited<ReturnType<typeof pinStatusNamed>>[number];

function toMatch(r: Row): PinStatusMatch {
  return {
    recipientId: r.id,
    primarySmtpAddress: r.address,
    // a mailbox whose policy row is missing is not a mailbox this read can judge: shown as none
    mailbox:
      r.dial_plan_id === null || r.policy_id === null
        ? null
        : {
            dialPlanId: r.dial_plan_id,
            pinLifetimeDays: num(r.pin_lifetime_days),
            pinChangeAllowed: r.pin_change_allowed === null || Number(r.pin_change_allowed) === 1,
          },
    pin: pinStateOf(r),
  };
}

export class PinStatusReadRows extends Rows implements PinStatusReads {
  async pinStatusByIdentity(identity: string): Promise<PinStatusMatch[]> {
    const k = identityKey(identity);
    return (await pinStatusNamed(this.db, k, guidOf(k))).map(toMatch);
  }

  /** A recipient's PIN state now (null: none), by its key. */
  async pinStateOfRecipient(recipientId: string): Promise<PinState | null> {
    const [r] = await pinStateNamed(this.db, recipientId);
    return r ? pinStateOf(r) : null;
  }
}
