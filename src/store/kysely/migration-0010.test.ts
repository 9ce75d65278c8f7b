/** 0010-mailbox-voice-settings on a database with UM mailboxes: they take Exchange's defaults, and down and up again work. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { getUMMailbox, setUMMailbox } from '../../services/um-mailboxes.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)('migration 0010-mailbox-voice-settings (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231' }]);
  });
  afterEach(() => t.close());

  it('gives existing mailboxes and dial plans the defaults; migrated down and up, the settings are stored again', async () => {
    const store = t.deps.store as unknown as KyselyStore;
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { operatorNumber: '10200', subscriberAccessEnabled: false });
    const { error } = await store.migrator().migrateTo('0009-last-failure');
    if (error) throw error;
    // the mailbox as 0009 knew it, then migrated up: an older umpin kept no settings
    await store.migrate();
    expect(await getUMMailbox(t.deps, ADMIN, 'tonysmith')).toMatchObject({
      subscriberAccessEnabled: true,
      pinlessAccessToVoiceMailEnabled: false,
      operatorNumber: null,
    });
    expect((await store.kysely.selectFrom('dial_plan').select('operator_extension').execute())[0]).toEqual({
      operator_extension: null,
    });
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinlessAccessToVoiceMailEnabled: true, operatorNumber: '10200' });
    expect(await getUMMailbox(t.deps, ADMIN, 'tonysmith')).toMatchObject({
      subscriberAccessEnabled: true,
      pinlessAccessToVoiceMailEnabled: true,
      operatorNumber: '10200',
    });
  });
});
