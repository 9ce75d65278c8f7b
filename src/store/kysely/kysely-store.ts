import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import { totalmem } from 'node:os';
import { auditContent, canonicalJson } from '../../domain/audit-chain.js';
import type {
  AdminAccountRecord,
  ApiTokenRecord,
  SessionOwner,
  SessionRecord,
  SignInCodeIssue,
  OutboxQueue,
  AuditEntry,
  AuditFilter,
  AuditInput,
  DialPlan,
  MailboxPolicy,
  Organization,
  OutboxInput,
  OutboxKind,
  OutboxMessage,
  OutboxStats,
  Page,
  PinHistoryEntry,
  PinRecord,
  NewMailbox,
  MailboxMatch,
  PinWrite,
  Recipient,
  RecipientQuery,
  Store,
  StoreReads,
  StoreTx,
  UmMailbox,
} from '../store.js';
import * as access from './access-rows.js';
import { migrationProvider } from './migrations.js';
import { prepared } from './prepared.js';
import { ReadCache, type ChangeSignal } from './read-cache.js';
import { extensionOwnersQuery, identityQuery, mailboxesNamedQuery, recipientListPage, sharedLeads } from './recipient-queries.js';
import type { Database, DialPlanTable, MailboxPolicyTable, OutboxTable, PinStateTable, RecipientRow, RecipientTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const b = (v: boolean): number => (v ? 1 : 0);

/** The row of a PIN just set: no failures, no timed lock, first version. */
function newPinStateRow(p: Pick<PinWrite, 'recipientId' | 'pinHash' | 'pinSetAt' | 'pinExpired' | 'firstTimeUser' | 'lockedOut'>) {
  return {
    recipient_id: p.recipientId,
    pin_hash: p.pinHash,
    pin_set_at: p.pinSetAt,
    pin_expired: b(p.pinExpired),
    first_time_user: b(p.firstTimeUser),
    locked_out: b(p.lockedOut),
    locked_until: null,
    failed_attempts: 0,
    version: 1,
  };
}
const key = (s: string): string => s.trim().toLowerCase();
/** "CONTOSO\tonysmith": the domain\account form names the alias. */
function identityKey(identity: string): string {
  const raw = identity.trim();
  return key(raw.includes('\\') ? raw.slice(raw.lastIndexOf('\\') + 1) : raw);
}
/** Largest count a SQL integer comparison needs when MaxLogonAttempts is Unlimited. */
const NO_LIMIT = 2_147_483_647;

function toDialPlan(r: DialPlanTable): DialPlan {
  return {
    id: r.id,
    name: r.name,
    numberOfDigitsInExtension: r.number_of_digits,
    countryOrRegionCode: r.country_code,
    logonFailuresBeforeDisconnect: r.logon_failures_before_disconnect,
    defaultLanguage: r.default_language,
    voiceAccessNumbers: JSON.parse(r.voice_access_numbers) as string[],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function fromDialPlan(d: DialPlan): DialPlanTable {
  return {
    id: d.id,
    name: d.name,
    name_key: key(d.name),
    number_of_digits: d.numberOfDigitsInExtension,
    country_code: d.countryOrRegionCode,
    logon_failures_before_disconnect: d.logonFailuresBeforeDisconnect,
    default_language: d.defaultLanguage,
    voice_access_numbers: JSON.stringify(d.voiceAccessNumbers),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

function toPolicy(r: MailboxPolicyTable): MailboxPolicy {
  return {
    id: r.id,
    dialPlanId: r.dial_plan_id,
    name: r.name,
    minPinLength: r.min_pin_length,
    pinLifetimeDays: r.pin_lifetime_days,
    pinHistoryCount: r.pin_history_count,
    allowCommonPatterns: r.allow_common_patterns === 1,
    logonFailuresBeforePinReset: r.logon_failures_before_pin_reset,
    maxLogonAttempts: r.max_logon_attempts,
    lockoutDurationMinutes: r.lockout_duration_minutes,
    resetPinText: r.reset_pin_text,
    umEnabledText: r.um_enabled_text,
    allowPinlessVoiceMailAccess: r.allow_pinless_voice_mail_access === 1,
    allowSubscriberAccess: r.allow_subscriber_access === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function fromPolicy(p: MailboxPolicy): MailboxPolicyTable {
  return {
    id: p.id,
    dial_plan_id: p.dialPlanId,
    name: p.name,
    name_key: key(p.name),
    min_pin_length: p.minPinLength,
    pin_lifetime_days: p.pinLifetimeDays,
    pin_history_count: p.pinHistoryCount,
    allow_common_patterns: b(p.allowCommonPatterns),
    logon_failures_before_pin_reset: p.logonFailuresBeforePinReset,
    max_logon_attempts: p.maxLogonAttempts,
    lockout_duration_minutes: p.lockoutDurationMinutes,
    reset_pin_text: p.resetPinText,
    um_enabled_text: p.umEnabledText,
    allow_pinless_voice_mail_access: b(p.allowPinlessVoiceMailAccess),
    allow_subscriber_access: b(p.allowSubscriberAccess),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

function toRecipient(r: RecipientRow): Recipient {
  return {
    id: r.id,
    alias: r.alias,
    primarySmtpAddress: r.primary_smtp_address,
    userPrincipalName: r.user_principal_name,
    displayName: r.display_name,
    language: r.language,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** Every column but um_policy_id, which only the UM mailbox writes set. */
function fromRecipient(r: Recipient): Omit<RecipientTable, 'um_policy_id'> {
  const keys = { display_name_key: key(r.displayName), alias_key: key(r.alias), smtp_key: key(r.primarySmtpAddress) };
  return {
    id: r.id,
    alias: r.alias,
    alias_key: keys.alias_key,
    primary_smtp_address: r.primarySmtpAddress,
    smtp_key: keys.smtp_key,
    user_principal_name: r.userPrincipalName,
    upn_key: key(r.userPrincipalName),
    display_name: r.displayName,
    display_name_key: keys.display_name_key,
    ...sharedLeads(keys),
    language: r.language,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

function toPin(r: PinStateTable): PinRecord {
  return {
    recipientId: r.recipient_id,
    pinHash: r.pin_hash,
    pinSetAt: Number(r.pin_set_at),
    pinExpired: r.pin_expired === 1,
    firstTimeUser: r.first_time_user === 1,
    lockedOut: r.locked_out === 1,
    lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
    failedAttempts: r.failed_attempts,
    version: r.version,
  };
}

function toOutbox(r: OutboxTable): OutboxMessage {
  return {
    id: r.id,
    kind: r.kind as OutboxMessage['kind'],
    recipientId: r.recipient_id,
    toAddress: r.to_address,
    language: r.language,
    sealedPayload: r.sealed_payload,
    createdAt: Number(r.created_at),
    status: r.status as OutboxMessage['status'],
    attempts: r.attempts,
    nextAttemptAt: Number(r.next_attempt_at),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
    lastError: r.last_error,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
  };
}

/** Unique-constraint violations, on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// the reads every API request and telephone logon makes, compiled once (prepared.ts)
const recipientsNamed = prepared((db, k: string) => identityQuery(db, k));
const mailboxesNamed = prepared((db, k: string) => mailboxesNamedQuery(db, k));
const umMailboxOf = prepared((db, recipientId: string) => db.selectFrom('um_mailbox').selectAll().where('recipient_id', '=', recipientId));
const extensionsOf = prepared((db, recipientId: string) => db.selectFrom('extension').select('number').where('recipient_id', '=', recipientId).orderBy('position'));
const pinOf = prepared((db, recipientId: string) => db.selectFrom('pin_state').selectAll().where('recipient_id', '=', recipientId));

class Reads implements StoreReads {
  constructor(protected readonly db: Db) {}

  async getOrganization(): Promise<Organization | null> {
    const r = await this.db.selectFrom('organization').selectAll().limit(1).executeTakeFirst();
    return r
      ? { id: r.id, name: r.name, defaultCountryCode: r.default_country_code, defaultLanguage: r.default_language, createdAt: Number(r.created_at) }
      : null;
  }

  async findDialPlans(identity: string): Promise<DialPlan[]> {
    const rows = await this.db
      .selectFrom('dial_plan')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', identity.trim()), eb('name_key', '=', key(identity))]))
      .execute();
    return rows.map(toDialPlan);
  }

  async getDialPlan(id: string): Promise<DialPlan | null> {
    const r = await this.db.selectFrom('dial_plan').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toDialPlan(r) : null;
  }

  async listDialPlans(): Promise<DialPlan[]> {
    return (await this.db.selectFrom('dial_plan').selectAll().orderBy('name_key').execute()).map(toDialPlan);
  }

  async findPolicies(identity: string): Promise<MailboxPolicy[]> {
    const rows = await this.db
      .selectFrom('mailbox_policy')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', identity.trim()), eb('name_key', '=', key(identity))]))
      .execute();
    return rows.map(toPolicy);
  }

  async getPolicy(id: string): Promise<MailboxPolicy | null> {
    const r = await this.db.selectFrom('mailbox_policy').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toPolicy(r) : null;
  }

  async listPolicies(dialPlanId?: string): Promise<MailboxPolicy[]> {
    let q = this.db.selectFrom('mailbox_policy').selectAll();
    if (dialPlanId) q = q.where('dial_plan_id', '=', dialPlanId);
    return (await q.orderBy('name_key').execute()).map(toPolicy);
  }

  async countMailboxesWithPolicy(policyId: string): Promise<number> {
    const r = await this.db.selectFrom('um_mailbox').select((eb) => eb.fn.countAll<number>().as('n')).where('policy_id', '=', policyId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async findRecipients(identity: string): Promise<Recipient[]> {
    return (await recipientsNamed(this.db, identityKey(identity))).map(toRecipient);
  }

  async findMailboxes(identity: string): Promise<MailboxMatch[]> {
    return (await mailboxesNamed(this.db, identityKey(identity))).map((r) => ({
      recipient: toRecipient(r),
      mailbox:
        r.mailbox_policy_id === null || r.mailbox_dial_plan_id === null
          ? null
          : {
              recipientId: r.id,
              policyId: r.mailbox_policy_id,
              dialPlanId: r.mailbox_dial_plan_id,
              extensions: r.mailbox_extensions ? r.mailbox_extensions.split(',') : [],
              sipResourceIdentifier: r.mailbox_sip_resource_identifier,
              enabledAt: Number(r.mailbox_enabled_at),
            },
      pin:
        r.pin_hash === null
          ? null
          : toPin({
              recipient_id: r.id,
              pin_hash: r.pin_hash,
              pin_set_at: r.pin_set_at!,
              pin_expired: r.pin_expired!,
              first_time_user: r.pin_first_time_user!,
              locked_out: r.pin_locked_out!,
              locked_until: r.pin_locked_until,
              failed_attempts: r.pin_failed_attempts!,
              version: r.pin_version!,
            }),
    }));
  }

  async getRecipient(id: string): Promise<Recipient | null> {
    const r = await this.db.selectFrom('recipient').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRecipient(r) : null;
  }

  async listRecipients(q: RecipientQuery): Promise<Page<Recipient>> {
    const { rows, next } = await recipientListPage(this.db, q);
    return { items: rows.map(toRecipient), next };
  }

  async getUmMailbox(recipientId: string): Promise<UmMailbox | null> {
    const [m] = await umMailboxOf(this.db, recipientId);
    if (!m) return null;
    const ext = await extensionsOf(this.db, recipientId);
    return {
      recipientId: m.recipient_id,
      policyId: m.policy_id,
      dialPlanId: m.dial_plan_id,
      extensions: ext.map((e) => e.number),
      sipResourceIdentifier: m.sip_resource_identifier,
      enabledAt: Number(m.enabled_at),
    };
  }

  async getUmMailboxes(recipientIds: readonly string[]): Promise<UmMailbox[]> {
    if (recipientIds.length === 0) return [];
    const ids = [...recipientIds];
    const rows = await this.db.selectFrom('um_mailbox').selectAll().where('recipient_id', 'in', ids).execute();
    const ext = await this.db.selectFrom('extension').select(['recipient_id', 'number']).where('recipient_id', 'in', ids).orderBy('recipient_id').orderBy('position').execute();
    const byRecipient = new Map<string, string[]>();
    for (const e of ext) byRecipient.set(e.recipient_id, [...(byRecipient.get(e.recipient_id) ?? []), e.number]);
    return rows.map((m) => ({
      recipientId: m.recipient_id,
      policyId: m.policy_id,
      dialPlanId: m.dial_plan_id,
      extensions: byRecipient.get(m.recipient_id) ?? [],
      sipResourceIdentifier: m.sip_resource_identifier,
      enabledAt: Number(m.enabled_at),
    }));
  }

  async recipientsWithExtension(extension: string, dialPlanId?: string): Promise<string[]> {
    return (await extensionOwnersQuery(this.db, extension, dialPlanId || undefined).execute()).map((r) => r.recipient_id);
  }

  async getPin(recipientId: string): Promise<PinRecord | null> {
    const [r] = await pinOf(this.db, recipientId);
    return r ? toPin(r) : null;
  }

  async getPinHistory(recipientId: string, limit: number): Promise<PinHistoryEntry[]> {
    if (limit <= 0) return [];
    const rows = await this.db
      .selectFrom('pin_history')
      .selectAll()
      .where('recipient_id', '=', recipientId)
      .orderBy('version', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ recipientId: r.recipient_id, version: r.version, pinHash: r.pin_hash, retiredAt: Number(r.retired_at) }));
  }

  async listAudit(f: AuditFilter): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (f.action) q = q.where(sql<string>`lower(action)`, '=', key(f.action));
    if (f.target) q = q.where(sql<string>`lower(target)`, '=', key(f.target));
    if (f.actor) q = q.where(sql<string>`lower(actor)`, '=', key(f.actor));
    if (f.from !== undefined) q = q.where('at', '>=', f.from);
    if (f.to !== undefined) q = q.where('at', '<=', f.to);
    if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
    const rows = await q.orderBy('seq').limit(f.limit ?? 1000).execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: Number(r.at),
      actor: r.actor,
      source: r.source,
      action: r.action,
      target: r.target,
      parameters: JSON.parse(r.parameters) as Record<string, unknown>,
      result: r.result as AuditEntry['result'],
      errorCode: r.error_code,
      hash: r.hash,
    }));
  }

  async auditHead(): Promise<{ seq: number; hash: string }> {
    const r = await this.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    return { seq: Number(r.seq), hash: r.hash };
  }

  async pinsDueForReminder(policyId: string, setFrom: number, setTo: number, daysBefore: number, limit: number): Promise<PinRecord[]> {
    const rows = await this.db
      .selectFrom('pin_state')
      .innerJoin('um_mailbox', 'um_mailbox.recipient_id', 'pin_state.recipient_id')
      .selectAll('pin_state')
      .where('um_mailbox.policy_id', '=', policyId)
      .where('pin_state.pin_expired', '=', 0)
      .where('pin_state.pin_set_at', '>=', setFrom)
      .where('pin_state.pin_set_at', '<', setTo)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('pin_reminder')
              .select('pin_reminder.recipient_id')
              .whereRef('pin_reminder.recipient_id', '=', 'pin_state.recipient_id')
              .whereRef('pin_reminder.pin_version', '=', 'pin_state.version')
              .where('pin_reminder.days_before', '<=', daysBefore),
          ),
        ),
      )
      .limit(limit)
      .execute();
    return rows.map(toPin);
  }

  async listOutbox(f: { status?: OutboxMessage['status']; recipientId?: string; limit?: number }): Promise<OutboxMessage[]> {
    let q = this.db.selectFrom('outbox').selectAll();
    if (f.status) q = q.where('status', '=', f.status);
    if (f.recipientId) q = q.where('recipient_id', '=', f.recipientId);
    return (await q.orderBy('created_at').orderBy('id').limit(f.limit ?? 1000).execute()).map(toOutbox);
  }

  async outboxStats(): Promise<OutboxStats> {
    // sent mails are most rows and are skipped by the (status, next_attempt_at) index
    const rows = await this.db
      .selectFrom('outbox')
      .select((eb) => ['status', eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('status', 'in', ['queued', 'dead'])
      .groupBy('status')
      .execute();
    const queued = rows.find((r) => r.status === 'queued');
    const dead = rows.find((r) => r.status === 'dead');
    return { queued: Number(queued?.n ?? 0), oldestQueuedAt: queued?.oldest == null ? null : Number(queued.oldest), dead: Number(dead?.n ?? 0) };
  }

  // access (access-rows.ts)
  findAdminAccount(name: string): Promise<AdminAccountRecord | null> {
    return access.findAdminAccount(this.db, name);
  }
  listAdminAccounts(): Promise<AdminAccountRecord[]> {
    return access.listAdminAccounts(this.db);
  }
  countAdminAccounts(): Promise<number> {
    return access.countAdminAccounts(this.db);
  }
  findSession(idDigest: string): Promise<{ session: SessionRecord; owner: SessionOwner } | null> {
    return access.findSession(this.db, idDigest);
  }
  findApiTokenByDigest(digest: string): Promise<ApiTokenRecord | null> {
    return access.findApiTokenByDigest(this.db, digest);
  }
  findLiveApiToken(name: string): Promise<ApiTokenRecord | null> {
    return access.findLiveApiToken(this.db, name);
  }
  listApiTokens(): Promise<ApiTokenRecord[]> {
    return access.listApiTokens(this.db);
  }
}

class Tx extends Reads implements StoreTx {
  // a Kysely instance too: a single conditional statement is atomic without BEGIN/COMMIT
  constructor(protected override readonly db: Db) {
    super(db);
  }

  async upsertOrganization(o: Organization): Promise<void> {
    await this.db
      .insertInto('organization')
      .values({ id: o.id, name: o.name, default_country_code: o.defaultCountryCode, default_language: o.defaultLanguage, created_at: o.createdAt })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: o.name, default_country_code: o.defaultCountryCode, default_language: o.defaultLanguage }))
      .execute();
  }

  async insertDialPlan(d: DialPlan): Promise<void> {
    await this.db.insertInto('dial_plan').values(fromDialPlan(d)).execute();
  }
  async updateDialPlan(d: DialPlan): Promise<void> {
    const { id, created_at, ...rest } = fromDialPlan(d);
    void created_at;
    await this.db.updateTable('dial_plan').set(rest).where('id', '=', id).execute();
  }
  async deleteDialPlan(id: string): Promise<void> {
    await this.db.deleteFrom('dial_plan').where('id', '=', id).execute();
  }

  async insertPolicy(p: MailboxPolicy): Promise<void> {
    await this.db.insertInto('mailbox_policy').values(fromPolicy(p)).execute();
  }
  async updatePolicy(p: MailboxPolicy): Promise<void> {
    const { id, created_at, ...rest } = fromPolicy(p);
    void created_at;
    await this.db.updateTable('mailbox_policy').set(rest).where('id', '=', id).execute();
  }
  async deletePolicy(id: string): Promise<void> {
    await this.db.deleteFrom('mailbox_policy').where('id', '=', id).execute();
  }

  async insertRecipient(r: Recipient): Promise<void> {
    await this.db.insertInto('recipient').values(fromRecipient(r)).execute();
  }
  async updateRecipient(r: Recipient): Promise<void> {
    const { id, created_at, ...rest } = fromRecipient(r);
    void created_at;
    await this.db.updateTable('recipient').set(rest).where('id', '=', id).execute();
  }
  async deleteRecipient(id: string): Promise<void> {
    await this.deleteUmMailbox(id);
    await this.db.deleteFrom('recipient').where('id', '=', id).execute();
  }

  async insertUmMailbox(m: UmMailbox): Promise<void> {
    await this.db
      .insertInto('um_mailbox')
      .values({ recipient_id: m.recipientId, policy_id: m.policyId, dial_plan_id: m.dialPlanId, sip_resource_identifier: m.sipResourceIdentifier, enabled_at: m.enabledAt })
      .execute();
    await this.#markPolicy(m.recipientId, m.policyId);
    await this.#writeExtensions(m);
  }

  /** recipient.um_policy_id mirrors um_mailbox.policy_id (null: not UM-enabled), so lists filter and order in one index. */
  async #markPolicy(recipientId: string, policyId: string | null): Promise<void> {
    await this.db.updateTable('recipient').set({ um_policy_id: policyId }).where('id', '=', recipientId).execute();
  }

  async updateUmMailbox(m: UmMailbox): Promise<void> {
    await this.db
      .updateTable('um_mailbox')
      .set({ policy_id: m.policyId, dial_plan_id: m.dialPlanId, sip_resource_identifier: m.sipResourceIdentifier })
      .where('recipient_id', '=', m.recipientId)
      .execute();
    await this.#markPolicy(m.recipientId, m.policyId);
    await this.db.deleteFrom('extension').where('recipient_id', '=', m.recipientId).execute();
    await this.#writeExtensions(m);
  }

  async #writeExtensions(m: UmMailbox): Promise<void> {
    if (m.extensions.length === 0) return;
    await this.db
      .insertInto('extension')
      .values(m.extensions.map((number, position) => ({ dial_plan_id: m.dialPlanId, number, recipient_id: m.recipientId, position })))
      .execute();
  }

  async deleteUmMailbox(recipientId: string): Promise<void> {
    // a user whose voice mail is gone has nothing left to sign in to
    await access.deleteUserAccess(this.db, recipientId);
    await this.db.deleteFrom('pin_reminder').where('recipient_id', '=', recipientId).execute();
    // mails still queued for the mailbox carry its old PIN: they must not go out after it is disabled
    await this.db.deleteFrom('outbox').where('recipient_id', '=', recipientId).where('status', '=', 'queued').execute();
    await this.db.deleteFrom('pin_history').where('recipient_id', '=', recipientId).execute();
    await this.db.deleteFrom('pin_state').where('recipient_id', '=', recipientId).execute();
    await this.db.deleteFrom('extension').where('recipient_id', '=', recipientId).execute();
    await this.db.deleteFrom('um_mailbox').where('recipient_id', '=', recipientId).execute();
    await this.#markPolicy(recipientId, null);
  }

  async insertMailboxes(rows: readonly NewMailbox[]): Promise<void> {
    // 500 rows a statement: 12 columns × 500 stays well under both engines' bound-parameter limits
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await this.db.insertInto('recipient').values(chunk.map((r) => ({ ...fromRecipient(r.recipient), um_policy_id: r.mailbox.policyId }))).execute();
      await this.db
        .insertInto('um_mailbox')
        .values(chunk.map(({ mailbox: m }) => ({ recipient_id: m.recipientId, policy_id: m.policyId, dial_plan_id: m.dialPlanId, sip_resource_identifier: m.sipResourceIdentifier, enabled_at: m.enabledAt })))
        .execute();
      const extensions = chunk.flatMap(({ mailbox: m }) => m.extensions.map((number, position) => ({ dial_plan_id: m.dialPlanId, number, recipient_id: m.recipientId, position })));
      if (extensions.length > 0) await this.db.insertInto('extension').values(extensions).execute();
      await this.db
        .insertInto('pin_state')
        .values(
          chunk.map(({ pin }) => newPinStateRow(pin)),
        )
        .execute();
    }
  }

  async insertPin(p: PinWrite): Promise<void> {
    await this.db
      .insertInto('pin_state')
      .values(newPinStateRow(p))
      .execute();
  }

  async replacePin(p: PinWrite, expectedVersion?: number): Promise<boolean> {
    // Lock the row first (an UPDATE does, on both engines), then read what it replaces.
    let lock = this.db.updateTable('pin_state').set({ version: sql`version` }).where('recipient_id', '=', p.recipientId);
    if (expectedVersion !== undefined) lock = lock.where('version', '=', expectedVersion);
    const locked = await lock.returning(['version', 'pin_hash']).executeTakeFirst();
    if (!locked) return false;
    await this.db
      .insertInto('pin_history')
      .values({ recipient_id: p.recipientId, version: locked.version, pin_hash: locked.pin_hash, retired_at: p.pinSetAt })
      .execute();
    await this.db
      .updateTable('pin_state')
      .set({
        pin_hash: p.pinHash,
        pin_set_at: p.pinSetAt,
        pin_expired: b(p.pinExpired),
        first_time_user: b(p.firstTimeUser),
        locked_out: b(p.lockedOut),
        locked_until: null,
        failed_attempts: p.failedAttempts ?? 0,
        version: locked.version + 1,
      })
      .where('recipient_id', '=', p.recipientId)
      .execute();
    await this.db
      .deleteFrom('pin_history')
      .where('recipient_id', '=', p.recipientId)
      .where('version', '<=', locked.version - Math.max(0, p.keepHistory))
      .execute();
    return true;
  }

  async recordFailure(recipientId: string, maxAttempts: number | null, lockedUntil: number | null): Promise<number | null> {
    const max = maxAttempts ?? NO_LIMIT;
    const row = await this.db
      .updateTable('pin_state')
      .set({
        failed_attempts: sql`failed_attempts + 1`,
        locked_out: sql`case when failed_attempts + 1 >= ${max} then 1 else 0 end`,
        locked_until: sql`case when failed_attempts + 1 >= ${max} then cast(${lockedUntil} as bigint) else null end`,
      })
      .where('recipient_id', '=', recipientId)
      .where('locked_out', '=', 0)
      .returning('failed_attempts')
      .executeTakeFirst();
    return row ? row.failed_attempts : null;
  }

  async recordSuccess(recipientId: string, version: number, upgradedHash: string | null): Promise<boolean> {
    const r = await this.db
      .updateTable('pin_state')
      .set(upgradedHash ? { failed_attempts: 0, pin_hash: upgradedHash } : { failed_attempts: 0 })
      .where('recipient_id', '=', recipientId)
      .where('version', '=', version)
      .where('locked_out', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async liftLapsedLock(recipientId: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('pin_state')
      .set({ locked_out: 0, locked_until: null, failed_attempts: 0 })
      .where('recipient_id', '=', recipientId)
      .where('locked_out', '=', 1)
      .where('locked_until', 'is not', null)
      .where('locked_until', '<=', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async setLock(recipientId: string, locked: boolean): Promise<void> {
    await this.db
      .updateTable('pin_state')
      .set(locked ? { locked_out: 1, locked_until: null } : { locked_out: 0, locked_until: null, failed_attempts: 0 })
      .where('recipient_id', '=', recipientId)
      .execute();
  }

  async setPinFlags(recipientId: string, flags: { pinExpired?: boolean; firstTimeUser?: boolean }): Promise<void> {
    const set: Partial<PinStateTable> = {};
    if (flags.pinExpired !== undefined) set.pin_expired = b(flags.pinExpired);
    if (flags.firstTimeUser !== undefined) set.first_time_user = b(flags.firstTimeUser);
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('pin_state').set(set).where('recipient_id', '=', recipientId).execute();
  }

  async appendAudit(entries: AuditInput[], link: (previousHash: string, content: string) => string): Promise<AuditEntry[]> {
    if (entries.length === 0) return [];
    // Claiming the sequence numbers locks the chain head until commit (row lock on
    // PostgreSQL, the write lock on SQLite): links are made one writer at a time.
    const head = await this.db
      .updateTable('audit_head')
      .set({ seq: sql`seq + ${entries.length}` })
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    let seq = Number(head.seq) - entries.length;
    let prev = head.hash;
    const out: AuditEntry[] = [];
    for (const e of entries) {
      seq++;
      const hash = link(prev, auditContent({ ...e, seq }));
      out.push({ ...e, seq, hash });
      prev = hash;
    }
    for (let i = 0; i < out.length; i += 200) {
      await this.db
        .insertInto('audit_log')
        .values(
          out.slice(i, i + 200).map((e) => ({
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            source: e.source,
            action: e.action,
            target: e.target,
            parameters: canonicalJson(e.parameters),
            result: e.result,
            error_code: e.errorCode,
            hash: e.hash,
          })),
        )
        .execute();
    }
    await this.db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
    return out;
  }

  async enqueueOutbox(messages: OutboxInput[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 200) {
      await this.db
        .insertInto('outbox')
        .values(
          messages.slice(i, i + 200).map((m) => ({
            id: m.id,
            kind: m.kind,
            recipient_id: m.recipientId,
            to_address: m.toAddress,
            language: m.language,
            sealed_payload: m.sealedPayload,
            status: 'queued',
            attempts: 0,
            next_attempt_at: m.createdAt,
            created_at: m.createdAt,
            lease_owner: null,
            lease_until: null,
            sent_at: null,
            last_error: null,
          })),
        )
        .execute();
    }
  }

  async recordReminder(recipientId: string, pinVersion: number, daysBefore: number, sentAt: number): Promise<boolean> {
    const r = await this.db
      .insertInto('pin_reminder')
      .values({ recipient_id: recipientId, pin_version: pinVersion, days_before: daysBefore, sent_at: sentAt })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async discardUnsentMail(recipientId: string, kind: OutboxKind): Promise<number> {
    const r = await this.db.deleteFrom('outbox').where('recipient_id', '=', recipientId).where('kind', '=', kind).where('status', 'in', ['queued', 'dead']).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async requeueOutbox(id: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('outbox')
      .set({ status: 'queued', attempts: 0, next_attempt_at: now, created_at: now, lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // access (access-rows.ts)
  insertAdminAccount(a: AdminAccountRecord): Promise<void> {
    return access.insertAdminAccount(this.db, a);
  }
  updateAdminAccount(id: string, changes: Parameters<StoreTx['updateAdminAccount']>[1]): Promise<void> {
    return access.updateAdminAccount(this.db, id, changes);
  }
  insertSession(s: SessionRecord): Promise<void> {
    return access.insertSession(this.db, s);
  }
  deleteSession(idDigest: string): Promise<boolean> {
    return access.deleteSession(this.db, idDigest);
  }
  deleteSessionsOf(accountId: string): Promise<number> {
    return access.deleteSessionsOf(this.db, accountId);
  }
  deleteExpiredSessions(now: number, idleBefore: number): Promise<number> {
    return access.deleteExpiredSessions(this.db, now, idleBefore);
  }
  insertApiToken(t: ApiTokenRecord): Promise<void> {
    return access.insertApiToken(this.db, t);
  }
  revokeApiToken(id: string, at: number): Promise<boolean> {
    return access.revokeApiToken(this.db, id, at);
  }
  insertSetupToken(t: { digest: string; createdAt: number; expiresAt: number }): Promise<void> {
    return access.insertSetupToken(this.db, t);
  }
  takeSetupTokens(): Promise<Array<{ digest: string; expiresAt: number }>> {
    return access.takeSetupTokens(this.db);
  }
  issueSignInCode(code: SignInCodeIssue, limit: { max: number; windowMs: number }): Promise<boolean> {
    return access.issueSignInCode(this.db, code, limit);
  }
  consumeSignInCode(recipientId: string, codeDigest: string, now: number): Promise<boolean> {
    return access.consumeSignInCode(this.db, recipientId, codeDigest, now);
  }
  failSignInCode(recipientId: string, maxFailures: number): Promise<number | null> {
    return access.failSignInCode(this.db, recipientId, maxFailures);
  }
}

/** The engine adapters (sqlite/, postgres/) hand over a configured Kysely instance. */
export class KyselyStore extends Reads implements Store, OutboxQueue {
  readonly engine: 'sqlite' | 'postgres';
  readonly #kysely: Kysely<Database>;
  /** rarely-changed rows read on every request (read-cache.ts); none without a change signal */
  readonly #cache: ReadCache | null;

  constructor(db: Kysely<Database>, engine: 'sqlite' | 'postgres', changes?: ChangeSignal) {
    super(db);
    this.#kysely = db;
    this.engine = engine;
    this.#cache = changes ? new ReadCache({ signal: changes }) : null;
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.#cache ? this.#cache.get(key, load) : load();
  }

  override getOrganization(): Promise<Organization | null> {
    return this.#cached('organization', () => super.getOrganization());
  }

  override getDialPlan(id: string): Promise<DialPlan | null> {
    return this.#cached(`dial_plan:${id}`, () => super.getDialPlan(id));
  }

  override getPolicy(id: string): Promise<MailboxPolicy | null> {
    return this.#cached(`mailbox_policy:${id}`, () => super.getPolicy(id));
  }

  /** unknown digests are not kept (null is never cached): a stranger's guesses cannot fill the cache */
  override findApiTokenByDigest(digest: string): Promise<ApiTokenRecord | null> {
    return this.#cached(`api_token:${digest}`, () => super.findApiTokenByDigest(digest));
  }

  /** One conditional UPDATE, atomic on its own: no transaction round trips on the logon path. */
  recordSuccess(recipientId: string, version: number, upgradedHash: string | null): Promise<boolean> {
    return new Tx(this.#kysely).recordSuccess(recipientId, version, upgradedHash);
  }

  touchSession(idDigest: string, now: number, minIntervalMs: number): Promise<void> {
    return access.touchSession(this.#kysely, idDigest, now, minIntervalMs);
  }

  async touchApiToken(id: string, now: number, minIntervalMs: number): Promise<void> {
    try {
      await access.touchApiToken(this.#kysely, id, now, minIntervalMs);
    } finally {
      // the cached token still has the old last-used time: once a minute, read it afresh
      this.#cache?.invalidate();
    }
  }

  get kysely(): Kysely<Database> {
    return this.#kysely;
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    try {
      return await this.#kysely.transaction().execute((trx) => fn(new Tx(trx)));
    } finally {
      // whatever it wrote is committed (or rolled back) now; every write goes through here, so
      // no method can forget to say that it touched a cached table
      this.#cache?.invalidate();
    }
  }

  async claimOutbox(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
    return this.#kysely.transaction().execute(async (trx) => {
      let due = trx
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'queued')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(limit);
      // SQLite has no row locks: its BEGIN IMMEDIATE already makes this claim the only writer
      if (this.engine === 'postgres') due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await trx
        .updateTable('outbox')
        .set({ lease_owner: owner, lease_until: now + leaseMs, attempts: sql`attempts + 1` })
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      return rows.map(toOutbox).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    });
  }

  async completeOutbox(ids: readonly string[], sentAt: number): Promise<void> {
    if (ids.length === 0) return;
    await this.#kysely
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: sentAt, sealed_payload: null, lease_owner: null, lease_until: null, last_error: null })
      .where('id', 'in', ids)
      .execute();
  }

  async retryOutbox(id: string, owner: string, nextAttemptAt: number, error: string): Promise<void> {
    await this.#kysely
      .updateTable('outbox')
      .set({ next_attempt_at: nextAttemptAt, last_error: error.slice(0, 1000), lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('lease_owner', '=', owner)
      .execute();
  }

  async killOutbox(id: string, owner: string, error: string): Promise<void> {
    await this.#kysely
      .updateTable('outbox')
      .set({ status: 'dead', last_error: error.slice(0, 1000), lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('lease_owner', '=', owner)
      .execute();
  }

  async renewOutboxLease(id: string, owner: string, leaseUntil: number): Promise<boolean> {
    const r = await this.#kysely
      .updateTable('outbox')
      .set({ lease_until: leaseUntil })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async migrate(): Promise<void> {
    const { error } = await new Migrator({ db: this.#kysely, provider: migrationProvider }).migrateToLatest();
    this.#cache?.invalidate();
    if (error) throw error;
  }

  async bulkLoad<T>(fn: () => Promise<T>): Promise<T> {
    const db = this.#kysely;
    if (this.engine === 'postgres') {
      const result = await fn();
      // VACUUM cannot run in a transaction block: one statement a table
      for (const t of ['recipient', 'um_mailbox', 'extension', 'pin_state']) await sql`vacuum (analyze) ${sql.table(t)}`.execute(db);
      return result;
    }
    // Random keys (names, addresses) land all over their indexes: with the default 2 MB cache
    // every insert reads and rewrites pages through the WAL; up to a quarter of the memory keeps them here.
    const before = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size ?? -2000;
    const kib = Math.min(1 << 20, Math.floor(totalmem() / 4 / 1024));
    await sql.raw(`pragma cache_size = -${kib}`).execute(db);
    try {
      const result = await fn();
      await sql`analyze`.execute(db);
      return result;
    } finally {
      await sql.raw(`pragma cache_size = ${Number(before)}`).execute(db);
    }
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#kysely);
  }

  async close(): Promise<void> {
    await this.#cache?.close();
    await this.#kysely.destroy();
  }
}
