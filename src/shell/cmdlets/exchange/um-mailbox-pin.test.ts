import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/cmdlet-context.js';
import { contoso, failure } from '../../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../../test/harness.js';
import { getProperty, typeNameOf } from '../../ps-object.js';
import { UM_MAILBOX_PIN_CMDLETS } from './um-mailbox-pin.js';
import { fixedLock } from '../../../domain/progressive-lockout.js';

const GET = UM_MAILBOX_PIN_CMDLETS.find((c) => c.name === 'Get-UMMailboxPIN')!;
const SET = UM_MAILBOX_PIN_CMDLETS.find((c) => c.name === 'Set-UMMailboxPIN')!;

describe('UM mailbox PIN cmdlet definitions', () => {
  it('follow Exchange: Identity mandatory on Set only, Set asks medium, Get shows the four Exchange columns', () => {
    for (const d of UM_MAILBOX_PIN_CMDLETS)
      expect(new Set(d.examples.map((e) => e.source)), d.name).toEqual(new Set(['microsoft', 'umpin']));
    expect(GET.parameters.find((p) => p.name === 'Identity')!.mandatory).toBe(false);
    expect(SET.parameters.find((p) => p.name === 'Identity')!.mandatory).toBe(true);
    expect(SET.confirmImpact).toBe('medium');
    expect(GET.confirmImpact).toBeUndefined();
    expect(GET.outputs).toEqual([
      {
        typeName: 'UMMailboxPin',
        view: { kind: 'table', properties: ['UserID', 'PinExpired', 'FirstTimeUser', 'LockedOut'] },
      },
    ]);
    expect(Object.fromEntries(SET.parameters.map((p) => [p.name, p.type]))).toEqual({
      Identity: 'identity',
      Pin: 'string',
      PINExpired: 'bool',
      LockedOut: 'bool',
      NotifyEmail: 'string',
      SendEmail: 'bool',
    });
    expect(GET.parameters.find((p) => p.name === 'IgnoreErrors')!.type).toBe('switch');
    expect(GET.parameters.find((p) => p.name === 'ResultSize')!.type).toBe('unlimited');
  });
});

