import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseText } from '../../test/db-haystack.js';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, togetherOn, type TestContext } from '../../test/harness.js';
import type { Actor, RoleGroup } from './actor.js';
import {
  addAdminAccount,
  bootstrapAdmin,
  completeSetup,
  createSetupToken,
  listAdminAccounts,
  needsBootstrap,
  resetAdminPassword,
  setAdminAccountDisabled,
} from './admin-accounts.js';
import { signInWithPassword } from './sessions.js';

const admin = (role: RoleGroup, extra: Partial<Actor> = {}): Actor => ({
  kind: 'admin',
  name: `admin:${role}`,
  roles: [role],
  ...extra,
});
const PASSWORD = 'correct horse battery staple';

describe.each(ENGINES)('administrator accounts (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps);
  });
  afterEach(() => t.close());

  it('adds an account with a hashed password, one role and an optional scope', async () => {
    const view = await addAdminAccount(t.deps, ADMIN, {
      name: 'alice',
      password: PASSWORD,
      role: 'OrganizationManagement',
    });
    expect(view).toEqual({
      name: 'alice',
      role: 'OrganizationManagement',
      dialPlanScope: null,
      createdAt: expect.any(Number),
      disabled: false,
    });
    await addAdminAccount(t.deps, ADMIN, {
      name: 'bob',
      password: 'another long passphrase',
      role: 'View-Only Organization Management' as RoleGroup,
      scope: ['Contoso'],
    });
    expect(await listAdminAccounts(t.deps, ADMIN)).toEqual([
      view,
      {
        name: 'bob',
        role: 'ViewOnlyOrganizationManagement',
        dialPlanScope: ['Contoso'],
        createdAt: expect.any(Number),
        disabled: false,
      },
    ]);

    const stored = await t.deps.store.findAdminAccount('ALICE');
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    const haystack = databaseText(t);
    expect(haystack).toContain('alice');
    expect(haystack.includes(PASSWORD)).toBe(false);
    expect(haystack.includes('another long passphrase')).toBe(false);
  });

  it('checks names and passwords without ever echoing the password', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['carol', 'short', 'UMPIN_VALUE_INVALID', 'Password'],
      ['carol', 'x'.repeat(257), 'UMPIN_VALUE_TOO_LONG', 'Password'],
      ['carol', '', 'UMPIN_VALUE_REQUIRED', 'Password'],
      ['carolcarol12', 'CarolCarol12', 'UMPIN_VALUE_INVALID', 'Password'],
      ['carol smith', PASSWORD, 'UMPIN_VALUE_INVALID', 'Name'],
      ['', PASSWORD, 'UMPIN_VALUE_REQUIRED', 'Name'],
    ];
    for (const [name, password, code, field] of cases) {
      const err = await failure(addAdminAccount(t.deps, ADMIN, { name, password, role: 'HelpDesk' }));
      expect([name, err.code, err.field]).toEqual([name, code, field]);
      if (password.length > 3) expect(err.message).not.toContain(password);
    }
    expect(
      (await addAdminAccount(t.deps, ADMIN, { name: 'carol', password: 'x'.repeat(256), role: 'HelpDesk' })).name,
    ).toBe('carol');
    expect(
      (await failure(addAdminAccount(t.deps, ADMIN, { name: 'Carol', password: PASSWORD, role: 'HelpDesk' }))).code,
    ).toBe('UMPIN_NAME_IN_USE');
    expect(
      (await failure(addAdminAccount(t.deps, ADMIN, { name: 'dave', password: PASSWORD, role: 'Nobody' as RoleGroup })))
        .field,
    ).toBe('Role');
    expect(
      (
        await failure(
          addAdminAccount(t.deps, ADMIN, { name: 'dave', password: PASSWORD, role: 'HelpDesk', scope: ['Nowhere'] }),
        )
      ).field,
    ).toBe('Scope');
  });

  it('only Organization Management manages accounts; refusals are audited without the password', async () => {
    await addAdminAccount(t.deps, ADMIN, { name: 'alice', password: PASSWORD, role: 'HelpDesk' });
    const others = [
      admin('UMManagement'),
      admin('HelpDesk'),
      admin('ViewOnlyOrganizationManagement'),
      admin('VoiceGateway'),
      admin('OrganizationManagement', { dialPlanScope: [] }),
    ];
    for (const actor of others) {
      expect(
        (
          await failure(
            addAdminAccount(t.deps, actor, { name: 'mallory', password: PASSWORD, role: 'OrganizationManagement' }),
          )
        ).code,
      ).toBe('UMPIN_ACCESS_DENIED');
      expect((await failure(resetAdminPassword(t.deps, actor, 'alice', 'a brand new password'))).code).toBe(
        'UMPIN_ACCESS_DENIED',
      );
      expect((await failure(setAdminAccountDisabled(t.deps, actor, 'alice', true))).code).toBe('UMPIN_ACCESS_DENIED');
    }
    for (const actor of others.slice(0, 4))
      expect((await failure(listAdminAccounts(t.deps, actor))).code).toBe('UMPIN_ACCESS_DENIED');
    expect(await t.deps.store.findAdminAccount('mallory')).toBeNull();
    const audit = await t.deps.store.listAudit({});
    expect(audit.filter((e) => e.errorCode === 'UMPIN_ACCESS_DENIED')).toHaveLength(15);
    expect(audit.find((e) => e.action === 'New-AdminAccount' && e.result === 'success')!.parameters).toEqual({
      Name: 'alice',
      Role: 'HelpDesk',
    });
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    expect(JSON.stringify(audit)).not.toContain('a brand new password');
  });

  it('a password reset replaces the hash; the old password no longer signs in', async () => {
    await addAdminAccount(t.deps, ADMIN, { name: 'alice', password: PASSWORD, role: 'HelpDesk' });
    const before = (await t.deps.store.findAdminAccount('alice'))!.passwordHash;
    await resetAdminPassword(t.deps, ADMIN, 'Alice', 'a brand new password');
    expect((await t.deps.store.findAdminAccount('alice'))!.passwordHash).not.toBe(before);
    expect((await failure(signInWithPassword(t.deps, { name: 'alice', password: PASSWORD, source: null }))).code).toBe(
      'UMPIN_SIGN_IN_FAILED',
    );
    expect(
      (await signInWithPassword(t.deps, { name: 'alice', password: 'a brand new password', source: null })).actor.name,
    ).toBe('admin:alice');
    expect((await failure(resetAdminPassword(t.deps, ADMIN, 'nobody', 'a brand new password'))).code).toBe(
      'UMPIN_IDENTITY_NOT_FOUND',
    );
    expect((await failure(resetAdminPassword(t.deps, ADMIN, 'alice', 'alice'))).field).toBe('Password');
    const entry = (await t.deps.store.listAudit({ action: 'Set-AdminAccountPassword' }))[0]!;
    expect([entry.actor, entry.target, entry.result, entry.parameters]).toEqual([
      ADMIN.name,
      'Alice',
      'success',
      { Name: 'Alice' },
    ]);
  });

  it('a disabled account cannot sign in until enabled again', async () => {
    await addAdminAccount(t.deps, ADMIN, { name: 'alice', password: PASSWORD, role: 'HelpDesk' });
    expect((await setAdminAccountDisabled(t.deps, ADMIN, 'alice', true)).disabled).toBe(true);
    expect((await failure(signInWithPassword(t.deps, { name: 'alice', password: PASSWORD, source: null }))).code).toBe(
      'UMPIN_SIGN_IN_FAILED',
    );
    await setAdminAccountDisabled(t.deps, ADMIN, 'alice', false);
    expect((await signInWithPassword(t.deps, { name: 'alice', password: PASSWORD, source: null })).actor.roles).toEqual(
      ['HelpDesk'],
    );
  });
});

