import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { UmpinError } from '../domain/errors.js';
import { ROLE_GROUPS, SYSTEM_ACTOR, localAdministrator, type Actor, type RoleGroup } from './actor.js';
import { getDialPlans, newDialPlan } from './dial-plans.js';
import { getMailboxPolicies, setMailboxPolicy } from './mailbox-policies.js';
import {
  authorize,
  authorizeUse,
  isAllowed,
  mayUse,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  type Permission,
} from './permissions.js';
import { newRecipient } from './recipients.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';
import { enableUMMailbox, getUMMailbox } from './um-mailboxes.js';

const admin = (roles: RoleGroup[], extra: Partial<Actor> = {}): Actor => ({
  kind: 'admin',
  name: `admin:${roles.join('+') || 'none'}`,
  roles,
  ...extra,
});

const ACCESS: Permission[] = ['access:read', 'access:write'];
const ADMIN_ALL = PERMISSIONS.filter((p) => p !== 'voice:logon' && !ACCESS.includes(p));
const EXPECTED: Record<RoleGroup, readonly Permission[]> = {
  OrganizationManagement: [...ADMIN_ALL, ...ACCESS],
  UMManagement: ADMIN_ALL,
  HelpDesk: ['organization:read', 'recipient:read', 'mailbox:read', 'pin:read', 'pin:reset', 'pin:lock'],
  ViewOnlyOrganizationManagement: [
    'organization:read',
    'recipient:read',
    'mailbox:read',
    'pin:read',
    'audit:read',
    'outbox:read',
  ],
  VoiceGateway: ['voice:logon'],
};

describe('role groups', () => {
  it('every role group has an entry', () => {
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLE_GROUPS].sort());
  });

  describe.each(ROLE_GROUPS)('%s', (role) => {
    it.each(PERMISSIONS)(`%s`, (permission) => {
      const allowed = EXPECTED[role].includes(permission);
      expect(isAllowed(admin([role]), permission)).toBe(allowed);
      expect(isAllowed(admin([role]), permission, { recipientId: 'r1', dialPlanId: 'dp1' })).toBe(allowed);
    });
  });

  it('Help Desk resets and unlocks PINs but changes no organisation setting or mailbox', () => {
    const hd = admin(['HelpDesk']);
    for (const p of ['pin:read', 'pin:reset', 'pin:lock'] as const) expect(isAllowed(hd, p)).toBe(true);
    for (const p of [
      'organization:write',
      'mailbox:write',
      'recipient:write',
      'audit:read',
      'outbox:write',
      'voice:logon',
    ] as const)
      expect(isAllowed(hd, p)).toBe(false);
  });

  it('View-Only reads everything an administrator reads and writes nothing', () => {
    const ro = admin(['ViewOnlyOrganizationManagement']);
    for (const p of PERMISSIONS) expect([p, isAllowed(ro, p)]).toEqual([p, p.endsWith(':read') && p !== 'access:read']);
  });

  it('only Organization Management manages accounts and API tokens (UM Management does not)', () => {
    for (const role of ROLE_GROUPS) {
      for (const p of ACCESS)
        expect([role, p, isAllowed(admin([role]), p)]).toEqual([role, p, role === 'OrganizationManagement']);
    }
  });

  it('several role groups add up; no role group allows nothing', () => {
    const both = admin(['HelpDesk', 'VoiceGateway']);
    expect(isAllowed(both, 'pin:reset')).toBe(true);
    expect(isAllowed(both, 'voice:logon')).toBe(true);
    expect(isAllowed(both, 'mailbox:write')).toBe(false);
    for (const p of PERMISSIONS) expect(isAllowed(admin([]), p)).toBe(false);
  });

  it('umpin itself and the local administrator may do any administrative thing', () => {
    for (const p of PERMISSIONS) expect(isAllowed(SYSTEM_ACTOR, p)).toBe(true);
    const local = localAdministrator('root');
    expect(local).toMatchObject({ kind: 'admin', name: 'local:root', roles: ['OrganizationManagement'] });
    for (const p of [...ADMIN_ALL, ...ACCESS]) expect(isAllowed(local, p)).toBe(true);
  });
});

