import type { AdminAccountRecord } from './admin-account.js';
import type { Recipient } from './recipient.js';

/** A web session, found by the digest of its secret id: an administrator's or an end user's. */
export interface SessionRecord {
  idDigest: string;
  /** exactly one of accountId (an administrator account) and recipientId (an end user signed in with a mailed code) is set */
  accountId: string | null;
  recipientId: string | null;
  csrfDigest: string;
  createdAt: number;
  lastSeenAt: number;
  absoluteExpiresAt: number;
}

/** Whose a session is, read with it. */
export type SessionOwner =
  | { kind: 'admin'; account: AdminAccountRecord }
  /** umEnabled false: the mailbox was disabled since, and the session must end */
  | { kind: 'user'; recipient: Recipient; umEnabled: boolean };
