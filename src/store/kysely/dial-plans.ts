/** UM dial plan rows. */
import type { DialPlan } from '../../domain/dial-plan.js';
import type { DialPlanReads, DialPlanRepository } from '../../services/ports/dial-plans.js';
import { key, Rows } from './rows.js';
import type { DialPlanTable } from './schema.js';

function toDialPlan(r: DialPlanTable): DialPlan {
  return {
    id: r.id,
    name: r.name,
    numberOfDigitsInExtension: r.number_of_digits,
    countryOrRegionCode: r.country_code,
    logonFailuresBeforeDisconnect: r.logon_failures_before_disconnect,
    defaultLanguage: r.default_language,
    voiceAccessNumbers: JSON.parse(r.voice_access_numbers) as string[],
    operatorExtension: r.operator_extension ?? null,
    voiceMailUri: r.voice_mail_uri ?? null,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function fromDialPlan(d: DialPlan): DialPlanTable {
  return {
    id: d.id,
    name: d.name,
    name_key: key(d.name),
    number_of_digits: d.numberOfDigitsInExtension,
    country_code: d.countryOrRegionCode,
    logon_failures_before_disconnect: d.logonFailuresBeforeDisconnect,
    default_language: d.defaultLanguage,
    voice_access_numbers: JSON.stringify(d.voiceAccessNumbers),
    operator_extension: d.operatorExtension ?? null,
    voice_mail_uri: d.voiceMailUri ?? null,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

export class DialPlanReadRows extends Rows implements DialPlanReads {
  async findDialPlans(identity: string): Promise<DialPlan[]> {
    const rows = await this.db
      .selectFrom('dial_plan')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', identity.trim()), eb('name_key', '=', key(identity))]))
      .execute();
    return rows.map(toDialPlan);
  }

  async getDialPlan(id: string): Promise<DialPlan | null> {
    const r = await this.db.selectFrom('dial_plan').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toDialPlan(r) : null;
  }

  async listDialPlans(): Promise<DialPlan[]> {
    return (await this.db.selectFrom('dial_plan').selectAll().orderBy('name_key').execute()).map(toDialPlan);
  }
}

export class DialPlanRows extends DialPlanReadRows implements DialPlanRepository {
  /** A no-op write that holds the dial plan's row until the transaction ends (see DialPlanRepository.lockDialPlan). */
  async lockDialPlan(id: string): Promise<void> {
    await this.db
      .updateTable('dial_plan')
      .set((eb) => ({ id: eb.ref('id') }))
      .where('id', '=', id)
      .execute();
  }

  async insertDialPlan(d: DialPlan): Promise<void> {
    await this.db.insertInto('dial_plan').values(fromDialPlan(d)).execute();
  }
  async updateDialPlan(d: DialPlan): Promise<void> {
    const { id, created_at, ...rest } = fromDialPlan(d);
    void created_at;
    await this.db.updateTable('dial_plan').set(rest).where('id', '=', id).execute();
  }
  async deleteDialPlan(id: string): Promise<void> {
    await this.db.deleteFrom('dial_plan').where('id', '=', id).execute();
  }
}
