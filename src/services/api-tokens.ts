/**
 * API tokens for automation: each carries one role group (and optionally a dial plan scope),
 * is shown once when made, kept only as a keyed digest, and can be revoked.
 */
import { randomUUID } from 'node:crypto';
import { UmpinError } from '../domain/errors.js';
import type { ApiTokenRecord } from '../domain/api-token.js';
import type { Page } from '../domain/page.js';
import type { StoreReads } from './ports/store.js';
import type { Actor, RoleGroup } from './actor.js';
import { mutate } from './audit.js';
import { checkName, newSecret, resolveScope, scopeNames, SECRET_SHAPE } from './credentials.js';
import { authorize } from './permissions.js';
import { scopeWithin } from './scope.js';
import { pageOf, type PageRequest } from './page-of.js';
import type { Deps } from './ports/deps.js';
import { isRoleGroup, parseRoleGroup } from './role-names.js';

export interface ApiTokenView {
  name: string;
  role: RoleGroup;
  dialPlanScope: string[] | null /* dial plan names */;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** The prefix makes a leaked token easy to recognise (secret scanners, logs). */
export const API_TOKEN_PREFIX = 'umpin_';
const TOKEN_SHAPE = new RegExp(`^${API_TOKEN_PREFIX}${SECRET_SHAPE.source.slice(1)}`);
/** last-used is written at most this often, so a busy token does not write on every request */
const TOUCH_INTERVAL_MS = 60_000;

async function viewOf(
  reads: StoreReads,
  t: ApiTokenRecord,
  names?: (ids: string[] | null) => string[] | null,
): Promise<ApiTokenView> {
  return {
    name: t.name,
    role: t.role as RoleGroup,
    dialPlanScope: names ? names(t.dialPlanScope) : await scopeNames(reads, t.dialPlanScope),
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
  };
}

export async function newApiToken(
  deps: Deps,
  actor: Actor,
  input: { name: string; role: RoleGroup; scope?: string[] /* dial plan identities */ },
): Promise<{ token: string; view: ApiTokenView }> {
  const rec = {
    action: 'New-ApiToken',
    target: typeof input.name === 'string' ? input.name : null,
    parameters: { Name: input.name, Role: input.role, Scope: input.scope },
  };
  return mutate(deps, actor, rec, async (tx) => {
    authorize(actor, 'access:write', 'New-ApiToken');
    const name = checkName(input.name);
    const role = parseRoleGroup(input.role);
    const scope = await resolveScope(tx, input.scope);
    if (await tx.findLiveApiToken(name))
      throw new UmpinError({ code: 'UMPIN_NAME_IN_USE', field: 'Name', params: { kind: 'API token', name } });
    const token = API_TOKEN_PREFIX + newSecret();
    const record: ApiTokenRecord = {
      id: randomUUID(),
      name,
      digest: deps.digest(token),
      role,
      dialPlanScope: scope,
      createdBy: actor.name,
      createdAt: deps.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await tx.insertApiToken(record);
    return { token, view: await viewOf(tx, record) };
  });
}

/** Every token, revoked ones too (for the record), by name. */
/** Get-ApiToken a page at a time, by name (REST's list). */
export async function pageApiTokens(deps: Deps, actor: Actor, q: PageRequest): Promise<Page<ApiTokenView>> {
  return pageOf(await listApiTokens(deps, actor), (t) => t.name, q);
}

export async function listApiTokens(deps: Deps, actor: Actor): Promise<ApiTokenView[]> {
  authorize(actor, 'access:read', 'Get-ApiToken');
  // a scoped caller sees only the tokens that reach no further than it does
  const tokens = (await deps.store.listApiTokens()).filter((t) => scopeWithin(actor, t.dialPlanScope));
  const names = new Map((await deps.store.listDialPlans()).map((d) => [d.id, d.name]));
  const toNames = (ids: string[] | null) => (ids === null ? null : ids.map((id) => names.get(id) ?? id));
  return Promise.all(tokens.map((t) => viewOf(deps.store, t, toNames)));
}

export async function revokeApiToken(deps: Deps, actor: Actor, name: string): Promise<void> {
  await mutate(
    deps,
    actor,
    { action: 'Remove-ApiToken', target: typeof name === 'string' ? name : null, parameters: { Name: name } },
    async (tx) => {
      authorize(actor, 'access:write', 'Remove-ApiToken');
      if (typeof name !== 'string' || name.trim() === '')
        throw new UmpinError({ code: 'UMPIN_VALUE_REQUIRED', field: 'Name', params: { field: 'Name' } });
      const token = await tx.findLiveApiToken(name);
      if (!token)
        throw new UmpinError({
          code: 'UMPIN_IDENTITY_NOT_FOUND',
          field: 'Name',
          params: { kind: 'API token', identity: name },
        });
      await tx.revokeApiToken(token.id, deps.clock.now());
    },
  );
}

/** The actor a presented bearer token stands for (kind 'admin', name `token:<name>`, its role and scope, source), or null when unknown or revoked. */
/**
 * The actor a presented token stands for, or null. For a request that changes something
 * (`forChange`), the token is read from the database itself, so a token revoked through any
 * server changes nothing anywhere from the moment the revocation commits; a read may be
 * answered from this server's cache until the change notification arrives (milliseconds).
 */
export async function authenticateToken(
  deps: Deps,
  presented: string,
  source: string | null,
  opts: { forChange?: boolean } = {},
): Promise<Actor | null> {
  // a malformed value costs no database query; a well-formed one is looked up by its digest (no timing oracle on the secret)
  if (typeof presented !== 'string' || !TOKEN_SHAPE.test(presented)) return null;
  const token = await deps.store.findApiTokenByDigest(deps.digest(presented), opts.forChange === true);
  if (!token || token.revokedAt !== null || !isRoleGroup(token.role)) return null;
  const now = deps.clock.now();
  if (token.lastUsedAt === null || now - token.lastUsedAt >= TOUCH_INTERVAL_MS) {
    // best effort: a busy database must not turn a valid token away
    await deps.store.touchApiToken(token.id, now, TOUCH_INTERVAL_MS).catch(() => undefined);
  }
  return {
    kind: 'admin',
    name: `token:${token.name}`,
    roles: [token.role],
    ...(token.dialPlanScope ? { dialPlanScope: token.dialPlanScope } : {}),
    source,
  };
}
