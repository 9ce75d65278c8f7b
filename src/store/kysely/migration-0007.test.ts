/** 0007-self-service on a database with administrators signed in: their sessions carry on in web_session; down and up again keep them. */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../compose.js';
import { ENGINES, freshDatabase, type TestDb } from '../../../test/harness.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)('migration 0007-self-service (%s)', (engine) => {
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

  it("keeps the administrators' sessions, and gives them back when migrated down", async () => {
    const k = store.kysely;
    const migrator = store.migrator();
    const to = async (name: string) => {
      const { error } = await migrator.migrateTo(name);
      if (error) throw error;
    };
    await to('0005-search-statistics');
    await k
      .insertInto('admin_account')
      .values({
        id: 'acc',
        name: 'alice',
        name_key: 'alice',
        password_hash: 'h',
        role: 'HelpDesk',
        dial_plan_scope: null,
        disabled: 0,
        created_at: 1,
        password_changed_at: 1,
      })
      .execute();
    // written as 0003 made the table, which 0007 replaces
    await sql`insert into admin_session (id_digest, account_id, csrf_digest, created_at, last_seen_at, absolute_expires_at) values ('sid', 'acc', 'c', 1, 2, 3)`.execute(
      k,
    );

    await store.migrate();
    expect(await store.findSession('sid')).toMatchObject({
      session: {
        idDigest: 'sid',
        accountId: 'acc',
        recipientId: null,
        csrfDigest: 'c',
        createdAt: 1,
        lastSeenAt: 2,
        absoluteExpiresAt: 3,
      },
      owner: { kind: 'admin', account: { name: 'alice' } },
    });

    await to('0005-search-statistics');
    await store.migrate();
    expect(await store.findSession('sid')).toMatchObject({ session: { accountId: 'acc' }, owner: { kind: 'admin' } });
  });
});
