/**
 * 0023-one-display-index: one display-name index, holding um_policy_id, serves both lists; down
 * makes the partial index of UM mailboxes again. The pages read the same rows either way.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { indexDefinitions } from '../../../test/index-definitions.js';
import { listRecipients, newRecipient } from '../../services/recipients.js';
import { listUMMailboxes } from '../../services/um-mailboxes.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)('migration 0023-one-display-index (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
    ]);
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'chris@contoso.com', displayName: 'Chris Ashton' });
  });
  afterEach(() => t.close());

  const indexes = (store: KyselyStore) =>
    indexDefinitions(store.kysely, engine, ['recipient_display_name', 'recipient_um_display']);
  const pages = async () => ({
    um: (await listUMMailboxes(t.deps, ADMIN, { limit: 1 })).items.map((m) => m.alias),
    umAll: (await listUMMailboxes(t.deps, ADMIN, { limit: 100 })).items.map((m) => m.alias),
    search: (await listUMMailboxes(t.deps, ADMIN, { search: 'kim', limit: 100 })).items.map((m) => m.alias),
    all: (await listRecipients(t.deps, ADMIN, { limit: 100 })).items.map((m) => m.alias),
  });

  it('leaves one display-name index holding um_policy_id; down makes the partial one again; the pages read the same', async () => {
    const store = t.deps.store as unknown as KyselyStore;
    const now = await indexes(store);
    expect(Object.keys(now)).toEqual(['recipient_display_name']);
    expect(now.recipient_display_name).toMatch(/\(display_name_key, id, um_policy_id\)/);
    const before = await pages();
    expect(before).toEqual({
      um: ['kimakers'],
      umAll: ['kimakers', 'tonysmith'],
      search: ['kimakers'],
      all: ['chris', 'kimakers', 'tonysmith'],
    });
    const { error } = await store.migrator().migrateTo('0022-identity-change-notifications');
    if (error) throw error;
    const then = await indexes(store);
    expect(then.recipient_display_name).toMatch(/\(display_name_key, id\)$/);
    expect(then.recipient_um_display).toMatch(/\(display_name_key, id\) WHERE \(?um_policy_id IS NOT NULL\)?$/i);
    expect(await pages()).toEqual(before);
    await store.migrate();
    expect(Object.keys(await indexes(store))).toEqual(['recipient_display_name']);
    expect(await pages()).toEqual(before);
  });
});
