/** UM mailbox policy rows. */
import { PIN_COMPLEXITY_LEVELS, type PinComplexity } from '../../domain/pin-policy.js';
import { PIN_DELIVERY_METHODS, type MailboxPolicy, type PinDelivery } from '../../domain/policy.js';
import type { MailboxPolicyReads, MailboxPolicyRepository } from '../../services/ports/mailbox-policies.js';
import { flag, key, Rows } from './rows.js';
import type { Insertable, Selectable } from 'kysely';
import type { MailboxPolicyTable } from './schema.js';

function toPolicy(r: Selectable<MailboxPolicyTable>): MailboxPolicy {
  return {
    id: r.id,
    dialPlanId: r.dial_plan_id,
    name: r.name,
    minPinLength: r.min_pin_length,
    pinLifetimeDays: r.pin_lifetime_days,
    pinHistoryCount: r.pin_history_count,
    allowCommonPatterns: r.allow_common_patterns === 1,
    // a value this umpin does not know (written by a newer one) is read as the strictest it knows
    pinComplexity: (PIN_COMPLEXITY_LEVELS as readonly string[]).includes(r.pin_complexity)
      ? (r.pin_complexity as PinComplexity)
      : 'Strict',
    logonFailuresBeforePinReset: r.logon_failures_before_pin_reset,
    maxLogonAttempts: r.max_logon_attempts,
    lockoutDurationMinutes: r.lockout_duration_minutes,
    progressiveLockout: Number(r.progressive_lockout) === 1,
    resetPinText: r.reset_pin_text,
    umEnabledText: r.um_enabled_text,
    allowPinlessVoiceMailAccess: r.allow_pinless_voice_mail_access === 1,
    allowSubscriberAccess: r.allow_subscriber_access === 1,
    // as for PINComplexity: an unknown value is read as the safer one, no PIN in clear
    pinDelivery: (PIN_DELIVERY_METHODS as readonly string[]).includes(r.pin_delivery)
      ? (r.pin_delivery as PinDelivery)
      : 'Link',
    pinLinkValidityHours: Number(r.pin_link_validity_hours),
    pinLinkRequiresSignIn: Number(r.pin_link_requires_sign_in) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function fromPolicy(p: MailboxPolicy): Insertable<MailboxPolicyTable> {
  return {
    id: p.id,
    dial_plan_id: p.dialPlanId,
    name: p.name,
    name_key: key(p.name),
    min_pin_length: p.minPinLength,
    pin_lifetime_days: p.pinLifetimeDays,
    pin_history_count: p.pinHistoryCount,
    allow_common_patterns: flag(p.allowCommonPatterns),
    pin_complexity: p.pinComplexity,
    logon_failures_before_pin_reset: p.logonFailuresBeforePinReset,
    max_logon_attempts: p.maxLogonAttempts,
    lockout_duration_minutes: p.lockoutDurationMinutes,
    progressive_lockout: flag(p.progressiveLockout),
    reset_pin_text: p.resetPinText,
    um_enabled_text: p.umEnabledText,
    allow_pinless_voice_mail_access: flag(p.allowPinlessVoiceMailAccess),
    allow_subscriber_access: flag(p.allowSubscriberAccess),
    pin_delivery: p.pinDelivery,
    pin_link_validity_hours: p.pinLinkValidityHours,
    pin_link_requires_sign_in: flag(p.pinLinkRequiresSignIn),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export class MailboxPolicyReadRows extends Rows implements MailboxPolicyReads {
  async findPolicies(identity: string): Promise<MailboxPolicy[]> {
    const rows = await this.db
      .selectFrom('mailbox_policy')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', identity.trim()), eb('name_key', '=', key(identity))]))
      .execute();
    return rows.map(toPolicy);
  }

  async getPolicy(id: string): Promise<MailboxPolicy | null> {
    const r = await this.db.selectFrom('mailbox_policy').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toPolicy(r) : null;
  }

  async listPolicies(dialPlanId?: string): Promise<MailboxPolicy[]> {
    let q = this.db.selectFrom('mailbox_policy').selectAll();
    if (dialPlanId) q = q.where('dial_plan_id', '=', dialPlanId);
    return (await q.orderBy('name_key').execute()).map(toPolicy);
  }

  async countMailboxesWithPolicy(policyId: string): Promise<number> {
    // the recipients' copy of their mailbox's policy, a range of the policy's list index (0018 dropped um_mailbox's)
    const r = await this.db
      .selectFrom('recipient')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('um_policy_id', '=', policyId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}

export class MailboxPolicyRows extends MailboxPolicyReadRows implements MailboxPolicyRepository {
  async insertPolicy(p: MailboxPolicy): Promise<void> {
    await this.db.insertInto('mailbox_policy').values(fromPolicy(p)).execute();
  }
  async updatePolicy(p: MailboxPolicy): Promise<void> {
    const { id, created_at, ...rest } = fromPolicy(p);
    void created_at;
    await this.db.updateTable('mailbox_policy').set(rest).where('id', '=', id).execute();
  }
  async deletePolicy(id: string): Promise<void> {
    await this.db.deleteFrom('mailbox_policy').where('id', '=', id).execute();
  }
}
