/**
 * 0022-identity-change-notifications: on PostgreSQL, commits to recipients, their unique names and
 * UM mailboxes notify the read cache, as 0006's tables do; down drops only these triggers.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { getUMMailboxPIN } from '../../services/get-um-mailbox-pin.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)('migration 0022-identity-change-notifications (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231' }]);
  });
  afterEach(() => t.close());

  const triggers = async (store: KyselyStore): Promise<string[]> =>
    engine === 'sqlite'
      ? []
      : (
          await sql<{
            name: string;
          }>`select tgname as name from pg_trigger where not tgisinternal order by tgname`.execute(store.kysely)
        ).rows.map((r) => r.name);

  it('adds the identity tables to those that notify; down takes back only those', async () => {
    const store = t.deps.store as unknown as KyselyStore;
    const cached = ['api_token_changed', 'dial_plan_changed', 'mailbox_policy_changed', 'organization_changed'];
    const identity = ['recipient_changed', 'recipient_name_changed', 'um_mailbox_changed'];
    if (engine === 'postgres') expect(await triggers(store)).toEqual([...cached, ...identity].sort());
    const { error } = await store.migrator().migrateTo('0021-mailbox-extensions');
    if (error) throw error;
    if (engine === 'postgres') expect(await triggers(store)).toEqual(cached);
    // 0006's triggers still have their function: a policy change still commits
    await store.kysely.updateTable('mailbox_policy').set({ min_pin_length: 7 }).execute();
    await store.migrate();
    if (engine === 'postgres') expect(await triggers(store)).toEqual([...cached, ...identity].sort());
    expect(await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).toMatchObject({ userId: 'tonysmith@contoso.com' });
  });
});
