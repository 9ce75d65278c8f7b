import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/cmdlet-context.js';
import { ADMIN, contoso, failure } from '../../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../../test/harness.js';
import { newMailboxPolicy } from '../../../services/mailbox-policies.js';
import { newRecipient } from '../../../services/recipients.js';
import { getUMMailbox, setUMMailbox } from '../../../services/um-mailboxes.js';
import type { CmdletDefinition } from '../../cmdlet.js';
import { getProperty, typeNameOf } from '../../ps-object.js';
import { UM_MAILBOX_CMDLETS, umMailboxObject } from './um-mailbox.js';

const def = (name: string): CmdletDefinition => UM_MAILBOX_CMDLETS.find((c) => c.name === name)!;
const ENABLE = def('Enable-UMMailbox');
const DISABLE = def('Disable-UMMailbox');
const GET = def('Get-UMMailbox');
const SET = def('Set-UMMailbox');

const names = (objects: unknown[]): unknown[] => objects.map((o) => getProperty(o, 'Alias'));

describe('UM mailbox cmdlet definitions', () => {
  it('follow Exchange: mandatory parameters, confirmation levels, CSV binding by property name', () => {
    for (const d of UM_MAILBOX_CMDLETS) {
      expect(new Set(d.examples.map((e) => e.source)), d.name).toEqual(new Set(['microsoft', 'umpin']));
      expect(
        d.parameters.find((p) => p.name === 'Identity'),
        d.name,
      ).toBeDefined();
    }
    const mandatory = (d: CmdletDefinition) => d.parameters.filter((p) => p.mandatory).map((p) => p.name);
    expect(mandatory(ENABLE)).toEqual(['Identity', 'UMMailboxPolicy']);
    expect(mandatory(DISABLE)).toEqual(['Identity']);
    expect(mandatory(GET)).toEqual([]);
    expect(mandatory(SET)).toEqual(['Identity']);
    expect([ENABLE.confirmImpact, DISABLE.confirmImpact, GET.confirmImpact, SET.confirmImpact]).toEqual([
      'medium',
      'high',
      undefined,
      'medium',
    ]);
    const byName = ENABLE.parameters.filter((p) => p.pipeline?.byPropertyName).map((p) => p.name);
    expect(byName).toEqual([
      'Identity',
      'UMMailboxPolicy',
      'Extensions',
      'PIN',
      'PINExpired',
      'NotifyEmail',
      'SIPResourceIdentifier',
    ]);
    expect(ENABLE.parameters.find((p) => p.name === 'ValidateOnly')!.type).toBe('switch');
    expect(SET.parameters.find((p) => p.name === 'Extensions')).toMatchObject({
      type: 'multivalued',
      umpinAddition: true,
    });
    expect(GET.outputs![0]!.view.properties).toEqual(['Name', 'UMEnabled', 'Extensions', 'UMMailboxPolicy']);
    for (const p of ['FaxEnabled', 'CallAnsweringRulesEnabled']) {
      expect(SET.ignoredParameters.map((i) => i.name)).toContain(p);
    }
    // the per-mailbox voice settings are stored
    for (const p of ['SubscriberAccessEnabled', 'PinlessAccessToVoiceMailEnabled', 'OperatorNumber']) {
      expect(SET.ignoredParameters.map((i) => i.name)).not.toContain(p);
      expect(SET.parameters.map((i) => i.name)).toContain(p);
    }
  });
});

