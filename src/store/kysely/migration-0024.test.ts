/**
 * 0024-fewer-index-entries: an address that is its alias at a domain leaves the address search
 * index (smtp_shared marks it) and extension_number goes; down puts both back. Searches, past
 * the `@` too, and a number's owners read the same either way.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { indexDefinitions } from '../../../test/index-definitions.js';
import { listRecipients, newRecipient } from '../../services/recipients.js';
import { listUMMailboxes } from '../../services/um-mailboxes.js';
import type { KyselyStore } from './kysely-store.js';
import { ADDRESS_OF_ALIAS, sharedLeads } from './recipient-queries.js';

const SEARCHES = [
  'tony',
  'tonysmith@',
  'tonysmith@contoso.c',
  'tonysmith@fabrikam',
  't.smith',
  'ts',
  'kim',
  'kimakers@c',
  'chris',
  'chris.a',
  '@',
];

describe.each(ENGINES)('migration 0024-fewer-index-entries (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
    ]);
    // an address other than the alias's; a display name that is an address of the alias
    await newRecipient(t.deps, ADMIN, {
      primarySmtpAddress: 't.smith@contoso.com',
      alias: 'tsmith',
      displayName: 'Tony Smith (IT)',
    });
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'chris@contoso.com', displayName: 'chris@contoso.com' });
  });
  afterEach(() => t.close());

  const store = () => t.deps.store as unknown as KyselyStore;
  const indexes = () => indexDefinitions(store().kysely, engine, ['recipient_smtp_search', 'extension_number']);
  const shared = async () =>
    Object.fromEntries(
      (
        await store()
          .kysely.selectFrom('recipient')
          .select(['alias', 'smtp_shared', 'display_name_key', 'alias_key', 'smtp_key'])
          .execute()
      ).map((r) => [r.alias, r]),
    );
  const reads = async () => ({
    searches: Object.fromEntries(
      await Promise.all(
        SEARCHES.map(async (s) => [
          s,
          (await listRecipients(t.deps, ADMIN, { search: s, limit: 100 })).items.map((r) => r.alias),
        ]),
      ),
    ),
    umSearch: (await listUMMailboxes(t.deps, ADMIN, { search: 'tonysmith@contoso', limit: 100 })).items.map(
      (m) => m.alias,
    ),
    owners: (await t.deps.store.recipientsWithExtension('10231', (await t.deps.store.findDialPlans('Contoso'))[0]!.id))
      .length,
  });

  it('marks addresses of their alias and indexes only the others; down recounts them; the searches read the same', async () => {
    const now = await indexes();
    expect(Object.keys(now)).toEqual(['recipient_smtp_search']);
    expect(now.recipient_smtp_search).toMatch(
      /\(smtp_shared, smtp_key, display_name_key, id, um_policy_id\) WHERE \(?smtp_shared >= 0\)?$/i,
    );
    const rows = await shared();
    expect([rows.tonysmith!.smtp_shared, rows.kimakers!.smtp_shared, rows.chris!.smtp_shared]).toEqual([
      ADDRESS_OF_ALIAS,
      ADDRESS_OF_ALIAS,
      ADDRESS_OF_ALIAS,
    ]);
    expect(rows.tsmith!.smtp_shared).toBe(sharedLeads(rows.tsmith!).smtp_shared);
    const before = await reads();
    expect(before).toEqual({
      searches: {
        tony: ['tsmith', 'tonysmith'],
        'tonysmith@': ['tonysmith'],
        'tonysmith@contoso.c': ['tonysmith'],
        'tonysmith@fabrikam': [],
        't.smith': ['tsmith'],
        ts: ['tsmith'],
        kim: ['kimakers'],
        'kimakers@c': ['kimakers'],
        chris: ['chris'],
        'chris.a': [],
        '@': [],
      },
      umSearch: ['tonysmith'],
      owners: 1,
    });

    const { error } = await store().migrator().migrateTo('0023-one-display-index');
    if (error) throw error;
    const then = await indexes();
    expect(then.recipient_smtp_search).toMatch(/\(smtp_shared, smtp_key, display_name_key, id, um_policy_id\)$/);
    expect(then.extension_number).toMatch(/\(number\)$/);
    for (const r of Object.values(await shared())) expect(r.smtp_shared).toBe(sharedLeads(r).smtp_shared);
    expect(await reads()).toEqual(before);

    await store().migrate();
    expect(Object.keys(await indexes())).toEqual(['recipient_smtp_search']);
    expect((await shared()).tonysmith!.smtp_shared).toBe(ADDRESS_OF_ALIAS);
    expect(await reads()).toEqual(before);
  });
});
