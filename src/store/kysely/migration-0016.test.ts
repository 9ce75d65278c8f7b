/**
 * 0016-pin-links: policies that existed keep Exchange's way of mailing PINs (PINDelivery Mail,
 * PINLinkValidity 24, no sign-in), the pin_link table comes and goes with the step.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { getMailboxPolicies } from '../../services/mailbox-policies.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)('migration 0016-pin-links (%s)', (engine) => {
  let t: TestContext;
  let store: KyselyStore;
  beforeEach(async () => {
    t = await testContext(engine);
    store = t.deps.store as unknown as KyselyStore;
    await contoso(t.deps);
    const down = await store.migrator().migrateTo('0015-pin-policy-beyond-exchange');
    if (down.error) throw down.error;
    expect(down.results?.map((r) => r.migrationName)).toContain('0016-pin-links');
  });
  afterEach(() => t.close());

  const hasTable = async (name: string) =>
    (await store.kysely.introspection.getTables()).some((table) => table.name === name);

  it("gives the policies that were there Exchange's PIN mails, and adds the link table", async () => {
    expect(await hasTable('pin_link')).toBe(false);
    await store.migrate();
    expect(await hasTable('pin_link')).toBe(true);
    const [policy] = await getMailboxPolicies(t.deps, ADMIN, {});
    expect(policy).toMatchObject({ pinDelivery: 'Mail', pinLinkValidityHours: 24, pinLinkRequiresSignIn: false });
    const rows = await sql<{ n: number }>`select count(*) as n from pin_link`.execute(store.kysely);
    expect(Number(rows.rows[0]!.n)).toBe(0);
  });
});