describe('end users', () => {
  const tony: Actor = { kind: 'user', name: 'user:tonysmith@contoso.com', roles: [], recipientId: 'tony' };
  const own: Permission[] = ['pin:read', 'pin:reset', 'mailbox:read', 'voice:logon'];

  it.each(PERMISSIONS)('%s on their own mailbox', (p) => {
    expect(isAllowed(tony, p, { recipientId: 'tony', dialPlanId: 'dp1' })).toBe(own.includes(p));
  });

  it('nothing on another mailbox or without a target, whatever roles the actor claims', () => {
    const claiming: Actor = { ...tony, roles: ['OrganizationManagement'] };
    for (const p of PERMISSIONS) {
      expect(isAllowed(tony, p, { recipientId: 'kim' })).toBe(false);
      expect(isAllowed(tony, p)).toBe(false);
      expect(isAllowed(claiming, p, { recipientId: 'kim' })).toBe(false);
    }
    expect(isAllowed({ ...tony, recipientId: undefined }, 'pin:read', { recipientId: undefined })).toBe(false);
  });
});

describe('dial-plan scoped role assignments', () => {
  const scoped = admin(['UMManagement'], { dialPlanScope: ['dp1'] });

  it('reach objects inside their dial plans only', () => {
    for (const p of ADMIN_ALL) {
      expect(isAllowed(scoped, p, { dialPlanId: 'dp1' })).toBe(true);
      expect(isAllowed(scoped, p, { dialPlanId: 'dp2' })).toBe(false);
    }
  });

  it('without a dial plan (organisation-wide) they may read but not write', () => {
    for (const p of ADMIN_ALL) expect([p, isAllowed(scoped, p)]).toEqual([p, p.endsWith(':read')]);
  });

  it('an empty scope reaches no dial plan', () => {
    expect(isAllowed(admin(['UMManagement'], { dialPlanScope: [] }), 'pin:reset', { dialPlanId: 'dp1' })).toBe(false);
  });

  it('the scope never adds what the role group lacks', () => {
    const hd = admin(['HelpDesk'], { dialPlanScope: ['dp1'] });
    expect(isAllowed(hd, 'pin:reset', { dialPlanId: 'dp1' })).toBe(true);
    expect(isAllowed(hd, 'mailbox:write', { dialPlanId: 'dp1' })).toBe(false);
  });
});

describe('mayUse: the operation at all, before any object is known', () => {
  const tony: Actor = { kind: 'user', name: 'user:tonysmith@contoso.com', roles: [], recipientId: 'tony' };

  it('an administrator or token by its role groups, scope or not; the system always', () => {
    for (const role of ROLE_GROUPS) {
      for (const p of PERMISSIONS) {
        expect([role, p, mayUse(admin([role]), p)]).toEqual([role, p, EXPECTED[role].includes(p)]);
        expect(mayUse(admin([role], { dialPlanScope: [] }), p)).toBe(EXPECTED[role].includes(p));
      }
    }
    for (const p of PERMISSIONS) expect(mayUse(SYSTEM_ACTOR, p)).toBe(true);
  });

  it("'self' is the signed-in end user's door, and nobody else's", () => {
    expect(mayUse(tony, 'self')).toBe(true);
    expect(mayUse({ ...tony, recipientId: undefined }, 'self')).toBe(false);
    for (const role of ROLE_GROUPS) expect(mayUse(admin([role]), 'self')).toBe(false);
    expect(mayUse(SYSTEM_ACTOR, 'self')).toBe(false);
    // an end user reaches no administrator's operation, not even one MyVoiceMail allows on their own mailbox
    for (const p of PERMISSIONS) expect(mayUse(tony, p)).toBe(false);
  });

  it('authorizeUse refuses naming the operation, as authorize does', () => {
    let err: unknown;
    try {
      authorizeUse(admin(['HelpDesk']), 'organization:write', 'New-UMDialPlan');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: 'UMPIN_ACCESS_DENIED',
      params: { actor: 'admin:HelpDesk', action: 'New-UMDialPlan' },
    });
    expect((err as UmpinError).message).toBe('admin:HelpDesk may not run New-UMDialPlan.');
    expect(() => authorizeUse(tony, 'self', 'Get-UMMailboxPIN')).not.toThrow();
  });
});

