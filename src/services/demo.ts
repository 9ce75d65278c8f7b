import type { Actor } from './actor.js';
import { newDialPlan } from './dial-plans.js';
import { setOrganization } from './organization.js';
import type { Deps } from './ports/deps.js';
import { newRecipient } from './recipients.js';
import { enableUMMailbox } from './um-mailboxes.js';

/**
 * The demo organisation: Contoso, its dial plan with 5-digit extensions, and 20 users.
 * Tony Smith's extension (10231) does not occur in 1985848, so the documentation's example
 * PIN passes the default policy. Every PIN is generated and mailed, known to nobody else.
 */
export const DEMO_USERS: ReadonlyArray<{ alias: string; displayName: string; extension: string; language?: string }> = [
  { alias: 'tonysmith', displayName: 'Tony Smith', extension: '10231' },
  { alias: 'kimakers', displayName: 'Kim Akers', extension: '10232' },
  { alias: 'davidpelton', displayName: 'David Pelton', extension: '10233' },
  { alias: 'chrisashton', displayName: 'Chris Ashton', extension: '10234' },
  { alias: 'ellenadams', displayName: 'Ellen Adams', extension: '10235' },
  { alias: 'jeffhay', displayName: 'Jeff Hay', extension: '10236' },
  { alias: 'pilarpinilla', displayName: 'Pilar Pinilla', extension: '10237' },
  { alias: 'ayla', displayName: 'Ayla Kol', extension: '10238' },
  { alias: 'danjump', displayName: 'Dan Jump', extension: '10239' },
  { alias: 'karenberg', displayName: 'Karen Berg', extension: '10240' },
  { alias: 'scottcooper', displayName: 'Scott Cooper', extension: '10241' },
  { alias: 'janedow', displayName: 'Jane Dow', extension: '10242' },
  { alias: 'lukeharris', displayName: 'Luke Harris', extension: '10243' },
  { alias: 'mollydempsey', displayName: 'Molly Dempsey', extension: '10244' },
  { alias: 'samanthasmith', displayName: 'Samantha Smith', extension: '10245' },
  { alias: 'weichen', displayName: 'Wei Chen', extension: '10246', language: 'zh-TW' },
  { alias: 'meilin', displayName: 'Mei-Lin Wang', extension: '10247', language: 'zh-TW' },
  { alias: 'chihhaolin', displayName: 'Chih-Hao Lin', extension: '10248', language: 'zh-TW' },
  { alias: 'yutinghuang', displayName: 'Yu-Ting Huang', extension: '10249', language: 'zh-TW' },
  { alias: 'junliu', displayName: 'Jun Liu', extension: '10250', language: 'zh-TW' },
];

export interface DemoResult {
  created: boolean;
  enabled: number;
}

/** Idempotent: creates what is missing, leaves what exists (and its PINs) alone. */
export async function initDemo(deps: Deps, actor: Actor): Promise<DemoResult> {
  if (!(await deps.store.getOrganization())) {
    await setOrganization(deps, actor, { name: 'Contoso', defaultCountryCode: '1', defaultLanguage: 'en-US' });
  }
  let created = false;
  if ((await deps.store.findDialPlans('Contoso')).length === 0) {
    await newDialPlan(deps, actor, {
      name: 'Contoso',
      numberOfDigitsInExtension: 5,
      countryOrRegionCode: '1',
      voiceAccessNumbers: ['+14255550100'],
    });
    created = true;
  }
  let enabled = 0;
  for (const u of DEMO_USERS) {
    const address = `${u.alias}@contoso.com`;
    const existing = (await deps.store.findRecipients(address))[0];
    const recipient =
      existing ??
      (await newRecipient(deps, actor, {
        primarySmtpAddress: address,
        alias: u.alias,
        displayName: u.displayName,
        language: u.language ?? null,
      }));
    if (await deps.store.getUmMailbox(recipient.id)) continue;
    await enableUMMailbox(deps, actor, {
      identity: recipient.id,
      umMailboxPolicy: 'Contoso Default Policy',
      extensions: [u.extension],
    });
    enabled++;
  }
  return { created, enabled };
}
