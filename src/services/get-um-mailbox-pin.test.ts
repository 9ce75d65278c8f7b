import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { Actor } from './actor.js';
import { newDialPlan } from './dial-plans.js';
import { setMailboxPolicy } from './mailbox-policies.js';
import { newRecipient } from './recipients.js';
import { getUMMailboxPIN, listUMMailboxPINs, pageUMMailboxPINs } from './get-um-mailbox-pin.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { enableUMMailbox } from './um-mailboxes.js';
import { fixedLock } from '../domain/progressive-lockout.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(ENGINES)('Get-UMMailboxPIN (%s)', (engine) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps, [
      { alias: 'tonysmith', extension: '10231', pin: '482916' },
      { alias: 'kimakers', extension: '10232' },
      { alias: 'ellenadams', extension: '10235' },
    ]);
  });
  afterEach(async () => {
    await ctx.close();
  });

  const idOf = async (alias: string): Promise<string> => (await ctx.deps.store.findRecipients(alias))[0]!.id;

  it('shows UserID, PinExpired, FirstTimeUser and LockedOut, never the PIN or its hash', async () => {
    const kim = await getUMMailboxPIN(ctx.deps, ADMIN, 'kimakers');
    // enabled without a typed PIN: PINExpired defaults to $true, and Kim has never logged on
    expect(kim).toMatchObject({
      userId: 'kimakers@contoso.com',
      identity: await idOf('kimakers'),
      pinExpired: true,
      firstTimeUser: true,
      lockedOut: false,
      lockedUntil: null,
      failedAttempts: 0,
      pinAgeDays: 0,
    });
    // the fixture gave Tony a typed PIN with PINExpired $false
    const tony = await getUMMailboxPIN(ctx.deps, ADMIN, 'TONYSMITH@contoso.com');
    expect(tony).toMatchObject({
      userId: 'tonysmith@contoso.com',
      pinExpired: false,
      firstTimeUser: true,
      lockedOut: false,
    });
    const text = JSON.stringify(tony);
    expect(text).not.toContain('482916');
    expect(text).not.toContain('argon2');
  });

  it('follows locks, unlocks and failed attempts', async () => {
    const id = await idOf('tonysmith');
    await ctx.deps.store.transaction(async (tx) => {
      await tx.recordFailure(id, 15, fixedLock(0, null));
      await tx.recordFailure(id, 15, fixedLock(0, null));
    });
    expect(await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).toMatchObject({ lockedOut: false, failedAttempts: 2 });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', lockedOut: true });
    expect(await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).toMatchObject({ lockedOut: true, lockedUntil: null });
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', lockedOut: false });
    expect(await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).toMatchObject({ lockedOut: false, failedAttempts: 0 });
  });

  it('a lock with a LockoutDuration lifts by itself when the time is up', async () => {
    await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { lockoutDurationMinutes: 30 });
    const id = await idOf('tonysmith');
    await ctx.deps.store.transaction(async (tx) => {
      for (let i = 0; i < 15; i++) await tx.recordFailure(id, 15, fixedLock(ctx.clock.t, ctx.clock.t + 30 * 60_000));
    });
    const locked = await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith');
    expect(locked.lockedOut).toBe(true);
    expect(locked.lockedUntil).toBeGreaterThan(ctx.clock.t);
    ctx.clock.advance(31 * 60_000);
    expect(await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).toMatchObject({
      lockedOut: false,
      lockedUntil: null,
      failedAttempts: 0,
    });
  });

  it('PinExpired turns true once PINLifetime days have passed', async () => {
    expect((await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).pinExpired).toBe(false);
    ctx.clock.advance(59 * DAY);
    const day59 = await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith');
    expect(day59).toMatchObject({ pinExpired: false, pinAgeDays: 59 });
    ctx.clock.advance(1 * DAY);
    expect(await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).toMatchObject({ pinExpired: true, pinAgeDays: 60 });
    // a new PIN without the expired flag starts the lifetime again
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '573028', pinExpired: false });
    expect(await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).toMatchObject({ pinExpired: false, pinAgeDays: 0 });
  });

  it('a shorter PINLifetime takes effect for PINs already set; Unlimited never expires', async () => {
    ctx.clock.advance(10 * DAY);
    expect((await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).pinExpired).toBe(false);
    await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { pinLifetimeDays: 7 });
    expect((await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).pinExpired).toBe(true);

    await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { pinLifetimeDays: 0 }); // 0 = Unlimited
    ctx.clock.advance(5000 * DAY);
    expect(await getUMMailboxPIN(ctx.deps, ADMIN, 'tonysmith')).toMatchObject({ pinExpired: false, pinAgeDays: 5010 });
  });

  it('without Identity, lists every UM-enabled mailbox up to ResultSize', async () => {
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'plain@contoso.com' }); // not UM-enabled
    const all = await listUMMailboxPINs(ctx.deps, ADMIN);
    expect(all.map((v) => v.userId)).toEqual([
      'ellenadams@contoso.com',
      'kimakers@contoso.com',
      'tonysmith@contoso.com',
    ]);
    expect((await listUMMailboxPINs(ctx.deps, ADMIN, 2)).map((v) => v.userId)).toEqual([
      'ellenadams@contoso.com',
      'kimakers@contoso.com',
    ]);
    expect(await listUMMailboxPINs(ctx.deps, ADMIN, 1)).toHaveLength(1);
    expect(JSON.stringify(all)).not.toContain('argon2');
  });

  it('pages with a cursor; with ignoreErrors a mailbox whose PIN data is unreadable is skipped and named', async () => {
    const first = await pageUMMailboxPINs(ctx.deps, ADMIN, { limit: 2 });
    expect(first.items.map((v) => v.userId)).toEqual(['ellenadams@contoso.com', 'kimakers@contoso.com']);
    const second = await pageUMMailboxPINs(ctx.deps, ADMIN, { limit: 2, cursor: first.next });
    expect(second).toMatchObject({ next: null, skipped: [] });
    expect(second.items.map((v) => v.userId)).toEqual(['tonysmith@contoso.com']);

    const kim = await idOf('kimakers');
    const store = new Proxy(ctx.deps.store, {
      get(target, p) {
        // the list reads PIN states with its page: kim's comes back missing
        if (p === 'umMailboxPage')
          return async (...args: Parameters<typeof target.umMailboxPage>) => {
            const page = await target.umMailboxPage(...args);
            return { ...page, items: page.items.map((i) => (i.recipient.id === kim ? { ...i, pin: null } : i)) };
          };
        const v = Reflect.get(target, p) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const broken = { ...ctx.deps, store };
    expect((await failure(pageUMMailboxPINs(broken, ADMIN, { limit: 10 }))).code).toBe('UMPIN_INTERNAL');
    const page = await pageUMMailboxPINs(broken, ADMIN, { limit: 10, ignoreErrors: true });
    expect(page.items.map((v) => v.userId)).toEqual(['ellenadams@contoso.com', 'tonysmith@contoso.com']);
    expect(page.skipped).toEqual([
      { userId: 'kimakers@contoso.com', code: 'UMPIN_INTERNAL', params: {}, message: 'An internal error occurred.' },
    ]);
  });

  it('an unknown or non-UM identity is reported', async () => {
    expect((await failure(getUMMailboxPIN(ctx.deps, ADMIN, 'ghost'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'plain@contoso.com' });
    expect((await failure(getUMMailboxPIN(ctx.deps, ADMIN, 'plain'))).code).toBe('UMPIN_MAILBOX_NOT_UM_ENABLED');
  });

  it('Help Desk and View-Only may read; a user may read only their own status', async () => {
    const helpDesk: Actor = { kind: 'admin', name: 'admin:hd', roles: ['HelpDesk'] };
    const viewOnly: Actor = { kind: 'admin', name: 'admin:ro', roles: ['ViewOnlyOrganizationManagement'] };
    const gateway: Actor = { kind: 'admin', name: 'token:sip', roles: ['VoiceGateway'] };
    const tony: Actor = {
      kind: 'user',
      name: 'user:tonysmith@contoso.com',
      roles: [],
      recipientId: await idOf('tonysmith'),
    };
    expect((await getUMMailboxPIN(ctx.deps, helpDesk, 'kimakers')).userId).toBe('kimakers@contoso.com');
    expect((await listUMMailboxPINs(ctx.deps, viewOnly)).length).toBe(3);
    expect((await getUMMailboxPIN(ctx.deps, tony, 'tonysmith')).userId).toBe('tonysmith@contoso.com');
    expect((await failure(getUMMailboxPIN(ctx.deps, tony, 'kimakers'))).code).toBe('UMPIN_ACCESS_DENIED');
    expect((await failure(listUMMailboxPINs(ctx.deps, tony))).code).toBe('UMPIN_ACCESS_DENIED');
    expect((await failure(getUMMailboxPIN(ctx.deps, gateway, 'kimakers'))).code).toBe('UMPIN_ACCESS_DENIED');
  });

  it('an administrator scoped to one dial plan sees only its mailboxes', async () => {
    const { defaultPolicy } = await newDialPlan(ctx.deps, ADMIN, { name: 'Branch', numberOfDigitsInExtension: 4 });
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'branchuser@contoso.com' });
    await enableUMMailbox(ctx.deps, ADMIN, {
      identity: 'branchuser',
      umMailboxPolicy: defaultPolicy!.name,
      extensions: ['4001'],
    });
    const scoped: Actor = {
      kind: 'admin',
      name: 'admin:branch',
      roles: ['HelpDesk'],
      dialPlanScope: [defaultPolicy!.dialPlanId],
    };
    expect((await listUMMailboxPINs(ctx.deps, scoped)).map((v) => v.userId)).toEqual(['branchuser@contoso.com']);
    expect((await getUMMailboxPIN(ctx.deps, scoped, 'branchuser')).userId).toBe('branchuser@contoso.com');
    expect((await failure(getUMMailboxPIN(ctx.deps, scoped, 'tonysmith'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
  });
});
