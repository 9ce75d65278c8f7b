/** A disabled mailbox's kept UM properties (migration 0012): one row per recipient, no PIN data. */
import type { KeptUmProperties } from '../../domain/kept-um-properties.js';
import type { KeptUmPropertyReads, KeptUmPropertyRepository } from '../../services/ports/kept-um-properties.js';
import type { Insertable, Selectable } from 'kysely';
import { flag, Rows } from './rows.js';
import type { UmMailboxKeptPropertiesTable } from './schema.js';

function toKept(r: Selectable<UmMailboxKeptPropertiesTable>): KeptUmProperties {
  return {
    recipientId: r.recipient_id,
    policyId: r.policy_id,
    dialPlanId: r.dial_plan_id,
    extensions: JSON.parse(r.extensions) as string[],
    sipResourceIdentifier: r.sip_resource_identifier,
    // an engine may hand back 0/1 as numbers or strings
    subscriberAccessEnabled: Number(r.subscriber_access_enabled) === 1,
    pinlessAccessEnabled: Number(r.pinless_access_enabled) === 1,
    operatorNumber: r.operator_number,
    pinChangeAllowed: r.pin_change_allowed === null || Number(r.pin_change_allowed) === 1,
    keptAt: Number(r.kept_at),
  };
}

function fromKept(k: KeptUmProperties): Insertable<UmMailboxKeptPropertiesTable> {
  return {
    recipient_id: k.recipientId,
    policy_id: k.policyId,
    dial_plan_id: k.dialPlanId,
    extensions: JSON.stringify(k.extensions),
    sip_resource_identifier: k.sipResourceIdentifier,
    subscriber_access_enabled: flag(k.subscriberAccessEnabled),
    pinless_access_enabled: flag(k.pinlessAccessEnabled),
    operator_number: k.operatorNumber,
    pin_change_allowed: flag(k.pinChangeAllowed),
    kept_at: k.keptAt,
  };
}

export class KeptUmPropertyReadRows extends Rows implements KeptUmPropertyReads {
  async getKeptUmProperties(recipientId: string): Promise<KeptUmProperties | null> {
    const r = await this.db
      .selectFrom('um_mailbox_kept_properties')
      .selectAll()
      .where('recipient_id', '=', recipientId)
      .executeTakeFirst();
    return r ? toKept(r) : null;
  }
}

export class KeptUmPropertyRows extends KeptUmPropertyReadRows implements KeptUmPropertyRepository {
  async keepUmProperties(k: KeptUmProperties): Promise<void> {
    await this.deleteKeptUmProperties(k.recipientId);
    await this.db.insertInto('um_mailbox_kept_properties').values(fromKept(k)).execute();
  }

  async deleteKeptUmProperties(recipientId: string): Promise<void> {
    await this.db.deleteFrom('um_mailbox_kept_properties').where('recipient_id', '=', recipientId).execute();
  }
}
