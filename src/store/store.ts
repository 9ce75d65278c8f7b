/**
 * The store port: everything services persist, written once (store/kysely) and run on
 * SQLite and PostgreSQL. Methods on StoreTx run inside one transaction; counting a failed
 * logon and deciding lockout is a single conditional UPDATE so that parallel guesses,
 * across processes, never get more than the policy allows.
 */
import type { DialPlanSettings } from '../domain/dial-plan.js';
import type { PinState } from '../domain/logon.js';
import type { WildcardPart } from '../domain/opath-filter.js';
import type { MailboxPolicySettings } from '../domain/policy.js';

export interface Organization {
  id: string;
  name: string;
  defaultCountryCode: string;
  defaultLanguage: string;
  createdAt: number;
}

export interface DialPlan extends DialPlanSettings {
  id: string;
  createdAt: number;
  updatedAt: number;
}

export interface MailboxPolicy extends MailboxPolicySettings {
  id: string;
  name: string;
  dialPlanId: string;
  createdAt: number;
  updatedAt: number;
}

export interface Recipient {
  /** GUID */
  id: string;
  alias: string;
  primarySmtpAddress: string;
  userPrincipalName: string;
  displayName: string;
  /** BCP-47; null = the organisation's default */
  language: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface UmMailbox {
  recipientId: string;
  policyId: string;
  dialPlanId: string;
  extensions: string[];
  sipResourceIdentifier: string | null;
  enabledAt: number;
}

export interface PinRecord extends PinState {
  recipientId: string;
  pinHash: string;
  /** Increments on every PIN change: success paths apply only to the PIN they verified. */
  version: number;
}

/** A recipient an identity names, with its UM mailbox and PIN state when it has them. */
export interface MailboxMatch {
  recipient: Recipient;
  mailbox: UmMailbox | null;
  pin: PinRecord | null;
}

export interface PinHistoryEntry {
  recipientId: string;
  version: number;
  pinHash: string;
  retiredAt: number;
}

export interface AuditInput {
  at: number;
  actor: string;
  source: string | null;
  action: string;
  target: string | null;
  /** Never a PIN: services pass parameters through redactParameters. */
  parameters: Record<string, unknown>;
  result: 'success' | 'failure';
  errorCode: string | null;
}

export interface AuditEntry extends AuditInput {
  seq: number;
  hash: string;
}

/** Every kind of mail the outbox carries; the catalogues must have each one in every language. */
export const OUTBOX_KINDS = ['welcome', 'pin-reset', 'auto-reset', 'self-reset', 'lockout', 'expiry-reminder', 'sign-in-code'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface OutboxInput {
  id: string;
  kind: OutboxKind;
  recipientId: string | null;
  toAddress: string;
  language: string;
  /** AES-GCM sealed JSON (it may carry the clear PIN); null when the message carries no secret. */
  sealedPayload: string | null;
  createdAt: number;
}

export interface OutboxMessage extends OutboxInput {
  status: 'queued' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  sentAt: number | null;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
}

export interface OutboxStats {
  queued: number;
  /** created_at of the oldest queued mail; null when none waits */
  oldestQueuedAt: number | null;
  dead: number;
}

export interface PinWrite {
  recipientId: string;
  pinHash: string;
  pinSetAt: number;
  pinExpired: boolean;
  firstTimeUser: boolean;
  lockedOut: boolean;
  /** the failure count after the write (default 0; an automatic reset keeps the count) */
  failedAttempts?: number;
  /** history entries to keep after this write (PINHistoryCount − 1: the current PIN counts as one) */
  keepHistory: number;
}

/** A recipient, its UM mailbox and its first PIN, written together. */
export interface NewMailbox {
  recipient: Recipient;
  mailbox: UmMailbox;
  pin: PinWrite;
}

export interface AuditFilter {
  action?: string;
  target?: string;
  actor?: string;
  from?: number;
  to?: number;
  afterSeq?: number;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  /** opaque cursor for the next page, null at the end */
  next: string | null;
}

/**
 * What a list of recipients can filter and sort on: the recipient, its UM mailbox and its PIN
 * state. Each field holds one kind of value: text (compared case-insensitively), several texts
 * (a condition holds when any of them meets it), a time (epoch ms) or a flag.
 */
export const RECIPIENT_FIELDS = {
  id: 'text',
  displayName: 'text',
  alias: 'text',
  primarySmtpAddress: 'text',
  userPrincipalName: 'text',
  language: 'text',
  createdAt: 'time',
  updatedAt: 'time',
  umEnabled: 'flag',
  /** the UM mailbox policy's name */
  umMailboxPolicy: 'text',
  /** the UM dial plan's name, and its id */
  umDialPlan: 'text',
  umDialPlanId: 'text',
  extensions: 'texts',
  /** `smtp:<address>` and, per extension, `eum:<extension>;phone-context=<dial plan>.<domain>` */
  emailAddresses: 'texts',
  sipResourceIdentifier: 'text',
  umEnabledAt: 'time',
  /** the PIN state as Get-UMMailboxPIN shows it: locked (a timed lock until its time), expired (by the flag or PINLifetime) */
  lockedOut: 'flag',
  pinExpired: 'flag',
  firstTimeUser: 'flag',
} as const;
export type RecipientField = keyof typeof RECIPIENT_FIELDS;

/** The fields a list can be sorted by (a multi-valued one by its first value). */
export const RECIPIENT_SORT_FIELDS = ['displayName', 'alias', 'primarySmtpAddress', 'userPrincipalName', 'id', 'createdAt', 'updatedAt', 'umMailboxPolicy', 'umDialPlan', 'extensions', 'sipResourceIdentifier', 'umEnabledAt'] as const;
export type RecipientSortField = (typeof RECIPIENT_SORT_FIELDS)[number];

/**
 * A condition on recipients, evaluated by the store in its query. Every node is true or false
 * (a missing value meets no comparison; `empty` asks for it), so `not` is plain negation.
 */
export type RecipientCondition =
  | { kind: 'and' | 'or'; operands: RecipientCondition[] }
  | { kind: 'not'; operand: RecipientCondition }
  | { kind: 'constant'; value: boolean }
  /** no value: null, or no values of a multi-valued field */
  | { kind: 'empty'; field: RecipientField }
  /** text: string; time: number; flag: boolean (flags compare with eq only) */
  | { kind: 'compare'; field: RecipientField; operator: 'eq' | 'lt' | 'le' | 'gt' | 'ge'; value: string | number | boolean }
  | { kind: 'like'; field: RecipientField; pattern: WildcardPart[] };

export interface RecipientSort {
  field: RecipientSortField;
  descending: boolean;
}

export interface RecipientQuery {
  /** prefix of display name, alias or address */
  search?: string;
  umEnabled?: boolean;
  policyId?: string;
  filter?: RecipientCondition;
  /** the instant the filter judges states that lapse by time (a timed lock, a PIN past its PINLifetime) at, as Get-UMMailboxPIN does */
  now?: number;
  /** default: by display name */
  sort?: RecipientSort;
  cursor?: string | null;
  limit: number;
}

/** An administrator's local account; the password only as a memory-hard hash. */
export interface AdminAccountRecord {
  id: string;
  name: string;
  passwordHash: string;
  /** a RoleGroup */
  role: string;
  /** dial plan ids; null = the whole organisation */
  dialPlanScope: string[] | null;
  disabled: boolean;
  createdAt: number;
  passwordChangedAt: number;
}

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

/** A one-time sign-in code just made for a recipient, as its keyed digest. */
export interface SignInCodeIssue {
  recipientId: string;
  codeDigest: string;
  issuedAt: number;
  expiresAt: number;
}

/** An API token, kept as the digest of its secret. */
export interface ApiTokenRecord {
  id: string;
  name: string;
  digest: string;
  /** a RoleGroup */
  role: string;
  dialPlanScope: string[] | null;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface StoreReads {
  getOrganization(): Promise<Organization | null>;

  findDialPlans(identity: string): Promise<DialPlan[]>;
  getDialPlan(id: string): Promise<DialPlan | null>;
  listDialPlans(): Promise<DialPlan[]>;

  findPolicies(identity: string): Promise<MailboxPolicy[]>;
  getPolicy(id: string): Promise<MailboxPolicy | null>;
  listPolicies(dialPlanId?: string): Promise<MailboxPolicy[]>;
  countMailboxesWithPolicy(policyId: string): Promise<number>;

  /** Matches GUID, alias, primary SMTP address, UPN or display name, case-insensitively. */
  findRecipients(identity: string): Promise<Recipient[]>;
  /** findRecipients, each with its UM mailbox (extensions included) and PIN state, in one query. */
  findMailboxes(identity: string): Promise<MailboxMatch[]>;
  getRecipient(id: string): Promise<Recipient | null>;
  listRecipients(q: RecipientQuery): Promise<Page<Recipient>>;

  getUmMailbox(recipientId: string): Promise<UmMailbox | null>;
  /** The UM mailboxes of these recipients (those that have one), in two queries however many: a page's worth at once. */
  getUmMailboxes(recipientIds: readonly string[]): Promise<UmMailbox[]>;
  /** Recipient ids holding this extension (in one dial plan, or in any), in one indexed query. */
  recipientsWithExtension(extension: string, dialPlanId?: string): Promise<string[]>;

  getPin(recipientId: string): Promise<PinRecord | null>;
  getPinHistory(recipientId: string, limit: number): Promise<PinHistoryEntry[]>;

  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
  auditHead(): Promise<{ seq: number; hash: string }>;

  /**
   * UM mailboxes of a policy whose PIN was set within [setFrom, setTo), not flagged
   * expired, and not yet reminded `daysBefore` days ahead for that PIN version.
   */
  pinsDueForReminder(policyId: string, setFrom: number, setTo: number, daysBefore: number, limit: number): Promise<PinRecord[]>;

  listOutbox(filter: { status?: OutboxMessage['status']; recipientId?: string; limit?: number }): Promise<OutboxMessage[]>;
  /** The outbox's health for /metrics, in one query: mails waiting (and when the oldest was queued) and dead letters. */
  outboxStats(): Promise<OutboxStats>;

  /** By name, case-insensitively. */
  findAdminAccount(name: string): Promise<AdminAccountRecord | null>;
  listAdminAccounts(): Promise<AdminAccountRecord[]>;
  countAdminAccounts(): Promise<number>;
  /** A session and its owner (account, or recipient and whether it is still UM-enabled), in one indexed query. */
  findSession(idDigest: string): Promise<{ session: SessionRecord; owner: SessionOwner } | null>;
  findApiTokenByDigest(digest: string): Promise<ApiTokenRecord | null>;
  /** The live (unrevoked) token of that name, case-insensitively. */
  findLiveApiToken(name: string): Promise<ApiTokenRecord | null>;
  listApiTokens(): Promise<ApiTokenRecord[]>;
}

export interface StoreTx extends StoreReads {
  upsertOrganization(org: Organization): Promise<void>;

  insertDialPlan(dp: DialPlan): Promise<void>;
  updateDialPlan(dp: DialPlan): Promise<void>;
  deleteDialPlan(id: string): Promise<void>;

  insertPolicy(p: MailboxPolicy): Promise<void>;
  updatePolicy(p: MailboxPolicy): Promise<void>;
  deletePolicy(id: string): Promise<void>;

  insertRecipient(r: Recipient): Promise<void>;
  updateRecipient(r: Recipient): Promise<void>;
  deleteRecipient(id: string): Promise<void>;

  insertUmMailbox(m: UmMailbox): Promise<void>;
  updateUmMailbox(m: UmMailbox): Promise<void>;
  /** Removes the UM mailbox, its extensions, PIN and PIN history, its queued mails, and its user's sessions and sign-in code. */
  deleteUmMailbox(recipientId: string): Promise<void>;

  insertPin(p: PinWrite): Promise<void>;
  /** Many new UM-enabled recipients at once, in multi-row statements (the synthetic demo's bulk load). */
  insertMailboxes(rows: readonly NewMailbox[]): Promise<void>;
  /**
   * Replaces the PIN (moving the old hash to history, pruned to keepHistory) and clears
   * the failure count. With expectedVersion, applies only if nobody changed the PIN since;
   * returns false then.
   */
  replacePin(p: PinWrite, expectedVersion?: number): Promise<boolean>;
  /**
   * One atomic step: counts a failure unless the mailbox is locked, and locks it when the
   * count reaches maxAttempts. Returns the count after this failure, or null when the
   * mailbox was already locked (nothing counted).
   */
  recordFailure(recipientId: string, maxAttempts: number | null, lockedUntil: number | null): Promise<number | null>;
  /** Clears the count after a right PIN, if the PIN is still the verified version and not locked; optionally stores an upgraded hash. */
  recordSuccess(recipientId: string, version: number, upgradedHash: string | null): Promise<boolean>;
  /** Lifts a lock whose LockoutDuration has passed (and clears the count). */
  liftLapsedLock(recipientId: string, now: number): Promise<boolean>;
  setLock(recipientId: string, locked: boolean): Promise<void>;
  setPinFlags(recipientId: string, flags: { pinExpired?: boolean; firstTimeUser?: boolean }): Promise<void>;

  /** Appends to the hash chain; link() computes each entry's keyed hash from the previous one. */
  appendAudit(entries: AuditInput[], link: (previousHash: string, content: string) => string): Promise<AuditEntry[]>;
  enqueueOutbox(messages: OutboxInput[]): Promise<void>;
  /** Records a reminder; false if this PIN version already had it (another server was first). */
  recordReminder(recipientId: string, pinVersion: number, daysBefore: number, sentAt: number): Promise<boolean>;
  /** An administrator's retry of a dead letter: queued again from now, attempts from zero. */
  requeueOutbox(id: string, now: number): Promise<boolean>;
  /** Drops the recipient's mails of this kind that have not gone out (queued or dead), sealed payloads and all: a newer mail replaces them. */
  discardUnsentMail(recipientId: string, kind: OutboxKind): Promise<number>;

  insertAdminAccount(a: AdminAccountRecord): Promise<void>;
  updateAdminAccount(id: string, changes: Partial<Pick<AdminAccountRecord, 'passwordHash' | 'passwordChangedAt' | 'disabled' | 'role' | 'dialPlanScope'>>): Promise<void>;
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

/** Outbox delivery: claims are leases, so a claimer that dies releases its rows when the lease ends. */
export interface OutboxQueue {
  /**
   * Claims up to `limit` due messages for `owner` until now + leaseMs, counting an attempt
   * for each. On PostgreSQL concurrent claimers skip each other's rows (FOR UPDATE SKIP
   * LOCKED); on SQLite the write lock serialises claims.
   */
  claimOutbox(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]>;
  /** Accepted by the server: marks them sent and erases their sealed payloads. */
  completeOutbox(ids: readonly string[], sentAt: number): Promise<void>;
  /** Leaves it queued for another try at nextAttemptAt (only while owner still holds the lease). */
  retryOutbox(id: string, owner: string, nextAttemptAt: number, error: string): Promise<void>;
  /** Gives up: a dead letter, visible to administrators, kept sealed so it can be retried. */
  killOutbox(id: string, owner: string, error: string): Promise<void>;
  /** Extends owner's lease on a queued row to leaseUntil; false if the row is no longer owner's. */
  renewOutboxLease(id: string, owner: string, leaseUntil: number): Promise<boolean>;
}

export interface Store extends StoreReads, OutboxQueue {
  readonly engine: 'sqlite' | 'postgres';
  /** Runs fn in one write transaction; rolled back when fn throws. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** StoreTx.recordSuccess as a single statement outside a transaction (the logon hot path). */
  recordSuccess(recipientId: string, version: number, upgradedHash: string | null): Promise<boolean>;
  /** Single statements outside a transaction (every authenticated request): record use at most once per minInterval. */
  touchSession(idDigest: string, now: number, minIntervalMs: number): Promise<void>;
  touchApiToken(id: string, now: number, minIntervalMs: number): Promise<void>;
  migrate(): Promise<void>;
  /**
   * Runs fn, a load of many large transactions, with the engine set for it (SQLite: a page
   * cache that holds the indexes being filled), then refreshes the planner's statistics
   * (and PostgreSQL's visibility map, which index-only scans read).
   */
  bulkLoad<T>(fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
