import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { Actor } from './actor.js';
import { setMailboxPolicy } from './mailbox-policies.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { PIN_CHECK_LIMIT, testUMMailboxPIN } from './test-um-mailbox-pin.js';

const HELP_DESK: Actor = { kind: 'admin', name: 'admin:helpdesk', roles: ['HelpDesk'], source: '10.0.0.7' };
const VIEW_ONLY: Actor = { kind: 'admin', name: 'admin:auditor', roles: ['ViewOnlyOrganizationManagement'] };
const POLICY = 'Contoso Default Policy';

describe.each(ENGINES)('Test-UMMailboxPIN (%s)', (engine) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps, [{ alias: 'tonysmith', extension: '10231', pin: '482916' }]);
  });
  afterEach(async () => {
    await ctx.close();
  });

  /** Everything a check could touch: PIN state, history, outbox and audit log. */
  async function snapshot() {
    const id = (await ctx.deps.store.findRecipients('tonysmith'))[0]!.id;
    return {
      pin: await ctx.deps.store.getPin(id),
      history: await ctx.deps.store.getPinHistory(id, 50),
      outbox: await ctx.deps.store.listOutbox({}),
      audit: await ctx.deps.store.listAudit({}),
    };
  }

  it('accepts a PIN the policy accepts, for a mailbox and for a policy, and writes nothing', async () => {
    const before = await snapshot();
    expect(await testUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith', pin: '5820913' })).toEqual({
      ok: true,
    });
    expect(
      await testUMMailboxPIN(ctx.deps, ADMIN, { umMailboxPolicy: POLICY, extensions: ['10500'], pin: '5820913' }),
    ).toEqual({ ok: true });
    // refusals write nothing either, and no audit entry (a dry run, typed a key at a time)
    await failure(testUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith', pin: '111111' }));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses with the code and params the real reset gives, rule by rule', async () => {
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['12a456', 'UMPIN_PIN_NOT_DIGITS', {}],
      ['5820', 'UMPIN_PIN_TOO_SHORT', { min: 6 }],
      ['5'.repeat(25), 'UMPIN_PIN_TOO_LONG', { max: 24 }],
      ['111111', 'UMPIN_PIN_COMMON_PATTERN', { pattern: 'repeated' }],
      ['123456', 'UMPIN_PIN_COMMON_PATTERN', { pattern: 'ascending' }],
      ['9102316', 'UMPIN_PIN_CONTAINS_EXTENSION', { part: 'whole' }],
    ];
    for (const [pin, code, params] of cases) {
      const dry = await failure(testUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith', pin }));
      const real = await failure(setUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith', pin }));
      expect([dry.code, dry.field, dry.params]).toEqual([real.code, real.field, real.params]);
      expect(dry.code).toBe(code);
      expect(dry.params).toMatchObject(params);
    }
  });

  it("with a policy, checks the extensions to come and the policy's own settings", async () => {
    const e = await failure(
      testUMMailboxPIN(ctx.deps, ADMIN, { umMailboxPolicy: POLICY, extensions: ['10500'], pin: '7105009' }),
    );
    expect(e.code).toBe('UMPIN_PIN_CONTAINS_EXTENSION');
    await setMailboxPolicy(ctx.deps, ADMIN, POLICY, { minPinLength: 8 });
    expect(
      (await failure(testUMMailboxPIN(ctx.deps, ADMIN, { umMailboxPolicy: POLICY, pin: '5820913' }))).params,
    ).toEqual({ min: 8 });
    expect((await failure(testUMMailboxPIN(ctx.deps, ADMIN, { umMailboxPolicy: 'Nope', pin: '5820913' }))).code).toBe(
      'UMPIN_IDENTITY_NOT_FOUND',
    );
  });

  it('does not compare with the PIN history: it must not tell whether a guess is the current PIN', async () => {
    // 482916 is Tony's PIN now: the real reset refuses it, the dry run cannot tell
    expect((await failure(setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '482916' }))).code).toBe(
      'UMPIN_PIN_IN_HISTORY',
    );
    expect(await testUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '482916' })).toEqual({ ok: true });
  });

  it('needs the permission to reset a PIN', async () => {
    const e = await failure(testUMMailboxPIN(ctx.deps, VIEW_ONLY, { identity: 'tonysmith', pin: '5820913' }));
    expect([e.code, e.params.action]).toEqual(['UMPIN_ACCESS_DENIED', 'Test-UMMailboxPIN']);
    const p = await failure(testUMMailboxPIN(ctx.deps, VIEW_ONLY, { umMailboxPolicy: POLICY, pin: '5820913' }));
    expect(p.code).toBe('UMPIN_ACCESS_DENIED');
    const both = await failure(
      testUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', umMailboxPolicy: POLICY, pin: '5820913' }),
    );
    expect(both.code).toBe('UMPIN_VALUE_INVALID');
  });

  it('is rate-limited per caller, accepted checks and refused alike, until the window moves on', async () => {
    for (let i = 0; i < PIN_CHECK_LIMIT.max; i++) {
      const pin = i % 2 === 0 ? '5820913' : '111111';
      await testUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith', pin }).catch(() => undefined);
    }
    const limited = await failure(testUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith', pin: '5820913' }));
    expect(limited.code).toBe('UMPIN_RATE_LIMITED');
    expect(limited.params.retryAfter).toBeGreaterThan(0);
    // another caller has its own allowance
    expect(await testUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith', pin: '5820913' })).toEqual({ ok: true });
    ctx.clock.advance(PIN_CHECK_LIMIT.windowMs + 1);
    expect(await testUMMailboxPIN(ctx.deps, HELP_DESK, { identity: 'tonysmith', pin: '5820913' })).toEqual({
      ok: true,
    });
  });
});