describe.each(ENGINES)('UM mailbox PIN cmdlets (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231', pin: '482916' },
      { alias: 'kimakers', extension: '10232' },
      { alias: 'ellenadams', extension: '10235' },
    ]);
  });
  afterEach(async () => {
    await t.close();
  });

  const pinOf = async (alias: string) =>
    (await t.deps.store.getPin((await t.deps.store.findRecipients(alias))[0]!.id))!;
  const outbox = () => t.deps.store.listOutbox({});

  describe('Get-UMMailboxPIN', () => {
    it('without Identity lists every UM-enabled mailbox as UMMailboxPin objects, never with the PIN', async () => {
      const ctx = fakeContext(t.deps);
      await GET.process(ctx, {});
      expect(ctx.emitted.map((o) => getProperty(o, 'UserID'))).toEqual([
        'ellenadams@contoso.com',
        'kimakers@contoso.com',
        'tonysmith@contoso.com',
      ]);
      const tony = ctx.emitted[2]!;
      expect(typeNameOf(tony)).toBe('UMMailboxPin');
      expect(tony).toMatchObject({
        UserID: 'tonysmith@contoso.com',
        PinExpired: false,
        FirstTimeUser: true,
        LockedOut: false,
        FailedLogonAttempts: 0,
        LockedUntil: null,
        PinAge: 0,
        LastFailureTime: null,
        LastFailureCallerId: null,
        IsValid: true,
        ObjectState: 'Unchanged',
      });
      expect(getProperty(tony, 'identity')).toBe((await t.deps.store.findRecipients('tonysmith'))[0]!.id);
      expect(getProperty(tony, 'PinSetTime')).toBeInstanceOf(Date);
      expect(JSON.stringify(ctx.emitted)).not.toContain('482916');
      expect(ctx.warnings).toEqual([]);
      expect(ctx.asked).toEqual([]);
    });

    it('with Identity shows that mailbox; an unknown one fails, or warns with -IgnoreErrors', async () => {
      const ctx = fakeContext(t.deps);
      await GET.process(ctx, { Identity: 'KIMAKERS@contoso.com' });
      expect(ctx.emitted).toHaveLength(1);
      expect(ctx.emitted[0]).toMatchObject({ UserID: 'kimakers@contoso.com', PinExpired: true });
      expect((await failure(GET.process(ctx, { Identity: 'nobody' }))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
      await GET.process(ctx, { Identity: 'nobody', IgnoreErrors: true });
      expect(ctx.warnings).toEqual([expect.stringContaining('nobody')]);
      expect(ctx.emitted).toHaveLength(1);
    });

    it('-ResultSize limits the list and says more exist; Unlimited lists all', async () => {
      const ctx = fakeContext(t.deps);
      await GET.process(ctx, { ResultSize: 2 });
      expect(ctx.emitted).toHaveLength(2);
      expect(ctx.warnings).toEqual([expect.stringContaining('ResultSize of 2')]);
      const all = fakeContext(t.deps);
      await GET.process(all, { ResultSize: 'Unlimited' });
      expect(all.emitted).toHaveLength(3);
      expect(all.warnings).toEqual([]);
      expect((await failure(GET.process(all, { ResultSize: 0 }))).field).toBe('ResultSize');
    });

    it('-IgnoreErrors leaves out a mailbox whose PIN data cannot be read and names it in a warning', async () => {
      const kim = (await t.deps.store.findRecipients('kimakers'))[0]!.id;
      // a store that has lost Kim's PIN data: read alone, or with the list's page
      const store = new Proxy(t.deps.store, {
        get(target, p) {
          if (p === 'getPin') return async (id: string) => (id === kim ? null : target.getPin(id));
          if (p === 'umMailboxPage')
            return async (...args: Parameters<typeof target.umMailboxPage>) => {
              const page = await target.umMailboxPage(...args);
              return { ...page, items: page.items.map((i) => (i.recipient.id === kim ? { ...i, pin: null } : i)) };
            };
          const v = Reflect.get(target, p) as unknown;
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      const ctx = fakeContext({ ...t.deps, store });
      expect((await failure(GET.process(ctx, {}))).code).toBe('UMPIN_INTERNAL');
      ctx.emitted.length = 0;
      await GET.process(ctx, { IgnoreErrors: true });
      expect(ctx.emitted.map((o) => getProperty(o, 'UserID'))).toEqual([
        'ellenadams@contoso.com',
        'tonysmith@contoso.com',
      ]);
      expect(ctx.warnings).toEqual([expect.stringContaining('kimakers@contoso.com')]);
    });

    it('shows a lock and failed attempts', async () => {
      const id = (await t.deps.store.findRecipients('tonysmith'))[0]!.id;
      await t.deps.store.transaction(async (tx) => {
        await tx.recordFailure(id, 15, fixedLock(0, null));
      });
      const ctx = fakeContext(t.deps);
      await SET.process(ctx, { Identity: 'tonysmith', LockedOut: true });
      await GET.process(ctx, { Identity: 'tonysmith' });
      expect(ctx.emitted[0]).toMatchObject({ LockedOut: true, FailedLogonAttempts: 1 });
    });

    it('shows when the last wrong PIN was keyed and the calling number it came from', async () => {
      const id = (await t.deps.store.findRecipients('tonysmith'))[0]!.id;
      const at = Date.UTC(2026, 11, 6, 8, 30);
      await t.deps.store.transaction(async (tx) => {
        await tx.recordFailure(id, 15, fixedLock(0, null), { at, caller: '+14255550123' });
      });
      const ctx = fakeContext(t.deps);
      await GET.process(ctx, { Identity: 'tonysmith' });
      expect(ctx.emitted[0]).toMatchObject({
        FailedLogonAttempts: 1,
        LastFailureTime: new Date(at),
        LastFailureCallerId: '+14255550123',
      });
    });
  });

  describe('Set-UMMailboxPIN', () => {
    it('sets a typed PIN after asking, e-mails it, and writes nothing to the pipeline', async () => {
      const ctx = fakeContext(t.deps);
      await SET.process(ctx, { Identity: 'tonysmith@contoso.com', Pin: '1985848', PINExpired: true });
      expect(ctx.asked).toEqual([['tonysmith@contoso.com', 'Set-UMMailboxPIN']]);
      expect(ctx.emitted).toEqual([]);
      expect(ctx.warnings).toEqual([]);
      const pin = await pinOf('tonysmith');
      expect(await t.deps.hasher.verify(pin.pinHash, '1985848')).toBe(true);
      expect(pin.pinExpired).toBe(true);
      expect((await outbox()).filter((m) => m.kind === 'pin-reset').map((m) => m.toAddress)).toEqual([
        'tonysmith@contoso.com',
      ]);
    });

    it('without -Pin generates one; PINExpired omitted means expired; $false keeps it valid', async () => {
      const ctx = fakeContext(t.deps);
      const before = (await pinOf('tonysmith')).pinHash;
      await SET.process(ctx, { Identity: 'tonysmith' });
      const after = await pinOf('tonysmith');
      expect(after.pinHash).not.toBe(before);
      expect(after.pinExpired).toBe(true);
      await SET.process(ctx, { Identity: 'tonysmith', PINExpired: false });
      expect((await pinOf('tonysmith')).pinExpired).toBe(false);
      expect(ctx.warnings).toEqual([]);
    });

    it('-LockedOut alone locks and unlocks without a new PIN or e-mail', async () => {
      const ctx = fakeContext(t.deps);
      const before = await pinOf('tonysmith');
      const mails = (await outbox()).length;
      await SET.process(ctx, { Identity: 'tonysmith', LockedOut: true });
      expect(await pinOf('tonysmith')).toMatchObject({ lockedOut: true, pinHash: before.pinHash });
      await SET.process(ctx, { Identity: 'tonysmith', LockedOut: false });
      expect(await pinOf('tonysmith')).toMatchObject({ lockedOut: false, pinHash: before.pinHash });
      expect(await outbox()).toHaveLength(mails);
      // a mail option with a lock-only change is pointed out
      await SET.process(ctx, { Identity: 'tonysmith', LockedOut: false, NotifyEmail: 'helpdesk@contoso.com' });
      expect(ctx.warnings).toEqual([expect.stringContaining('no PIN e-mail was sent')]);
    });

    it('-NotifyEmail sends the PIN mail elsewhere; -SendEmail $false sends none and warns without the PIN', async () => {
      const ctx = fakeContext(t.deps);
      await SET.process(ctx, { Identity: 'kimakers', NotifyEmail: 'helpdesk@contoso.com' });
      expect((await outbox()).filter((m) => m.kind === 'pin-reset').map((m) => m.toAddress)).toEqual([
        'helpdesk@contoso.com',
      ]);
      await SET.process(ctx, { Identity: 'kimakers', SendEmail: false });
      expect((await outbox()).filter((m) => m.kind === 'pin-reset')).toHaveLength(1);
      expect(ctx.warnings).toEqual([expect.stringContaining('e-mailed to nobody')]);
      expect(ctx.warnings[0]).not.toMatch(/\d{4}/);
    });

    it('refuses a PIN against the policy with the rule named, changing nothing', async () => {
      const ctx = fakeContext(t.deps);
      const before = await pinOf('tonysmith');
      for (const [pin, code] of [
        ['123456', 'UMPIN_PIN_COMMON_PATTERN'],
        ['12', 'UMPIN_PIN_TOO_SHORT'],
        ['9910231', 'UMPIN_PIN_CONTAINS_EXTENSION'],
      ] as const) {
        const err = await failure(SET.process(ctx, { Identity: 'tonysmith', Pin: pin }));
        expect(err.code).toBe(code);
        expect(err.message).not.toContain(pin);
      }
      expect((await pinOf('tonysmith')).pinHash).toBe(before.pinHash);
    });

    it('under -WhatIf (shouldProcess false) changes nothing', async () => {
      const ctx = fakeContext(t.deps);
      ctx.allow = false;
      const before = await pinOf('tonysmith');
      await SET.process(ctx, { Identity: 'tonysmith', Pin: '1985848' });
      expect((await pinOf('tonysmith')).pinHash).toBe(before.pinHash);
      expect(ctx.asked).toEqual([['tonysmith', 'Set-UMMailboxPIN']]);
    });

    it('takes the Identity of a Get-UMMailboxPIN object, so locked-out users can be unlocked in one pipeline', async () => {
      const ctx = fakeContext(t.deps);
      await SET.process(ctx, { Identity: 'kimakers', LockedOut: true });
      await SET.process(ctx, { Identity: 'ellenadams', LockedOut: true });
      await GET.process(ctx, {});
      const locked = ctx.emitted.filter((o) => getProperty(o, 'LockedOut') === true);
      expect(locked).toHaveLength(2);
      for (const o of locked) await SET.process(ctx, { Identity: getProperty(o, 'Identity'), LockedOut: false });
      ctx.emitted.length = 0;
      await GET.process(ctx, {});
      expect(ctx.emitted.every((o) => getProperty(o, 'LockedOut') === false)).toBe(true);
    });
  });
});
