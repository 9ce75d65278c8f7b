import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext, type FakeContext } from '../../../../test/cmdlet-context.js';
import { ADMIN, contoso, failure } from '../../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../../test/harness.js';
import { POLICY_LIMITS } from '../../../domain/policy.js';
import { newDialPlan } from '../../../services/dial-plans.js';
import { getMailboxPolicies } from '../../../services/mailbox-policies.js';
import type { CmdletDefinition } from '../../cmdlet.js';
import { typeNameOf } from '../../ps-object.js';
import { UM_MAILBOX_POLICY_CMDLETS } from './um-mailbox-policy.js';

const def = (name: string): CmdletDefinition => UM_MAILBOX_POLICY_CMDLETS.find((c) => c.name === name)!;
const NEW = def('New-UMMailboxPolicy');
const GET = def('Get-UMMailboxPolicy');
const SET = def('Set-UMMailboxPolicy');
const REMOVE = def('Remove-UMMailboxPolicy');

const names = (objects: unknown[]) => objects.map((o) => (o as { Name: string }).Name);

describe('UM mailbox policy cmdlet definitions', () => {
  it("offers every PIN setting under Exchange's name and type, and has every example of Microsoft's pages", () => {
    for (const limit of Object.values(POLICY_LIMITS)) {
      const p = SET.parameters.find((x) => x.name === limit.field);
      expect(p, limit.field).toBeDefined();
      expect(p!.umpinAddition ?? false).toBe(
        [
          'LockoutDuration',
          'PINComplexity',
          'ProgressiveLockout',
          'PINDelivery',
          'PINLinkValidity',
          'PINLinkRequiresSignIn',
        ].includes(limit.field),
      );
      expect(NEW.parameters.find((x) => x.name === limit.field)?.umpinAddition).toBe(true);
    }
    expect(SET.parameters.find((p) => p.name === 'PINLifetime')?.type).toBe('unlimited');
    expect(SET.parameters.find((p) => p.name === 'MinPINLength')?.type).toBe('int');
    expect(SET.parameters.find((p) => p.name === 'AllowCommonPatterns')?.type).toBe('bool');
    expect(SET.parameters.find((p) => p.name === 'PINComplexity')?.type).toBe('string');
    expect(SET.parameters.find((p) => p.name === 'PINDelivery')?.type).toBe('string');
    expect(SET.parameters.find((p) => p.name === 'PINLinkValidity')?.type).toBe('int');
    expect(SET.parameters.find((p) => p.name === 'PINLinkRequiresSignIn')?.type).toBe('bool');
    expect(
      UM_MAILBOX_POLICY_CMDLETS.map((d) => [d.name, d.examples.filter((e) => e.source === 'microsoft').length]),
    ).toEqual([
      ['New-UMMailboxPolicy', 1],
      ['Get-UMMailboxPolicy', 3],
      ['Set-UMMailboxPolicy', 3],
      ['Remove-UMMailboxPolicy', 1],
    ]);
  });
});

