/**
 * Administrators' local accounts (name, password, one role group, optional dial plan scope)
 * and the first-run bootstrap that creates the first one. Passwords go through the same
 * memory-hard KDF as PINs, outside any transaction, and never into an audit entry.
 */
import { randomUUID } from 'node:crypto';
import { UmpinError } from '../domain/errors.js';
import type { AdminAccountRecord } from '../domain/admin-account.js';
import type { Page } from '../domain/page.js';
import type { StoreReads } from './ports/store.js';
import type { Actor, RoleGroup } from './actor.js';
import { auditRefusal, mutate, type AuditRecord } from './audit.js';
import {
  checkName,
  checkPassword,
  decoyHash,
  newSecret,
  resolveScope,
  scopeNames,
  SECRET_SHAPE,
} from './credentials.js';
import { authorize } from './permissions.js';
import { scopeWithin } from './scope.js';
import { pageOf, type PageRequest } from './page-of.js';
import type { Deps } from './ports/deps.js';
import { parseRoleGroup } from './role-names.js';

export interface AdminAccountView {
  name: string;
  role: RoleGroup;
  dialPlanScope: string[] | null;
  createdAt: number;
  disabled: boolean;
}

const SETUP_TOKEN_LIFETIME_MS = 24 * 3_600_000;
/** The name `umpin serve` gives the account it makes from UMPIN_ADMIN_PASSWORD. */
export const BOOTSTRAP_ADMIN = 'admin';

async function viewOf(reads: StoreReads, a: AdminAccountRecord): Promise<AdminAccountView> {
  return {
    name: a.name,
    role: a.role as RoleGroup,
    dialPlanScope: await scopeNames(reads, a.dialPlanScope),
    createdAt: a.createdAt,
    disabled: a.disabled,
  };
}

function nameInUse(name: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_NAME_IN_USE', field: 'Name', params: { kind: 'administrator account', name } });
}

async function findAccount(reads: StoreReads, name: unknown): Promise<AdminAccountRecord> {
  if (typeof name !== 'string' || name.trim() === '')
    throw new UmpinError({ code: 'UMPIN_VALUE_REQUIRED', field: 'Name', params: { field: 'Name' } });
  const account = await reads.findAdminAccount(name);
  if (!account)
    throw new UmpinError({
      code: 'UMPIN_IDENTITY_NOT_FOUND',
      field: 'Name',
      params: { kind: 'administrator account', identity: name },
    });
  return account;
}

export async function addAdminAccount(
  deps: Deps,
  actor: Actor,
  input: { name: string; password: string; role: RoleGroup; scope?: string[] },
): Promise<AdminAccountView> {
  const rec: AuditRecord = {
    action: 'New-AdminAccount',
    target: typeof input.name === 'string' ? input.name : null,
    parameters: { Name: input.name, Role: input.role, Scope: input.scope },
  };
  // every check before the KDF runs, and the KDF before the transaction
  const prepared = await auditRefusal(deps, actor, rec, async () => {
    authorize(actor, 'access:write', 'New-AdminAccount');
    const name = checkName(input.name);
    const role = parseRoleGroup(input.role);
    checkPassword(input.password, name);
    const scope = await resolveScope(deps.store, input.scope);
    if (await deps.store.findAdminAccount(name)) throw nameInUse(name);
    return { name, role, scope, passwordHash: await deps.hasher.hash(input.password) };
  });
  return mutate(deps, actor, rec, async (tx) => {
    if (await tx.findAdminAccount(prepared.name)) throw nameInUse(prepared.name);
    const now = deps.clock.now();
    const account: AdminAccountRecord = {
      id: randomUUID(),
      name: prepared.name,
      passwordHash: prepared.passwordHash,
      role: prepared.role,
      dialPlanScope: prepared.scope,
      disabled: false,
      createdAt: now,
      passwordChangedAt: now,
    };
    await tx.insertAdminAccount(account);
    return viewOf(tx, account);
  });
}

/** A new password ends every session of the account. */
export async function resetAdminPassword(deps: Deps, actor: Actor, name: string, password: string): Promise<void> {
  const rec: AuditRecord = {
    action: 'Set-AdminAccountPassword',
    target: typeof name === 'string' ? name : null,
    parameters: { Name: name },
  };
  const prepared = await auditRefusal(deps, actor, rec, async () => {
    authorize(actor, 'access:write', 'Set-AdminAccountPassword');
    const account = await findAccount(deps.store, name);
    checkPassword(password, account.name);
    return { id: account.id, passwordHash: await deps.hasher.hash(password) };
  });
  await mutate(deps, actor, rec, async (tx) => {
    await tx.updateAdminAccount(prepared.id, {
      passwordHash: prepared.passwordHash,
      passwordChangedAt: deps.clock.now(),
    });
    await tx.deleteSessionsOf(prepared.id);
  });
}

/** Disabling an account ends its sessions at once; it can no longer sign in until enabled again. */
export async function setAdminAccountDisabled(
  deps: Deps,
  actor: Actor,
  name: string,
  disabled: boolean,
): Promise<AdminAccountView> {
  return mutate(
    deps,
    actor,
    {
      action: 'Set-AdminAccount',
      target: typeof name === 'string' ? name : null,
      parameters: { Name: name, Disabled: disabled },
    },
    async (tx) => {
      authorize(actor, 'access:write', 'Set-AdminAccount');
      const account = await findAccount(tx, name);
      await tx.updateAdminAccount(account.id, { disabled });
      if (disabled) await tx.deleteSessionsOf(account.id);
      return viewOf(tx, { ...account, disabled });
    },
  );
}

