import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseText } from '../../test/db-haystack.js';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { Actor, RoleGroup } from './actor.js';
import { authenticateToken, listApiTokens, newApiToken, revokeApiToken } from './api-tokens.js';
import { newDialPlan } from './dial-plans.js';
import { isAllowed } from './permissions.js';
import { newRecipient } from './recipients.js';
import { enableUMMailbox, getUMMailbox } from './um-mailboxes.js';

const admin = (role: RoleGroup, extra: Partial<Actor> = {}): Actor => ({
  kind: 'admin',
  name: `admin:${role}`,
  roles: [role],
  ...extra,
});
const TOKEN = /^umpin_[A-Za-z0-9_-]{43}$/;

describe.each(ENGINES)('API tokens (%s)', (engine) => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext(engine);
    await contoso(t.deps);
  });
  afterEach(() => t.close());

  it('shows a new token once and stores only its digest', async () => {
    const { token, view } = await newApiToken(t.deps, ADMIN, { name: 'helpdesk-tool', role: 'HelpDesk' });
    expect(token).toMatch(TOKEN);
    expect(view).toEqual({
      name: 'helpdesk-tool',
      role: 'HelpDesk',
      dialPlanScope: null,
      createdBy: ADMIN.name,
      createdAt: expect.any(Number),
      lastUsedAt: null,
      revokedAt: null,
    });
    const other = await newApiToken(t.deps, ADMIN, { name: 'provisioning', role: 'UMManagement' });
    expect(other.token).not.toBe(token);

    // the list never carries the secret
    const list = await listApiTokens(t.deps, ADMIN);
    expect(list.map((v) => v.name)).toEqual(['helpdesk-tool', 'provisioning']);
    expect(JSON.stringify(list)).not.toContain(token.slice(6));

    const haystack = databaseText(t);
    expect(haystack).toContain('helpdesk-tool');
    for (const secret of [token, other.token])
      expect(haystack.includes(secret.slice(6)), 'token text found in the database').toBe(false);
  });

  it('the token stands for an actor with its role; last use is recorded at most once a minute', async () => {
    const { token } = await newApiToken(t.deps, ADMIN, { name: 'helpdesk-tool', role: 'HelpDesk' });
    const actor = await authenticateToken(t.deps, token, '192.0.2.7');
    expect(actor).toEqual({ kind: 'admin', name: 'token:helpdesk-tool', roles: ['HelpDesk'], source: '192.0.2.7' });
    expect((await getUMMailbox(t.deps, actor!, 'tonysmith')).extensions).toEqual(['10231']);

    const firstUse = (await listApiTokens(t.deps, ADMIN))[0]!.lastUsedAt;
    expect(firstUse).not.toBeNull();
    t.clock.advance(30_000);
    await authenticateToken(t.deps, token, null);
    expect((await listApiTokens(t.deps, ADMIN))[0]!.lastUsedAt).toBe(firstUse);
    t.clock.advance(31_000);
    await authenticateToken(t.deps, token, null);
    expect((await listApiTokens(t.deps, ADMIN))[0]!.lastUsedAt).toBeGreaterThan(firstUse!);
  });

  it('an unknown, malformed or revoked token stands for nobody', async () => {
    const { token } = await newApiToken(t.deps, ADMIN, { name: 'script', role: 'UMManagement' });
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const wrong of [flipped, '', 'umpin_', token.slice(6), `${token}x`, `Bearer ${token}`, token.toUpperCase()]) {
      expect(await authenticateToken(t.deps, wrong, null)).toBeNull();
    }
    expect(await authenticateToken(t.deps, token, null)).not.toBeNull();

    await revokeApiToken(t.deps, ADMIN, 'SCRIPT');
    expect(await authenticateToken(t.deps, token, null)).toBeNull();
    const [view] = await listApiTokens(t.deps, ADMIN);
    expect(view!.revokedAt).toEqual(expect.any(Number));
    expect((await failure(revokeApiToken(t.deps, ADMIN, 'script'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');

    // the name is free again once revoked; the revoked token stays listed for the record
    const again = await newApiToken(t.deps, ADMIN, { name: 'script', role: 'HelpDesk' });
    expect(await authenticateToken(t.deps, again.token, null)).toMatchObject({ roles: ['HelpDesk'] });
    expect(await authenticateToken(t.deps, token, null)).toBeNull();
    expect(
      (await listApiTokens(t.deps, ADMIN)).map((v) => [v.name, v.revokedAt === null ? 'live' : 'revoked']),
    ).toEqual([
      ['script', 'revoked'],
      ['script', 'live'],
    ]);
  });

  it('a live name is taken, case-insensitively; names and roles are checked', async () => {
    await newApiToken(t.deps, ADMIN, { name: 'pbx', role: 'VoiceGateway' });
    expect((await failure(newApiToken(t.deps, ADMIN, { name: 'PBX', role: 'VoiceGateway' }))).code).toBe(
      'UMPIN_NAME_IN_USE',
    );
    expect(await failure(newApiToken(t.deps, ADMIN, { name: 'has space', role: 'HelpDesk' }))).toMatchObject({
      code: 'UMPIN_VALUE_INVALID',
      field: 'Name',
    });
    expect(await failure(newApiToken(t.deps, ADMIN, { name: '', role: 'HelpDesk' }))).toMatchObject({
      code: 'UMPIN_VALUE_REQUIRED',
      field: 'Name',
    });
    expect(await failure(newApiToken(t.deps, ADMIN, { name: 'x', role: 'Root' as RoleGroup }))).toMatchObject({
      code: 'UMPIN_VALUE_INVALID',
      field: 'Role',
    });
    // Exchange's spelling of a role group is accepted
    expect((await newApiToken(t.deps, ADMIN, { name: 'desk', role: 'Help Desk' as RoleGroup })).view.role).toBe(
      'HelpDesk',
    );
  });

  it('a token scoped to a dial plan reaches mailboxes there only', async () => {
    const branch = (await newDialPlan(t.deps, ADMIN, { name: 'Branch', numberOfDigitsInExtension: 4 })).dialPlan;
    await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'branchuser@contoso.com' });
    await enableUMMailbox(t.deps, ADMIN, {
      identity: 'branchuser',
      umMailboxPolicy: 'Branch Default Policy',
      extensions: ['4001'],
    });

    const { token, view } = await newApiToken(t.deps, ADMIN, {
      name: 'branch-desk',
      role: 'HelpDesk',
      scope: ['branch'],
    });
    expect(view.dialPlanScope).toEqual(['Branch']);
    const actor = (await authenticateToken(t.deps, token, null))!;
    expect(actor.dialPlanScope).toEqual([branch.id]);
    expect((await getUMMailbox(t.deps, actor, 'branchuser')).extensions).toEqual(['4001']);
    expect((await failure(getUMMailbox(t.deps, actor, 'tonysmith'))).code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    expect(
      await failure(newApiToken(t.deps, ADMIN, { name: 'nowhere', role: 'HelpDesk', scope: ['Atlantis'] })),
    ).toMatchObject({ code: 'UMPIN_IDENTITY_NOT_FOUND', field: 'Scope' });
  });

  it('a Voice Gateway token may only log on', async () => {
    const { token } = await newApiToken(t.deps, ADMIN, { name: 'asterisk', role: 'VoiceGateway' });
    const gw = (await authenticateToken(t.deps, token, null))!;
    expect(isAllowed(gw, 'voice:logon')).toBe(true);
    expect(isAllowed(gw, 'pin:read')).toBe(false);
  });

  it('only Organization Management manages tokens; refusals are audited', async () => {
    const { token } = await newApiToken(t.deps, ADMIN, { name: 'keep', role: 'HelpDesk' });
    const others = [
      admin('UMManagement'),
      admin('HelpDesk'),
      admin('ViewOnlyOrganizationManagement'),
      admin('VoiceGateway'),
      admin('OrganizationManagement', { dialPlanScope: [] }),
    ];
    for (const actor of others) {
      expect((await failure(newApiToken(t.deps, actor, { name: 'mine', role: 'OrganizationManagement' }))).code).toBe(
        'UMPIN_ACCESS_DENIED',
      );
      expect((await failure(revokeApiToken(t.deps, actor, 'keep'))).code).toBe('UMPIN_ACCESS_DENIED');
    }
    for (const actor of others.slice(0, 4))
      expect((await failure(listApiTokens(t.deps, actor))).code).toBe('UMPIN_ACCESS_DENIED');
    expect(await authenticateToken(t.deps, token, null)).not.toBeNull();
    expect(await listApiTokens(t.deps, admin('OrganizationManagement'))).toHaveLength(1);

    const denied = (await t.deps.store.listAudit({})).filter((e) => e.errorCode === 'UMPIN_ACCESS_DENIED');
    expect(denied.map((e) => e.action).sort()).toEqual([
      ...Array(5).fill('New-ApiToken'),
      ...Array(5).fill('Remove-ApiToken'),
    ]);
  });

  it('the audit log records who made and revoked a token, never the token', async () => {
    const { token } = await newApiToken(
      t.deps,
      { ...ADMIN, source: '192.0.2.1' },
      { name: 'audited', role: 'HelpDesk', scope: ['Contoso'] },
    );
    await revokeApiToken(t.deps, ADMIN, 'audited');
    const entries = (await t.deps.store.listAudit({})).filter((e) => e.action.endsWith('-ApiToken'));
    expect(entries.map((e) => [e.action, e.actor, e.source, e.target, e.result])).toEqual([
      ['New-ApiToken', ADMIN.name, '192.0.2.1', 'audited', 'success'],
      ['Remove-ApiToken', ADMIN.name, 'cli', 'audited', 'success'],
    ]);
    expect(entries[0]!.parameters).toEqual({ Name: 'audited', Role: 'HelpDesk', Scope: ['Contoso'] });
    expect(JSON.stringify(entries)).not.toContain(token.slice(6));
  });
});
