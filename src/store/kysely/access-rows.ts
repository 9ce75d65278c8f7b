/**
 * Rows of the access tables (administrator accounts, sessions, API tokens, setup tokens),
 * shared by the store's reads and its transactions on both engines.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AdminAccountRecord, ApiTokenRecord, SessionRecord } from '../store.js';
import type { AdminAccountTable, ApiTokenTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const key = (s: string): string => s.trim().toLowerCase();
const scopeOut = (v: string | null): string[] | null => (v === null ? null : (JSON.parse(v) as string[]));
const scopeIn = (v: string[] | null): string | null => (v === null ? null : JSON.stringify(v));
const nullableNumber = (v: number | null): number | null => (v === null ? null : Number(v));

function toAccount(r: AdminAccountTable): AdminAccountRecord {
  return {
    id: r.id,
    name: r.name,
    passwordHash: r.password_hash,
    role: r.role,
    dialPlanScope: scopeOut(r.dial_plan_scope),
    disabled: r.disabled === 1,
    createdAt: Number(r.created_at),
    passwordChangedAt: Number(r.password_changed_at),
  };
}

function toToken(r: ApiTokenTable): ApiTokenRecord {
  return {
    id: r.id,
    name: r.name,
    digest: r.digest,
    role: r.role,
    dialPlanScope: scopeOut(r.dial_plan_scope),
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    lastUsedAt: nullableNumber(r.last_used_at),
    revokedAt: nullableNumber(r.revoked_at),
  };
}

// ---- reads

export async function findAdminAccount(db: Db, name: string): Promise<AdminAccountRecord | null> {
  const r = await db.selectFrom('admin_account').selectAll().where('name_key', '=', key(name)).executeTakeFirst();
  return r ? toAccount(r) : null;
}

export async function listAdminAccounts(db: Db): Promise<AdminAccountRecord[]> {
  return (await db.selectFrom('admin_account').selectAll().orderBy('name_key').execute()).map(toAccount);
}

export async function countAdminAccounts(db: Db): Promise<number> {
  const r = await db.selectFrom('admin_account').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function findSession(db: Db, idDigest: string): Promise<{ session: SessionRecord; account: AdminAccountRecord } | null> {
  const r = await db
    .selectFrom('admin_session')
    .innerJoin('admin_account', 'admin_account.id', 'admin_session.account_id')
    .selectAll('admin_account')
    .select([
      'admin_session.id_digest',
      'admin_session.csrf_digest',
      'admin_session.created_at as session_created_at',
      'admin_session.last_seen_at',
      'admin_session.absolute_expires_at',
    ])
    .where('admin_session.id_digest', '=', idDigest)
    .executeTakeFirst();
  if (!r) return null;
  return {
    session: {
      idDigest: r.id_digest,
      accountId: r.id,
      csrfDigest: r.csrf_digest,
      createdAt: Number(r.session_created_at),
      lastSeenAt: Number(r.last_seen_at),
      absoluteExpiresAt: Number(r.absolute_expires_at),
    },
    account: toAccount(r),
  };
}

export async function findApiTokenByDigest(db: Db, digest: string): Promise<ApiTokenRecord | null> {
  const r = await db.selectFrom('api_token').selectAll().where('digest', '=', digest).executeTakeFirst();
  return r ? toToken(r) : null;
}

export async function findLiveApiToken(db: Db, name: string): Promise<ApiTokenRecord | null> {
  const r = await db.selectFrom('api_token').selectAll().where('name_key', '=', key(name)).where('revoked_at', 'is', null).executeTakeFirst();
  return r ? toToken(r) : null;
}

export async function listApiTokens(db: Db): Promise<ApiTokenRecord[]> {
  return (await db.selectFrom('api_token').selectAll().orderBy('name_key').orderBy('created_at').execute()).map(toToken);
}

// ---- writes

export async function insertAdminAccount(db: Db, a: AdminAccountRecord): Promise<void> {
  await db
    .insertInto('admin_account')
    .values({
      id: a.id,
      name: a.name,
      name_key: key(a.name),
      password_hash: a.passwordHash,
      role: a.role,
      dial_plan_scope: scopeIn(a.dialPlanScope),
      disabled: a.disabled ? 1 : 0,
      created_at: a.createdAt,
      password_changed_at: a.passwordChangedAt,
    })
    .execute();
}

export async function updateAdminAccount(
  db: Db,
  id: string,
  c: Partial<Pick<AdminAccountRecord, 'passwordHash' | 'passwordChangedAt' | 'disabled' | 'role' | 'dialPlanScope'>>,
): Promise<void> {
  const set: Partial<AdminAccountTable> = {};
  if (c.passwordHash !== undefined) set.password_hash = c.passwordHash;
  if (c.passwordChangedAt !== undefined) set.password_changed_at = c.passwordChangedAt;
  if (c.disabled !== undefined) set.disabled = c.disabled ? 1 : 0;
  if (c.role !== undefined) set.role = c.role;
  if (c.dialPlanScope !== undefined) set.dial_plan_scope = scopeIn(c.dialPlanScope);
  if (Object.keys(set).length === 0) return;
  await db.updateTable('admin_account').set(set).where('id', '=', id).execute();
}

export async function insertSession(db: Db, s: SessionRecord): Promise<void> {
  await db
    .insertInto('admin_session')
    .values({
      id_digest: s.idDigest,
      account_id: s.accountId,
      csrf_digest: s.csrfDigest,
      created_at: s.createdAt,
      last_seen_at: s.lastSeenAt,
      absolute_expires_at: s.absoluteExpiresAt,
    })
    .execute();
}

export async function deleteSession(db: Db, idDigest: string): Promise<string | null> {
  const r = await db.deleteFrom('admin_session').where('id_digest', '=', idDigest).returning('account_id').executeTakeFirst();
  return r?.account_id ?? null;
}

export async function deleteSessionsOf(db: Db, accountId: string): Promise<number> {
  const r = await db.deleteFrom('admin_session').where('account_id', '=', accountId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: Db, now: number, idleBefore: number): Promise<number> {
  const r = await db
    .deleteFrom('admin_session')
    .where((eb) => eb.or([eb('absolute_expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function touchSession(db: Db, idDigest: string, now: number, minIntervalMs: number): Promise<void> {
  await db
    .updateTable('admin_session')
    .set({ last_seen_at: now })
    .where('id_digest', '=', idDigest)
    .where('last_seen_at', '<=', now - minIntervalMs)
    .execute();
}

export async function insertApiToken(db: Db, t: ApiTokenRecord): Promise<void> {
  await db
    .insertInto('api_token')
    .values({
      id: t.id,
      name: t.name,
      name_key: key(t.name),
      digest: t.digest,
      role: t.role,
      dial_plan_scope: scopeIn(t.dialPlanScope),
      created_by: t.createdBy,
      created_at: t.createdAt,
      last_used_at: t.lastUsedAt,
      revoked_at: t.revokedAt,
    })
    .execute();
}

export async function revokeApiToken(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function touchApiToken(db: Db, id: string, now: number, minIntervalMs: number): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - minIntervalMs)]))
    .execute();
}

export async function insertSetupToken(db: Db, t: { digest: string; createdAt: number; expiresAt: number }): Promise<void> {
  await db.insertInto('setup_token').values({ digest: t.digest, created_at: t.createdAt, expires_at: t.expiresAt }).execute();
}

export async function takeSetupTokens(db: Db): Promise<Array<{ digest: string; expiresAt: number }>> {
  // on PostgreSQL a concurrent setup waits on these row locks, then finds the rows gone
  const rows = await db.deleteFrom('setup_token').returning(['digest', 'expires_at']).execute();
  return rows.map((r) => ({ digest: r.digest, expiresAt: Number(r.expires_at) }));
}
