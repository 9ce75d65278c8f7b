/**
 * 0017-identity-key: the identity key is filled from the recipients a database already holds
 * (every name once, a shared display name for each of its recipients), look-ups answer as
 * before through it, and the recipient's writes keep it in step.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { newRecipient, removeRecipient, setRecipient } from '../../services/recipients.js';
import type { KyselyStore } from './kysely-store.js';
import { recipientNames } from './recipient-names.js';

describe.each(ENGINES)('migration 0017-identity-key (%s)', (engine) => {
  let t: TestContext;
  let store: KyselyStore;
  beforeEach(async () => {
    t = await testContext(engine);
    store = t.deps.store as unknown as KyselyStore;
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
    ]);
    // two people called the same, one of them with a UPN of its own
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'chris.lee@contoso.com', displayName: 'Chris Lee' });
    await newRecipient(t.deps, ADMIN, {
      primarySmtpAddress: 'clee@fabrikam.com',
      displayName: 'Chris Lee',
      userPrincipalName: 'clee@corp.fabrikam.com',
    });
  });
  afterEach(() => t.close());

  const names = async () =>
    (await store.kysely.selectFrom('recipient_name').select(['name_key', 'recipient_id']).execute())
      .map((r) => `${r.name_key} ${r.recipient_id}`)
      .sort();
  const expected = async () =>
    (await store.kysely.selectFrom('recipient').selectAll().execute())
      .flatMap((r) => recipientNames(r).map((n) => `${n} ${r.id}`))
      .sort();
  const aliases = async (identity: string) => (await store.findRecipients(identity)).map((r) => r.alias).sort();

  it('fills the key from the recipients there are, and look-ups answer as before', async () => {
    const written = await names();
    expect(written).toEqual(await expected());
    const down = await store.migrator().migrateTo('0015-pin-policy-beyond-exchange');
    if (down.error) throw down.error;
    expect(down.results?.map((r) => r.migrationName)).toContain('0017-identity-key');
    expect((await store.kysely.introspection.getTables()).map((x) => x.name)).not.toContain('recipient_name');

    await store.migrate();
    expect(await names()).toEqual(written);
    const tony = (await store.findRecipients('tonysmith'))[0]!;
    for (const identity of ['TonySmith', 'TONYSMITH@contoso.com', 'CONTOSO\\tonysmith', tony.displayName, tony.id])
      expect(await aliases(identity), identity).toEqual(['tonysmith']);
    // a name two recipients share names both (resolve calls it ambiguous); each address names one
    expect(await aliases('chris lee')).toHaveLength(2);
    expect(await aliases('clee@corp.fabrikam.com')).toEqual(['clee']);
    expect((await store.findMailboxes('kimakers@contoso.com')).map((m) => m.mailbox?.extensions)).toEqual([['10232']]);
  });

  it("follows the recipient's writes: a changed name is found, the old one no longer, a removed recipient by none", async () => {
    await setRecipient(t.deps, ADMIN, 'tonysmith', { alias: 'tsmith', displayName: 'Tony Smith-Jones' });
    expect(await aliases('tonysmith')).toEqual([]);
    expect(await aliases('tsmith')).toEqual(['tsmith']);
    expect(await aliases('tony smith-jones')).toEqual(['tsmith']);
    expect(await aliases('tonysmith@contoso.com')).toEqual(['tsmith']);
    // a display name no longer shared names one recipient
    await setRecipient(t.deps, ADMIN, 'clee@fabrikam.com', { displayName: 'Chris Lee (Fabrikam)' });
    expect(await aliases('Chris Lee')).toEqual(['chris.lee']);
    await removeRecipient(t.deps, ADMIN, 'chris.lee@contoso.com');
    expect(await aliases('Chris Lee')).toEqual([]);
    expect((await failure(removeRecipient(t.deps, ADMIN, 'chris.lee'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    expect(await names()).toEqual(await expected());
  });
});