describe('authorize', () => {
  it('throws UMPIN_ACCESS_DENIED naming the actor, the action and the target', () => {
    let err: unknown;
    try {
      authorize(admin(['HelpDesk']), 'mailbox:write', 'Enable-UMMailbox', { label: 'tonysmith@contoso.com' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UmpinError);
    expect((err as UmpinError).code).toBe('UMPIN_ACCESS_DENIED');
    expect((err as UmpinError).category).toBe('denied');
    expect((err as UmpinError).message).toBe('admin:HelpDesk may not run Enable-UMMailbox on tonysmith@contoso.com.');
    expect(() => authorize(admin(['UMManagement']), 'mailbox:write', 'Enable-UMMailbox')).not.toThrow();
  });
});

describe.each(ENGINES)('the services enforce the roles (%s)', (engine) => {
  let ctx: TestContext;
  let branchId: string;
  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps);
    branchId = (await newDialPlan(ctx.deps, ADMIN, { name: 'Branch', numberOfDigitsInExtension: 4 })).dialPlan.id;
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'branchuser@contoso.com' });
  });
  afterEach(async () => {
    await ctx.close();
  });

  it('Help Desk and View-Only cannot change dial plans, policies or mailboxes; refusals are audited', async () => {
    for (const actor of [admin(['HelpDesk']), admin(['ViewOnlyOrganizationManagement'])]) {
      expect((await failure(newDialPlan(ctx.deps, actor, { name: 'Rogue', numberOfDigitsInExtension: 4 }))).code).toBe(
        'UMPIN_ACCESS_DENIED',
      );
      expect(
        (await failure(setMailboxPolicy(ctx.deps, actor, 'Contoso Default Policy', { minPinLength: 4 }))).code,
      ).toBe('UMPIN_ACCESS_DENIED');
      expect(
        (
          await failure(
            enableUMMailbox(ctx.deps, actor, {
              identity: 'branchuser',
              umMailboxPolicy: 'Branch Default Policy',
              extensions: ['4001'],
            }),
          )
        ).code,
      ).toBe('UMPIN_ACCESS_DENIED');
      expect((await failure(newRecipient(ctx.deps, actor, { primarySmtpAddress: 'rogue@contoso.com' }))).code).toBe(
        'UMPIN_ACCESS_DENIED',
      );
      // reading is fine
      expect((await getDialPlans(ctx.deps, actor)).length).toBe(2);
      expect((await getUMMailbox(ctx.deps, actor, 'tonysmith')).extensions).toEqual(['10231']);
    }
    expect(await ctx.deps.store.findDialPlans('Rogue')).toEqual([]);
    expect((await getMailboxPolicies(ctx.deps, ADMIN, { identity: 'Contoso Default Policy' }))[0]!.minPinLength).toBe(
      6,
    );
    const denied = (await ctx.deps.store.listAudit({})).filter((e) => e.errorCode === 'UMPIN_ACCESS_DENIED');
    expect(denied).toHaveLength(8);
  });

  it('the voice gateway may not reset or read PINs', async () => {
    const gw = admin(['VoiceGateway']);
    expect((await failure(setUMMailboxPIN(ctx.deps, gw, { identity: 'tonysmith' }))).code).toBe('UMPIN_ACCESS_DENIED');
    expect((await failure(getUMMailbox(ctx.deps, gw, 'tonysmith'))).code).toBe('UMPIN_ACCESS_DENIED');
  });

  it('an administrator scoped to a dial plan manages mailboxes there and nowhere else', async () => {
    const scoped = admin(['UMManagement'], { name: 'admin:branch', dialPlanScope: [branchId] });
    await enableUMMailbox(ctx.deps, scoped, {
      identity: 'branchuser',
      umMailboxPolicy: 'Branch Default Policy',
      extensions: ['4001'],
    });
    expect((await setUMMailboxPIN(ctx.deps, scoped, { identity: 'branchuser' })).pinChanged).toBe(true);
    expect((await setMailboxPolicy(ctx.deps, scoped, 'Branch Default Policy', { minPinLength: 8 })).minPinLength).toBe(
      8,
    );

    // outside its dial plan an object answers as a missing one would
    const before = await ctx.deps.store.getPin((await ctx.deps.store.findRecipients('tonysmith'))[0]!.id);
    expect((await failure(setUMMailboxPIN(ctx.deps, scoped, { identity: 'tonysmith' }))).code).toBe(
      'UMPIN_IDENTITY_NOT_FOUND',
    );
    expect((await failure(setUMMailboxPIN(ctx.deps, scoped, { identity: 'tonysmith', lockedOut: true }))).code).toBe(
      'UMPIN_IDENTITY_NOT_FOUND',
    );
    expect(
      (await failure(setMailboxPolicy(ctx.deps, scoped, 'Contoso Default Policy', { minPinLength: 8 }))).code,
    ).toBe('UMPIN_IDENTITY_NOT_FOUND');
    expect((await failure(getUMMailbox(ctx.deps, scoped, 'tonysmith'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    expect((await failure(newDialPlan(ctx.deps, scoped, { name: 'Another', numberOfDigitsInExtension: 4 }))).code).toBe(
      'UMPIN_ACCESS_DENIED',
    );
    expect(await ctx.deps.store.getPin((await ctx.deps.store.findRecipients('tonysmith'))[0]!.id)).toEqual(before);

    expect((await getDialPlans(ctx.deps, scoped)).map((d) => d.name)).toEqual(['Branch']);
    expect((await getMailboxPolicies(ctx.deps, scoped)).map((p) => p.name)).toEqual(['Branch Default Policy']);
  });
});
