import { throwIfAny, type Issue } from '../domain/errors.js';
import type { Organization } from '../domain/organization.js';
import type { Actor } from './actor.js';
import { mutate } from './audit.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports/deps.js';

export interface OrganizationInput {
  name: string;
  defaultCountryCode: string;
  defaultLanguage: string;
}

function check(o: OrganizationInput): Issue[] {
  const issues: Issue[] = [];
  if (!o.name || o.name.trim() === '' || o.name.length > 256)
    issues.push({ code: 'UMPIN_VALUE_INVALID', field: 'Name', params: { field: 'Name', rule: '1-256 characters' } });
  if (!/^[0-9]{1,4}$/.test(o.defaultCountryCode))
    issues.push({
      code: 'UMPIN_VALUE_INVALID',
      field: 'CountryOrRegionCode',
      params: { field: 'CountryOrRegionCode', rule: '1 to 4 digits, such as 1, 44 or 886' },
    });
  if (!/^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?$/i.test(o.defaultLanguage))
    issues.push({
      code: 'UMPIN_VALUE_INVALID',
      field: 'Language',
      params: { field: 'Language', rule: 'a language tag such as en-US or zh-TW' },
    });
  return issues;
}

/** Creates or updates the organisation's defaults (country code and language for new dial plans and mail). */
export async function setOrganization(deps: Deps, actor: Actor, input: OrganizationInput): Promise<Organization> {
  return mutate(
    deps,
    actor,
    { action: 'Set-OrganizationConfig', target: input.name ?? null, parameters: { ...input } },
    async (tx) => {
      authorize(actor, 'organization:write', 'Set-OrganizationConfig');
      throwIfAny(check(input));
      const current = await tx.getOrganization();
      const org: Organization = {
        id: current?.id ?? 'default',
        ...input,
        createdAt: current?.createdAt ?? deps.clock.now(),
      };
      await tx.upsertOrganization(org);
      return org;
    },
  );
}
