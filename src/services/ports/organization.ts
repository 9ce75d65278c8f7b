import type { Organization } from '../../domain/organization.js';

export interface OrganizationReads {
  getOrganization(): Promise<Organization | null>;
}

export interface OrganizationRepository extends OrganizationReads {
  upsertOrganization(org: Organization): Promise<void>;
}
