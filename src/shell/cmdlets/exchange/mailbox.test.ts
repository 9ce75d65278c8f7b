import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext, type FakeContext } from '../../../../test/cmdlet-context.js';
import { ADMIN, contoso, failure } from '../../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../../test/harness.js';
import { getRecipient, newRecipient } from '../../../services/recipients.js';
import { getUMMailbox } from '../../../services/um-mailboxes.js';
import type { CmdletDefinition } from '../../cmdlet.js';
import { getProperty, typeNameOf } from '../../ps-object.js';
import { toText } from '../../values.js';
import { MAILBOX_CMDLETS } from './mailbox.js';

const def = (name: string): CmdletDefinition => MAILBOX_CMDLETS.find((c) => c.name === name)!;
const NEW = def('New-Mailbox');
const GET = def('Get-Mailbox');
const SET = def('Set-Mailbox');
const REMOVE = def('Remove-Mailbox');
const GET_REGIONAL = def('Get-MailboxRegionalConfiguration');
const SET_REGIONAL = def('Set-MailboxRegionalConfiguration');
const SECURE = def('ConvertTo-SecureString');

const aliases = (objects: unknown[]) => objects.map((o) => getProperty(o, 'Alias'));

describe('mailbox cmdlet definitions', () => {
  it('lists the parameters admin scripts commonly pass, so they warn instead of failing', () => {
    const ignored = (d: CmdletDefinition) => d.ignoredParameters.map((p) => p.name);
    const common = [
      'Password',
      'ResetPasswordOnNextLogon',
      'FirstName',
      'LastName',
      'Initials',
      'OrganizationalUnit',
      'Database',
      'Archive',
      'RetentionPolicy',
      'AddressBookPolicy',
      'ActiveSyncMailboxPolicy',
      'SharingPolicy',
      'Office',
      'Phone',
      'Room',
      'Equipment',
      'Shared',
      'Force',
      'DomainController',
    ];
    for (const n of common) expect(ignored(NEW), n).toContain(n);
    const setCommon = [
      'Password',
      'ResetPasswordOnNextLogon',
      'Database',
      'RetentionPolicy',
      'AddressBookPolicy',
      'SharingPolicy',
      'Office',
      ...Array.from({ length: 15 }, (_, i) => `CustomAttribute${i + 1}`),
      'HiddenFromAddressListsEnabled',
      'ProhibitSendQuota',
      'IssueWarningQuota',
      'ProhibitSendReceiveQuota',
      'UseDatabaseQuotaDefaults',
      'ForwardingAddress',
      'DeliverToMailboxAndForward',
      'Type',
      'LitigationHoldEnabled',
      'GrantSendOnBehalfTo',
      'Force',
      'DomainController',
      'IgnoreDefaultScope',
    ];
    for (const n of setCommon) expect(ignored(SET), n).toContain(n);
    expect(NEW.parameters.find((p) => p.name === 'Name')).toMatchObject({ position: 0, mandatory: true });
    expect([
      NEW.confirmImpact,
      SET.confirmImpact,
      REMOVE.confirmImpact,
      GET.confirmImpact,
      SET_REGIONAL.confirmImpact,
    ]).toEqual(['medium', 'medium', 'high', undefined, 'medium']);
  });
});