describe.each(ENGINES)('UM mailbox cmdlets (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
      { alias: 'ellenadams', extension: '10245' },
    ]);
  });
  afterEach(async () => {
    await t.close();
  });

  const outbox = () => t.deps.store.listOutbox({});

  describe('Enable-UMMailbox', () => {
    beforeEach(async () => {
      await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'pilar@contoso.com', displayName: 'Pilar Pinilla' });
    });

    it('enables after asking, with a typed PIN, and writes the UMMailbox object', async () => {
      const ctx = fakeContext(t.deps);
      await ENABLE.process(ctx, {
        Identity: 'pilar@contoso.com',
        UMMailboxPolicy: 'Contoso Default Policy',
        Extensions: ['10237'],
        PIN: '5643892',
        NotifyEmail: 'administrator@contoso.com',
        PINExpired: true,
      });
      expect(ctx.asked).toEqual([['pilar@contoso.com', 'Enable-UMMailbox']]);
      expect(ctx.emitted).toHaveLength(1);
      const o = ctx.emitted[0]!;
      expect(typeNameOf(o)).toBe('UMMailbox');
      expect(o).toMatchObject({
        Name: 'Pilar Pinilla',
        DisplayName: 'Pilar Pinilla',
        Alias: 'pilar',
        PrimarySmtpAddress: 'pilar@contoso.com',
        EmailAddresses: ['SMTP:pilar@contoso.com', 'EUM:10237;phone-context=Contoso.contoso.com'],
        UMEnabled: true,
        Extensions: ['10237'],
        UMMailboxPolicy: 'Contoso Default Policy',
        UMDialPlan: 'Contoso',
        SIPResourceIdentifier: null,
      });
      expect(JSON.stringify(o)).not.toContain('5643892');
      const pin = (await t.deps.store.getPin(String(getProperty(o, 'Identity'))))!;
      expect(await t.deps.hasher.verify(pin.pinHash, '5643892')).toBe(true);
      expect(pin.pinExpired).toBe(true);
      expect((await outbox()).filter((m) => m.kind === 'welcome').map((m) => m.toAddress)).toContain(
        'administrator@contoso.com',
      );
    });

    it('binds a CSV row: Extensions as text, an empty Pin cell means a generated PIN', async () => {
      const ctx = fakeContext(t.deps);
      await ENABLE.process(ctx, {
        Identity: 'pilar',
        Extensions: '10237',
        PIN: '',
        UMMailboxPolicy: 'Contoso Default Policy',
        SIPResourceIdentifier: 'pilar@contoso.com',
      });
      expect(ctx.emitted[0]).toMatchObject({ Extensions: ['10237'], SIPResourceIdentifier: 'pilar@contoso.com' });
      const mails = (await outbox()).filter((m) => m.kind === 'welcome' && m.toAddress === 'pilar@contoso.com');
      expect(mails).toHaveLength(1);
    });

    it('-ValidateOnly checks without asking or changing anything; a bad row fails with its reason', async () => {
      const ctx = fakeContext(t.deps);
      const mails = (await outbox()).length;
      await ENABLE.process(ctx, {
        Identity: 'pilar',
        UMMailboxPolicy: 'Contoso Default Policy',
        Extensions: ['10237'],
        ValidateOnly: true,
      });
      expect(ctx.asked).toEqual([]);
      expect(ctx.emitted[0]).toMatchObject({ UMEnabled: false, Extensions: ['10237'] });
      expect((await failure(getUMMailbox(t.deps, ADMIN, 'pilar'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
      expect(await outbox()).toHaveLength(mails);
      expect(
        (
          await failure(
            ENABLE.process(ctx, {
              Identity: 'pilar',
              UMMailboxPolicy: 'Contoso Default Policy',
              Extensions: ['10231'],
              ValidateOnly: true,
            }),
          )
        ).code,
      ).toBe('UMPIN_EXTENSION_IN_USE');
    });

    it('under -WhatIf enables nothing', async () => {
      const ctx = fakeContext(t.deps);
      ctx.allow = false;
      await ENABLE.process(ctx, {
        Identity: 'pilar',
        UMMailboxPolicy: 'Contoso Default Policy',
        Extensions: ['10237'],
      });
      expect(ctx.emitted).toEqual([]);
      expect((await failure(getUMMailbox(t.deps, ADMIN, 'pilar'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
    });
  });

  describe('Disable-UMMailbox', () => {
    it('disables after asking and writes nothing, without a warning for KeepProperties', async () => {
      const ctx = fakeContext(t.deps);
      await DISABLE.process(ctx, { Identity: 'tonysmith@contoso.com' });
      expect(ctx.asked).toEqual([['tonysmith@contoso.com', 'Disable-UMMailbox']]);
      expect(ctx.emitted).toEqual([]);
      expect(ctx.warnings).toEqual([]);
      expect((await failure(getUMMailbox(t.deps, ADMIN, 'tonysmith'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
      await DISABLE.process(ctx, { Identity: 'kimakers', KeepProperties: true });
      expect(ctx.warnings).toEqual([]);
      expect((await failure(DISABLE.process(ctx, { Identity: 'kimakers' }))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
    });

    /** Tony's UM settings, changed from the defaults so that a restore shows. */
    async function customizeTony(): Promise<void> {
      await setUMMailbox(t.deps, ADMIN, 'tonysmith', {
        extensions: ['10231', '10299'],
        sipResourceIdentifier: 'tonysmith@contoso.com',
        subscriberAccessEnabled: false,
        pinlessAccessToVoiceMailEnabled: true,
        operatorNumber: '10200',
      });
    }
    const reEnable = async (ctx = fakeContext(t.deps)) => {
      await ENABLE.process(ctx, { Identity: 'tonysmith', UMMailboxPolicy: 'Contoso Default Policy' });
      return ctx.emitted[0]!;
    };

    it('keeps the UM settings by default: Enable-UMMailbox without -Extensions brings them back, with a new PIN', async () => {
      await customizeTony();
      const before = (await t.deps.store.getPin((await t.deps.store.findRecipients('tonysmith'))[0]!.id))!;
      await DISABLE.process(fakeContext(t.deps), { Identity: 'tonysmith' });
      const restored = await reEnable();
      expect(restored).toMatchObject({
        UMEnabled: true,
        Extensions: ['10231', '10299'],
        SIPResourceIdentifier: 'tonysmith@contoso.com',
        SubscriberAccessEnabled: false,
        PinlessAccessToVoiceMailEnabled: true,
        OperatorNumber: '10200',
      });
      const after = (await t.deps.store.getPin(before.recipientId))!;
      expect(after.pinHash).not.toBe(before.pinHash);
      expect(after.firstTimeUser).toBe(true);
      // the welcome mail with the new PIN, as for any enabling
      expect(
        (await outbox()).filter((o) => o.kind === 'welcome' && o.toAddress === 'tonysmith@contoso.com'),
      ).toHaveLength(1);
    });

    it('explicit parameters win over the kept ones', async () => {
      await customizeTony();
      await DISABLE.process(fakeContext(t.deps), { Identity: 'tonysmith', KeepProperties: true });
      const ctx = fakeContext(t.deps);
      await ENABLE.process(ctx, {
        Identity: 'tonysmith',
        UMMailboxPolicy: 'Contoso Default Policy',
        Extensions: ['10277'],
        SIPResourceIdentifier: 'tony@contoso.com',
      });
      expect(ctx.emitted[0]).toMatchObject({
        Extensions: ['10277'],
        SIPResourceIdentifier: 'tony@contoso.com',
        SubscriberAccessEnabled: false,
        OperatorNumber: '10200',
      });
    });

    it('-KeepProperties $false keeps nothing: enabling again needs extensions and starts from the defaults', async () => {
      await customizeTony();
      await DISABLE.process(fakeContext(t.deps), { Identity: 'tonysmith', KeepProperties: false });
      expect((await failure(reEnable())).code).toBe('UMPIN_EXTENSION_REQUIRED');
      const ctx = fakeContext(t.deps);
      await ENABLE.process(ctx, {
        Identity: 'tonysmith',
        UMMailboxPolicy: 'Contoso Default Policy',
        Extensions: ['10231'],
      });
      expect(ctx.emitted[0]).toMatchObject({
        Extensions: ['10231'],
        SIPResourceIdentifier: null,
        SubscriberAccessEnabled: true,
        PinlessAccessToVoiceMailEnabled: false,
        OperatorNumber: null,
      });
    });

    it('a kept extension taken meanwhile refuses the enabling, naming it, and changes nothing', async () => {
      await customizeTony();
      await DISABLE.process(fakeContext(t.deps), { Identity: 'tonysmith' });
      // not reserved while Tony is disabled: Kim may take one of his
      await setUMMailbox(t.deps, ADMIN, 'kimakers', { extensions: { add: ['10299'] } });
      const refused = await failure(reEnable());
      expect([refused.code, refused.field, refused.params]).toEqual([
        'UMPIN_EXTENSION_IN_USE',
        'Extensions',
        { extension: '10299', dialPlan: 'Contoso' },
      ]);
      expect((await failure(getUMMailbox(t.deps, ADMIN, 'tonysmith'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
      // still kept: once Kim gives it back, Tony's enabling restores both
      await setUMMailbox(t.deps, ADMIN, 'kimakers', { extensions: { remove: ['10299'] } });
      expect(await reEnable()).toMatchObject({ Extensions: ['10231', '10299'], OperatorNumber: '10200' });
    });

    it('changes nothing when not confirmed', async () => {
      const ctx = fakeContext(t.deps);
      ctx.allow = false;
      await DISABLE.process(ctx, { Identity: 'tonysmith' });
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10231']);
    });
  });

  describe('Get-UMMailbox', () => {
    beforeEach(async () => {
      await newMailboxPolicy(t.deps, ADMIN, { name: 'Executives', umDialPlan: 'Contoso' });
      const ctx = fakeContext(t.deps);
      await SET.process(ctx, { Identity: 'kimakers', UMMailboxPolicy: 'Executives' });
    });

    it('lists every UM-enabled mailbox, or one by Identity', async () => {
      const ctx = fakeContext(t.deps);
      await GET.process(ctx, {});
      expect(names(ctx.emitted)).toEqual(['ellenadams', 'kimakers', 'tonysmith']);
      ctx.emitted.length = 0;
      await GET.process(ctx, { Identity: 'tonysmith@contoso.com' });
      expect(ctx.emitted).toHaveLength(1);
      expect(ctx.emitted[0]).toMatchObject({
        PrimarySmtpAddress: 'tonysmith@contoso.com',
        Extensions: ['10231'],
        UMMailboxPolicy: 'Contoso Default Policy',
        IsValid: true,
        ObjectState: 'Unchanged',
      });
      expect(getProperty(ctx.emitted[0], 'WhenUMEnabled')).toBeInstanceOf(Date);
      expect(ctx.warnings).toEqual([]);
    });

    it('-Filter keeps the mailboxes it matches', async () => {
      const run = async (filter: unknown, extra: Record<string, unknown> = {}) => {
        const ctx = fakeContext(t.deps);
        await GET.process(ctx, { Filter: filter, ...extra });
        return names(ctx.emitted);
      };
      expect(await run("UMMailboxPolicy -eq 'Contoso Default Policy'")).toEqual(['ellenadams', 'tonysmith']);
      expect(await run("UMMailboxPolicy -eq 'executives'")).toEqual(['kimakers']);
      expect(await run("UMMailboxPolicy -ne 'Executives'")).toEqual(['ellenadams', 'tonysmith']);
      expect(await run("UMMailboxPolicy -eq 'No Such Policy'")).toEqual([]);
      expect(await run("Extensions -like '1023*' -and -not (Alias -eq 'kimakers')")).toEqual(['tonysmith']);
      expect(await run("EmailAddresses -like 'eum:10245*' -or Name -eq 'kimakers'")).toEqual([
        'ellenadams',
        'kimakers',
      ]);
      expect(await run('{ UMEnabled -eq $true }')).toHaveLength(3);
      // a scriptblock value, as the runtime may pass it
      expect(await run({ text: " Alias -like 'tony*' " })).toEqual(['tonysmith']);
      expect(await run("UMMailboxPolicy -eq 'Contoso Default Policy'", { Identity: 'kimakers' })).toEqual([]);
      const err = await failure(run("Departmnet -eq 'Sales'"));
      expect(err).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'Filter' });
      expect(err.message).toContain('Departmnet');
    });

    it('-Anr finds by the start of a name, alias or address; not together with -Identity', async () => {
      const ctx = fakeContext(t.deps);
      await GET.process(ctx, { Anr: 'kim' });
      expect(names(ctx.emitted)).toEqual(['kimakers']);
      expect((await failure(GET.process(ctx, { Anr: 'kim', Identity: 'kimakers' }))).field).toBe('Anr');
    });

    it('-SortBy sorts by a property before -ResultSize cuts; an unknown property is refused', async () => {
      const ctx = fakeContext(t.deps);
      await GET.process(ctx, { SortBy: 'UMMailboxPolicy' });
      expect(names(ctx.emitted)).toEqual(['ellenadams', 'tonysmith', 'kimakers']);
      ctx.emitted.length = 0;
      await GET.process(ctx, { SortBy: 'extensions', ResultSize: 2 });
      expect(names(ctx.emitted)).toEqual(['tonysmith', 'kimakers']);
      expect(ctx.warnings).toEqual([expect.stringContaining('ResultSize of 2')]);
      expect((await failure(GET.process(ctx, { SortBy: 'Department' }))).field).toBe('SortBy');
      ctx.warnings.length = 0;
      ctx.emitted.length = 0;
      await GET.process(ctx, { SortBy: 'ServerLegacyDN' });
      expect(ctx.emitted).toHaveLength(3);
      expect(ctx.warnings).toEqual([expect.stringContaining('ServerLegacyDN')]);
    });

    it('-ResultSize stops the list and says more exist', async () => {
      const ctx = fakeContext(t.deps);
      await GET.process(ctx, { ResultSize: 1 });
      expect(names(ctx.emitted)).toEqual(['ellenadams']);
      expect(ctx.warnings).toHaveLength(1);
      const exact = fakeContext(t.deps);
      await GET.process(exact, { ResultSize: 3 });
      expect(exact.emitted).toHaveLength(3);
      expect(exact.warnings).toEqual([]);
    });
  });

  describe('Set-UMMailbox', () => {
    it('-Extensions replaces the list or edits it with Add and Remove, after asking, writing nothing', async () => {
      const ctx = fakeContext(t.deps);
      await SET.process(ctx, { Identity: 'tonysmith', Extensions: { replace: ['10299'] } });
      expect(ctx.asked).toEqual([['tonysmith', 'Set-UMMailbox']]);
      expect(ctx.emitted).toEqual([]);
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10299']);
      await SET.process(ctx, { Identity: 'tonysmith', Extensions: { add: ['10298', '10299'], remove: [] } });
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10299', '10298']);
      await SET.process(ctx, { Identity: 'tonysmith', Extensions: { add: [], remove: ['10299'] } });
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10298']);
      expect(
        (await failure(SET.process(ctx, { Identity: 'tonysmith', Extensions: { replace: ['10232'] } }))).code,
      ).toBe('UMPIN_EXTENSION_IN_USE');
      expect((await failure(SET.process(ctx, { Identity: 'tonysmith', Extensions: { replace: ['123'] } }))).code).toBe(
        'UMPIN_EXTENSION_INVALID',
      );
    });

    it('-UMMailboxPolicy moves the mailbox; -Name renames the user; -SIPResourceIdentifier sets and clears', async () => {
      await newMailboxPolicy(t.deps, ADMIN, { name: 'Executives', umDialPlan: 'Contoso' });
      const ctx = fakeContext(t.deps);
      await SET.process(ctx, {
        Identity: 'tonysmith',
        UMMailboxPolicy: 'Executives',
        Name: 'Tony Smith',
        SIPResourceIdentifier: 'tony@contoso.com',
      });
      expect(await getUMMailbox(t.deps, ADMIN, 'tonysmith')).toMatchObject({
        umMailboxPolicy: 'Executives',
        displayName: 'Tony Smith',
        sipResourceIdentifier: 'tony@contoso.com',
      });
      await SET.process(ctx, { Identity: 'Tony Smith', SIPResourceIdentifier: null });
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).sipResourceIdentifier).toBeNull();
    });

    it('stores the voice settings, shows them in the UMMailbox object, and refuses a bad OperatorNumber naming it', async () => {
      const ctx = fakeContext(t.deps);
      expect(await getUMMailbox(t.deps, ADMIN, 'tonysmith')).toMatchObject({
        subscriberAccessEnabled: true,
        pinlessAccessToVoiceMailEnabled: false,
        operatorNumber: null,
      });
      await SET.process(ctx, {
        Identity: 'tonysmith',
        SubscriberAccessEnabled: false,
        PinlessAccessToVoiceMailEnabled: true,
        OperatorNumber: '10200',
      });
      expect(ctx.warnings).toEqual([]);
      const view = await getUMMailbox(t.deps, ADMIN, 'tonysmith');
      expect(view).toMatchObject({
        subscriberAccessEnabled: false,
        pinlessAccessToVoiceMailEnabled: true,
        operatorNumber: '10200',
      });
      expect(umMailboxObject(view)).toMatchObject({
        SubscriberAccessEnabled: false,
        PinlessAccessToVoiceMailEnabled: true,
        OperatorNumber: '10200',
      });
      const bad = await failure(SET.process(ctx, { Identity: 'tonysmith', OperatorNumber: '+1 425 555 0100' }));
      expect(bad).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'OperatorNumber' });
      expect((await failure(SET.process(ctx, { Identity: 'tonysmith', OperatorNumber: '1'.repeat(21) }))).code).toBe(
        'UMPIN_VALUE_INVALID',
      );
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).operatorNumber).toBe('10200');
      await SET.process(ctx, { Identity: 'tonysmith', OperatorNumber: null, SubscriberAccessEnabled: true });
      expect(await getUMMailbox(t.deps, ADMIN, 'tonysmith')).toMatchObject({
        subscriberAccessEnabled: true,
        pinlessAccessToVoiceMailEnabled: true,
        operatorNumber: null,
      });
    });

    it('-PinChangeAllowed (a umpin addition) is stored and shown in the UMMailbox object', async () => {
      const ctx = fakeContext(t.deps);
      expect(SET.parameters.find((p) => p.name === 'PinChangeAllowed')).toMatchObject({
        type: 'bool',
        umpinAddition: true,
      });
      expect(umMailboxObject(await getUMMailbox(t.deps, ADMIN, 'tonysmith'))).toMatchObject({ PinChangeAllowed: true });
      await SET.process(ctx, { Identity: 'tonysmith', PinChangeAllowed: false });
      expect(umMailboxObject(await getUMMailbox(t.deps, ADMIN, 'tonysmith'))).toMatchObject({
        PinChangeAllowed: false,
      });
    });

    it('refuses a mailbox that is not UM-enabled before renaming it; changes nothing under -WhatIf', async () => {
      await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'plain@contoso.com' });
      const ctx = fakeContext(t.deps);
      expect((await failure(SET.process(ctx, { Identity: 'plain', Name: 'Renamed' }))).code).toBe(
        'UMPIN_MAILBOX_NOT_UM_ENABLED',
      );
      expect((await t.deps.store.findRecipients('plain'))[0]!.displayName).toBe('plain');
      ctx.allow = false;
      await SET.process(ctx, { Identity: 'tonysmith', Extensions: { replace: ['10299'] } });
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10231']);
    });
  });
});
