import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext, type FakeContext } from '../../../../test/cmdlet-context.js';
import { ADMIN, contoso, failure } from '../../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../../test/harness.js';
import type { Actor } from '../../../services/actor.js';
import { setMailboxPolicy } from '../../../services/mailbox-policies.js';
import { setUMMailboxPIN } from '../../../services/set-um-mailbox-pin.js';
import type { CmdletDefinition } from '../../cmdlet.js';
import { getProperty, typeNameOf } from '../../ps-object.js';
import { ADMIN_AUDIT_LOG_CMDLETS } from './admin-audit-log.js';

const SEARCH: CmdletDefinition = ADMIN_AUDIT_LOG_CMDLETS[0]!;
const HELP_DESK: Actor = { kind: 'admin', name: 'admin:helpdesk', roles: ['HelpDesk'], source: '10.0.0.7' };

const shown = (objects: unknown[]) =>
  objects.map((o) => `${String(getProperty(o, 'CmdletName'))} ${String(getProperty(o, 'ObjectModified'))}`);

describe('Search-AdminAuditLog definition', () => {
  it("has Exchange's parameters and every Microsoft example", () => {
    const all = [...SEARCH.parameters.map((p) => p.name), ...SEARCH.ignoredParameters.map((p) => p.name)].map((n) =>
      n.toLowerCase(),
    );
    expect(all.sort()).toEqual([
      'cmdlets',
      'domaincontroller',
      'enddate',
      'externalaccess',
      'issuccess',
      'objectids',
      'parameters',
      'resultsize',
      'startdate',
      'startindex',
      'userids',
    ]);
    expect(SEARCH.examples.filter((e) => e.source === 'microsoft')).toHaveLength(4);
    expect(SEARCH.confirmImpact).toBeUndefined();
  });
});

describe.each(ENGINES)('Search-AdminAuditLog (%s)', (engine) => {
  let t: TestContext;
  let ctx: FakeContext;
  let cut: number;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
    ]);
    t.clock.advance(86_400_000);
    cut = t.clock.t;
    await setUMMailboxPIN(t.deps, HELP_DESK, { identity: 'tonysmith', pin: '1985848' });
    await failure(setUMMailboxPIN(t.deps, HELP_DESK, { identity: 'kimakers', pin: '123456' }));
    await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { minPinLength: 7 });
    ctx = fakeContext(t.deps);
  });
  afterEach(async () => {
    await t.close();
  });

  it('shows each entry as an AdminAuditLogEvent with Exchange’s properties, never a PIN', async () => {
    await SEARCH.process(ctx, { Cmdlets: ['Set-UMMailboxPIN'] });
    expect(ctx.emitted).toHaveLength(2);
    const [ok, refused] = ctx.emitted;
    expect(typeNameOf(ok)).toBe('AdminAuditLogEvent');
    expect(ok).toMatchObject({
      Caller: 'admin:helpdesk',
      CmdletName: 'Set-UMMailboxPIN',
      ObjectModified: 'tonysmith@contoso.com',
      Succeeded: true,
      Error: null,
      Source: '10.0.0.7',
    });
    const runDate = getProperty(ok, 'RunDate') as Date;
    expect(runDate).toBeInstanceOf(Date);
    expect(runDate.getTime() - cut).toBeGreaterThanOrEqual(0);
    expect(runDate.getTime() - cut).toBeLessThan(1000);
    expect(refused).toMatchObject({ Succeeded: false, Error: 'UMPIN_PIN_COMMON_PATTERN' });
    const params = getProperty(ok, 'CmdletParameters') as unknown[];
    expect(params.map((p) => getProperty(p, 'Name'))).toContain('Pin');
    expect(JSON.stringify(ctx.emitted)).not.toContain('1985848');
  });

  it('filters by several cmdlets, objects and callers, by result and by date', async () => {
    await SEARCH.process(ctx, { Cmdlets: ['Set-UMMailboxPIN', 'set-ummailboxpolicy'], IsSuccess: true });
    expect(shown(ctx.emitted)).toEqual([
      'Set-UMMailboxPIN tonysmith@contoso.com',
      'Set-UMMailboxPolicy Contoso Default Policy',
    ]);
    ctx.emitted.length = 0;
    await SEARCH.process(ctx, {
      ObjectIds: ['kimakers@contoso.com', 'Contoso Default Policy'],
      UserIds: ['admin:helpdesk', ADMIN.name],
    });
    expect(shown(ctx.emitted)).toEqual([
      'New-Mailbox kimakers@contoso.com',
      'Set-UMMailboxPIN kimakers@contoso.com',
      'Set-UMMailboxPolicy Contoso Default Policy',
    ]);
    ctx.emitted.length = 0;
    await SEARCH.process(ctx, { StartDate: new Date(cut), IsSuccess: false });
    expect(shown(ctx.emitted)).toEqual(['Set-UMMailboxPIN kimakers@contoso.com']);
    ctx.emitted.length = 0;
    await SEARCH.process(ctx, { EndDate: new Date(cut - 1) });
    expect(ctx.emitted).toHaveLength(6);
  });

  it('-Parameters, with -Cmdlets, finds the entries that used a parameter by its Exchange name', async () => {
    await SEARCH.process(ctx, {
      Cmdlets: ['Set-UMMailboxPolicy', 'Set-Mailbox'],
      Parameters: ['MinPINLength', 'ProhibitSendQuota'],
    });
    expect(shown(ctx.emitted)).toEqual(['Set-UMMailboxPolicy Contoso Default Policy']);
    // recorded as minPinLength, shown under Exchange's name
    expect(getProperty(ctx.emitted[0], 'CmdletParameters')).toEqual([
      expect.objectContaining({ Name: 'MinPINLength', Value: 7 }),
    ]);
    const alone = await failure(SEARCH.process(ctx, { Parameters: ['MinPINLength'] }));
    expect(alone).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'Parameters' });
  });

  it('-ResultSize and -StartIndex page through the log; too large a size is capped with a warning', async () => {
    await SEARCH.process(ctx, {});
    const all = shown(ctx.emitted);
    expect(all).toHaveLength(9);
    ctx.emitted.length = 0;
    await SEARCH.process(ctx, { StartIndex: 3, ResultSize: 2 });
    expect(shown(ctx.emitted)).toEqual(all.slice(3, 5));
    ctx.emitted.length = 0;
    await SEARCH.process(ctx, { ResultSize: 10_000 });
    expect(ctx.emitted).toHaveLength(9);
    expect(ctx.warnings).toEqual(['umpin returns at most 5000 entries at a time; use -StartIndex for the next ones.']);
  });

  it('-ExternalAccess $true finds nothing: umpin has no outside administrators', async () => {
    await SEARCH.process(ctx, { ExternalAccess: true });
    expect(ctx.emitted).toEqual([]);
    await SEARCH.process(ctx, { ExternalAccess: false, Cmdlets: ['Set-UMMailboxPolicy'] });
    expect(ctx.emitted).toHaveLength(1);
  });

  it('is refused to those without audit:read', async () => {
    expect((await failure(SEARCH.process(fakeContext(t.deps, HELP_DESK), {}))).code).toBe('UMPIN_ACCESS_DENIED');
  });
});
