import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { newDialPlan } from './dial-plans.js';
import { getMailboxPolicies, newMailboxPolicy, removeMailboxPolicy, setMailboxPolicy } from './mailbox-policies.js';
import { disableUMMailbox, getUMMailbox, setUMMailbox } from './um-mailboxes.js';

describe.each(ENGINES)('UM mailbox policies (%s)', (engine) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps);
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('New-UMMailboxPolicy stores the given settings and Exchange defaults for the rest', async () => {
    const p = await newMailboxPolicy(ctx.deps, ADMIN, {
      name: 'Executives',
      umDialPlan: 'contoso',
      minPinLength: 8,
      pinHistoryCount: 10,
      allowCommonPatterns: true,
      resetPinText: 'Call the help desk on 4357 if this was not you.',
    });
    expect(p).toMatchObject({
      name: 'Executives',
      minPinLength: 8,
      pinHistoryCount: 10,
      allowCommonPatterns: true,
      resetPinText: 'Call the help desk on 4357 if this was not you.',
      pinLifetimeDays: 60,
      logonFailuresBeforePinReset: 5,
      maxLogonAttempts: 15,
      umEnabledText: null,
    });
    const [dialPlan] = await ctx.deps.store.findDialPlans('Contoso');
    expect(p.dialPlanId).toBe(dialPlan!.id);
    expect(await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'EXECUTIVES' })).toEqual([p]);
    expect((await getMailboxPolicies(ctx.deps, ADMIN, { umDialPlan: 'Contoso' })).map((x) => x.name)).toEqual([
      'Contoso Default Policy',
      'Executives',
    ]);
  });

  it('0 means Unlimited for PINLifetime and LogonFailuresBeforePINReset', async () => {
    const p = await newMailboxPolicy(ctx.deps, ADMIN, {
      name: 'Never',
      umDialPlan: 'Contoso',
      pinLifetimeDays: 0,
      logonFailuresBeforePinReset: 0,
    });
    expect(p.pinLifetimeDays).toBeNull();
    expect(p.logonFailuresBeforePinReset).toBeNull();
    const [stored] = await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Never' });
    expect(stored).toMatchObject({ pinLifetimeDays: null, logonFailuresBeforePinReset: null });

    const s = await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', {
      pinLifetimeDays: 0,
      logonFailuresBeforePinReset: 0,
      maxLogonAttempts: null,
    });
    expect(s).toMatchObject({ pinLifetimeDays: null, logonFailuresBeforePinReset: null, maxLogonAttempts: null });
  });

  it('an out-of-range value is refused with the field and its limits, and nothing is created', async () => {
    const cases: Array<[Record<string, unknown>, string, number, number]> = [
      [{ minPinLength: 3 }, 'MinPINLength', 4, 24],
      [{ minPinLength: 25 }, 'MinPINLength', 4, 24],
      [{ pinLifetimeDays: 1000 }, 'PINLifetime', 1, 999],
      [{ pinHistoryCount: 21 }, 'PINHistoryCount', 1, 20],
      [{ pinHistoryCount: 0 }, 'PINHistoryCount', 1, 20],
      [{ maxLogonAttempts: 0 }, 'MaxLogonAttempts', 1, 999],
      [{ logonFailuresBeforePinReset: 1000, maxLogonAttempts: null }, 'LogonFailuresBeforePINReset', 1, 999],
    ];
    for (const [settings, field, min, max] of cases) {
      const err = await failure(newMailboxPolicy(ctx.deps, ADMIN, { name: 'Bad', umDialPlan: 'Contoso', ...settings }));
      expect({ settings, code: err.code, field: err.field, min: err.params.min, max: err.params.max }).toEqual({
        settings,
        code: 'UMPIN_VALUE_OUT_OF_RANGE',
        field,
        min,
        max,
      });
      expect(err.message).toContain(field);
      expect(err.message).toContain(String(max));
    }
    expect((await getMailboxPolicies(ctx.deps, ADMIN)).map((p) => p.name)).toEqual(['Contoso Default Policy']);
  });

  it('LogonFailuresBeforePINReset must be below MaxLogonAttempts', async () => {
    const err = await failure(
      newMailboxPolicy(ctx.deps, ADMIN, {
        name: 'Cross',
        umDialPlan: 'Contoso',
        logonFailuresBeforePinReset: 10,
        maxLogonAttempts: 10,
      }),
    );
    expect(err.code).toBe('UMPIN_POLICY_RESET_NOT_BELOW_MAX');
    expect(err.field).toBe('LogonFailuresBeforePINReset');
    // the same check on Set: lowering MaxLogonAttempts under the default reset count of 5
    const err2 = await failure(setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { maxLogonAttempts: 4 }));
    expect(err2.code).toBe('UMPIN_POLICY_RESET_NOT_BELOW_MAX');
    expect(
      (await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy' }))[0]!.maxLogonAttempts,
    ).toBe(15);
    // below is fine, and a reset with no lock at all is fine too
    expect(
      (
        await newMailboxPolicy(ctx.deps, ADMIN, {
          name: 'Tight',
          umDialPlan: 'Contoso',
          logonFailuresBeforePinReset: 2,
          maxLogonAttempts: 3,
        })
      ).maxLogonAttempts,
    ).toBe(3);
    expect(
      (
        await newMailboxPolicy(ctx.deps, ADMIN, {
          name: 'NoLock',
          umDialPlan: 'Contoso',
          logonFailuresBeforePinReset: 50,
          maxLogonAttempts: null,
        })
      ).logonFailuresBeforePinReset,
    ).toBe(50);
  });

  it('names are unique in any letter case and at most 64 characters', async () => {
    expect(
      (await failure(newMailboxPolicy(ctx.deps, ADMIN, { name: 'contoso default POLICY', umDialPlan: 'Contoso' })))
        .code,
    ).toBe('UMPIN_NAME_IN_USE');
    const long = await failure(newMailboxPolicy(ctx.deps, ADMIN, { name: 'P'.repeat(65), umDialPlan: 'Contoso' }));
    expect(long.code).toBe('UMPIN_VALUE_TOO_LONG');
    expect(long.field).toBe('Name');
    expect(
      (await newMailboxPolicy(ctx.deps, ADMIN, { name: 'P'.repeat(64), umDialPlan: 'Contoso' })).name,
    ).toHaveLength(64);
  });

  it('a policy needs an existing dial plan', async () => {
    const err = await failure(newMailboxPolicy(ctx.deps, ADMIN, { name: 'Orphan', umDialPlan: 'Fabrikam' }));
    expect(err.code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    expect(err.field).toBe('UMDialPlan');
  });

  it('Set-UMMailboxPolicy changes settings and the name, and they stay changed', async () => {
    const before = (await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy' }))[0]!;
    const after = await setMailboxPolicy(ctx.deps, ADMIN, 'contoso default policy', {
      name: 'Contoso Staff',
      minPinLength: 8,
      pinLifetimeDays: 90,
      umEnabledText: '<b>Welcome</b> to voice mail.',
    });
    expect(after).toMatchObject({
      id: before.id,
      name: 'Contoso Staff',
      minPinLength: 8,
      pinLifetimeDays: 90,
      umEnabledText: '<b>Welcome</b> to voice mail.',
      pinHistoryCount: 5,
    });
    expect((await getMailboxPolicies(ctx.deps, ADMIN, { identity: before.id }))[0]).toEqual(after);
    // the mailbox that used it follows the rename
    expect((await getUMMailbox(ctx.deps, ADMIN, 'tonysmith')).umMailboxPolicy).toBe('Contoso Staff');
  });

  it('Set-UMMailboxPolicy with a bad value changes nothing', async () => {
    const before = (await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy' }))[0]!;
    const err = await failure(
      setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { minPinLength: 8, resetPinText: 'x'.repeat(513) }),
    );
    expect(err.code).toBe('UMPIN_VALUE_TOO_LONG');
    expect(err.field).toBe('ResetPINText');
    expect((await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy' }))[0]).toEqual(before);
  });

  it('Remove-UMMailboxPolicy is refused while mailboxes use the policy', async () => {
    const err = await failure(removeMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy'));
    expect(err.code).toBe('UMPIN_POLICY_IN_USE');
    expect(err.params).toMatchObject({ count: 1 });
    expect(await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy' })).toHaveLength(1);

    // move the mailbox to another policy, then the old one can go
    await newMailboxPolicy(ctx.deps, ADMIN, { name: 'Other', umDialPlan: 'Contoso' });
    await setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { umMailboxPolicy: 'Other' });
    await removeMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy');
    expect((await getMailboxPolicies(ctx.deps, ADMIN)).map((p) => p.name)).toEqual(['Other']);
    expect((await failure(removeMailboxPolicy(ctx.deps, ADMIN, 'Other'))).code).toBe('UMPIN_POLICY_IN_USE');
    await disableUMMailbox(ctx.deps, ADMIN, 'tonysmith');
    await removeMailboxPolicy(ctx.deps, ADMIN, 'Other');
    expect(await getMailboxPolicies(ctx.deps, ADMIN)).toEqual([]);
  });

  it('Get-UMMailboxPolicy -UMDialPlan lists only that dial plan’s policies', async () => {
    await newDialPlan(ctx.deps, ADMIN, { name: 'Fabrikam', numberOfDigitsInExtension: 4 });
    expect((await getMailboxPolicies(ctx.deps, ADMIN, { umDialPlan: 'Fabrikam' })).map((p) => p.name)).toEqual([
      'Fabrikam Default Policy',
    ]);
    expect((await getMailboxPolicies(ctx.deps, ADMIN)).map((p) => p.name)).toEqual([
      'Contoso Default Policy',
      'Fabrikam Default Policy',
    ]);
  });

  it('Get-UMMailboxPolicy -Identity with -UMDialPlan: the policy only if it belongs to that dial plan; an unknown dial plan is named', async () => {
    await newDialPlan(ctx.deps, ADMIN, { name: 'Fabrikam', numberOfDigitsInExtension: 4 });
    expect(
      (await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy', umDialPlan: 'contoso' })).map(
        (p) => p.name,
      ),
    ).toEqual(['Contoso Default Policy']);
    expect(
      await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy', umDialPlan: 'Fabrikam' }),
    ).toEqual([]);
    for (const q of [{ identity: 'Contoso Default Policy', umDialPlan: 'Nowhere' }, { umDialPlan: 'Nowhere' }]) {
      const err = await failure(getMailboxPolicies(ctx.deps, ADMIN, q));
      expect(err).toMatchObject({
        code: 'UMPIN_IDENTITY_NOT_FOUND',
        field: 'UMDialPlan',
        params: { identity: 'Nowhere', kind: 'UM dial plan' },
      });
    }
  });

  it('Set-UMMailboxPolicy -UMDialPlan moves a policy no mailbox uses, and refuses one in use', async () => {
    const fabrikam = (
      await newDialPlan(ctx.deps, ADMIN, {
        name: 'Fabrikam',
        numberOfDigitsInExtension: 4,
        generateUMMailboxPolicy: false,
      })
    ).dialPlan;
    await newMailboxPolicy(ctx.deps, ADMIN, { name: 'Spare', umDialPlan: 'Contoso' });
    expect(
      (await setMailboxPolicy(ctx.deps, ADMIN, 'Spare', { umDialPlan: 'fabrikam', minPinLength: 7 })).dialPlanId,
    ).toBe(fabrikam.id);
    expect(
      (await getMailboxPolicies(ctx.deps, ADMIN, { umDialPlan: 'Fabrikam' })).map((p) => [p.name, p.minPinLength]),
    ).toEqual([['Spare', 7]]);
    const before = (await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy' }))[0]!;
    const err = await failure(setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { umDialPlan: 'Fabrikam' }));
    expect(err).toMatchObject({ code: 'UMPIN_POLICY_IN_USE', field: 'UMDialPlan' });
    expect((await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy' }))[0]).toEqual(before);
    // naming its own dial plan is no move
    await setMailboxPolicy(ctx.deps, ADMIN, 'Contoso Default Policy', { umDialPlan: 'Contoso', pinHistoryCount: 3 });
    expect((await failure(setMailboxPolicy(ctx.deps, ADMIN, 'Spare', { umDialPlan: 'Nowhere' }))).field).toBe(
      'UMDialPlan',
    );
  });

  it('every change and refusal is audited', async () => {
    await newMailboxPolicy(ctx.deps, ADMIN, { name: 'Audited', umDialPlan: 'Contoso', minPinLength: 7 });
    await failure(setMailboxPolicy(ctx.deps, ADMIN, 'Audited', { minPinLength: 2 }));
    const entries = await ctx.deps.store.listAudit({ target: 'Audited' });
    expect(entries.map((e) => [e.action, e.result, e.errorCode])).toEqual([
      ['New-UMMailboxPolicy', 'success', null],
      ['Set-UMMailboxPolicy', 'failure', 'UMPIN_VALUE_OUT_OF_RANGE'],
    ]);
    // "minPinLength" is a setting, not a PIN: it stays readable in the log
    expect(entries[1]!.parameters).toEqual({ minPinLength: 2 });
  });
});
