/** 0004-scale on a database that already has recipients: the new columns are filled in from what is there. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../compose.js';
import { ENGINES, freshDatabase, type TestDb } from '../../../test/harness.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)('migration 0004-scale (%s)', (engine) => {
  let db: TestDb;
  let store: KyselyStore;
  beforeEach(async () => {
    db = await freshDatabase(engine);
    store = openStore({ engine, databaseUrl: db.url }) as KyselyStore;
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('copies each UM mailbox policy onto its recipient and counts the shared leading characters', async () => {
    // rows as 0003 stored them: text GUIDs, written past the store's conversion of today's blobs (0018)
    const k = store.kysely.withoutPlugins();
    const [dp, pol, r1, r2] = [
      '00000000-0000-4000-8000-0000000000d0',
      '00000000-0000-4000-8000-0000000000f0',
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
    ];
    const { error } = await store.migrator().migrateTo('0003-access');
    if (error) throw error;
    const now = 1;
    await k
      .insertInto('dial_plan')
      .values({
        id: dp,
        name: 'Contoso',
        name_key: 'contoso',
        number_of_digits: 5,
        country_code: '1',
        logon_failures_before_disconnect: 3,
        default_language: 'en-US',
        voice_access_numbers: '[]',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await k
      .insertInto('mailbox_policy')
      .values({
        id: pol,
        dial_plan_id: dp,
        name: 'P',
        name_key: 'p',
        min_pin_length: 6,
        pin_lifetime_days: 60,
        pin_history_count: 5,
        allow_common_patterns: 0,
        logon_failures_before_pin_reset: 5,
        max_logon_attempts: 15,
        lockout_duration_minutes: null,
        reset_pin_text: null,
        um_enabled_text: null,
        allow_pinless_voice_mail_access: 0,
        allow_subscriber_access: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const recipient = (id: string, alias: string, displayName: string) => ({
      id,
      alias,
      alias_key: alias,
      primary_smtp_address: `${alias}@contoso.com`,
      smtp_key: `${alias}@contoso.com`,
      user_principal_name: `${alias}@contoso.com`,
      upn_key: `${alias}@contoso.com`,
      display_name: displayName,
      display_name_key: displayName.toLowerCase(),
      language: null,
      created_at: now,
      updated_at: now,
    });
    // inserted as 0003 knew the table: without the columns 0004 adds
    await k
      .insertInto('recipient')
      .values([recipient(r1, 'tonysmith', 'Tony Smith'), recipient(r2, 'kakers', 'Kim Akers')] as never)
      .execute();
    await k
      .insertInto('um_mailbox')
      .values({
        recipient_id: r1,
        policy_id: pol,
        dial_plan_id: dp,
        sip_resource_identifier: null,
        enabled_at: now,
      } as never)
      .execute();
    await k
      .insertInto('extension')
      .values({ dial_plan_id: dp, number: '10231', recipient_id: r1, position: 0 })
      .execute();

    const rows = () =>
      store.kysely
        .selectFrom('recipient')
        .select(['id', 'um_policy_id', 'alias_shared', 'smtp_shared'])
        .orderBy('id')
        .execute();
    const to0023 = await store.migrator().migrateTo('0023-one-display-index');
    if (to0023.error) throw to0023.error;
    expect(await rows()).toEqual([
      { id: r1, um_policy_id: pol, alias_shared: 4, smtp_shared: 9 }, // "tony" + "tonysmith" (of tonysmith@…)
      { id: r2, um_policy_id: null, alias_shared: 1, smtp_shared: 6 }, // "k"; "kakers"
    ]);
    // 0024: both addresses are their alias at a domain
    await store.migrate();
    expect((await rows()).map((r) => r.smtp_shared)).toEqual([-1, -1]);
    expect((await store.listRecipients({ umEnabled: true, limit: 10 })).items.map((r) => r.id)).toEqual([r1]);
    expect((await store.listRecipients({ search: 'kak', limit: 10 })).items.map((r) => r.id)).toEqual([r2]);
    expect(await store.getUmMailbox(r1)).toMatchObject({ extensions: ['10231'] });
  });
});
