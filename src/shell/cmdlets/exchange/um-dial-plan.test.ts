import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext, type FakeContext } from '../../../../test/cmdlet-context.js';
import { ADMIN, contoso, failure } from '../../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../../test/harness.js';
import { getDialPlans } from '../../../services/dial-plans.js';
import { getMailboxPolicies } from '../../../services/mailbox-policies.js';
import type { CmdletDefinition } from '../../cmdlet.js';
import { typeNameOf } from '../../ps-object.js';
import { UM_DIAL_PLAN_CMDLETS } from './um-dial-plan.js';

const def = (name: string): CmdletDefinition => UM_DIAL_PLAN_CMDLETS.find((c) => c.name === name)!;
const NEW = def('New-UMDialPlan');
const GET = def('Get-UMDialPlan');
const SET = def('Set-UMDialPlan');
const REMOVE = def('Remove-UMDialPlan');

describe('UM dial plan cmdlet definitions', () => {
  it("has every example of Microsoft's reference pages", () => {
    expect(
      UM_DIAL_PLAN_CMDLETS.map((d) => [d.name, d.examples.filter((e) => e.source === 'microsoft').length]),
    ).toEqual([
      ['New-UMDialPlan', 3],
      ['Get-UMDialPlan', 2],
      ['Set-UMDialPlan', 3],
      ['Remove-UMDialPlan', 1],
    ]);
    expect(NEW.parameters.find((p) => p.name === 'Name')).toMatchObject({ position: 0, mandatory: true });
    expect(NEW.parameters.find((p) => p.name === 'CountryOrRegionCode')?.mandatory).toBeFalsy();
    expect([NEW.confirmImpact, SET.confirmImpact, REMOVE.confirmImpact, GET.confirmImpact]).toEqual([
      'medium',
      'medium',
      'high',
      undefined,
    ]);
  });
});

