/**
 * The one schema, as Kysely types. Flags are integers 0/1 and times epoch milliseconds
 * (bigint) on both engines, so rows read back the same from SQLite and PostgreSQL.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';

export interface OrganizationTable {
  id: string;
  name: string;
  default_country_code: string;
  default_language: string;
  created_at: number;
}

export interface DialPlanTable {
  id: string;
  name: string;
  name_key: string;
  number_of_digits: number;
  country_code: string;
  logon_failures_before_disconnect: number;
  default_language: string;
  voice_access_numbers: string; // JSON array
  /** migration 0010 */
  operator_extension: string | null;
  /** migration 0011 */
  voice_mail_uri: string | null;
  created_at: number;
  updated_at: number;
}

export interface MailboxPolicyTable {
  id: string;
  dial_plan_id: string;
  name: string;
  name_key: string;
  min_pin_length: number;
  pin_lifetime_days: number | null;
  pin_history_count: number;
  allow_common_patterns: number;
  /** PINComplexity, 'Exchange' or 'Strict'; default 'Exchange' (migration 0015) */
  pin_complexity: Generated<string>;
  /** ProgressiveLockout, 0 or 1; default 0 (migration 0015) */
  progressive_lockout: Generated<number>;
  /** PINDelivery, 'Mail' or 'Link'; default 'Mail' (migration 0016) */
  pin_delivery: Generated<string>;
  /** PINLinkValidity in hours; default 24 (migration 0016) */
  pin_link_validity_hours: Generated<number>;
  /** PINLinkRequiresSignIn, 0 or 1; default 0 (migration 0016) */
  pin_link_requires_sign_in: Generated<number>;
  logon_failures_before_pin_reset: number | null;
  max_logon_attempts: number | null;
  lockout_duration_minutes: number | null;
  reset_pin_text: string | null;
  um_enabled_text: string | null;
  allow_pinless_voice_mail_access: number;
  allow_subscriber_access: number;
  created_at: number;
  updated_at: number;
}

export interface RecipientTable {
  id: string;
  alias: string;
  alias_key: string;
  primary_smtp_address: string;
  smtp_key: string;
  /** its key, as compared, is a recipient_name row (migration 0019) */
  user_principal_name: string;
  display_name: string;
  display_name_key: string;
  /**
   * leading characters alias_key shares with display_name_key, and smtp_key with either (≤ 16);
   * smtp_shared is -1 where the address is the alias at a domain (0024): see recipient-queries.ts
   */
  alias_shared: number;
  smtp_shared: number;
  /** the UM mailbox's policy (a copy of um_mailbox.policy_id), null when not UM-enabled: lists filter on it in their indexes */
  um_policy_id: ColumnType<string | null, string | null | undefined, string | null>;
  language: string | null;
  created_at: number;
  updated_at: number;
}

/** A recipient row as read. */
export type RecipientRow = Selectable<RecipientTable>;

export interface UmMailboxTable {
  recipient_id: string;
  policy_id: string;
  dial_plan_id: string;
  sip_resource_identifier: string | null;
  enabled_at: number;
  /** 0 or 1; default 1 (migration 0010) */
  subscriber_access_enabled: Generated<number>;
  /** 0 or 1; default 0 (migration 0010) */
  pinless_access_enabled: Generated<number>;
  operator_number: string | null;
  /** 0 or 1; default 1 (migration 0015) */
  pin_change_allowed: Generated<number>;
  /**
   * The mailbox's extension numbers in their order, joined by ',' ('' for none; migration 0021):
   * where they are read from. The extension rows (below) are the same numbers keyed for
   * uniqueness in the dial plan and for finding a number's owners; both are written together
   * (mailbox-extensions.ts).
   */
  extensions: string;
}

/** A disabled mailbox's kept UM settings (migration 0012); no PIN data. */
export interface UmMailboxKeptPropertiesTable {
  recipient_id: string;
  policy_id: string | null;
  dial_plan_id: string | null;
  extensions: string; // JSON array, in their order
  sip_resource_identifier: string | null;
  subscriber_access_enabled: number;
  pinless_access_enabled: number;
  operator_number: string | null;
  /** 0 or 1; default 1 (migration 0015) */
  pin_change_allowed: Generated<number>;
  kept_at: number;
}

/**
 * The unique names (migration 0019; the identity key of 0017 before): one row for each name a
 * recipient must not share with another, as compared (key() in rows.ts) — its alias, primary
 * address and UPN, each once — keyed by the name alone, so that the key is the uniqueness of
 * all three together and a name is one seek. A GUID is found by recipient's own key and a
 * display name (which recipients may share) by recipient_display_name (identityQuery).
 * Extensions are names within a dial plan: the extension table's (dial_plan_id, number) key.
 */
export interface RecipientNameTable {
  name_key: string;
  recipient_id: string;
}

