import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { getDialPlans, newDialPlan, removeDialPlan, setDialPlan } from './dial-plans.js';
import { getMailboxPolicies, removeMailboxPolicy } from './mailbox-policies.js';
import { setOrganization } from './organization.js';
import { disableUMMailbox } from './um-mailboxes.js';

describe.each(ENGINES)('UM dial plans (%s)', (engine) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext(engine);
    await setOrganization(ctx.deps, ADMIN, { name: 'Contoso', defaultCountryCode: '44', defaultLanguage: 'en-GB' });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('New-UMDialPlan creates "<name> Default Policy" with the Exchange PIN defaults', async () => {
    const { dialPlan, defaultPolicy } = await newDialPlan(ctx.deps, ADMIN, {
      name: 'Redmond',
      numberOfDigitsInExtension: 5,
      countryOrRegionCode: '1',
    });
    expect(dialPlan).toMatchObject({
      name: 'Redmond',
      numberOfDigitsInExtension: 5,
      countryOrRegionCode: '1',
      logonFailuresBeforeDisconnect: 3,
      voiceAccessNumbers: [],
    });
    expect(defaultPolicy).toMatchObject({
      name: 'Redmond Default Policy',
      dialPlanId: dialPlan.id,
      minPinLength: 6,
      pinLifetimeDays: 60,
      pinHistoryCount: 5,
      logonFailuresBeforePinReset: 5,
      maxLogonAttempts: 15,
      allowCommonPatterns: false,
    });
    const [stored] = await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'redmond default policy' });
    expect(stored).toEqual(defaultPolicy);
    expect(await getDialPlans(ctx.deps, ADMIN, 'REDMOND')).toEqual([dialPlan]);
  });

  it('-GenerateUMMailboxPolicy $false creates the dial plan without a policy', async () => {
    const { dialPlan, defaultPolicy } = await newDialPlan(ctx.deps, ADMIN, {
      name: 'Bare',
      numberOfDigitsInExtension: 4,
      generateUMMailboxPolicy: false,
    });
    expect(defaultPolicy).toBeNull();
    expect(await getMailboxPolicies(ctx.deps, ADMIN, { umDialPlan: dialPlan.id })).toEqual([]);
    expect(await getMailboxPolicies(ctx.deps, ADMIN)).toEqual([]);
  });

  it("takes the organisation's country code and language when they are not given", async () => {
    const { dialPlan } = await newDialPlan(ctx.deps, ADMIN, { name: 'London', numberOfDigitsInExtension: 4 });
    expect(dialPlan.countryOrRegionCode).toBe('44');
    expect(dialPlan.defaultLanguage).toBe('en-GB');
    const { dialPlan: taipei } = await newDialPlan(ctx.deps, ADMIN, {
      name: 'Taipei',
      numberOfDigitsInExtension: 4,
      countryOrRegionCode: '886',
      defaultLanguage: 'zh-TW',
    });
    expect(taipei).toMatchObject({ countryOrRegionCode: '886', defaultLanguage: 'zh-TW' });
  });

  it('refuses a name over 49 characters, naming the field, and creates nothing', async () => {
    const name = 'N'.repeat(50);
    const err = await failure(newDialPlan(ctx.deps, ADMIN, { name, numberOfDigitsInExtension: 5 }));
    expect(err.code).toBe('UMPIN_VALUE_TOO_LONG');
    expect(err.field).toBe('Name');
    expect(err.params).toMatchObject({ max: 49 });
    expect(await getDialPlans(ctx.deps, ADMIN)).toEqual([]);
    expect(await getMailboxPolicies(ctx.deps, ADMIN)).toEqual([]);
    // exactly 49 fits, and so does its 64-character default policy name
    const ok = await newDialPlan(ctx.deps, ADMIN, { name: 'N'.repeat(49), numberOfDigitsInExtension: 5 });
    expect(ok.defaultPolicy!.name).toHaveLength(64);
  });

  it('refuses a second dial plan with the same name in any letter case', async () => {
    const first = await newDialPlan(ctx.deps, ADMIN, { name: 'Contoso', numberOfDigitsInExtension: 5 });
    const err = await failure(
      newDialPlan(ctx.deps, ADMIN, { name: 'CONTOSO', numberOfDigitsInExtension: 4, generateUMMailboxPolicy: false }),
    );
    expect(err.code).toBe('UMPIN_NAME_IN_USE');
    expect(await getDialPlans(ctx.deps, ADMIN)).toEqual([first.dialPlan]);
  });

  it('refuses bad settings and leaves the list of dial plans unchanged', async () => {
    const before = await getDialPlans(ctx.deps, ADMIN);
    const cases: Array<[Parameters<typeof newDialPlan>[2], string, string]> = [
      [{ name: 'Zero', numberOfDigitsInExtension: 0 }, 'UMPIN_VALUE_OUT_OF_RANGE', 'NumberOfDigitsInExtension'],
      [{ name: 'TooMany', numberOfDigitsInExtension: 21 }, 'UMPIN_VALUE_OUT_OF_RANGE', 'NumberOfDigitsInExtension'],
      [
        { name: 'Country', numberOfDigitsInExtension: 5, countryOrRegionCode: '+1' },
        'UMPIN_VALUE_INVALID',
        'CountryOrRegionCode',
      ],
      [
        { name: 'Disconnect', numberOfDigitsInExtension: 5, logonFailuresBeforeDisconnect: 21 },
        'UMPIN_VALUE_OUT_OF_RANGE',
        'LogonFailuresBeforeDisconnect',
      ],
      [
        { name: 'Access', numberOfDigitsInExtension: 5, voiceAccessNumbers: ['call me'] },
        'UMPIN_VALUE_INVALID',
        'AccessTelephoneNumbers',
      ],
      [{ name: '', numberOfDigitsInExtension: 5 }, 'UMPIN_VALUE_REQUIRED', 'Name'],
      [{ name: ' Padded', numberOfDigitsInExtension: 5 }, 'UMPIN_VALUE_INVALID', 'Name'],
    ];
    for (const [input, code, field] of cases) {
      const err = await failure(newDialPlan(ctx.deps, ADMIN, input));
      expect({ name: input.name, code: err.code, field: err.field }).toEqual({ name: input.name, code, field });
    }
    expect(await getDialPlans(ctx.deps, ADMIN)).toEqual(before);
    expect(await getMailboxPolicies(ctx.deps, ADMIN)).toEqual([]);
  });

  it('Set-UMDialPlan changes settings and keeps them', async () => {
    const { dialPlan } = await newDialPlan(ctx.deps, ADMIN, { name: 'Contoso', numberOfDigitsInExtension: 5 });
    ctx.clock.advance(60_000);
    const changed = await setDialPlan(ctx.deps, ADMIN, 'contoso', {
      name: 'Contoso HQ',
      logonFailuresBeforeDisconnect: 5,
      voiceAccessNumbers: ['+14255550100', '+14255550101'],
      defaultLanguage: 'fr-FR',
      numberOfDigitsInExtension: 4,
    });
    expect(changed).toMatchObject({
      name: 'Contoso HQ',
      logonFailuresBeforeDisconnect: 5,
      voiceAccessNumbers: ['+14255550100', '+14255550101'],
      defaultLanguage: 'fr-FR',
      numberOfDigitsInExtension: 4,
    });
    expect(changed.id).toBe(dialPlan.id);
    expect(changed.createdAt).toBe(dialPlan.createdAt);
    expect(changed.updatedAt).toBeGreaterThanOrEqual(dialPlan.updatedAt + 60_000);
    expect(await getDialPlans(ctx.deps, ADMIN, 'Contoso HQ')).toEqual([changed]);
    expect((await failure(getDialPlans(ctx.deps, ADMIN, 'Contoso'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
  });

  it('Set-UMDialPlan refuses a bad value or a name in use and changes nothing', async () => {
    const { dialPlan } = await newDialPlan(ctx.deps, ADMIN, { name: 'Contoso', numberOfDigitsInExtension: 5 });
    await newDialPlan(ctx.deps, ADMIN, { name: 'Fabrikam', numberOfDigitsInExtension: 5 });
    expect((await failure(setDialPlan(ctx.deps, ADMIN, 'Contoso', { logonFailuresBeforeDisconnect: 0 }))).field).toBe(
      'LogonFailuresBeforeDisconnect',
    );
    expect((await failure(setDialPlan(ctx.deps, ADMIN, 'Contoso', { name: 'fabrikam' }))).code).toBe(
      'UMPIN_NAME_IN_USE',
    );
    expect(await getDialPlans(ctx.deps, ADMIN, 'Contoso')).toEqual([dialPlan]);
    // changing only the letter case of its own name is allowed
    expect((await setDialPlan(ctx.deps, ADMIN, 'Contoso', { name: 'CONTOSO' })).name).toBe('CONTOSO');
  });

  it('NumberOfDigitsInExtension cannot change while UM mailboxes have extensions in the dial plan', async () => {
    const { dialPlan } = await contoso(ctx.deps);
    const err = await failure(setDialPlan(ctx.deps, ADMIN, 'Contoso', { numberOfDigitsInExtension: 4 }));
    expect(err.code).toBe('UMPIN_VALUE_INVALID');
    expect(err.field).toBe('NumberOfDigitsInExtension');
    expect((await getDialPlans(ctx.deps, ADMIN, 'Contoso'))[0]!.numberOfDigitsInExtension).toBe(5);
    // other settings still change
    expect(
      (await setDialPlan(ctx.deps, ADMIN, dialPlan.id, { logonFailuresBeforeDisconnect: 4 }))
        .logonFailuresBeforeDisconnect,
    ).toBe(4);
    // and once the last mailbox is disabled, the digits can change
    await disableUMMailbox(ctx.deps, ADMIN, 'tonysmith');
    expect(
      (await setDialPlan(ctx.deps, ADMIN, 'Contoso', { numberOfDigitsInExtension: 4 })).numberOfDigitsInExtension,
    ).toBe(4);
  });

  it('Remove-UMDialPlan is refused while the dial plan has policies, then removes it', async () => {
    await newDialPlan(ctx.deps, ADMIN, { name: 'Contoso', numberOfDigitsInExtension: 5 });
    const err = await failure(removeDialPlan(ctx.deps, ADMIN, 'Contoso'));
    expect(err.code).toBe('UMPIN_DIAL_PLAN_IN_USE');
    expect(err.params).toMatchObject({ count: 1 });
    expect(await getDialPlans(ctx.deps, ADMIN)).toHaveLength(1);
    await removeMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy');
    await removeDialPlan(ctx.deps, ADMIN, 'contoso');
    expect(await getDialPlans(ctx.deps, ADMIN)).toEqual([]);
    expect((await failure(removeDialPlan(ctx.deps, ADMIN, 'Contoso'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
  });

  it('Get-UMDialPlan lists dial plans by name and finds one by GUID', async () => {
    const { dialPlan: b } = await newDialPlan(ctx.deps, ADMIN, { name: 'Bravo', numberOfDigitsInExtension: 4 });
    const { dialPlan: a } = await newDialPlan(ctx.deps, ADMIN, { name: 'alpha', numberOfDigitsInExtension: 4 });
    expect((await getDialPlans(ctx.deps, ADMIN)).map((d) => d.name)).toEqual(['alpha', 'Bravo']);
    expect(await getDialPlans(ctx.deps, ADMIN, b.id)).toEqual([b]);
    expect(await getDialPlans(ctx.deps, ADMIN, a.id)).toEqual([a]);
  });

  it('records creation and refusals in the audit log', async () => {
    await newDialPlan(ctx.deps, ADMIN, { name: 'Contoso', numberOfDigitsInExtension: 5 });
    await failure(newDialPlan(ctx.deps, ADMIN, { name: 'contoso', numberOfDigitsInExtension: 5 }));
    const entries = await ctx.deps.store.listAudit({ action: 'New-UMDialPlan' });
    expect(entries.map((e) => [e.target, e.result, e.errorCode])).toEqual([
      ['Contoso', 'success', null],
      ['contoso', 'failure', 'UMPIN_NAME_IN_USE'],
    ]);
    expect(entries[0]!.actor).toBe(ADMIN.name);
  });
});
