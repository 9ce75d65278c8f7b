/**
 * Disable-UMMailbox -KeepProperties: what is kept (the settings, never PIN data), what
 * Enable-UMMailbox restores, and how removing a policy, a dial plan or the recipient treats
 * a kept row.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { KyselyStore } from '../store/kysely/kysely-store.js';
import type { Actor } from './actor.js';
import { newDialPlan, removeDialPlan } from './dial-plans.js';
import { newMailboxPolicy, removeMailboxPolicy } from './mailbox-policies.js';
import { removeRecipient } from './recipients.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { disableUMMailbox, enableUMMailbox, getKeptUMProperties, getUMMailbox, setUMMailbox } from './um-mailboxes.js';
import { verifyLogon } from './voice-logon.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'] };
const POLICY = 'Contoso Default Policy';

describe.each(ENGINES)('kept UM properties (%s)', (engine) => {
  let t: TestContext;
  let tony: string;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231', pin: '73019468' },
      { alias: 'kimakers', extension: '10232' },
    ]);
    tony = (await t.deps.store.findRecipients('tonysmith'))[0]!.id;
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', {
      extensions: ['10231', '10299'],
      sipResourceIdentifier: 'tonysmith@contoso.com',
      subscriberAccessEnabled: false,
      pinlessAccessToVoiceMailEnabled: true,
      operatorNumber: '10200',
    });
  });
  afterEach(() => t.close());

  const kept = () => t.deps.store.getKeptUmProperties(tony);
  const lastAudit = async (action: string) =>
    (await t.deps.store.listAudit({ action, newestFirst: true, limit: 1 }))[0]!;

  it('Disable-UMMailbox keeps the settings by default and says so in its audit entry; Enable-UMMailbox restores them once', async () => {
    const policy = (await getUMMailbox(t.deps, ADMIN, 'tonysmith')).umMailboxPolicy;
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
    expect(await t.deps.store.getUmMailbox(tony)).toBeNull();
    expect(await kept()).toMatchObject({
      extensions: ['10231', '10299'],
      sipResourceIdentifier: 'tonysmith@contoso.com',
      subscriberAccessEnabled: false,
      pinlessAccessEnabled: true,
      operatorNumber: '10200',
    });
    expect((await t.deps.store.getPolicy((await kept())!.policyId!))!.name).toBe(policy);
    expect((await lastAudit('Disable-UMMailbox')).parameters).toEqual({ Identity: 'tonysmith', KeepProperties: true });
    // not reserved: nobody holds the extensions while Tony is disabled
    for (const d of await t.deps.store.listDialPlans())
      expect(await t.deps.store.recipientsWithExtension('10299', d.id)).toEqual([]);

    // -ValidateOnly restores in its answer but changes nothing, the kept row included
    const checked = await enableUMMailbox(t.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: POLICY,
      validateOnly: true,
    });
    expect(checked.extensions).toEqual(['10231', '10299']);
    expect(await kept()).not.toBeNull();

    const view = await enableUMMailbox(t.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: POLICY });
    expect(view).toMatchObject({
      extensions: ['10231', '10299'],
      sipResourceIdentifier: 'tonysmith@contoso.com',
      subscriberAccessEnabled: false,
      pinlessAccessToVoiceMailEnabled: true,
      operatorNumber: '10200',
      mailTo: 'tonysmith@contoso.com',
    });
    expect(await kept()).toBeNull();
    expect((await lastAudit('Enable-UMMailbox')).parameters).toMatchObject({
      RestoredProperties: [
        'Extensions',
        'SIPResourceIdentifier',
        'SubscriberAccessEnabled',
        'PinlessAccessToVoiceMailEnabled',
        'OperatorNumber',
        'PinChangeAllowed',
      ],
    });
    // a new PIN, first-time, as for any enabling: nothing of the old PIN state came back
    const pin = (await t.deps.store.getPin(tony))!;
    expect([pin.firstTimeUser, pin.failedAttempts, pin.lockedOut]).toEqual([true, 0, false]);
    expect(await t.deps.hasher.verify(pin.pinHash, '73019468')).toBe(false);
  });

  it('KeepProperties false keeps nothing, and deletes what an earlier disable kept', async () => {
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith', { keepProperties: false });
    expect(await kept()).toBeNull();
    expect((await lastAudit('Disable-UMMailbox')).parameters).toEqual({ Identity: 'tonysmith', KeepProperties: false });
    const again = await enableUMMailbox(t.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: POLICY,
      extensions: ['10231'],
    });
    expect(again).toMatchObject({
      sipResourceIdentifier: null,
      subscriberAccessEnabled: true,
      pinlessAccessToVoiceMailEnabled: false,
      operatorNumber: null,
    });
    expect((await lastAudit('Enable-UMMailbox')).parameters).not.toHaveProperty('RestoredProperties');

    // kept, then disabled again with false: the row is replaced by nothing
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
    expect(await kept()).not.toBeNull();
    await enableUMMailbox(t.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: POLICY });
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith', { keepProperties: false });
    expect(await kept()).toBeNull();
  });

  it('a kept extension taken meanwhile refuses the enabling, naming it; nothing changes', async () => {
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
    await setUMMailbox(t.deps, ADMIN, 'kimakers', { extensions: { add: ['10299'] } });
    const before = await kept();
    const refused = await failure(enableUMMailbox(t.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: POLICY }));
    expect([refused.code, refused.field, refused.params]).toEqual([
      'UMPIN_EXTENSION_IN_USE',
      'Extensions',
      { extension: '10299', dialPlan: 'Contoso' },
    ]);
    expect(await t.deps.store.getUmMailbox(tony)).toBeNull();
    expect(await t.deps.store.getPin(tony)).toBeNull();
    expect(await kept()).toEqual(before);
    // given explicitly, the extensions win and the rest still comes back
    const view = await enableUMMailbox(t.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: POLICY,
      extensions: ['10231'],
    });
    expect(view).toMatchObject({ extensions: ['10231'], operatorNumber: '10200', subscriberAccessEnabled: false });
  });

  it('kept extensions come back only into their own dial plan; the voice settings come back anywhere', async () => {
    await newDialPlan(t.deps, ADMIN, { name: 'Fabrikam', numberOfDigitsInExtension: 4 });
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
    const other = 'Fabrikam Default Policy';
    expect(
      (await failure(enableUMMailbox(t.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: other }))).code,
    ).toBe('UMPIN_EXTENSION_REQUIRED');
    const view = await enableUMMailbox(t.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: other,
      extensions: ['4321'],
    });
    expect(view).toMatchObject({ umDialPlan: 'Fabrikam', extensions: ['4321'], operatorNumber: '10200' });
  });

  it('a removed policy or dial plan is simply not restored; removing the recipient takes the kept row along', async () => {
    await newMailboxPolicy(t.deps, ADMIN, { name: 'Executives', umDialPlan: 'Contoso' });
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { umMailboxPolicy: 'Executives' });
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
    // a kept row does not hold the policy in use
    expect(await getKeptUMProperties(t.deps, ADMIN, 'tonysmith')).toMatchObject({
      umMailboxPolicy: 'Executives',
      umDialPlan: 'Contoso',
      extensions: ['10231', '10299'],
      operatorNumber: '10200',
    });
    await removeMailboxPolicy(t.deps, ADMIN, 'Executives');
    expect(await kept()).toMatchObject({ policyId: null, extensions: ['10231', '10299'] });
    expect(await getKeptUMProperties(t.deps, ADMIN, 'tonysmith')).toMatchObject({
      umMailboxPolicyId: null,
      umMailboxPolicy: null,
      umDialPlan: 'Contoso',
    });
    const view = await enableUMMailbox(t.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: POLICY });
    expect(view).toMatchObject({ umMailboxPolicy: POLICY, extensions: ['10231', '10299'] });

    // a dial plan removed under a kept row: its reference goes, the row stays
    await newDialPlan(t.deps, ADMIN, { name: 'Fabrikam', numberOfDigitsInExtension: 4 });
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', {
      umMailboxPolicy: 'Fabrikam Default Policy',
      extensions: ['4321'],
    });
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
    await removeMailboxPolicy(t.deps, ADMIN, 'Fabrikam Default Policy');
    await removeDialPlan(t.deps, ADMIN, 'Fabrikam');
    expect(await kept()).toMatchObject({
      policyId: null,
      dialPlanId: null,
      extensions: ['4321'],
      operatorNumber: '10200',
    });

    // a scoped administrator sees no kept row whose dial plan is gone; an enabled mailbox has none
    const scoped: Actor = { ...ADMIN, name: 'scoped', dialPlanScope: [(await t.deps.store.listDialPlans())[0]!.id] };
    expect((await failure(getKeptUMProperties(t.deps, scoped, 'tonysmith'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    expect(await getKeptUMProperties(t.deps, ADMIN, 'kimakers')).toBeNull();

    await removeRecipient(t.deps, ADMIN, 'tonysmith');
    expect(await kept()).toBeNull();
    expect(await t.deps.store.getRecipient(tony)).toBeNull();
  });

  it('no PIN material survives a disable that keeps the properties, in any table', async () => {
    // PIN data of every kind: a typed PIN changed once (history), failed logons from a number, a queued mail
    await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: '50813627', pinExpired: false });
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { subscriberAccessEnabled: true });
    for (let i = 0; i < 2; i++)
      await verifyLogon(t.deps, GATEWAY, { extension: '10231', callerId: '+14255550177', pin: '11112222' });
    const pin = (await t.deps.store.getPin(tony))!;
    expect(pin.failedAttempts).toBe(2);
    const hashes = [pin.pinHash, ...(await t.deps.store.getPinHistory(tony, 10)).map((h) => h.pinHash)];
    expect(hashes).toHaveLength(2);
    const sealed = (await t.deps.store.listOutbox({ recipientId: tony, status: 'queued' })).map(
      (o) => o.sealedPayload!,
    );
    expect(sealed.length).toBeGreaterThan(0);

    // the scan sees them while the mailbox is enabled
    const enabled = await everyRow(t);
    for (const needle of [...hashes, ...sealed]) expect(enabled).toContain(needle);

    await disableUMMailbox(t.deps, ADMIN, 'tonysmith', { keepProperties: true });

    // the kept row holds settings only, column by column
    const db = (t.deps.store as unknown as KyselyStore).kysely;
    const rows = await db.selectFrom('um_mailbox_kept_properties').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual([
      'dial_plan_id',
      'extensions',
      'kept_at',
      'operator_number',
      'pin_change_allowed',
      'pinless_access_enabled',
      'policy_id',
      'recipient_id',
      'sip_resource_identifier',
      'subscriber_access_enabled',
    ]);
    // every row of every table, as text: no hash, no sealed PIN mail, no clear PIN
    const haystack = await everyRow(t);
    expect(haystack).toContain('10299');
    for (const needle of [...hashes, ...sealed, '73019468', '50813627', '11112222'])
      expect(haystack.includes(needle), `PIN material ${needle.slice(0, 12)}… is still stored`).toBe(false);
    for (const table of ['pin_state', 'pin_history', 'pin_reminder'] as const) {
      const left = await db.selectFrom(table).select('recipient_id').where('recipient_id', '=', tony).execute();
      expect(left, table).toEqual([]);
    }
    expect(await t.deps.store.listOutbox({ recipientId: tony, status: 'queued' })).toEqual([]);
  });
});

/** Every row of every table, as JSON: the database's content, whatever the engine keeps in its files. */
async function everyRow(t: TestContext): Promise<string> {
  const db = (t.deps.store as unknown as KyselyStore).kysely;
  const tables = await db.introspection.getTables();
  const out: string[] = [];
  for (const table of tables) {
    const { rows } = await sql`select * from ${sql.table(table.name)}`.execute(db);
    out.push(`${table.name}: ${JSON.stringify(rows)}`);
  }
  expect(tables.map((x) => x.name)).toContain('um_mailbox_kept_properties');
  return out.join('\n');
}