describe.each(ENGINES)('UM mailbox policy cmdlets (%s)', (engine) => {
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

  it("New-UMMailboxPolicy creates the policy with Exchange's defaults and emits it; Unlimited shows as Unlimited", async () => {
    await NEW.process(ctx, { Name: 'MyUMMailboxPolicy', UMDialPlan: 'Contoso' });
    expect(ctx.asked).toEqual([['MyUMMailboxPolicy', 'New-UMMailboxPolicy']]);
    expect(typeNameOf(ctx.emitted[0])).toBe('UMMailboxPolicy');
    expect(ctx.emitted[0]).toMatchObject({
      Name: 'MyUMMailboxPolicy',
      UMDialPlan: 'Contoso',
      MinPINLength: 6,
      PINLifetime: 60,
      PINHistoryCount: 5,
      AllowCommonPatterns: false,
      LogonFailuresBeforePINReset: 5,
      MaxLogonAttempts: 15,
      LockoutDuration: 'Unlimited',
      ResetPINText: null,
      AllowSubscriberAccess: true,
    });
    await NEW.process(ctx, {
      Name: 'Executives',
      UMDialPlan: 'Contoso',
      MinPINLength: 8,
      PINLifetime: 'Unlimited',
      LockoutDuration: 30,
      AllowCommonPatterns: true,
    });
    expect(ctx.emitted[1]).toMatchObject({
      MinPINLength: 8,
      PINLifetime: 'Unlimited',
      LockoutDuration: 30,
      AllowCommonPatterns: true,
    });
    const [stored] = await getMailboxPolicies(t.deps, ADMIN, { identity: 'Executives' });
    expect(stored).toMatchObject({ minPinLength: 8, pinLifetimeDays: null, lockoutDurationMinutes: 30 });
  });

  it('-PINComplexity sets Exchange or Strict in any letter case, shown by Get-UMMailboxPolicy; another word is refused naming it', async () => {
    await GET.process(ctx, { Identity: 'Contoso Default Policy' });
    expect(ctx.emitted[0]).toMatchObject({ PINComplexity: 'Exchange' });
    await SET.process(ctx, { Identity: 'Contoso Default Policy', PINComplexity: 'strict' });
    await GET.process(ctx, { Identity: 'Contoso Default Policy' });
    expect(ctx.emitted[1]).toMatchObject({ PINComplexity: 'Strict' });
    const err = await failure(SET.process(ctx, { Identity: 'Contoso Default Policy', PINComplexity: 'Hard' }));
    expect(err.issue).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'PINComplexity' });
  });

  it('-PINDelivery Mail|Link, -PINLinkValidity and -PINLinkRequiresSignIn are set and shown; Mail, 24 and $false by default', async () => {
    await GET.process(ctx, { Identity: 'Contoso Default Policy' });
    expect(ctx.emitted[0]).toMatchObject({ PINDelivery: 'Mail', PINLinkValidity: 24, PINLinkRequiresSignIn: false });
    await SET.process(ctx, {
      Identity: 'Contoso Default Policy',
      PINDelivery: 'link',
      PINLinkValidity: 8,
      PINLinkRequiresSignIn: true,
    });
    await GET.process(ctx, { Identity: 'Contoso Default Policy' });
    expect(ctx.emitted[1]).toMatchObject({ PINDelivery: 'Link', PINLinkValidity: 8, PINLinkRequiresSignIn: true });
    const err = await failure(SET.process(ctx, { Identity: 'Contoso Default Policy', PINDelivery: 'Post' }));
    expect(err.issue).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'PINDelivery' });
    const range = await failure(SET.process(ctx, { Identity: 'Contoso Default Policy', PINLinkValidity: 200 }));
    expect(range.issue).toMatchObject({ code: 'UMPIN_VALUE_OUT_OF_RANGE', field: 'PINLinkValidity' });
  });

  it('Get-UMMailboxPolicy lists all, one, or a dial plan’s policies', async () => {
    await newDialPlan(t.deps, ADMIN, { name: 'MyUMDialPlan', numberOfDigitsInExtension: 5 });
    await GET.process(ctx, {});
    expect(names(ctx.emitted)).toEqual(['Contoso Default Policy', 'MyUMDialPlan Default Policy']);
    ctx.emitted.length = 0;
    await GET.process(ctx, { UMDialPlan: 'MyUMDialPlan' });
    expect(ctx.emitted).toEqual([
      expect.objectContaining({ Name: 'MyUMDialPlan Default Policy', UMDialPlan: 'MyUMDialPlan' }),
    ]);
    ctx.emitted.length = 0;
    await GET.process(ctx, { Identity: 'contoso default policy' });
    expect(names(ctx.emitted)).toEqual(['Contoso Default Policy']);
    ctx.emitted.length = 0;
    await GET.process(ctx, { Identity: 'Contoso Default Policy', UMDialPlan: 'MyUMDialPlan' });
    expect(ctx.emitted).toEqual([]);
  });

  it("Set-UMMailboxPolicy as Microsoft's first example sets the PIN rules", async () => {
    await SET.process(ctx, {
      Identity: 'Contoso Default Policy',
      LogonFailuresBeforePINReset: 8,
      MaxLogonAttempts: 12,
      MinPINLength: 8,
      PINHistoryCount: 10,
      PINLifetime: 60,
      ResetPINText: 'The PIN used to allow you access to your mailbox using Outlook Voice Access is reset.',
    });
    expect(ctx.asked).toEqual([['Contoso Default Policy', 'Set-UMMailboxPolicy']]);
    const [p] = await getMailboxPolicies(t.deps, ADMIN, { identity: 'Contoso Default Policy' });
    expect(p).toMatchObject({
      logonFailuresBeforePinReset: 8,
      maxLogonAttempts: 12,
      minPinLength: 8,
      pinHistoryCount: 10,
      pinLifetimeDays: 60,
      resetPinText: expect.stringContaining('is reset'),
    });
  });

  it('Set-UMMailboxPolicy: Unlimited and 0 mean never, $null removes a text, the service’s rules apply', async () => {
    await SET.process(ctx, {
      Identity: 'Contoso Default Policy',
      ResetPINText: 'x',
      MaxLogonAttempts: 'Unlimited',
      LogonFailuresBeforePINReset: 0,
    });
    await SET.process(ctx, {
      Identity: 'Contoso Default Policy',
      ResetPINText: null,
      PINLifetime: 'Unlimited',
      Name: 'Standard',
    });
    const [p] = await getMailboxPolicies(t.deps, ADMIN, { identity: 'Standard' });
    expect(p).toMatchObject({
      resetPinText: null,
      maxLogonAttempts: null,
      logonFailuresBeforePinReset: null,
      pinLifetimeDays: null,
    });
    expect((await failure(SET.process(ctx, { Identity: 'Standard', MinPINLength: 3 }))).field).toBe('MinPINLength');
    expect(
      (await failure(SET.process(ctx, { Identity: 'Standard', LogonFailuresBeforePINReset: 20, MaxLogonAttempts: 10 })))
        .code,
    ).toBe('UMPIN_POLICY_RESET_NOT_BELOW_MAX');
  });

  it('Set-UMMailboxPolicy -UMDialPlan moves a policy no mailbox uses, and refuses one in use', async () => {
    await newDialPlan(t.deps, ADMIN, {
      name: 'Fabrikam',
      numberOfDigitsInExtension: 4,
      generateUMMailboxPolicy: false,
    });
    await NEW.process(fakeContext(t.deps), { Name: 'Spare', UMDialPlan: 'Contoso' });
    await SET.process(ctx, { Identity: 'Spare', UMDialPlan: 'Fabrikam' });
    expect((await getMailboxPolicies(t.deps, ADMIN, { umDialPlan: 'Fabrikam' })).map((p) => p.name)).toEqual(['Spare']);
    const inUse = await failure(SET.process(ctx, { Identity: 'Contoso Default Policy', UMDialPlan: 'Fabrikam' }));
    expect(inUse).toMatchObject({ code: 'UMPIN_POLICY_IN_USE', field: 'UMDialPlan' });
  });

  it('Set-UMMailboxPolicy with only ignored parameters changes nothing and says so', async () => {
    await SET.process(ctx, { Identity: 'Contoso Default Policy' });
    expect(ctx.warnings).toEqual([
      "The command completed successfully but no settings of 'Contoso Default Policy' have been modified.",
    ]);
    expect(ctx.asked).toEqual([]);
    expect((await failure(SET.process(ctx, { Identity: 'MyUMMailboxPolicy' }))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
  });

  it('Remove-UMMailboxPolicy is refused while mailboxes use the policy; -WhatIf removes nothing', async () => {
    expect((await failure(REMOVE.process(ctx, { Identity: 'Contoso Default Policy' }))).code).toBe(
      'UMPIN_POLICY_IN_USE',
    );
    await NEW.process(fakeContext(t.deps), { Name: 'MyUMMailboxPolicy', UMDialPlan: 'Contoso' });
    ctx.allow = false;
    await REMOVE.process(ctx, { Identity: 'MyUMMailboxPolicy' });
    expect(await getMailboxPolicies(t.deps, ADMIN, { identity: 'MyUMMailboxPolicy' })).toHaveLength(1);
    ctx.allow = true;
    await REMOVE.process(ctx, { Identity: 'MyUMMailboxPolicy' });
    expect((await getMailboxPolicies(t.deps, ADMIN)).map((p) => p.name)).toEqual(['Contoso Default Policy']);
  });
});
