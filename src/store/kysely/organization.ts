/** The organisation row. */
import type { Organization } from '../../domain/organization.js';
import type { OrganizationReads, OrganizationRepository } from '../../services/ports/organization.js';
import { Rows } from './rows.js';

export class OrganizationReadRows extends Rows implements OrganizationReads {
  async getOrganization(): Promise<Organization | null> {
    const r = await this.db.selectFrom('organization').selectAll().limit(1).executeTakeFirst();
    return r
      ? {
          id: r.id,
          name: r.name,
          defaultCountryCode: r.default_country_code,
          defaultLanguage: r.default_language,
          createdAt: Number(r.created_at),
        }
      : null;
  }
}

export class OrganizationRows extends OrganizationReadRows implements OrganizationRepository {
  async upsertOrganization(o: Organization): Promise<void> {
    await this.db
      .insertInto('organization')
      .values({
        id: o.id,
        name: o.name,
        default_country_code: o.defaultCountryCode,
        default_language: o.defaultLanguage,
        created_at: o.createdAt,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: o.name,
          default_country_code: o.defaultCountryCode,
          default_language: o.defaultLanguage,
        }),
      )
      .execute();
  }
}