describe.each(ENGINES)('mailbox cmdlets (%s)', (engine) => {
  let t: TestContext;
  let ctx: FakeContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
      { alias: 'weichen', extension: '10246', language: 'zh-TW' },
    ]);
    await newRecipient(t.deps, ADMIN, {
      primarySmtpAddress: 'chris@contoso.com',
      alias: 'chris',
      displayName: 'Chris Ashton',
    });
    ctx = fakeContext(t.deps);
  });
  afterEach(async () => {
    await t.close();
  });

  describe('New-Mailbox', () => {
    it("derives the alias from the UPN and the address from the alias, as Exchange's example expects", async () => {
      await NEW.process(ctx, { UserPrincipalName: 'confmbx@contoso.com', Alias: 'confmbx', Name: 'ConfRoomMailbox' });
      expect(ctx.asked).toEqual([['ConfRoomMailbox', 'New-Mailbox']]);
      expect(typeNameOf(ctx.emitted[0])).toBe('Mailbox');
      expect(ctx.emitted[0]).toMatchObject({
        Name: 'ConfRoomMailbox',
        Alias: 'confmbx',
        PrimarySmtpAddress: 'confmbx@contoso.com',
        UMEnabled: false,
        EmailAddresses: ['SMTP:confmbx@contoso.com'],
      });
      await NEW.process(ctx, { Name: 'Dana Birk', UserPrincipalName: 'dana.birk@fabrikam.com' });
      expect(ctx.emitted[1]).toMatchObject({
        Alias: 'dana.birk',
        PrimarySmtpAddress: 'dana.birk@fabrikam.com',
        UserPrincipalName: 'dana.birk@fabrikam.com',
      });
    });

    it("without UPN or alias: the alias from the name, the domain of the organisation's addresses", async () => {
      await NEW.process(ctx, { Name: 'Sales Department', DisplayName: 'Sales Department' });
      expect(ctx.emitted[0]).toMatchObject({
        Alias: 'SalesDepartment',
        PrimarySmtpAddress: 'SalesDepartment@contoso.com',
        DisplayName: 'Sales Department',
      });
      expect(ctx.warnings).toEqual([]);
    });

    it('keeps one name: a different -DisplayName wins, with a warning', async () => {
      await NEW.process(ctx, { Name: 'ChrisA', DisplayName: 'Chris A.', Alias: 'chrisa' });
      expect(ctx.emitted[0]).toMatchObject({ Name: 'Chris A.', DisplayName: 'Chris A.' });
      expect(ctx.warnings[0]).toContain('ChrisA');
    });

    it('refuses an address in use and creates nothing under -WhatIf', async () => {
      expect((await failure(NEW.process(ctx, { Name: 'Tony', Alias: 'tonysmith' }))).code).toBe(
        'UMPIN_RECIPIENT_ADDRESS_IN_USE',
      );
      ctx.allow = false;
      await NEW.process(ctx, { Name: 'Nobody', Alias: 'nobody' });
      expect((await failure(getRecipient(t.deps, ADMIN, 'nobody'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    });
  });

  describe('Get-Mailbox', () => {
    it('shows the EUM address of each extension and UMEnabled, as Exchange does', async () => {
      await GET.process(ctx, { Identity: 'tonysmith' });
      expect(ctx.emitted).toEqual([
        expect.objectContaining({
          Name: 'tonysmith',
          Alias: 'tonysmith',
          PrimarySmtpAddress: 'tonysmith@contoso.com',
          EmailAddresses: ['SMTP:tonysmith@contoso.com', 'EUM:10231;phone-context=Contoso.contoso.com'],
          UMEnabled: true,
          Languages: [],
          Identity: 'tonysmith@contoso.com',
        }),
      ]);
      ctx.emitted.length = 0;
      await GET.process(ctx, { Identity: 'weichen@contoso.com' });
      expect(ctx.emitted[0]).toMatchObject({ Languages: ['zh-TW'] });
    });

    it('lists all by display name, or by Anr, wildcard, filter; switches for other kinds find nothing', async () => {
      await GET.process(ctx, {});
      expect(aliases(ctx.emitted)).toEqual(['chris', 'kimakers', 'tonysmith', 'weichen']);
      const run = async (params: Record<string, unknown>) => {
        ctx.emitted.length = 0;
        await GET.process(ctx, params);
        return aliases(ctx.emitted);
      };
      expect(await run({ Anr: 'Chr' })).toEqual(['chris']);
      expect(await run({ Identity: '*smith*' })).toEqual(['tonysmith']);
      expect(await run({ Identity: 'k*' })).toEqual(['kimakers']);
      expect(await run({ Filter: 'UMEnabled -eq $false' })).toEqual(['chris']);
      expect(await run({ Filter: "EmailAddresses -like 'eum:1023*'" })).toEqual(['kimakers', 'tonysmith']);
      expect(await run({ RecipientTypeDetails: ['UserMailbox'], SortBy: 'Alias' })).toEqual([
        'chris',
        'kimakers',
        'tonysmith',
        'weichen',
      ]);
      expect(await run({ RecipientTypeDetails: ['RoomMailbox'] })).toEqual([]);
      expect(await run({ Archive: true })).toEqual([]);
      expect(await run({ Identity: 'ed@contoso.com', RemoteArchive: true })).toEqual([]);
      expect((await failure(GET.process(ctx, { Filter: 'Department -eq Sales' }))).field).toBe('Filter');
      expect((await failure(GET.process(ctx, { SortBy: 'Database' }))).field).toBe('SortBy');
      expect((await failure(GET.process(ctx, { Identity: 'nobody' }))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    });

    it('stops at -ResultSize and says there are more', async () => {
      await GET.process(ctx, { ResultSize: 2 });
      expect(aliases(ctx.emitted)).toEqual(['chris', 'kimakers']);
      expect(ctx.warnings).toEqual([
        'More than 2 mailboxes match; only the first 2 are shown. Use -ResultSize to show more, or -ResultSize Unlimited for all.',
      ]);
      ctx.emitted.length = 0;
      ctx.warnings.length = 0;
      await GET.process(ctx, { ResultSize: 'Unlimited', SortBy: 'Name' });
      expect(ctx.emitted).toHaveLength(4);
      expect(ctx.warnings).toEqual([]);
    });
  });

  describe('Set-Mailbox', () => {
    it('changes an extension with EUM addresses, as Exchange scripts do', async () => {
      await SET.process(ctx, {
        Identity: 'tonysmith',
        EmailAddresses: {
          add: ['eum:10299;phone-context=Contoso.contoso.com'],
          remove: ['eum:10231;phone-context=Contoso.contoso.com'],
        },
      });
      expect(ctx.asked).toEqual([['tonysmith', 'Set-Mailbox']]);
      expect(ctx.emitted).toEqual([]);
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10299']);
      await SET.process(ctx, {
        Identity: 'tonysmith',
        EmailAddresses: { add: ['EUM:10298;phone-context=Contoso.contoso.com'], remove: [] },
      });
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10299', '10298']);
      await SET.process(ctx, {
        Identity: 'tonysmith',
        EmailAddresses: { replace: ['SMTP:tonysmith@contoso.com', 'EUM:10231;phone-context=Contoso.contoso.com'] },
      });
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10231']);
    });

    it("refuses an EUM address of another dial plan, an extension in use, and one for a mailbox that isn't UM-enabled", async () => {
      const other = await failure(
        SET.process(ctx, {
          Identity: 'tonysmith',
          EmailAddresses: { add: ['eum:10299;phone-context=Fabrikam.contoso.com'], remove: [] },
        }),
      );
      expect(other).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'EmailAddresses' });
      const taken = await failure(
        SET.process(ctx, {
          Identity: 'tonysmith',
          EmailAddresses: { add: ['eum:10232;phone-context=Contoso.contoso.com'], remove: [] },
        }),
      );
      expect(taken.code).toBe('UMPIN_EXTENSION_IN_USE');
      const notUm = await failure(
        SET.process(ctx, {
          Identity: 'chris',
          EmailAddresses: { add: ['eum:10300;phone-context=Contoso.contoso.com'], remove: [] },
        }),
      );
      expect(notUm.code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
      expect((await getUMMailbox(t.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10231']);
    });

    it('an SMTP: address sets the primary address; other addresses are not kept, with a warning', async () => {
      await SET.process(ctx, {
        Identity: 'tonysmith',
        EmailAddresses: {
          add: ['SMTP:tony@contoso.com', 'smtp:ts@contoso.com', 'X500:/o=Contoso/cn=tony'],
          remove: [],
        },
      });
      expect((await getRecipient(t.deps, ADMIN, 'tonysmith')).primarySmtpAddress).toBe('tony@contoso.com');
      expect(ctx.warnings).toEqual([
        'umpin keeps only the primary SMTP address and the EUM addresses (UM extensions); not kept: ts@contoso.com, X500:/o=Contoso/cn=tony.',
      ]);
      const both = await failure(
        SET.process(ctx, {
          Identity: 'tonysmith',
          PrimarySmtpAddress: 'a@contoso.com',
          EmailAddresses: { replace: ['SMTP:b@contoso.com'] },
        }),
      );
      expect(both.field).toBe('EmailAddresses');
    });

    it('only addresses umpin does not keep: nothing changes, nothing is on record, and both are said', async () => {
      const before = (await t.deps.store.listAudit({ action: 'Set-Mailbox' })).length;
      await SET.process(ctx, { Identity: 'tonysmith', EmailAddresses: { add: ['Jwoods@contoso.com'], remove: [] } });
      expect(ctx.warnings).toEqual([
        'umpin keeps only the primary SMTP address and the EUM addresses (UM extensions); not kept: Jwoods@contoso.com.',
        "The command completed successfully but no settings of 'tonysmith' have been modified.",
      ]);
      expect(await t.deps.store.listAudit({ action: 'Set-Mailbox' })).toHaveLength(before);
    });

    it('a replacing list without EUM addresses keeps the extensions, and says so', async () => {
      await SET.process(ctx, { Identity: 'kimakers', EmailAddresses: { replace: ['SMTP:kim@contoso.com'] } });
      expect(await getUMMailbox(t.deps, ADMIN, 'kim@contoso.com')).toMatchObject({
        extensions: ['10232'],
        primarySmtpAddress: 'kim@contoso.com',
      });
      expect(ctx.warnings[0]).toContain('are kept');
    });

    it('sets names, alias, UPN and language; Name is the display name', async () => {
      await SET.process(ctx, {
        Identity: 'chris',
        Name: 'Chris Ashton (Sales)',
        Alias: 'cashton',
        UserPrincipalName: 'cashton@contoso.com',
        Languages: { replace: ['fr-FR', 'en-US'] },
      });
      expect(await getRecipient(t.deps, ADMIN, 'cashton')).toMatchObject({
        displayName: 'Chris Ashton (Sales)',
        userPrincipalName: 'cashton@contoso.com',
        language: 'fr-FR',
      });
      expect(ctx.warnings).toEqual(['umpin keeps one language per mailbox: fr-FR.']);
      await SET.process(ctx, {
        Identity: 'cashton',
        Languages: { add: [], remove: ['fr-FR'] },
        DisplayName: 'Chris',
        Name: 'Christopher',
      });
      expect(await getRecipient(t.deps, ADMIN, 'cashton')).toMatchObject({ displayName: 'Chris', language: null });
    });

    it('with only ignored parameters it changes nothing and says so; -WhatIf changes nothing', async () => {
      await SET.process(ctx, { Identity: 'chris@contoso.com' });
      expect(ctx.warnings).toEqual([
        "The command completed successfully but no settings of 'chris@contoso.com' have been modified.",
      ]);
      expect((await failure(SET.process(ctx, { Identity: 'John Woods' }))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
      ctx.allow = false;
      await SET.process(ctx, { Identity: 'chris', DisplayName: 'Changed' });
      expect((await getRecipient(t.deps, ADMIN, 'chris')).displayName).toBe('Chris Ashton');
    });
  });

  it('Remove-Mailbox asks and removes the recipient with its UM mailbox', async () => {
    ctx.allow = false;
    await REMOVE.process(ctx, { Identity: 'tonysmith' });
    expect((await getRecipient(t.deps, ADMIN, 'tonysmith')).alias).toBe('tonysmith');
    ctx.allow = true;
    await REMOVE.process(ctx, { Identity: 'tonysmith' });
    expect(ctx.asked).toEqual([
      ['tonysmith', 'Remove-Mailbox'],
      ['tonysmith', 'Remove-Mailbox'],
    ]);
    expect((await failure(getRecipient(t.deps, ADMIN, 'tonysmith'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    expect((await failure(REMOVE.process(ctx, { Identity: 'tonysmith' }))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
  });

  it('Get-/Set-MailboxRegionalConfiguration read and set the language; $null returns to the default', async () => {
    await GET_REGIONAL.process(ctx, { Identity: 'weichen' });
    expect(ctx.emitted).toEqual([expect.objectContaining({ Identity: 'weichen@contoso.com', Language: 'zh-TW' })]);
    expect(typeNameOf(ctx.emitted[0])).toBe('MailboxRegionalConfiguration');
    await SET_REGIONAL.process(ctx, { Identity: 'tonysmith', Language: 'pt-br' });
    expect((await getRecipient(t.deps, ADMIN, 'tonysmith')).language).toBe('pt-br');
    await SET_REGIONAL.process(ctx, { Identity: 'tonysmith', Language: null });
    expect((await getRecipient(t.deps, ADMIN, 'tonysmith')).language).toBeNull();
    expect((await failure(SET_REGIONAL.process(ctx, { Identity: 'tonysmith', Language: 'Portuguese' }))).field).toBe(
      'Language',
    );
    await SET_REGIONAL.process(ctx, { Identity: 'tonysmith' });
    expect(ctx.warnings).toEqual([
      "The command completed successfully but no settings of 'tonysmith' have been modified.",
    ]);
  });

  it('ConvertTo-SecureString gives an opaque value that never shows the text', async () => {
    await SECURE.process(ctx, { String: 'P@ssw0rd1', AsPlainText: true, Force: true });
    const [secure] = ctx.emitted;
    expect(toText(secure)).toBe('System.Security.SecureString');
    expect(JSON.stringify(secure)).not.toContain('P@ssw0rd1');
  });
});
