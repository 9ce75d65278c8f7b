/** Small, readable setups shared by service tests: a dial plan, its default policy, UM-enabled users. */
import { UmpinError } from '../src/domain/errors.js';
import { localAdministrator } from '../src/services/actor.js';
import { newDialPlan } from '../src/services/dial-plans.js';
import type { Deps } from '../src/services/ports/deps.js';
import { newRecipient } from '../src/services/recipients.js';
import { enableUMMailbox } from '../src/services/um-mailboxes.js';
import { setOrganization } from '../src/services/organization.js';

export const ADMIN = localAdministrator('test');

export async function contoso(
  deps: Deps,
  users: Array<{ alias: string; extension: string; pin?: string; language?: string }> = [
    { alias: 'tonysmith', extension: '10231' },
  ],
) {
  await setOrganization(deps, ADMIN, { name: 'Contoso', defaultCountryCode: '1', defaultLanguage: 'en-US' });
  const { dialPlan, defaultPolicy } = await newDialPlan(deps, ADMIN, {
    name: 'Contoso',
    numberOfDigitsInExtension: 5,
    voiceAccessNumbers: ['+14255550100'],
  });
  for (const u of users) {
    await newRecipient(deps, ADMIN, {
      primarySmtpAddress: `${u.alias}@contoso.com`,
      alias: u.alias,
      language: u.language ?? null,
    });
    await enableUMMailbox(deps, ADMIN, {
      identity: u.alias,
      umMailboxPolicy: defaultPolicy!.name,
      extensions: [u.extension],
      pin: u.pin,
      pinExpired: u.pin ? false : undefined,
    });
  }
  return { dialPlan, policy: defaultPolicy! };
}

/** The error a promise rejects with, for looking at its code and field. */
export async function failure(p: Promise<unknown>): Promise<UmpinError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UmpinError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused');
}

/** The error a function throws, for looking at its code and field. */
export function thrown(fn: () => unknown): UmpinError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UmpinError) return err;
    throw err;
  }
  throw new Error('expected an error');
}