/** Get-AdminAccount a page at a time, by name (REST's list). */
export async function pageAdminAccounts(deps: Deps, actor: Actor, q: PageRequest): Promise<Page<AdminAccountView>> {
  return pageOf(await listAdminAccounts(deps, actor), (a) => a.name, q);
}

export async function listAdminAccounts(deps: Deps, actor: Actor): Promise<AdminAccountView[]> {
  authorize(actor, 'access:read', 'Get-AdminAccount');
  // a scoped caller sees only the accounts that reach no further than it does
  const accounts = (await deps.store.listAdminAccounts()).filter((a) => scopeWithin(actor, a.dialPlanScope));
  const names = new Map((await deps.store.listDialPlans()).map((d) => [d.id, d.name]));
  return accounts.map((a) => ({
    name: a.name,
    role: a.role as RoleGroup,
    dialPlanScope: a.dialPlanScope === null ? null : a.dialPlanScope.map((id) => names.get(id) ?? id),
    createdAt: a.createdAt,
    disabled: a.disabled,
  }));
}

/**
 * Whether a mailbox belongs to an administrator: an administrator account (enabled or not)
 * named as the mailbox's alias, primary SMTP address or user principal name — how umpin's
 * accounts are named for people who also have a mailbox. Account names are unique without
 * regard to case, so this is one indexed lookup per name.
 */
export async function isAdministratorMailbox(
  reads: StoreReads,
  recipient: { alias: string; primarySmtpAddress: string; userPrincipalName: string | null },
): Promise<boolean> {
  const names = [recipient.alias, recipient.primarySmtpAddress, recipient.userPrincipalName];
  for (const name of new Set(names.filter((n): n is string => typeof n === 'string' && n.trim() !== '')))
    if (await reads.findAdminAccount(name)) return true;
  return false;
}

/** First run: true when no administrator account exists yet. */
export async function needsBootstrap(deps: Deps): Promise<boolean> {
  return (await deps.store.countAdminAccounts()) === 0;
}

/** First run without UMPIN_ADMIN_PASSWORD: a one-time setup token (valid 24 h, stored as a digest); `umpin serve` prints it with the call to POST /api/v1/setup. */
export async function createSetupToken(deps: Deps): Promise<string> {
  if (!(await needsBootstrap(deps))) throw new UmpinError({ code: 'UMPIN_SETUP_DONE' });
  const token = newSecret();
  const now = deps.clock.now();
  // earlier tokens stay valid until they expire: several servers starting at once each print a working link
  await deps.store.transaction((tx) =>
    tx.insertSetupToken({ digest: deps.digest(token), createdAt: now, expiresAt: now + SETUP_TOKEN_LIFETIME_MS }),
  );
  return token;
}

/** Consumes the setup token and creates the first Organization Management account (refused once any account exists). */
export async function completeSetup(
  deps: Deps,
  input: { token: string; name: string; password: string; source: string | null },
): Promise<AdminAccountView> {
  const actor: Actor = { kind: 'admin', name: 'setup-link', roles: [], source: input.source };
  const rec: AuditRecord = {
    action: 'Complete-Setup',
    target: typeof input.name === 'string' ? input.name : null,
    parameters: { Name: input.name },
  };
  const invalid = () => new UmpinError({ code: 'UMPIN_SETUP_TOKEN_INVALID' });
  const prepared = await auditRefusal(deps, actor, rec, async () => {
    if (!(await needsBootstrap(deps))) throw new UmpinError({ code: 'UMPIN_SETUP_DONE' });
    if (typeof input.token !== 'string' || !SECRET_SHAPE.test(input.token)) throw invalid();
    const name = checkName(input.name);
    checkPassword(input.password, name);
    return { name, digest: deps.digest(input.token), passwordHash: await deps.hasher.hash(input.password) };
  });
  return mutate(deps, actor, rec, async (tx) => {
    // taking every token makes the first setup to commit the only one; a refusal rolls the taking back
    const now = deps.clock.now();
    const tokens = await tx.takeSetupTokens();
    if ((await tx.countAdminAccounts()) > 0) throw new UmpinError({ code: 'UMPIN_SETUP_DONE' });
    if (!tokens.some((t) => t.digest === prepared.digest && t.expiresAt > now)) throw invalid();
    const account: AdminAccountRecord = {
      id: randomUUID(),
      name: prepared.name,
      passwordHash: prepared.passwordHash,
      role: 'OrganizationManagement',
      dialPlanScope: null,
      disabled: false,
      createdAt: now,
      passwordChangedAt: now,
    };
    await tx.insertAdminAccount(account);
    return viewOf(tx, account);
  });
}

/** `umpin serve` at start: if no account exists, creates 'admin' from UMPIN_ADMIN_PASSWORD when set (returns { created: 'admin' }), else returns { setupToken }. Nothing when accounts exist. */
export async function bootstrapAdmin(
  deps: Deps,
  env: { adminPassword?: string },
): Promise<{ created?: string; setupToken?: string }> {
  // the sign-in decoy hash is made now, so the first sign-in with an unknown name takes no longer than others
  await decoyHash(deps.hasher);
  if (!(await needsBootstrap(deps))) return {};
  if (env.adminPassword) {
    const bootstrap: Actor = { kind: 'system', name: 'system:bootstrap', roles: [], source: null };
    try {
      await addAdminAccount(deps, bootstrap, {
        name: BOOTSTRAP_ADMIN,
        password: env.adminPassword,
        role: 'OrganizationManagement',
      });
    } catch (err) {
      // another server starting at the same time made it first
      if (!(await needsBootstrap(deps))) return {};
      throw err;
    }
    return { created: BOOTSTRAP_ADMIN };
  }
  return { setupToken: await createSetupToken(deps) };
}
