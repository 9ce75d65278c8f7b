/** Who may sign in: administrator accounts, web sessions, API tokens, setup tokens, end users' sign-in codes. */
import type { AdminAccountRecord } from '../../domain/admin-account.js';
import type { ApiTokenRecord } from '../../domain/api-token.js';
import type { SessionOwner, SessionRecord } from '../../domain/session.js';

/** A one-time sign-in code just made for a recipient, as its keyed digest. */
export interface SignInCodeIssue {
  recipientId: string;
  codeDigest: string;
  issuedAt: number;
  expiresAt: number;
}

export interface AccessReads {
  /** By name, case-insensitively. */
  findAdminAccount(name: string): Promise<AdminAccountRecord | null>;
  listAdminAccounts(): Promise<AdminAccountRecord[]>;
  countAdminAccounts(): Promise<number>;
  /** A session and its owner (account, or recipient and whether it is still UM-enabled), in one indexed query. */
  findSession(idDigest: string): Promise<{ session: SessionRecord; owner: SessionOwner } | null>;
  /**
   * The token with this digest. A server may answer from its read cache, which another
   * server's revocation reaches by a change notification; `fresh` reads the database itself.
   */
  findApiTokenByDigest(digest: string, fresh?: boolean): Promise<ApiTokenRecord | null>;
  /** The live (unrevoked) token of that name, case-insensitively. */
  findLiveApiToken(name: string): Promise<ApiTokenRecord | null>;
  listApiTokens(): Promise<ApiTokenRecord[]>;
}

export interface AccessRepository extends AccessReads {
  insertAdminAccount(a: AdminAccountRecord): Promise<void>;
  updateAdminAccount(
    id: string,
    changes: Partial<
      Pick<AdminAccountRecord, 'passwordHash' | 'passwordChangedAt' | 'disabled' | 'role' | 'dialPlanScope'>
    >,
  ): Promise<void>;
  insertSession(s: SessionRecord): Promise<void>;
  /** False when there was no such session. */
  deleteSession(idDigest: string): Promise<boolean>;
  /** Ends every session of an administrator account. (A recipient's end with its UM mailbox: deleteUmMailbox.) */
  deleteSessionsOf(accountId: string): Promise<number>;
  /** Sessions past their absolute end, or idle since before idleBefore. */
  deleteExpiredSessions(now: number, idleBefore: number): Promise<number>;
  insertApiToken(t: ApiTokenRecord): Promise<void>;
  /** Revokes a live token; false when it was already revoked. */
  revokeApiToken(id: string, at: number): Promise<boolean>;
  insertSetupToken(t: { digest: string; createdAt: number; expiresAt: number }): Promise<void>;
  /** Deletes every setup token and returns them: the first setup to commit consumes them all. */
  takeSetupTokens(): Promise<Array<{ digest: string; expiresAt: number }>>;

  /**
   * Makes this the recipient's one sign-in code, replacing an unused one, unless `limit.max`
   * codes were issued to the recipient within the last `limit.windowMs` (counted exactly,
   * across servers: the row is locked first). Returns false then, and changes nothing.
   */
  issueSignInCode(code: SignInCodeIssue, limit: { max: number; windowMs: number }): Promise<boolean>;
  /** Uses up the recipient's code if it has this digest and has not expired: one conditional UPDATE, so a code signs in once. */
  consumeSignInCode(recipientId: string, codeDigest: string, now: number): Promise<boolean>;
  /**
   * Counts a wrong code against the recipient's live code, in one conditional UPDATE; the
   * code is void once the count reaches maxFailures. Returns the count, or null when the
   * recipient had no live code.
   */
  failSignInCode(recipientId: string, maxFailures: number): Promise<number | null>;
}

/** Single statements outside a transaction (every authenticated request): record use at most once per minInterval. */
export interface AccessUse {
  touchSession(idDigest: string, now: number, minIntervalMs: number): Promise<void>;
  touchApiToken(id: string, now: number, minIntervalMs: number): Promise<void>;
}
