import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { checkPin } from '../domain/pin-rules.js';
import type { OutboxMessage } from '../domain/outbox-message.js';
import { newDialPlan } from './dial-plans.js';
import { newMailboxPolicy, setMailboxPolicy } from './mailbox-policies.js';
import type { MailPayload } from '../domain/mail-payload.js';
import { newRecipient } from './recipients.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { disableUMMailbox, enableUMMailbox, getUMMailbox, listUMMailboxes, setUMMailbox } from './um-mailboxes.js';

describe.each(ENGINES)('UM mailboxes (%s)', (engine) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps, []);
    await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { umEnabledText: 'Call 4357 for help.' });
    for (const alias of ['tonysmith', 'kimakers', 'ellenadams'])
      await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: `${alias}@contoso.com` });
  });
  afterEach(async () => {
    await ctx.close();
  });

  const policy = 'Contoso Default Policy';
  const idOf = async (alias: string): Promise<string> => (await ctx.deps.store.findRecipients(alias))[0]!.id;
  const outbox = (): Promise<OutboxMessage[]> => ctx.deps.store.listOutbox({});
  const open = (m: OutboxMessage): MailPayload =>
    JSON.parse(ctx.deps.cipher.open(m.sealedPayload!, m.id)) as MailPayload;

  /** Everything that enabling writes, for "nothing changed" checks. */
  async function snapshot(alias: string) {
    const id = await idOf(alias);
    return {
      mailbox: await ctx.deps.store.getUmMailbox(id),
      pin: await ctx.deps.store.getPin(id),
      outbox: await outbox(),
    };
  }

  it('Enable-UMMailbox with a typed PIN stores only its hash and mails a sealed welcome', async () => {
    const view = await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: policy,
      extensions: ['10231'],
      pin: '1985848',
    });
    expect(view).toMatchObject({
      primarySmtpAddress: 'tonysmith@contoso.com',
      extensions: ['10231'],
      umMailboxPolicy: policy,
      umDialPlan: 'Contoso',
      umEnabled: true,
      validateOnly: false,
      mailTo: 'tonysmith@contoso.com',
    });
    expect(JSON.stringify(view)).not.toContain('1985848');

    const pin = (await ctx.deps.store.getPin(await idOf('tonysmith')))!;
    expect(pin).toMatchObject({ pinExpired: true, firstTimeUser: true, lockedOut: false, failedAttempts: 0 });
    expect(pin.pinHash).not.toContain('1985848');
    expect(await ctx.deps.hasher.verify(pin.pinHash, '1985848')).toBe(true);

    const [mail, ...more] = await outbox();
    expect(more).toEqual([]);
    expect(mail).toMatchObject({
      kind: 'welcome',
      toAddress: 'tonysmith@contoso.com',
      status: 'queued',
      recipientId: await idOf('tonysmith'),
      language: 'en-US',
    });
    expect(mail!.sealedPayload).not.toContain('1985848');
    expect(open(mail!)).toMatchObject({
      pin: '1985848',
      extensions: ['10231'],
      voiceAccessNumbers: ['+14255550100'],
      policyText: 'Call 4357 for help.',
      pinExpired: true,
    });
    // the seal is bound to its row: it does not open as another row
    expect(() => ctx.deps.cipher.open(mail!.sealedPayload!, 'another-row-id')).toThrow();
  });

  it('without a PIN, generates one of MinPINLength digits that passes the policy and mails it', async () => {
    await setMailboxPolicy(ctx.deps, ADMIN, policy, { minPinLength: 8 });
    await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'kimakers',
      umMailboxPolicy: policy,
      extensions: ['10232'],
      pinExpired: false,
    });
    const [mail] = await outbox();
    const { pin } = open(mail!);
    expect(pin).toMatch(/^[0-9]{8}$/);
    const p = await ctx.deps.store.getPolicy((await ctx.deps.store.getUmMailbox(await idOf('kimakers')))!.policyId);
    expect(checkPin(pin!, { policy: p!, extensions: ['10232'] })).toEqual([]);
    const state = (await ctx.deps.store.getPin(await idOf('kimakers')))!;
    expect(await ctx.deps.hasher.verify(state.pinHash, pin!)).toBe(true);
    expect(state.pinExpired).toBe(false);
  });

  it('-NotifyEmail sends the welcome mail to another address', async () => {
    const view = await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: policy,
      extensions: ['10231'],
      notifyEmail: 'helpdesk@contoso.com',
    });
    expect(view.mailTo).toBe('helpdesk@contoso.com');
    expect((await outbox()).map((m) => m.toAddress)).toEqual(['helpdesk@contoso.com']);
    expect(
      (
        await failure(
          enableUMMailbox(ctx.deps, ADMIN, {
            identity: 'kimakers',
            umMailboxPolicy: policy,
            extensions: ['10232'],
            notifyEmail: 'not mail',
          }),
        )
      ).field,
    ).toBe('NotifyEmail');
  });

  it('an extension must have exactly the dial plan’s digits, be given, and appear once', async () => {
    const before = await snapshot('tonysmith');
    const cases: Array<[string[] | undefined, string]> = [
      [['1023'], 'UMPIN_EXTENSION_INVALID'],
      [['102310'], 'UMPIN_EXTENSION_INVALID'],
      [['1023a'], 'UMPIN_EXTENSION_INVALID'],
      [['١٠٢٣١'], 'UMPIN_EXTENSION_INVALID'], // Arabic-Indic digits are not DTMF digits
      [undefined, 'UMPIN_EXTENSION_REQUIRED'],
      [[], 'UMPIN_EXTENSION_REQUIRED'],
      [['10231', '10231'], 'UMPIN_VALUE_INVALID'],
    ];
    for (const [extensions, code] of cases) {
      const err = await failure(
        enableUMMailbox(ctx.deps, ADMIN, {
          identity: 'tonysmith',
          umMailboxPolicy: policy,
          extensions,
          pin: '1985848',
        }),
      );
      expect([extensions, err.code, err.field]).toEqual([extensions, code, 'Extensions']);
    }
    expect(await snapshot('tonysmith')).toEqual(before);
  });

  it('an extension is unique within its dial plan, and free in another one', async () => {
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: policy, extensions: ['10231'] });
    const err = await failure(
      enableUMMailbox(ctx.deps, ADMIN, { identity: 'kimakers', umMailboxPolicy: policy, extensions: ['10231'] }),
    );
    expect(err.code).toBe('UMPIN_EXTENSION_IN_USE');
    expect(err.params).toMatchObject({ extension: '10231', dialPlan: 'Contoso' });
    expect(await ctx.deps.store.getUmMailbox(await idOf('kimakers'))).toBeNull();

    await newDialPlan(ctx.deps, ADMIN, { name: 'Fabrikam', numberOfDigitsInExtension: 5 });
    const v = await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'kimakers',
      umMailboxPolicy: 'Fabrikam Default Policy',
      extensions: ['10231'],
    });
    expect(v.umDialPlan).toBe('Fabrikam');
  });

  it('a typed PIN is checked by the policy and a refused one changes nothing', async () => {
    const before = await snapshot('tonysmith');
    const cases: Array<[string, string]> = [
      ['123456', 'UMPIN_PIN_COMMON_PATTERN'],
      ['777777', 'UMPIN_PIN_COMMON_PATTERN'],
      ['5102319', 'UMPIN_PIN_CONTAINS_EXTENSION'],
      ['9902318', 'UMPIN_PIN_CONTAINS_EXTENSION'], // the extension's last 4 digits
      ['48291', 'UMPIN_PIN_TOO_SHORT'],
      ['48a291', 'UMPIN_PIN_NOT_DIGITS'],
    ];
    for (const [pin, code] of cases) {
      const err = await failure(
        enableUMMailbox(ctx.deps, ADMIN, {
          identity: 'tonysmith',
          umMailboxPolicy: policy,
          extensions: ['10231'],
          pin,
        }),
      );
      expect([pin, err.code, err.field]).toEqual([pin, code, 'Pin']);
      expect(err.message).not.toContain(pin);
    }
    expect(await snapshot('tonysmith')).toEqual(before);
    const audit = await ctx.deps.store.listAudit({ action: 'Enable-UMMailbox' });
    expect(audit).toHaveLength(cases.length);
    expect(audit.every((e) => e.result === 'failure' && e.parameters.Pin === '(redacted)')).toBe(true);
    expect(JSON.stringify(audit)).not.toMatch(/123456|5102319|9902318/);
  });

  it('-ValidateOnly checks everything and changes nothing', async () => {
    const before = await snapshot('tonysmith');
    const v = await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: policy,
      extensions: ['10231'],
      pin: '1985848',
      validateOnly: true,
    });
    expect(v).toMatchObject({ validateOnly: true, mailTo: null, extensions: ['10231'] });
    expect(await snapshot('tonysmith')).toEqual(before);
    const err = await failure(
      enableUMMailbox(ctx.deps, ADMIN, {
        identity: 'tonysmith',
        umMailboxPolicy: policy,
        extensions: ['10231'],
        pin: '123456',
        validateOnly: true,
      }),
    );
    expect(err.code).toBe('UMPIN_PIN_COMMON_PATTERN');
    // it is not "enabled" afterwards: a real enable still works
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: policy, extensions: ['10231'] });
  });

  it('a mailbox already enabled is refused; an unknown user or policy is named', async () => {
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: policy, extensions: ['10231'] });
    const again = await failure(
      enableUMMailbox(ctx.deps, ADMIN, {
        identity: 'TonySmith@contoso.com',
        umMailboxPolicy: policy,
        extensions: ['10299'],
      }),
    );
    expect(again.code).toBe('UMPIN_MAILBOX_ALREADY_UM_ENABLED');
    expect((await getUMMailbox(ctx.deps, ADMIN, 'tonysmith')).extensions).toEqual(['10231']);
    expect(await outbox()).toHaveLength(1);

    const nobody = await failure(
      enableUMMailbox(ctx.deps, ADMIN, { identity: 'nobody', umMailboxPolicy: policy, extensions: ['10299'] }),
    );
    expect([nobody.code, nobody.field]).toEqual(['UMPIN_IDENTITY_NOT_FOUND', 'Identity']);
    const noPolicy = await failure(
      enableUMMailbox(ctx.deps, ADMIN, { identity: 'kimakers', umMailboxPolicy: 'Nope', extensions: ['10299'] }),
    );
    expect([noPolicy.code, noPolicy.field]).toEqual(['UMPIN_IDENTITY_NOT_FOUND', 'UMMailboxPolicy']);
  });

  it('Disable-UMMailbox erases the PIN and its history and frees the extension', async () => {
    await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: policy,
      extensions: ['10231'],
      pin: '1985848',
    });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '4829163' });
    const id = await idOf('tonysmith');
    expect(await ctx.deps.store.getPinHistory(id, 10)).toHaveLength(1);

    await disableUMMailbox(ctx.deps, ADMIN, 'tonysmith');
    expect(await ctx.deps.store.getUmMailbox(id)).toBeNull();
    expect(await ctx.deps.store.getPin(id)).toBeNull();
    expect(await ctx.deps.store.getPinHistory(id, 10)).toEqual([]);
    // the welcome and reset mails still queued carried PINs of a mailbox that is gone
    expect(await ctx.deps.store.listOutbox({ recipientId: id, status: 'queued' })).toEqual([]);
    expect((await failure(getUMMailbox(ctx.deps, ADMIN, 'tonysmith'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
    expect((await failure(disableUMMailbox(ctx.deps, ADMIN, 'tonysmith'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
    // the recipient itself stays
    expect((await ctx.deps.store.getRecipient(id))!.alias).toBe('tonysmith');

    // someone else may take the extension now, and Tony may come back with his old PIN (no history left)
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'kimakers', umMailboxPolicy: policy, extensions: ['10231'] });
    await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: policy,
      extensions: ['10235'],
      pin: '1985848',
    });
  });

  it('Set-UMMailbox changes the policy and the extensions, freeing the old ones', async () => {
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: policy, extensions: ['10231'] });
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'kimakers', umMailboxPolicy: policy, extensions: ['10232'] });
    await newMailboxPolicy(ctx.deps, ADMIN, { name: 'Executives', umDialPlan: 'Contoso', minPinLength: 8 });

    const v = await setUMMailbox(ctx.deps, ADMIN, 'tonysmith', {
      umMailboxPolicy: 'executives',
      extensions: ['20231', '20232'],
    });
    expect(v).toMatchObject({ umMailboxPolicy: 'Executives', extensions: ['20231', '20232'] });
    expect(await getUMMailbox(ctx.deps, ADMIN, 'tonysmith')).toMatchObject({
      umMailboxPolicy: 'Executives',
      extensions: ['20231', '20232'],
    });

    expect((await failure(setUMMailbox(ctx.deps, ADMIN, 'kimakers', { extensions: ['20232'] }))).code).toBe(
      'UMPIN_EXTENSION_IN_USE',
    );
    expect((await failure(setUMMailbox(ctx.deps, ADMIN, 'kimakers', { extensions: ['2023'] }))).code).toBe(
      'UMPIN_EXTENSION_INVALID',
    );
    expect((await getUMMailbox(ctx.deps, ADMIN, 'kimakers')).extensions).toEqual(['10232']);
    // 10231 was freed by the change
    expect((await setUMMailbox(ctx.deps, ADMIN, 'kimakers', { extensions: ['10231'] })).extensions).toEqual(['10231']);
  });

  it('moving to a policy of a dial plan with other extension lengths needs fitting extensions', async () => {
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: policy, extensions: ['10231'] });
    await newDialPlan(ctx.deps, ADMIN, { name: 'Branch', numberOfDigitsInExtension: 4 });
    const err = await failure(setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { umMailboxPolicy: 'Branch Default Policy' }));
    expect(err.code).toBe('UMPIN_EXTENSION_INVALID');
    expect((await getUMMailbox(ctx.deps, ADMIN, 'tonysmith')).umDialPlan).toBe('Contoso');
    const v = await setUMMailbox(ctx.deps, ADMIN, 'tonysmith', {
      umMailboxPolicy: 'Branch Default Policy',
      extensions: ['4231'],
    });
    expect(v).toMatchObject({ umDialPlan: 'Branch', extensions: ['4231'] });
    // the old extension in Contoso is free again
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'kimakers', umMailboxPolicy: policy, extensions: ['10231'] });
  });

  it('Get-UMMailbox lists only UM-enabled mailboxes, by policy and page', async () => {
    await newMailboxPolicy(ctx.deps, ADMIN, { name: 'Executives', umDialPlan: 'Contoso' });
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: policy, extensions: ['10231'] });
    await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'kimakers',
      umMailboxPolicy: 'Executives',
      extensions: ['10232'],
    });
    // ellenadams is a recipient but not UM-enabled

    const all = await listUMMailboxes(ctx.deps, ADMIN, { limit: 100 });
    expect(all.items.map((m) => m.alias)).toEqual(['kimakers', 'tonysmith']);
    expect(all.next).toBeNull();
    expect(
      (await listUMMailboxes(ctx.deps, ADMIN, { limit: 100, umMailboxPolicy: 'Executives' })).items.map((m) => m.alias),
    ).toEqual(['kimakers']);

    const first = await listUMMailboxes(ctx.deps, ADMIN, { limit: 1 });
    expect(first.items.map((m) => m.alias)).toEqual(['kimakers']);
    const second = await listUMMailboxes(ctx.deps, ADMIN, { limit: 1, cursor: first.next });
    expect(second.items.map((m) => m.alias)).toEqual(['tonysmith']);
    expect(second.next).toBeNull();

    const one = await getUMMailbox(ctx.deps, ADMIN, 'TONYSMITH@CONTOSO.COM');
    expect(one).toMatchObject({
      alias: 'tonysmith',
      umMailboxPolicy: policy,
      umDialPlan: 'Contoso',
      extensions: ['10231'],
      umEnabled: true,
    });
    expect((await failure(getUMMailbox(ctx.deps, ADMIN, 'ellenadams'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
  });

  it('Get-UMMailbox lists each mailbox with its PIN state, filtered on it by the store', async () => {
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: policy, extensions: ['10231'] });
    await enableUMMailbox(ctx.deps, ADMIN, { identity: 'kimakers', umMailboxPolicy: policy, extensions: ['10232'] });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', lockedOut: true });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'kimakers', pin: '468213', pinExpired: false });

    const all = await listUMMailboxes(ctx.deps, ADMIN, { limit: 100 });
    expect(all.items.map((m) => [m.alias, m.pinStatus])).toEqual([
      // first-time until the user's first logon by phone, whoever set the PIN
      ['kimakers', { lockedOut: false, pinExpired: false, firstTimeUser: true }],
      ['tonysmith', { lockedOut: true, pinExpired: true, firstTimeUser: true }],
    ]);
    const locked = await listUMMailboxes(ctx.deps, ADMIN, { limit: 100, filter: 'LockedOut -eq $true' });
    expect(locked.items.map((m) => m.alias)).toEqual(['tonysmith']);
    const expired = await listUMMailboxes(ctx.deps, ADMIN, { limit: 100, filter: 'PinExpired -eq $true' });
    expect(expired.items.map((m) => m.alias)).toEqual(['tonysmith']);
    const sorted = await listUMMailboxes(ctx.deps, ADMIN, { limit: 100, sortBy: '-PrimarySmtpAddress' });
    expect(sorted.items.map((m) => m.alias)).toEqual(['tonysmith', 'kimakers']);
  });

  it('enabling is audited with the PIN redacted', async () => {
    await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'tonysmith',
      umMailboxPolicy: policy,
      extensions: ['10231'],
      pin: '1985848',
    });
    const [entry] = await ctx.deps.store.listAudit({ action: 'Enable-UMMailbox' });
    expect(entry).toMatchObject({ result: 'success', target: 'tonysmith', actor: ADMIN.name });
    expect(entry!.parameters).toMatchObject({ Pin: '(redacted)', Extensions: ['10231'], UMMailboxPolicy: policy });
    expect(JSON.stringify(entry)).not.toContain('1985848');
  });
});
