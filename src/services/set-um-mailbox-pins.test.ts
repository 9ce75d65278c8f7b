import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { Actor } from './actor.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { setUMMailboxPINs } from './set-um-mailbox-pins.js';

const HELP_DESK: Actor = { kind: 'admin', name: 'admin:helpdesk', roles: ['HelpDesk'], source: '10.0.0.7' };
const VIEW_ONLY: Actor = { kind: 'admin', name: 'admin:auditor', roles: ['ViewOnlyOrganizationManagement'] };

describe.each(ENGINES)('Set-UMMailboxPIN for many mailboxes (%s)', (engine) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps, [
      { alias: 'tonysmith', extension: '10231', pin: '482916' },
      { alias: 'kimakers', extension: '10232', pin: '582049' },
      { alias: 'davidpelton', extension: '10233', pin: '694027' },
    ]);
  });
  afterEach(async () => {
    await ctx.close();
  });
  const pinOf = async (alias: string) =>
    (await ctx.deps.store.getPin((await ctx.deps.store.findRecipients(alias))[0]!.id))!;
  const resetMails = async () => (await ctx.deps.store.listOutbox({})).filter((m) => m.kind === 'pin-reset');

  it('resets each to a generated, mailed PIN and answers each in the order given, a refusal in its place', async () => {
    const r = await setUMMailboxPINs(ctx.deps, HELP_DESK, { identities: ['kimakers', 'ghost', 'davidpelton'] });
    expect(r.items).toEqual([
      { identity: 'kimakers', ok: true, userId: 'kimakers@contoso.com', mailTo: 'kimakers@contoso.com' },
      { identity: 'ghost', ok: false, issue: expect.objectContaining({ code: 'UMPIN_IDENTITY_NOT_FOUND' }) },
      { identity: 'davidpelton', ok: true, userId: 'davidpelton@contoso.com', mailTo: 'davidpelton@contoso.com' },
    ]);
    expect((await resetMails()).map((m) => m.toAddress).sort()).toEqual([
      'davidpelton@contoso.com',
      'kimakers@contoso.com',
    ]);
    expect((await pinOf('kimakers')).pinExpired).toBe(true);
    // each is on record as its own Set-UMMailboxPIN
    const audit = await ctx.deps.store.listAudit({ action: 'Set-UMMailboxPIN' });
    expect(audit.map((e) => [e.target, e.result])).toEqual([
      ['kimakers@contoso.com', 'success'],
      ['davidpelton@contoso.com', 'success'],
      ['ghost', 'failure'],
    ]);
  });

  it('lockedOut false unlocks each, keeping its PIN and sending no mail', async () => {
    for (const alias of ['tonysmith', 'kimakers'])
      await setUMMailboxPIN(ctx.deps, ADMIN, { identity: alias, lockedOut: true });
    const before = await pinOf('tonysmith');
    const r = await setUMMailboxPINs(ctx.deps, HELP_DESK, { identities: ['tonysmith', 'kimakers'], lockedOut: false });
    expect(r.items.map((i) => [i.identity, i.ok])).toEqual([
      ['tonysmith', true],
      ['kimakers', true],
    ]);
    const after = await pinOf('tonysmith');
    expect(after.lockedOut).toBe(false);
    expect(after.pinHash).toBe(before.pinHash);
    expect(await resetMails()).toEqual([]);
  });

  it('a caller who may not reset any PIN is refused once, on record, and nothing changes', async () => {
    const before = await pinOf('kimakers');
    await expect(
      setUMMailboxPINs(ctx.deps, VIEW_ONLY, { identities: ['kimakers', 'tonysmith'] }),
    ).rejects.toMatchObject({
      code: 'UMPIN_ACCESS_DENIED',
    });
    expect(await pinOf('kimakers')).toEqual(before);
    const refused = await ctx.deps.store.listAudit({ actor: VIEW_ONLY.name });
    expect(refused.map((e) => [e.action, e.result, e.errorCode])).toEqual([
      ['Set-UMMailboxPIN', 'failure', 'UMPIN_ACCESS_DENIED'],
    ]);
  });
});
