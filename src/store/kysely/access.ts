/**
 * Rows of the access tables: administrator accounts, web sessions, API tokens, setup tokens,
 * end users' sign-in codes.
 */
import { sql } from 'kysely';
import type { AdminAccountRecord } from '../../domain/admin-account.js';
import type { ApiTokenRecord } from '../../domain/api-token.js';
import type { Recipient } from '../../domain/recipient.js';
import type { SessionOwner, SessionRecord } from '../../domain/session.js';
import type { AccessReads, AccessRepository, AccessUse, SignInCodeIssue } from '../../services/ports/access.js';
import { key, Rows, type Db } from './rows.js';
import type { AdminAccountTable, ApiTokenTable } from './schema.js';

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

/** A recipient's sessions and sign-in code, when its UM mailbox goes. */
export async function deleteUserAccess(db: Db, recipientId: string): Promise<void> {
  await db.deleteFrom('web_session').where('recipient_id', '=', recipientId).execute();
  await db.deleteFrom('sign_in_code').where('recipient_id', '=', recipientId).execute();
  // its PIN links too: a link must not show a PIN of a mailbox that is gone
  await db.deleteFrom('pin_link').where('recipient_id', '=', recipientId).execute();
}

export class AccessReadRows extends Rows implements AccessReads {
  async findAdminAccount(name: string): Promise<AdminAccountRecord | null> {
    const r = await this.db
      .selectFrom('admin_account')
      .selectAll()
      .where('name_key', '=', key(name))
      .executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async listAdminAccounts(): Promise<AdminAccountRecord[]> {
    return (await this.db.selectFrom('admin_account').selectAll().orderBy('name_key').execute()).map(toAccount);
  }

  async countAdminAccounts(): Promise<number> {
    const r = await this.db
      .selectFrom('admin_account')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async findSession(idDigest: string): Promise<{ session: SessionRecord; owner: SessionOwner } | null> {
    const r = await this.db
      .selectFrom('web_session as s')
      .leftJoin('admin_account as a', 'a.id', 's.account_id')
      .leftJoin('recipient as u', 'u.id', 's.recipient_id')
      .select([
        's.id_digest',
        's.account_id',
        's.recipient_id',
        's.csrf_digest',
        's.created_at',
        's.last_seen_at',
        's.absolute_expires_at',
        'a.name as a_name',
        'a.name_key as a_name_key',
        'a.password_hash as a_password_hash',
        'a.role as a_role',
        'a.dial_plan_scope as a_dial_plan_scope',
        'a.disabled as a_disabled',
        'a.created_at as a_created_at',
        'a.password_changed_at as a_password_changed_at',
        'u.alias as u_alias',
        'u.primary_smtp_address as u_primary_smtp_address',
        'u.user_principal_name as u_user_principal_name',
        'u.display_name as u_display_name',
        'u.language as u_language',
        'u.created_at as u_created_at',
        'u.updated_at as u_updated_at',
        // recipient.um_policy_id mirrors the UM mailbox: null once it is disabled
        'u.um_policy_id as u_um_policy_id',
      ])
      .where('s.id_digest', '=', idDigest)
      .executeTakeFirst();
    if (!r) return null;
    const session: SessionRecord = {
      idDigest: r.id_digest,
      accountId: r.account_id,
      recipientId: r.recipient_id,
      csrfDigest: r.csrf_digest,
      createdAt: Number(r.created_at),
      lastSeenAt: Number(r.last_seen_at),
      absoluteExpiresAt: Number(r.absolute_expires_at),
    };
    if (r.account_id !== null && r.a_name !== null) {
      const account = toAccount({
        id: r.account_id,
        name: r.a_name,
        name_key: r.a_name_key!,
        password_hash: r.a_password_hash!,
        role: r.a_role!,
        dial_plan_scope: r.a_dial_plan_scope,
        disabled: r.a_disabled!,
        created_at: r.a_created_at!,
        password_changed_at: r.a_password_changed_at!,
      });
      return { session, owner: { kind: 'admin', account } };
    }
    if (r.recipient_id !== null && r.u_primary_smtp_address !== null) {
      const recipient: Recipient = {
        id: r.recipient_id,
        alias: r.u_alias!,
        primarySmtpAddress: r.u_primary_smtp_address,
        userPrincipalName: r.u_user_principal_name!,
        displayName: r.u_display_name!,
        language: r.u_language,
        createdAt: Number(r.u_created_at),
        updatedAt: Number(r.u_updated_at),
      };
      return { session, owner: { kind: 'user', recipient, umEnabled: r.u_um_policy_id !== null } };
    }
    return null;
  }

  async findApiTokenByDigest(digest: string): Promise<ApiTokenRecord | null> {
    const r = await this.db.selectFrom('api_token').selectAll().where('digest', '=', digest).executeTakeFirst();
    return r ? toToken(r) : null;
  }

  async findLiveApiToken(name: string): Promise<ApiTokenRecord | null> {
    const r = await this.db
      .selectFrom('api_token')
      .selectAll()
      .where('name_key', '=', key(name))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return r ? toToken(r) : null;
  }

  async listApiTokens(): Promise<ApiTokenRecord[]> {
    return (await this.db.selectFrom('api_token').selectAll().orderBy('name_key').orderBy('created_at').execute()).map(
      toToken,
    );
  }
}

export class AccessRows extends AccessReadRows implements AccessRepository {
  async insertAdminAccount(a: AdminAccountRecord): Promise<void> {
    await this.db
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

  async updateAdminAccount(id: string, c: Parameters<AccessRepository['updateAdminAccount']>[1]): Promise<void> {
    const set: Partial<AdminAccountTable> = {};
    if (c.passwordHash !== undefined) set.password_hash = c.passwordHash;
    if (c.passwordChangedAt !== undefined) set.password_changed_at = c.passwordChangedAt;
    if (c.disabled !== undefined) set.disabled = c.disabled ? 1 : 0;
    if (c.role !== undefined) set.role = c.role;
    if (c.dialPlanScope !== undefined) set.dial_plan_scope = scopeIn(c.dialPlanScope);
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('admin_account').set(set).where('id', '=', id).execute();
  }

  async insertSession(s: SessionRecord): Promise<void> {
    await this.db
      .insertInto('web_session')
      .values({
        id_digest: s.idDigest,
        account_id: s.accountId,
        recipient_id: s.recipientId,
        csrf_digest: s.csrfDigest,
        created_at: s.createdAt,
        last_seen_at: s.lastSeenAt,
        absolute_expires_at: s.absoluteExpiresAt,
      })
      .execute();
  }

  async deleteSession(idDigest: string): Promise<boolean> {
    const r = await this.db.deleteFrom('web_session').where('id_digest', '=', idDigest).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async deleteSessionsOf(accountId: string): Promise<number> {
    const r = await this.db.deleteFrom('web_session').where('account_id', '=', accountId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async deleteExpiredSessions(now: number, idleBefore: number): Promise<number> {
    const r = await this.db
      .deleteFrom('web_session')
      .where((eb) => eb.or([eb('absolute_expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async insertApiToken(t: ApiTokenRecord): Promise<void> {
    await this.db
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

  async revokeApiToken(id: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('api_token')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertSetupToken(t: { digest: string; createdAt: number; expiresAt: number }): Promise<void> {
    await this.db
      .insertInto('setup_token')
      .values({ digest: t.digest, created_at: t.createdAt, expires_at: t.expiresAt })
      .execute();
  }

  async takeSetupTokens(): Promise<Array<{ digest: string; expiresAt: number }>> {
    // on PostgreSQL a concurrent setup waits on these row locks, then finds the rows gone
    const rows = await this.db.deleteFrom('setup_token').returning(['digest', 'expires_at']).execute();
    return rows.map((r) => ({ digest: r.digest, expiresAt: Number(r.expires_at) }));
  }

  async issueSignInCode(c: SignInCodeIssue, limit: { max: number; windowMs: number }): Promise<boolean> {
    // the row exists from a recipient's first code on; then lock it (an UPDATE does, on both
    // engines), so two requests at once count each other
    await this.db
      .insertInto('sign_in_code')
      .values({
        recipient_id: c.recipientId,
        code_digest: null,
        issued_at: null,
        expires_at: null,
        failed_attempts: 0,
        recent_issues: '[]',
      })
      .onConflict((oc) => oc.column('recipient_id').doNothing())
      .execute();
    const locked = await this.db
      .updateTable('sign_in_code')
      .set({ recipient_id: sql`recipient_id` })
      .where('recipient_id', '=', c.recipientId)
      .returning('recent_issues')
      .executeTakeFirstOrThrow();
    const recent = (JSON.parse(locked.recent_issues) as number[]).filter((t) => t > c.issuedAt - limit.windowMs);
    if (recent.length >= limit.max) return false;
    await this.db
      .updateTable('sign_in_code')
      .set({
        code_digest: c.codeDigest,
        issued_at: c.issuedAt,
        expires_at: c.expiresAt,
        failed_attempts: 0,
        recent_issues: JSON.stringify([...recent, c.issuedAt]),
      })
      .where('recipient_id', '=', c.recipientId)
      .execute();
    return true;
  }

  async consumeSignInCode(recipientId: string, codeDigest: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('sign_in_code')
      .set({ code_digest: null })
      .where('recipient_id', '=', recipientId)
      .where('code_digest', '=', codeDigest)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async failSignInCode(recipientId: string, maxFailures: number): Promise<number | null> {
    const r = await this.db
      .updateTable('sign_in_code')
      .set({
        failed_attempts: sql`failed_attempts + 1`,
        code_digest: sql`case when failed_attempts + 1 >= ${maxFailures} then null else code_digest end`,
      })
      .where('recipient_id', '=', recipientId)
      .where('code_digest', 'is not', null)
      .returning('failed_attempts')
      .executeTakeFirst();
    return r ? r.failed_attempts : null;
  }
}

/** On the database itself, outside any transaction: each is one statement. */
export class AccessUseRows extends Rows implements AccessUse {
  async touchSession(idDigest: string, now: number, minIntervalMs: number): Promise<void> {
    await this.db
      .updateTable('web_session')
      .set({ last_seen_at: now })
      .where('id_digest', '=', idDigest)
      .where('last_seen_at', '<=', now - minIntervalMs)
      .execute();
  }

  async touchApiToken(id: string, now: number, minIntervalMs: number): Promise<void> {
    await this.db
      .updateTable('api_token')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - minIntervalMs)]))
      .execute();
  }
}