describe.each(ENGINES)('first-run setup (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
  });
  afterEach(() => t.close());

  it('UMPIN_ADMIN_PASSWORD makes the account "admin" once', async () => {
    expect(await needsBootstrap(t.deps)).toBe(true);
    expect(await bootstrapAdmin(t.deps, { adminPassword: PASSWORD })).toEqual({ created: 'admin' });
    expect(await needsBootstrap(t.deps)).toBe(false);
    expect(await listAdminAccounts(t.deps, ADMIN)).toEqual([
      {
        name: 'admin',
        role: 'OrganizationManagement',
        dialPlanScope: null,
        createdAt: expect.any(Number),
        disabled: false,
      },
    ]);
    // later starts change nothing, whatever the environment says
    expect(await bootstrapAdmin(t.deps, { adminPassword: 'a different password' })).toEqual({});
    expect(await bootstrapAdmin(t.deps, {})).toEqual({});
    expect((await signInWithPassword(t.deps, { name: 'admin', password: PASSWORD, source: null })).actor.roles).toEqual(
      ['OrganizationManagement'],
    );
  });

  it('a UMPIN_ADMIN_PASSWORD that breaks the password rules is refused, and nothing is made', async () => {
    const err = await failure(bootstrapAdmin(t.deps, { adminPassword: 'short' }));
    expect([err.code, err.field]).toEqual(['UMPIN_VALUE_INVALID', 'Password']);
    expect(await failure(bootstrapAdmin(t.deps, { adminPassword: 'admin' }))).toMatchObject({ field: 'Password' });
    expect(await needsBootstrap(t.deps)).toBe(true);
  });

  it('without it, a one-time setup token creates the first Organization Management account', async () => {
    const { setupToken } = await bootstrapAdmin(t.deps, {});
    expect(setupToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(databaseText(t).includes(setupToken!)).toBe(false);

    // a wrong token or a bad password is refused, and the right token still works afterwards
    const wrong = setupToken!.slice(0, -1) + (setupToken!.endsWith('A') ? 'B' : 'A');
    expect(
      (await failure(completeSetup(t.deps, { token: wrong, name: 'alice', password: PASSWORD, source: '192.0.2.9' })))
        .code,
    ).toBe('UMPIN_SETUP_TOKEN_INVALID');
    expect(
      (await failure(completeSetup(t.deps, { token: 'nonsense', name: 'alice', password: PASSWORD, source: null })))
        .code,
    ).toBe('UMPIN_SETUP_TOKEN_INVALID');
    expect(
      (await failure(completeSetup(t.deps, { token: setupToken!, name: 'alice', password: 'short', source: null })))
        .field,
    ).toBe('Password');
    expect(await needsBootstrap(t.deps)).toBe(true);

    const view = await completeSetup(t.deps, {
      token: setupToken!,
      name: 'alice',
      password: PASSWORD,
      source: '192.0.2.9',
    });
    expect(view).toMatchObject({ name: 'alice', role: 'OrganizationManagement', dialPlanScope: null });
    expect((await signInWithPassword(t.deps, { name: 'alice', password: PASSWORD, source: null })).actor.name).toBe(
      'admin:alice',
    );

    // single use, and no more setup once an account exists
    expect(
      (await failure(completeSetup(t.deps, { token: setupToken!, name: 'mallory', password: PASSWORD, source: null })))
        .code,
    ).toBe('UMPIN_SETUP_DONE');
    expect((await failure(createSetupToken(t.deps))).code).toBe('UMPIN_SETUP_DONE');
    expect(await bootstrapAdmin(t.deps, {})).toEqual({});
    expect(await t.deps.store.findAdminAccount('mallory')).toBeNull();

    const audit = (await t.deps.store.listAudit({ action: 'Complete-Setup' })).map((e) => [
      e.actor,
      e.source,
      e.target,
      e.result,
      e.errorCode,
    ]);
    expect(audit).toEqual([
      ['setup-link', '192.0.2.9', 'alice', 'failure', 'UMPIN_SETUP_TOKEN_INVALID'],
      ['setup-link', null, 'alice', 'failure', 'UMPIN_SETUP_TOKEN_INVALID'],
      ['setup-link', null, 'alice', 'failure', 'UMPIN_VALUE_INVALID'],
      ['setup-link', '192.0.2.9', 'alice', 'success', null],
      ['setup-link', null, 'mallory', 'failure', 'UMPIN_SETUP_DONE'],
    ]);
    expect(JSON.stringify(await t.deps.store.listAudit({}))).not.toContain(setupToken!);
  });

  it('a setup token expires after 24 hours; any of several valid tokens works, once', async () => {
    const old = await createSetupToken(t.deps);
    t.clock.advance(24 * 3_600_000 + 1);
    expect(
      (await failure(completeSetup(t.deps, { token: old, name: 'alice', password: PASSWORD, source: null }))).code,
    ).toBe('UMPIN_SETUP_TOKEN_INVALID');
    const a = await createSetupToken(t.deps);
    const b = await createSetupToken(t.deps);
    await completeSetup(t.deps, { token: b, name: 'alice', password: PASSWORD, source: null });
    expect(
      (await failure(completeSetup(t.deps, { token: a, name: 'bob', password: PASSWORD, source: null }))).code,
    ).toBe('UMPIN_SETUP_DONE');
  });

  it(`setups with two tokens started together make exactly one account (${togetherOn(engine)})`, async () => {
    const a = await createSetupToken(t.deps);
    const b = await createSetupToken(t.deps);
    const results = await Promise.allSettled([
      completeSetup(t.deps, { token: a, name: 'alice', password: PASSWORD, source: null }),
      completeSetup(t.deps, { token: b, name: 'bob', password: PASSWORD, source: null }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await t.deps.store.countAdminAccounts()).toBe(1);
  });
});
