/** 0011-dial-plan-voice-mail-uri on a database with a dial plan: it has no voice mail; down and up again work. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { getDialPlans, setDialPlan } from '../../services/dial-plans.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)('migration 0011-dial-plan-voice-mail-uri (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231' }]);
  });
  afterEach(() => t.close());

  it('gives existing dial plans no voice mail; migrated down and up, the setting is stored again', async () => {
    const store = t.deps.store as unknown as KyselyStore;
    await setDialPlan(t.deps, ADMIN, 'Contoso', { voiceMailUri: 'sip:{extension}@pbx.contoso.com' });
    const { error } = await store.migrator().migrateTo('0010-mailbox-voice-settings');
    if (error) throw error;
    // the dial plan as 0010 knew it, then migrated up: an older umpin kept no voice mail
    await store.migrate();
    const [plan] = await getDialPlans(t.deps, ADMIN, 'Contoso');
    expect(plan).toMatchObject({ name: 'Contoso', operatorExtension: null, voiceMailUri: null });
    await setDialPlan(t.deps, ADMIN, 'Contoso', { voiceMailUri: 'sips:*97{extension}@10.0.0.5:5061' });
    expect((await getDialPlans(t.deps, ADMIN, 'Contoso'))[0]).toMatchObject({
      voiceMailUri: 'sips:*97{extension}@10.0.0.5:5061',
    });
    expect((await store.kysely.selectFrom('dial_plan').select('voice_mail_uri').execute())[0]).toEqual({
      voice_mail_uri: 'sips:*97{extension}@10.0.0.5:5061',
    });
  });
});