describe.each(ENGINES)('UM dial plan cmdlets (%s)', (engine) => {
  let t: TestContext;
  let ctx: FakeContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps);
    ctx = fakeContext(t.deps);
  });
  afterEach(async () => {
    await t.close();
  });

  it("New-UMDialPlan as Microsoft's example writes it: the organisation's country code, a default policy, the object emitted", async () => {
    await NEW.process(ctx, { Name: 'MyUMDialPlan', NumberOfDigitsInExtension: 4 });
    expect(ctx.asked).toEqual([['MyUMDialPlan', 'New-UMDialPlan']]);
    const [dp] = ctx.emitted;
    expect(typeNameOf(dp)).toBe('UMDialPlan');
    expect(dp).toMatchObject({
      Name: 'MyUMDialPlan',
      NumberOfDigitsInExtension: 4,
      CountryOrRegionCode: '1',
      DefaultLanguage: 'en-US',
      LogonFailuresBeforeDisconnect: 3,
      AccessTelephoneNumbers: [],
      UMMailboxPolicies: ['MyUMDialPlan Default Policy'],
      Identity: 'MyUMDialPlan',
    });
    expect((dp as { WhenCreated: unknown }).WhenCreated).toBeInstanceOf(Date);
  });

  it('New-UMDialPlan takes every setting, and -GenerateUMMailboxPolicy $false makes no policy', async () => {
    await NEW.process(ctx, {
      Name: 'Fabrikam',
      NumberOfDigitsInExtension: 4,
      CountryOrRegionCode: '44',
      DefaultLanguage: 'en-GB',
      LogonFailuresBeforeDisconnect: 5,
      AccessTelephoneNumbers: { replace: ['+442079460000'] },
      GenerateUMMailboxPolicy: false,
    });
    const [dp] = await getDialPlans(t.deps, ADMIN, 'Fabrikam');
    expect(dp).toMatchObject({
      countryOrRegionCode: '44',
      defaultLanguage: 'en-GB',
      logonFailuresBeforeDisconnect: 5,
      voiceAccessNumbers: ['+442079460000'],
    });
    expect(await getMailboxPolicies(t.deps, ADMIN, { umDialPlan: 'Fabrikam' })).toEqual([]);
    expect(ctx.emitted[0]).toMatchObject({ UMMailboxPolicies: [] });
  });

  it('-WhatIf (shouldProcess false) creates nothing', async () => {
    ctx.allow = false;
    await NEW.process(ctx, { Name: 'MyUMDialPlan', NumberOfDigitsInExtension: 4 });
    expect(ctx.emitted).toEqual([]);
    expect((await getDialPlans(t.deps, ADMIN)).map((d) => d.name)).toEqual(['Contoso']);
  });

  it('Get-UMDialPlan lists every dial plan, or the one named', async () => {
    await NEW.process(fakeContext(t.deps), { Name: 'Fabrikam', NumberOfDigitsInExtension: 4 });
    await GET.process(ctx, {});
    expect(ctx.emitted.map((o) => (o as { Name: string }).Name)).toEqual(['Contoso', 'Fabrikam']);
    ctx.emitted.length = 0;
    await GET.process(ctx, { Identity: 'contoso' });
    expect(ctx.emitted).toEqual([
      expect.objectContaining({
        Name: 'Contoso',
        NumberOfDigitsInExtension: 5,
        AccessTelephoneNumbers: ['+14255550100'],
        UMMailboxPolicies: ['Contoso Default Policy'],
      }),
    ]);
    expect((await failure(GET.process(ctx, { Identity: 'Nowhere' }))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
  });

  it('Set-UMDialPlan changes the settings; AccessTelephoneNumbers @{Add; Remove} edits the current list', async () => {
    await SET.process(ctx, {
      Identity: 'Contoso',
      AccessTelephoneNumbers: { add: ['+14255550199'], remove: [] },
      LogonFailuresBeforeDisconnect: 5,
      DefaultLanguage: 'zh-TW',
    });
    expect(ctx.asked).toEqual([['Contoso', 'Set-UMDialPlan']]);
    expect(ctx.emitted).toEqual([]);
    let [dp] = await getDialPlans(t.deps, ADMIN, 'Contoso');
    expect(dp).toMatchObject({
      voiceAccessNumbers: ['+14255550100', '+14255550199'],
      logonFailuresBeforeDisconnect: 5,
      defaultLanguage: 'zh-TW',
    });
    await SET.process(ctx, {
      Identity: 'Contoso',
      AccessTelephoneNumbers: { add: [], remove: ['+14255550100'] },
      Name: 'Contoso HQ',
      CountryOrRegionCode: '44',
    });
    [dp] = await getDialPlans(t.deps, ADMIN, 'Contoso HQ');
    expect(dp).toMatchObject({ voiceAccessNumbers: ['+14255550199'], countryOrRegionCode: '44' });
    await SET.process(ctx, { Identity: 'Contoso HQ', AccessTelephoneNumbers: { replace: ['+14255550100'] } });
    [dp] = await getDialPlans(t.deps, ADMIN, 'Contoso HQ');
    expect(dp!.voiceAccessNumbers).toEqual(['+14255550100']);
  });

  it('Set-UMDialPlan with only ignored parameters changes nothing and says so; an unknown dial plan is still an error', async () => {
    await SET.process(ctx, { Identity: 'Contoso' });
    expect(ctx.warnings).toEqual([
      "The command completed successfully but no settings of 'Contoso' have been modified.",
    ]);
    expect(ctx.asked).toEqual([]);
    expect((await failure(SET.process(ctx, { Identity: 'MyDialPlan' }))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
  });

  it('Set-UMDialPlan passes the service’s refusals on: extension length while mailboxes use it, a bad value', async () => {
    expect((await failure(SET.process(ctx, { Identity: 'Contoso', NumberOfDigitsInExtension: 4 }))).field).toBe(
      'NumberOfDigitsInExtension',
    );
    expect((await failure(SET.process(ctx, { Identity: 'Contoso', CountryOrRegionCode: null }))).code).toBe(
      'UMPIN_VALUE_REQUIRED',
    );
  });

  it('-VoiceMailUri (a umpin addition): New- and Set-UMDialPlan store it, Get-UMDialPlan shows it, $null or empty removes it, a bad one is refused', async () => {
    expect(SET.parameters.find((p) => p.name === 'VoiceMailUri')).toMatchObject({ umpinAddition: true });
    expect(NEW.parameters.find((p) => p.name === 'VoiceMailUri')).toMatchObject({ umpinAddition: true });
    await NEW.process(ctx, {
      Name: 'Fabrikam',
      NumberOfDigitsInExtension: 4,
      VoiceMailUri: 'sip:*97{extension}@10.0.0.5:5060',
    });
    expect(ctx.emitted.at(-1)).toMatchObject({ Name: 'Fabrikam', VoiceMailUri: 'sip:*97{extension}@10.0.0.5:5060' });
    await SET.process(ctx, { Identity: 'Contoso', VoiceMailUri: 'sip:{extension}@pbx.contoso.com' });
    await GET.process(ctx, { Identity: 'Contoso' });
    expect(ctx.emitted.at(-1)).toMatchObject({ Name: 'Contoso', VoiceMailUri: 'sip:{extension}@pbx.contoso.com' });
    const bad = await failure(SET.process(ctx, { Identity: 'Contoso', VoiceMailUri: 'sip:voicemail@pbx.contoso.com' }));
    expect(bad).toMatchObject({ code: 'UMPIN_VOICE_MAIL_URI_INVALID', field: 'VoiceMailUri' });
    expect((await getDialPlans(t.deps, ADMIN, 'Contoso'))[0]!.voiceMailUri).toBe('sip:{extension}@pbx.contoso.com');
    await SET.process(ctx, { Identity: 'Contoso', VoiceMailUri: '' });
    expect((await getDialPlans(t.deps, ADMIN, 'Contoso'))[0]!.voiceMailUri).toBeNull();
    await SET.process(ctx, { Identity: 'Fabrikam', VoiceMailUri: null });
    await GET.process(ctx, { Identity: 'Fabrikam' });
    expect(ctx.emitted.at(-1)).toMatchObject({ Name: 'Fabrikam', VoiceMailUri: null });
  });

  it('Remove-UMDialPlan asks, is refused while policies belong to the dial plan, then removes it', async () => {
    expect((await failure(REMOVE.process(ctx, { Identity: 'Contoso' }))).code).toBe('UMPIN_DIAL_PLAN_IN_USE');
    await NEW.process(fakeContext(t.deps), {
      Name: 'MyUMDialPlan',
      NumberOfDigitsInExtension: 5,
      GenerateUMMailboxPolicy: false,
    });
    ctx.allow = false;
    await REMOVE.process(ctx, { Identity: 'MyUMDialPlan' });
    expect((await getDialPlans(t.deps, ADMIN)).map((d) => d.name)).toEqual(['Contoso', 'MyUMDialPlan']);
    ctx.allow = true;
    await REMOVE.process(ctx, { Identity: 'MyUMDialPlan' });
    expect(ctx.asked).toEqual([
      ['Contoso', 'Remove-UMDialPlan'],
      ['MyUMDialPlan', 'Remove-UMDialPlan'],
      ['MyUMDialPlan', 'Remove-UMDialPlan'],
    ]);
    expect((await getDialPlans(t.deps, ADMIN)).map((d) => d.name)).toEqual(['Contoso']);
  });
});
