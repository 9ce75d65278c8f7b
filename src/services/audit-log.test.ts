import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { Database } from '../store/kysely/schema.js';
import type { Actor } from './actor.js';
import { auditChains, exchangeParameterName, pageAuditLog, searchAuditLog, verifyAuditLog } from './audit-log.js';
import { setMailboxPolicy } from './mailbox-policies.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';

const HELP_DESK: Actor = { kind: 'admin', name: 'admin:helpdesk', roles: ['HelpDesk'], source: '10.0.0.7' };
const AUDITOR: Actor = { kind: 'admin', name: 'admin:auditor', roles: ['ViewOnlyOrganizationManagement'] };

describe.each(ENGINES)('audit log (%s)', (engine) => {
  let ctx: TestContext;
  let db: Kysely<Database>;
  beforeEach(async () => {
    ctx = await testContext(engine);
    db = (ctx.deps.store as unknown as { kysely: Kysely<Database> }).kysely;
    // Set-OrganizationConfig, New-UMDialPlan, then New-Mailbox + Enable-UMMailbox for each user
    await contoso(ctx.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
    ]);
    ctx.clock.advance(60_000);
    await setUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith', pin: '1985848' });
    await failure(setUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'kimakers', pin: '123456' }));
    await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { minPinLength: 7 });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('the chain verifies after a run of operations', async () => {
    const entries = await ctx.deps.store.listAudit({});
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(await verifyAuditLog(ctx.deps, ADMIN)).toEqual({ ok: true, entries: entries.length, chains: 8 });
    expect(entries.length).toBe(9);
  });

  it('pages newest first by the cursor, with the filter, when asked', async () => {
    const all = await ctx.deps.store.listAudit({});
    const newest = [...all].reverse().map((e) => e.seq);
    const first = await pageAuditLog(ctx.deps, AUDITOR, { newestFirst: true, limit: 4 });
    expect(first.items.map((e) => e.seq)).toEqual(newest.slice(0, 4));
    const second = await pageAuditLog(ctx.deps, AUDITOR, { newestFirst: true, limit: 4, cursor: first.next });
    expect(second.items.map((e) => e.seq)).toEqual(newest.slice(4, 8));
    const pins = await pageAuditLog(ctx.deps, AUDITOR, {
      newestFirst: true,
      actions: ['Set-UMMailboxPIN'],
      result: 'success',
      limit: 10,
    });
    const expected = all.filter((e) => e.action === 'Set-UMMailboxPIN' && e.result === 'success').reverse();
    expect(pins.items.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
    expect(pins.next).toBeNull();
  });

  it('entries name the actor, source, action, target and result', async () => {
    const entries = await ctx.deps.store.listAudit({ action: 'Set-UMMailboxPIN' });
    expect(
      entries.map(({ actor, source, action, target, result, errorCode }) => ({
        actor,
        source,
        action,
        target,
        result,
        errorCode,
      })),
    ).toEqual([
      {
        actor: 'admin:helpdesk',
        source: '10.0.0.7',
        action: 'Set-UMMailboxPIN',
        target: 'tonysmith@contoso.com',
        result: 'success',
        errorCode: null,
      },
      {
        actor: 'admin:helpdesk',
        source: '10.0.0.7',
        action: 'Set-UMMailboxPIN',
        target: 'kimakers@contoso.com',
        result: 'failure',
        errorCode: 'UMPIN_PIN_COMMON_PATTERN',
      },
    ]);
    expect(entries[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    const all = JSON.stringify(await ctx.deps.store.listAudit({}));
    expect(all).not.toContain('1985848');
    expect(all).not.toContain('123456');
  });

  it('a changed entry breaks the chain at that entry', async () => {
    const [victim] = await ctx.deps.store.listAudit({ action: 'Set-UMMailboxPIN' });
    await db
      .updateTable('audit_log')
      .set({ parameters: '{"Identity":"someoneelse"}' })
      .where('seq', '=', victim!.seq)
      .execute();
    const after = (await ctx.deps.store.listAudit({})).filter(
      (e) => e.chain === victim!.chain && e.position > victim!.position,
    );
    expect(await verifyAuditLog(ctx.deps, ADMIN)).toEqual({
      ok: false,
      // every entry but those from the changed one on, in its chain
      entries: (await ctx.deps.store.listAudit({})).length - 1 - after.length,
      chain: victim!.chain,
      position: victim!.position,
      brokenAtSeq: victim!.seq,
      reason: 'hash-mismatch',
      brokenChains: [victim!.chain],
    });
  });

  it('a changed result or actor is caught as well', async () => {
    const failed = (await ctx.deps.store.listAudit({ action: 'Set-UMMailboxPIN' }))[1]!;
    await db
      .updateTable('audit_log')
      .set({ result: 'success', error_code: null })
      .where('seq', '=', failed.seq)
      .execute();
    expect(await verifyAuditLog(ctx.deps, ADMIN)).toMatchObject({ ok: false, brokenAtSeq: failed.seq });
    await db
      .updateTable('audit_log')
      .set({ result: 'failure', error_code: 'UMPIN_PIN_COMMON_PATTERN' })
      .where('seq', '=', failed.seq)
      .execute();
    expect((await verifyAuditLog(ctx.deps, ADMIN)).ok).toBe(true);
    await db.updateTable('audit_log').set({ actor: 'admin:someone' }).where('seq', '=', 2).execute();
    expect(await verifyAuditLog(ctx.deps, ADMIN)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('a deleted entry leaves a gap at its place in its chain', async () => {
    const gone = (await ctx.deps.store.listAudit({}))[3]!;
    await db.deleteFrom('audit_log').where('seq', '=', gone.seq).execute();
    expect(await verifyAuditLog(ctx.deps, ADMIN)).toMatchObject({
      ok: false,
      chain: gone.chain,
      position: gone.position,
      brokenAtSeq: null,
      reason: 'gap',
    });
  });

  it('deleting the newest entries is caught by the chain heads', async () => {
    const newest = (await ctx.deps.store.listAudit({ newestFirst: true, limit: 2 })).reverse();
    await db.deleteFrom('audit_log').where('seq', '>=', newest[0]!.seq).execute();
    // each was the last of its chain: the chain's head counts it
    expect(await verifyAuditLog(ctx.deps, ADMIN)).toMatchObject({
      ok: false,
      brokenAtSeq: null,
      reason: 'gap',
      brokenChains: [...new Set(newest.map((e) => e.chain))].sort((x, y) => x - y),
    });
  });

  it('a re-linked forgery without the audit key does not verify', async () => {
    // an attacker with only the database rewrites an entry and recomputes an unkeyed hash
    const target = (await ctx.deps.store.listAudit({ action: 'Set-UMMailboxPIN' }))[0]!;
    await db
      .updateTable('audit_log')
      .set({ actor: 'admin:nobody', hash: 'f'.repeat(64) })
      .where('seq', '=', target.seq)
      .execute();
    expect(await verifyAuditLog(ctx.deps, ADMIN)).toMatchObject({ ok: false, brokenAtSeq: target.seq });
  });

  it('keeps working as more entries are appended after verification', async () => {
    expect((await verifyAuditLog(ctx.deps, ADMIN)).ok).toBe(true);
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'kimakers', lockedOut: true });
    expect(await verifyAuditLog(ctx.deps, ADMIN)).toEqual({ ok: true, entries: 10, chains: 8 });
  });

  it('Search-AdminAuditLog filters by action, target, actor and date', async () => {
    const search = async (f: Parameters<typeof searchAuditLog>[2]) =>
      (await searchAuditLog(ctx.deps, AUDITOR, f)).map((e) => `${e.action} ${e.target}`);
    expect(await search({ action: 'enable-ummailbox' })).toEqual([
      'Enable-UMMailbox tonysmith',
      'Enable-UMMailbox kimakers',
    ]);
    expect(await search({ target: 'TONYSMITH@contoso.com' })).toEqual([
      'New-Mailbox tonysmith@contoso.com',
      'Set-UMMailboxPIN tonysmith@contoso.com',
    ]);
    expect(await search({ actor: 'ADMIN:HELPDESK' })).toEqual([
      'Set-UMMailboxPIN tonysmith@contoso.com',
      'Set-UMMailboxPIN kimakers@contoso.com',
    ]);
    expect(await search({ actor: 'admin:helpdesk', target: 'kimakers@contoso.com' })).toEqual([
      'Set-UMMailboxPIN kimakers@contoso.com',
    ]);

    const all = await searchAuditLog(ctx.deps, AUDITOR, {});
    const cut = all.find((e) => e.actor === 'admin:helpdesk')!.at; // the first entry after the clock jumped a minute
    expect(await search({ from: cut })).toEqual([
      'Set-UMMailboxPIN tonysmith@contoso.com',
      'Set-UMMailboxPIN kimakers@contoso.com',
      'Set-UMMailboxPolicy Contoso Default Policy',
    ]);
    expect((await search({ to: cut - 1 })).length).toBe(6);
    expect(await search({ from: cut, to: cut })).toEqual(['Set-UMMailboxPIN tonysmith@contoso.com']);
    expect(await search({ limit: 2 })).toHaveLength(2);
  });

  it('Search-AdminAuditLog matches any of several cmdlets, objects or callers, a result, and parameters by either name', async () => {
    const search = async (f: Parameters<typeof searchAuditLog>[2]) =>
      (await searchAuditLog(ctx.deps, AUDITOR, f)).map((e) => `${e.action} ${e.target}`);
    expect(await search({ actions: ['new-mailbox', 'Set-UMMailboxPIN'] })).toEqual([
      'New-Mailbox tonysmith@contoso.com',
      'New-Mailbox kimakers@contoso.com',
      'Set-UMMailboxPIN tonysmith@contoso.com',
      'Set-UMMailboxPIN kimakers@contoso.com',
    ]);
    // as recorded: Enable-UMMailbox was given the alias, New-Mailbox the address
    expect(await search({ targets: ['tonysmith', 'KIMAKERS@contoso.com'] })).toEqual([
      'Enable-UMMailbox tonysmith',
      'New-Mailbox kimakers@contoso.com',
      'Set-UMMailboxPIN kimakers@contoso.com',
    ]);
    expect(await search({ actors: ['admin:helpdesk', 'admin:nobody'], result: 'failure' })).toEqual([
      'Set-UMMailboxPIN kimakers@contoso.com',
    ]);
    expect(await search({ action: 'Set-UMMailboxPIN', actions: ['Set-UMMailboxPolicy'], result: 'success' })).toEqual([
      'Set-UMMailboxPIN tonysmith@contoso.com',
      'Set-UMMailboxPolicy Contoso Default Policy',
    ]);

    // umpin records minPinLength, pinLifetimeDays; Exchange's MinPINLength, PINLifetime find them
    expect(await search({ actions: ['Set-UMMailboxPolicy'], parameters: ['MinPINLength'] })).toEqual([
      'Set-UMMailboxPolicy Contoso Default Policy',
    ]);
    expect(await search({ parameters: ['PINLifetime', 'PINHistoryCount'] })).toEqual([]);
    await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { pinLifetimeDays: 30 });
    expect(await search({ parameters: ['PINLifetime', 'PINHistoryCount'] })).toEqual([
      'Set-UMMailboxPolicy Contoso Default Policy',
    ]);
    expect(await search({ parameters: ['identity'], actions: ['Enable-UMMailbox'] })).toHaveLength(2);
    expect(
      ['pinLifetimeDays', 'voiceAccessNumbers', 'primarySmtpAddress', 'umDialPlan', 'Identity'].map(
        exchangeParameterName,
      ),
    ).toEqual(['PINLifetime', 'AccessTelephoneNumbers', 'PrimarySmtpAddress', 'UMDialPlan', 'Identity']);
  });

  it('Search-AdminAuditLog pages with offset and limit, and gives the same answers when the lists are long', async () => {
    const all = (await searchAuditLog(ctx.deps, AUDITOR, {})).map((e) => e.seq);
    expect(all).toHaveLength(9);
    expect((await searchAuditLog(ctx.deps, AUDITOR, { offset: 2, limit: 3 })).map((e) => e.seq)).toEqual(
      all.slice(2, 5),
    );
    expect(await searchAuditLog(ctx.deps, AUDITOR, { offset: 20 })).toEqual([]);
    expect(await searchAuditLog(ctx.deps, AUDITOR, { limit: 0 })).toEqual([]);
    // 5 x 5 x 3 combinations: one scan of the log instead of a query each
    const many = {
      actions: ['New-Mailbox', 'Set-UMMailboxPIN', 'Remove-Mailbox', 'Disable-UMMailbox', 'New-UMDialPlan'],
      targets: ['tonysmith@contoso.com', 'kimakers@contoso.com', 'a', 'b', 'Contoso'],
      actors: [ADMIN.name, 'admin:helpdesk', 'admin:x'],
    };
    const expected = [
      'New-UMDialPlan Contoso',
      'New-Mailbox tonysmith@contoso.com',
      'New-Mailbox kimakers@contoso.com',
      'Set-UMMailboxPIN tonysmith@contoso.com',
      'Set-UMMailboxPIN kimakers@contoso.com',
    ];
    expect((await searchAuditLog(ctx.deps, AUDITOR, many)).map((e) => `${e.action} ${e.target}`)).toEqual(expected);
    expect(
      (await searchAuditLog(ctx.deps, AUDITOR, { ...many, actors: many.actors.slice(0, 2) })).map(
        (e) => `${e.action} ${e.target}`,
      ),
    ).toEqual(expected);
    expect((await searchAuditLog(ctx.deps, AUDITOR, { ...many, offset: 1, limit: 2 })).map((e) => e.target)).toEqual([
      'tonysmith@contoso.com',
      'kimakers@contoso.com',
    ]);
  });

  it('umpin audit chains: new entries go to the chains taking them, 1 to 64, set by Organization Management', async () => {
    const heads = await auditChains(ctx.deps, AUDITOR);
    expect(heads.map((h) => [h.chain, h.writable])).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((c) => [c, true]));
    expect((await failure(auditChains(ctx.deps, AUDITOR, 2))).code).toBe('UMPIN_ACCESS_DENIED');
    for (const bad of [0, 65, 1.5])
      expect(await failure(auditChains(ctx.deps, ADMIN, bad))).toMatchObject({
        code: 'UMPIN_VALUE_OUT_OF_RANGE',
        field: 'Writable',
      });
    // more chains than there are: their heads are made, empty but for the change's own entry (in any chain)
    const twelve = await auditChains(ctx.deps, ADMIN, 12);
    expect(twelve.map((h) => h.chain)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(twelve.slice(8).every((h) => h.writable && h.length <= 1)).toBe(true);
    const one = await auditChains(ctx.deps, ADMIN, 1);
    expect(one.filter((h) => h.writable).map((h) => h.chain)).toEqual([0]);
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'kimakers', lockedOut: true });
    const [newest] = await ctx.deps.store.listAudit({ newestFirst: true, limit: 1 });
    expect(newest).toMatchObject({ action: 'Set-UMMailboxPIN', chain: 0 });
    expect(await searchAuditLog(ctx.deps, AUDITOR, { action: 'Set-AuditChains' })).toHaveLength(2);
    expect(await verifyAuditLog(ctx.deps, ADMIN)).toMatchObject({ ok: true, chains: 12 });
  });

  it('only those with audit:read may search or verify', async () => {
    expect((await failure(searchAuditLog(ctx.deps, HELP_DESK, {}))).code).toBe('UMPIN_ACCESS_DENIED');
    expect((await failure(verifyAuditLog(ctx.deps, HELP_DESK))).code).toBe('UMPIN_ACCESS_DENIED');
    const user: Actor = {
      kind: 'user',
      name: 'user:tonysmith@contoso.com',
      roles: [],
      recipientId: (await ctx.deps.store.findRecipients('tonysmith'))[0]!.id,
    };
    expect((await failure(searchAuditLog(ctx.deps, user, { target: 'tonysmith@contoso.com' }))).code).toBe(
      'UMPIN_ACCESS_DENIED',
    );
    expect((await verifyAuditLog(ctx.deps, AUDITOR)).ok).toBe(true);
  });
});
