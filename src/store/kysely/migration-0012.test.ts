/** 0012-kept-um-properties: migrated down, the kept rows go with their table; up again, keeping works. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { disableUMMailbox, enableUMMailbox, getUMMailbox, setUMMailbox } from '../../services/um-mailboxes.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)('migration 0012-kept-um-properties (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231' }]);
  });
  afterEach(() => t.close());

  it('drops the kept rows with the table going down; up again, a disabled mailbox keeps and restores its settings', async () => {
    const store = t.deps.store as unknown as KyselyStore;
    const tony = (await store.findRecipients('tonysmith'))[0]!.id;
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { operatorNumber: '10200' });
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
    expect(await store.getKeptUmProperties(tony)).not.toBeNull();

    // down to the step before 0012 (undoing any later step on the way)
    const down = await store.migrator().migrateTo('0011-dial-plan-voice-mail-uri');
    if (down.error) throw down.error;
    expect(down.results?.map((r) => r.migrationName)).toContain('0012-kept-um-properties');
    const tables = async () => (await store.kysely.introspection.getTables()).map((x) => x.name);
    expect(await tables()).not.toContain('um_mailbox_kept_properties');

    await store.migrate();
    expect(await tables()).toContain('um_mailbox_kept_properties');
    // what an older umpin disabled kept nothing
    expect(await store.getKeptUmProperties(tony)).toBeNull();
    await enableUMMailbox(t.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: 'Contoso Default Policy',
      extensions: ['10231'],
    });
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { operatorNumber: '10201' });
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
    await enableUMMailbox(t.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: 'Contoso Default Policy' });
    expect(await getUMMailbox(t.deps, ADMIN, 'tonysmith')).toMatchObject({
      extensions: ['10231'],
      operatorNumber: '10201',
    });
  });
});