/**
 * A mailbox's extensions as rows: the key (dial_plan_id, number) is an extension's uniqueness in
 * its dial plan, and finds a number's owners in any, a seek a dial plan (0024). No index leads with
 * recipient_id and no foreign key names it (migration 0021): a mailbox's rows are found by
 * their key, the dial plan and numbers its um_mailbox row holds.
 */
export interface ExtensionTable {
  dial_plan_id: string;
  number: string;
  recipient_id: string;
  position: number;
}

export interface PinStateTable {
  recipient_id: string;
  pin_hash: string;
  pin_set_at: number;
  pin_expired: number;
  first_time_user: number;
  locked_out: number;
  locked_until: number | null;
  failed_attempts: number;
  version: number;
  /** when the last wrong PIN was counted (migration 0009) */
  last_failure_at: number | null;
  /** the calling number of that failure, when the voice gateway gave one */
  last_failure_caller: string | null;
  /** locks in a row, each within a day of the one before; default 0 (migration 0015) */
  lock_count: Generated<number>;
  /** when the last lock was set (migration 0015) */
  last_locked_at: number | null;
}

export interface PinHistoryTable {
  recipient_id: string;
  version: number;
  pin_hash: string;
  retired_at: number;
}

/** One audit chain's head (migration 0014): its last entry's position and hash; writable chains take new entries. */
export interface AuditChainTable {
  id: number;
  last_position: number;
  last_hash: string;
  legacy_length: number;
  writable: number;
}

export interface AuditLogTable {
  seq: number;
  at: number;
  actor: string;
  source: string | null;
  action: string;
  target: string | null;
  parameters: string; // canonical JSON
  result: string;
  error_code: string | null;
  hash: string;
  chain_id: number;
  chain_position: number;
}

export interface OutboxTable {
  id: string;
  kind: string;
  recipient_id: string | null;
  to_address: string;
  language: string;
  sealed_payload: string | null;
  status: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  sent_at: number | null;
  last_error: string | null;
}

export interface PinReminderTable {
  recipient_id: string;
  pin_version: number;
  days_before: number;
  sent_at: number;
}

export interface AdminAccountTable {
  id: string;
  name: string;
  name_key: string;
  password_hash: string;
  role: string;
  dial_plan_scope: string | null; // JSON array of dial plan ids
  disabled: number;
  created_at: number;
  password_changed_at: number;
}

/** A web session of an administrator account or of an end user (a recipient): exactly one of the two is set (a check constraint). */
export interface WebSessionTable {
  id_digest: string;
  account_id: string | null;
  recipient_id: string | null;
  csrf_digest: string;
  created_at: number;
  last_seen_at: number;
  absolute_expires_at: number;
}

/** A recipient's one-time sign-in code (its keyed digest; null once used, voided or never issued) and the times of recent codes, for the per-mailbox limit. */
export interface SignInCodeTable {
  recipient_id: string;
  code_digest: string | null;
  issued_at: number | null;
  expires_at: number | null;
  failed_attempts: number;
  recent_issues: string; // JSON array of epoch ms, oldest first
}

export interface ApiTokenTable {
  id: string;
  name: string;
  name_key: string;
  digest: string;
  role: string;
  dial_plan_scope: string | null; // JSON array of dial plan ids
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SetupTokenTable {
  digest: string;
  created_at: number;
  expires_at: number;
}

/** Attempts counted per limit and key, shared by every server (migration 0013; limit-counters.ts). */
export interface LimitCounterTable {
  kind: string;
  key: string;
  attempts: number;
  window_start: number;
  blocked_until: number;
  offences: number;
  last_offence_at: number;
  expires_at: number;
}

/** A one-time PIN link (migration 0016): looked up by its token's keyed digest, never the token. */
export interface PinLinkTable {
  token_digest: string;
  recipient_id: string;
  /** 'active', 'shown', 'expired' or 'replaced' */
  state: string;
  /** the sealed PIN while active; null once it is shown, expired or replaced */
  sealed_payload: string | null;
  requires_sign_in: number;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

export interface Database {
  pin_link: PinLinkTable;
  limit_counter: LimitCounterTable;
  admin_account: AdminAccountTable;
  web_session: WebSessionTable;
  sign_in_code: SignInCodeTable;
  api_token: ApiTokenTable;
  setup_token: SetupTokenTable;
  pin_reminder: PinReminderTable;
  organization: OrganizationTable;
  dial_plan: DialPlanTable;
  mailbox_policy: MailboxPolicyTable;
  recipient: RecipientTable;
  um_mailbox: UmMailboxTable;
  um_mailbox_kept_properties: UmMailboxKeptPropertiesTable;
  recipient_name: RecipientNameTable;
  extension: ExtensionTable;
  pin_state: PinStateTable;
  pin_history: PinHistoryTable;
  audit_chain: AuditChainTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
}
