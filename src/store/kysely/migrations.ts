import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { EngineAdapter } from './engine-adapter.js';
import { AUDIT_SEQUENCE } from './audit.js';
import { ADDRESS_OF_ALIAS, SHARED_CAP, sharedLeads } from './recipient-queries.js';

/**
 * Migrations live in code (not files on disk) so the compiled package carries them. What a
 * step does its own way on one engine, the engine's adapter runs (EngineAdapter.migrationDdl).
 */
const migrations = ({ migrationDdl: ddl }: EngineAdapter): Record<string, Migration> => ({
  '0001-core': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('organization')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('default_country_code', 'text', (c) => c.notNull())
        .addColumn('default_language', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('dial_plan')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull().unique())
        .addColumn('number_of_digits', 'integer', (c) => c.notNull())
        .addColumn('country_code', 'text', (c) => c.notNull())
        .addColumn('logon_failures_before_disconnect', 'integer', (c) => c.notNull())
        .addColumn('default_language', 'text', (c) => c.notNull())
        .addColumn('voice_access_numbers', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('mailbox_policy')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('dial_plan_id', 'text', (c) => c.notNull().references('dial_plan.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull().unique())
        .addColumn('min_pin_length', 'integer', (c) => c.notNull())
        .addColumn('pin_lifetime_days', 'integer')
        .addColumn('pin_history_count', 'integer', (c) => c.notNull())
        .addColumn('allow_common_patterns', 'integer', (c) => c.notNull())
        .addColumn('logon_failures_before_pin_reset', 'integer')
        .addColumn('max_logon_attempts', 'integer')
        .addColumn('lockout_duration_minutes', 'integer')
        .addColumn('reset_pin_text', 'text')
        .addColumn('um_enabled_text', 'text')
        .addColumn('allow_pinless_voice_mail_access', 'integer', (c) => c.notNull())
        .addColumn('allow_subscriber_access', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('mailbox_policy_dial_plan').on('mailbox_policy').column('dial_plan_id').execute();

      await db.schema
        .createTable('recipient')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('alias_key', 'text', (c) => c.notNull().unique())
        .addColumn('primary_smtp_address', 'text', (c) => c.notNull())
        .addColumn('smtp_key', 'text', (c) => c.notNull().unique())
        .addColumn('user_principal_name', 'text', (c) => c.notNull())
        .addColumn('upn_key', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('display_name_key', 'text', (c) => c.notNull())
        .addColumn('language', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // (display_name_key, id): identity lookups and keyset paging by name
      await db.schema
        .createIndex('recipient_display_name')
        .on('recipient')
        .columns(['display_name_key', 'id'])
        .execute();

      await db.schema
        .createTable('um_mailbox')
        .addColumn('recipient_id', 'text', (c) => c.primaryKey().references('recipient.id'))
        .addColumn('policy_id', 'text', (c) => c.notNull().references('mailbox_policy.id'))
        .addColumn('dial_plan_id', 'text', (c) => c.notNull().references('dial_plan.id'))
        .addColumn('sip_resource_identifier', 'text')
        .addColumn('enabled_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('um_mailbox_policy').on('um_mailbox').column('policy_id').execute();

      await db.schema
        .createTable('extension')
        .addColumn('dial_plan_id', 'text', (c) => c.notNull().references('dial_plan.id'))
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('recipient_id', 'text', (c) => c.notNull().references('recipient.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('extension_pk', ['dial_plan_id', 'number'])
        .execute();
      await db.schema.createIndex('extension_recipient').on('extension').column('recipient_id').execute();
      await db.schema.createIndex('extension_number').on('extension').column('number').execute();

      await db.schema
        .createTable('pin_state')
        .addColumn('recipient_id', 'text', (c) => c.primaryKey().references('recipient.id'))
        .addColumn('pin_hash', 'text', (c) => c.notNull())
        .addColumn('pin_set_at', 'bigint', (c) => c.notNull())
        .addColumn('pin_expired', 'integer', (c) => c.notNull())
        .addColumn('first_time_user', 'integer', (c) => c.notNull())
        .addColumn('locked_out', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'bigint')
        .addColumn('failed_attempts', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('pin_history')
        .addColumn('recipient_id', 'text', (c) => c.notNull().references('recipient.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('pin_hash', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('pin_history_pk', ['recipient_id', 'version'])
        .execute();

      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db
        .insertInto('audit_head')
        .values({ id: 1, seq: 0, hash: '0'.repeat(64) })
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('parameters', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await db.schema.createIndex('audit_log_target').on('audit_log').column('target').execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('recipient_id', 'text')
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('sealed_payload', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint')
        .addColumn('sent_at', 'bigint')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('outbox_recipient').on('outbox').column('recipient_id').execute();
    },
    async down(db: Kysely<any>) {
      for (const t of [
        'outbox',
        'audit_log',
        'audit_head',
        'pin_history',
        'pin_state',
        'extension',
        'um_mailbox',
        'recipient',
        'mailbox_policy',
        'dial_plan',
        'organization',
      ]) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  },
  '0002-pin-reminders': {
    // one row per reminder sent, so each PIN version gets each reminder once, whatever the number of servers
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('pin_reminder')
        .addColumn('recipient_id', 'text', (c) => c.notNull().references('recipient.id'))
        .addColumn('pin_version', 'integer', (c) => c.notNull())
        .addColumn('days_before', 'integer', (c) => c.notNull())
        .addColumn('sent_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('pin_reminder_pk', ['recipient_id', 'pin_version', 'days_before'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('pin_reminder').ifExists().execute();
    },
  },
  '0003-access': {
    // who may sign in: administrator accounts, their sessions, API tokens and first-run setup tokens.
    // Secrets are never stored: only keyed digests (HMAC-SHA256), looked up through unique indexes.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('admin_account')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('dial_plan_scope', 'text') // JSON array of dial plan ids; null = the whole organisation
        .addColumn('disabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('admin_session')
        .addColumn('id_digest', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('admin_account.id'))
        .addColumn('csrf_digest', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('admin_session_account').on('admin_session').column('account_id').execute();
      await db.schema.createIndex('admin_session_expiry').on('admin_session').column('absolute_expires_at').execute();

      await db.schema
        .createTable('api_token')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('dial_plan_scope', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();
      // a name belongs to one live token; a revoked token keeps its row (and its name) for the record
      await db.schema
        .createIndex('api_token_live_name')
        .on('api_token')
        .column('name_key')
        .unique()
        .where(sql.ref('revoked_at'), 'is', null)
        .execute();

      await db.schema
        .createTable('setup_token')
        .addColumn('digest', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['setup_token', 'api_token', 'admin_session', 'admin_account'])
        await db.schema.dropTable(t).ifExists().execute();
    },
  },
  '0004-scale': {
    // Lists of 1,000,000 recipients walk an index in (display_name_key, id) order and stop
    // after a page; a filter on UM mailboxes or one policy reads a copy of the policy id kept
    // on the recipient (um_policy_id), so it filters inside the index instead of looking up
    // um_mailbox for each row. A search matches a prefix of the display name, alias or address
    // as a range [prefix, next prefix) of a lower-cased key; the alias and address ranges are
    // read from covering indexes led by how many leading characters the key shares with the
    // keys matched before it, so a row an earlier range returns is not even read
    // (recipient-queries.ts).
    async up(db: Kysely<any>) {
      // byte order, as SQLite's BINARY: a prefix range holds exactly the keys that start
      // with the prefix, and both engines page in the same order, whatever the database locale
      await ddl.bytewiseColumns(db, 'recipient', SEARCH_KEYS);
      await db.schema
        .alterTable('recipient')
        .addColumn('alias_shared', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('recipient')
        .addColumn('smtp_shared', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('recipient').addColumn('um_policy_id', 'text').execute();
      const rows = await db
        .selectFrom('recipient')
        .select(['id', 'display_name_key', 'alias_key', 'smtp_key'])
        .execute();
      for (const r of rows) {
        const shared = sharedLeads(r);
        if (shared.alias_shared > 0 || shared.smtp_shared > 0)
          await db.updateTable('recipient').set(shared).where('id', '=', r.id).execute();
      }
      await sql`update recipient set um_policy_id = (select policy_id from um_mailbox where um_mailbox.recipient_id = recipient.id)`.execute(
        db,
      );
      await db.schema
        .createIndex('recipient_um_display')
        .on('recipient')
        .columns(['display_name_key', 'id'])
        .where(sql.ref('um_policy_id'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('recipient_policy_display')
        .on('recipient')
        .columns(['um_policy_id', 'display_name_key', 'id'])
        .execute();
      await db.schema
        .createIndex('recipient_alias_search')
        .on('recipient')
        .columns(['alias_shared', 'alias_key', 'display_name_key', 'id', 'um_policy_id'])
        .execute();
      await db.schema
        .createIndex('recipient_smtp_search')
        .on('recipient')
        .columns(['smtp_shared', 'smtp_key', 'display_name_key', 'id', 'um_policy_id'])
        .execute();
      // a mailbox's extensions in their order, read from the index (no sort), for one mailbox or a page of them
      await db.schema
        .createIndex('extension_recipient_position')
        .on('extension')
        .columns(['recipient_id', 'position'])
        .execute();
      await db.schema.dropIndex('extension_recipient').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.createIndex('extension_recipient').on('extension').column('recipient_id').execute();
      for (const i of [
        'extension_recipient_position',
        'recipient_smtp_search',
        'recipient_alias_search',
        'recipient_policy_display',
        'recipient_um_display',
      ])
        await db.schema.dropIndex(i).ifExists().execute();
      for (const c of ['um_policy_id', 'smtp_shared', 'alias_shared'])
        await db.schema.alterTable('recipient').dropColumn(c).execute();
    },
  },
  '0005-search-statistics': {
    // Finer statistics on the search keys, where the planner keeps a histogram (PostgreSQL).
    // With the default 100 buckets a 5-letter prefix range of a million keys is estimated at
    // 1 row, and the planner reads 8,500 rows through the unique index instead of a few
    // through the covering one. (SQLite's planner needs no hint: it has no histogram to be wrong about.)
    async up(db: Kysely<any>) {
      await ddl.statisticsTarget(db, 'recipient', SEARCH_KEYS, 1000);
    },
    async down(db: Kysely<any>) {
      await ddl.statisticsTarget(db, 'recipient', SEARCH_KEYS, null);
    },
  },
  '0006-change-notifications': {
    // Each process caches these tables' rows (read-cache.ts) and learns of other processes'
    // commits: on PostgreSQL by LISTENing (change-listener.ts) to what triggers NOTIFY, made
    // here; SQLite needs none, its data_version pragma tells the same.
    async up(db: Kysely<any>) {
      await ddl.notifyChanges(db, CACHED_TABLES);
    },
    async down(db: Kysely<any>) {
      await ddl.dropChangeNotifications(db, CACHED_TABLES);
    },
  },
  '0007-self-service': {
    // End users sign in with a code mailed to them. A session now belongs to an administrator
    // account or to a recipient (exactly one: a check constraint), so admin_session becomes
    // web_session with its rows kept; SQLite cannot make a column nullable in place, so the
    // table is made anew on both engines. sign_in_code holds each recipient's one live code,
    // as a keyed digest only, and when its recent codes were issued (the per-mailbox limit).
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('web_session')
        .addColumn('id_digest', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.references('admin_account.id'))
        .addColumn('recipient_id', 'text', (c) => c.references('recipient.id'))
        .addColumn('csrf_digest', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
        .addCheckConstraint('web_session_one_owner', sql`(account_id is null) <> (recipient_id is null)`)
        .execute();
      await sql`insert into web_session (id_digest, account_id, recipient_id, csrf_digest, created_at, last_seen_at, absolute_expires_at)
        select id_digest, account_id, null, csrf_digest, created_at, last_seen_at, absolute_expires_at from admin_session`.execute(
        db,
      );
      await db.schema.dropTable('admin_session').execute();
      await db.schema.createIndex('web_session_account').on('web_session').column('account_id').execute();
      await db.schema.createIndex('web_session_recipient').on('web_session').column('recipient_id').execute();
      await db.schema.createIndex('web_session_expiry').on('web_session').column('absolute_expires_at').execute();

      await db.schema
        .createTable('sign_in_code')
        .addColumn('recipient_id', 'text', (c) => c.primaryKey().references('recipient.id'))
        .addColumn('code_digest', 'text')
        .addColumn('issued_at', 'bigint')
        .addColumn('expires_at', 'bigint')
        .addColumn('failed_attempts', 'integer', (c) => c.notNull())
        .addColumn('recent_issues', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('sign_in_code').ifExists().execute();
      await db.schema
        .createTable('admin_session')
        .addColumn('id_digest', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('admin_account.id'))
        .addColumn('csrf_digest', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
        .execute();
      // end users' sessions have nowhere to go: they end
      await sql`insert into admin_session select id_digest, account_id, csrf_digest, created_at, last_seen_at, absolute_expires_at from web_session where account_id is not null`.execute(
        db,
      );
      await db.schema.dropTable('web_session').execute();
      await db.schema.createIndex('admin_session_account').on('admin_session').column('account_id').execute();
      await db.schema.createIndex('admin_session_expiry').on('admin_session').column('absolute_expires_at').execute();
    },
  },
  '0008-pin-state-filters': {
    // Get-UMMailbox -Filter {LockedOut -eq $true} (and PinExpired, FirstTimeUser: the admin
    // center's filters) reads the few mailboxes with the flag set from a partial index of
    // them, instead of probing the PIN state of every mailbox in display-name order. The
    // filter names the flag as a literal (recipient-queries.ts), which both engines need to
    // match a partial index.
    async up(db: Kysely<any>) {
      for (const [name, column] of PIN_FLAG_INDEXES) {
        await db.schema
          .createIndex(name)
          .on('pin_state')
          .column('recipient_id')
          .where(sql.ref(column), '=', sql.lit(1))
          .execute();
      }
      // PinExpired also holds for a PIN older than its policy's PINLifetime: a range of pin_set_at per policy
      await db.schema.createIndex('pin_state_set_at').on('pin_state').column('pin_set_at').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('pin_state_set_at').ifExists().execute();
      for (const [name] of PIN_FLAG_INDEXES) await db.schema.dropIndex(name).ifExists().execute();
    },
  },
  '0009-last-failure': {
    // The UM mailbox page shows when the last wrong PIN was keyed and from which number, where
    // the voice gateway said. Both are set by the same conditional UPDATE that counts the
    // failure (pins.ts), so they can never describe a failure that was not counted.
    async up(db: Kysely<any>) {
      await db.schema.alterTable('pin_state').addColumn('last_failure_at', 'bigint').execute();
      await db.schema.alterTable('pin_state').addColumn('last_failure_caller', 'text').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('pin_state').dropColumn('last_failure_caller').execute();
      await db.schema.alterTable('pin_state').dropColumn('last_failure_at').execute();
    },
  },
  '0010-mailbox-voice-settings': {
    // Set-UMMailbox's per-mailbox voice settings. Existing mailboxes take Exchange's defaults:
    // telephone logon allowed, no PIN-less access, no operator number of their own.
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('um_mailbox')
        .addColumn('subscriber_access_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable('um_mailbox')
        .addColumn('pinless_access_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('um_mailbox').addColumn('operator_number', 'text').execute();
      // Set-UMDialPlan -OperatorExtension: the operator of mailboxes without an OperatorNumber
      await db.schema.alterTable('dial_plan').addColumn('operator_extension', 'text').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('dial_plan').dropColumn('operator_extension').execute();
      await db.schema.alterTable('um_mailbox').dropColumn('operator_number').execute();
      await db.schema.alterTable('um_mailbox').dropColumn('pinless_access_enabled').execute();
      await db.schema.alterTable('um_mailbox').dropColumn('subscriber_access_enabled').execute();
    },
  },
  '0011-dial-plan-voice-mail-uri': {
    // Set-UMDialPlan -VoiceMailUri (a umpin addition): the PBX's voice mail a caller signed in
    // by telephone is transferred to. Existing dial plans have none: calls end as before.
    async up(db: Kysely<any>) {
      await db.schema.alterTable('dial_plan').addColumn('voice_mail_uri', 'text').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('dial_plan').dropColumn('voice_mail_uri').execute();
    },
  },
  '0012-kept-um-properties': {
    // Disable-UMMailbox -KeepProperties $true (Exchange's default) keeps a mailbox's UM settings
    // for Enable-UMMailbox to bring back. A row of its own, not um_mailbox (whose row means
    // "enabled" everywhere); the extensions are a JSON list, not extension rows, so they are not
    // reserved. No PIN column: PIN data never outlives the UM mailbox. A removed policy or dial
    // plan leaves the row with null there (not restored); a removed recipient takes it along.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('um_mailbox_kept_properties')
        .addColumn('recipient_id', 'text', (c) => c.primaryKey().references('recipient.id').onDelete('cascade'))
        .addColumn('policy_id', 'text', (c) => c.references('mailbox_policy.id').onDelete('set null'))
        .addColumn('dial_plan_id', 'text', (c) => c.references('dial_plan.id').onDelete('set null'))
        .addColumn('extensions', 'text', (c) => c.notNull())
        .addColumn('sip_resource_identifier', 'text')
        .addColumn('subscriber_access_enabled', 'integer', (c) => c.notNull())
        .addColumn('pinless_access_enabled', 'integer', (c) => c.notNull())
        .addColumn('operator_number', 'text')
        .addColumn('kept_at', 'bigint', (c) => c.notNull())
        .execute();
      // a removed policy or dial plan sets its kept references to null: found by index, not a scan
      await db.schema
        .createIndex('um_mailbox_kept_properties_policy')
        .on('um_mailbox_kept_properties')
        .column('policy_id')
        .execute();
      await db.schema
        .createIndex('um_mailbox_kept_properties_dial_plan')
        .on('um_mailbox_kept_properties')
        .column('dial_plan_id')
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('um_mailbox_kept_properties').ifExists().execute();
    },
  },
  '0013-limit-counters': {
    // The sign-in limits, the HTTP request limits and the toll-fraud back-off per calling
    // number, counted in the database so that every server applies one count: a row per limit
    // and key, changed by single conditional statements (limit-counters.ts). Nothing to carry
    // over: the counts an older umpin kept in memory started from nothing at each start too.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('limit_counter')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('blocked_until', 'bigint', (c) => c.notNull())
        .addColumn('offences', 'integer', (c) => c.notNull())
        .addColumn('last_offence_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('limit_counter_pk', ['kind', 'key'])
        .execute();
      // the sweep of rows nobody needs any more finds them by index, a few at a time
      await db.schema
        .createIndex('limit_counter_expires')
        .on('limit_counter')
        .columns(['kind', 'expires_at'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('limit_counter').ifExists().execute();
    },
  },
  '0014-audit-chains': {
    // Several audit chains instead of one, so that writers on several servers need not queue
    // on one head row: a writer takes a free head (audit.ts). The one chain kept so far becomes
    // chain 0 unchanged: its entries keep their links (made without a chain and position, so
    // the head says how many are legacy) and their seq is their position. The other chains
    // start from their own genesis. The log's reading order, seq, now comes from a sequence,
    // which writers draw from without waiting for each other.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('audit_chain')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('last_position', 'bigint', (c) => c.notNull())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .addColumn('legacy_length', 'bigint', (c) => c.notNull())
        .addColumn('writable', 'integer', (c) => c.notNull())
        .execute();
      const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
      const length = Number(head?.seq ?? 0);
      await db
        .insertInto('audit_chain')
        .values(
          Array.from({ length: AUDIT_CHAINS }, (_, id) => ({
            id,
            last_position: id === 0 ? length : 0,
            last_hash: id === 0 && head ? head.hash : '0'.repeat(64),
            legacy_length: id === 0 ? length : 0,
            writable: 1,
          })),
        )
        .execute();
      await db.schema
        .alterTable('audit_log')
        .addColumn('chain_id', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('audit_log')
        .addColumn('chain_position', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update audit_log set chain_position = seq`.execute(db);
      // one entry a place in each chain, and a chain's walk in position order from the index
      await db.schema
        .createIndex('audit_log_chain')
        .on('audit_log')
        .columns(['chain_id', 'chain_position'])
        .unique()
        .execute();
      const last = await db
        .selectFrom('audit_log')
        .select(sql<string | number | null>`max(seq)`.as('seq'))
        .executeTakeFirst();
      await ddl.createSequence(db, AUDIT_SEQUENCE, Math.max(length, Number(last?.seq ?? 0)) + 1);
      await db.schema.dropTable('audit_head').execute();
    },
    async down(db: Kysely<any>) {
      // Every entry stays, and the single head is put at the newest one so that an older umpin
      // writes on after it. Entries written to several chains cannot be linked into one
      // without the audit key (a migration has none): an older umpin's verify reports the
      // first of them as broken, and so does this one's after migrating up again.
      const newest = await db
        .selectFrom('audit_log')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db
        .insertInto('audit_head')
        .values({ id: 1, seq: Number(newest?.seq ?? 0), hash: newest?.hash ?? '0'.repeat(64) })
        .execute();
      await ddl.dropSequence(db, AUDIT_SEQUENCE);
      await db.schema.dropIndex('audit_log_chain').execute();
      await db.schema.alterTable('audit_log').dropColumn('chain_position').execute();
      await db.schema.alterTable('audit_log').dropColumn('chain_id').execute();
      await db.schema.dropTable('audit_chain').execute();
    },
  },
  '0015-pin-policy-beyond-exchange': {
    // Issue 14's settings beyond Exchange, each at Exchange's behaviour for what exists:
    // PINComplexity on policies (Exchange: only Exchange's rules); PinChangeAllowed on UM
    // mailboxes (1: users change their PIN as before); ProgressiveLockout (0).
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('mailbox_policy')
        .addColumn('pin_complexity', 'text', (c) => c.notNull().defaultTo('Exchange'))
        .execute();
      await db.schema
        .alterTable('um_mailbox')
        .addColumn('pin_change_allowed', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      // kept by Disable-UMMailbox -KeepProperties like the other voice settings
      await db.schema
        .alterTable('um_mailbox_kept_properties')
        .addColumn('pin_change_allowed', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      // ProgressiveLockout (0: a lock lasts LockoutDuration, as before), and the locks in a row it
      // counts on, set by the same conditional UPDATE that counts the failure (pins.ts)
      await db.schema
        .alterTable('mailbox_policy')
        .addColumn('progressive_lockout', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('pin_state')
        .addColumn('lock_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('pin_state').addColumn('last_locked_at', 'bigint').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('pin_state').dropColumn('last_locked_at').execute();
      await db.schema.alterTable('pin_state').dropColumn('lock_count').execute();
      await db.schema.alterTable('mailbox_policy').dropColumn('progressive_lockout').execute();
      await db.schema.alterTable('um_mailbox_kept_properties').dropColumn('pin_change_allowed').execute();
      await db.schema.alterTable('um_mailbox').dropColumn('pin_change_allowed').execute();
      await db.schema.alterTable('mailbox_policy').dropColumn('pin_complexity').execute();
    },
  },
  '0016-pin-links': {
    // PINDelivery (Mail: the PIN in the mail, as before), PINLinkValidity (24 hours) and
    // PINLinkRequiresSignIn (0) on policies; pin_link holds each link by the keyed digest of its
    // token, with the PIN sealed until it is shown, expires or a newer link replaces it.
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('mailbox_policy')
        .addColumn('pin_delivery', 'text', (c) => c.notNull().defaultTo('Mail'))
        .execute();
      await db.schema
        .alterTable('mailbox_policy')
        .addColumn('pin_link_validity_hours', 'integer', (c) => c.notNull().defaultTo(24))
        .execute();
      await db.schema
        .alterTable('mailbox_policy')
        .addColumn('pin_link_requires_sign_in', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('pin_link')
        .addColumn('token_digest', 'text', (c) => c.primaryKey())
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('sealed_payload', 'text')
        .addColumn('requires_sign_in', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .execute();
      // a new link voids the mailbox's live ones; the sweep finds the live ones past their time
      await db.schema.createIndex('pin_link_recipient').on('pin_link').columns(['recipient_id', 'state']).execute();
      await db.schema.createIndex('pin_link_expiry').on('pin_link').columns(['state', 'expires_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('pin_link').execute();
      await db.schema.alterTable('mailbox_policy').dropColumn('pin_link_requires_sign_in').execute();
      await db.schema.alterTable('mailbox_policy').dropColumn('pin_link_validity_hours').execute();
      await db.schema.alterTable('mailbox_policy').dropColumn('pin_delivery').execute();
    },
  },
  '0017-identity-key': {
    // One identity key: every name a recipient answers to (GUID, alias, address, UPN, display
    // name), as compared, in one table whose key is (name, recipient), so that resolving an
    // identity is one seek instead of an OR of five index look-ups. Filled here from the
    // recipients' key columns; the recipient's writes keep it in step (recipient-names.ts).
    // No foreign key: deleting a recipient would then search this table by recipient, which
    // takes an index of its own; the store deletes the recipient's names by their key instead.
    async up(db: Kysely<any>) {
      await ddl
        .keyOnlyTable(
          db.schema
            .createTable('recipient_name')
            .addColumn('name_key', 'text', (c) => c.notNull())
            .addColumn('recipient_id', 'text', (c) => c.notNull())
            .addPrimaryKeyConstraint('recipient_name_pk', ['name_key', 'recipient_id']),
        )
        .execute();
      // UNION drops a name a recipient has twice (an address that is also its UPN), and hands the rows over in key order
      await sql`insert into recipient_name (name_key, recipient_id)
        select id, id from recipient
        union select alias_key, id from recipient
        union select smtp_key, id from recipient
        union select upn_key, id from recipient
        union select display_name_key, id from recipient
        order by 1, 2`.execute(db);
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('recipient_name').ifExists().execute();
    },
  },
  '0018-guid-blobs': {
    // A smaller database (issue 15): on SQLite every GUID column holds the GUID's 16 bytes
    // instead of its 36 characters (about 30 GUIDs a mailbox across its tables and indexes),
    // and the tables keyed by a mailbox's GUID are stored in key order, without a rowid and
    // the separate index of their key. The store converts at its edge (sqlite/guid-blobs.ts).
    // PostgreSQL keeps its text columns.
    async up(db: Kysely<any>) {
      // um_mailbox's index of policy_id duplicates recipient_policy_display, which leads with the
      // same policy id (recipient.um_policy_id): counting a policy's mailboxes reads that. The
      // foreign key's check when a policy is removed reads um_mailbox whole, as a dial plan's does.
      await db.schema.dropIndex('um_mailbox_policy').execute();
      await ddl.guidBlobs(db);
    },
    async down(db: Kysely<any>) {
      await ddl.guidTexts(db);
      await db.schema.createIndex('um_mailbox_policy').on('um_mailbox').column('policy_id').execute();
    },
  },
  '0019-unique-names': {
    // A smaller database (issue 15): the identity key keeps only the names that must be unique,
    // a recipient's alias, address and UPN, keyed by the name alone, so that its key is the one
    // constraint for all three (as the service's check: no name of one recipient is any name of
    // another) instead of three unique indexes on recipient, and upn_key goes. A GUID is found by
    // recipient's own key and a display name by recipient_display_name (identityQuery). A name
    // two recipients share stops the migration with nothing changed, naming it.
    async up(db: Kysely<any>) {
      await ddl.uniqueNames(db);
    },
    async down(db: Kysely<any>) {
      await ddl.uniqueNamesDown(db);
    },
  },
  '0020-compact-pin-hash': {
    // A smaller database (issue 15): on SQLite a PIN hash takes about 56 bytes as a blob (format,
    // KDF parameters, salt and digest) instead of its 93–97-character PHC string. The store
    // converts at its edge (sqlite/pin-hash-blobs.ts); a hash with no exact compact form stays
    // text. PostgreSQL keeps its text.
    async up(db: Kysely<any>) {
      await ddl.compactPinHashes(db);
    },
    async down(db: Kysely<any>) {
      await ddl.textPinHashes(db);
    },
  },
  '0021-mailbox-extensions': {
    // A list page in one statement (issue 15): a mailbox's extensions, in their order, are a
    // column of its um_mailbox row, where every read finds them, instead of a second statement
    // of one seek a mailbox in extension_recipient_position (52 bytes a mailbox), which goes.
    // The extension rows stay (their key is an extension's uniqueness in its dial plan,
    // extension_number finds a number's owners), written with the column in one transaction;
    // their foreign key to recipient goes too, as its check would read the whole table at
    // every delete of a recipient without the index. A mailbox's rows are deleted by their key.
    async up(db: Kysely<any>) {
      await ddl.mailboxExtensions(db);
    },
    async down(db: Kysely<any>) {
      await ddl.mailboxExtensionsDown(db);
    },
  },
  '0022-identity-change-notifications': {
    // The read cache keeps whom an identity names, with the mailbox and policy a PIN status
    // judges by (kysely-store.ts pinStatusByIdentity): on PostgreSQL, other processes' changes
    // to recipients, their unique names and their UM mailboxes must reach it as 0006's tables'
    // do. SQLite's data_version tells of every commit already.
    async up(db: Kysely<any>) {
      await ddl.notifyChanges(db, IDENTITY_TABLES);
    },
    async down(db: Kysely<any>) {
      await ddl.dropChangeNotifications(db, IDENTITY_TABLES, true);
    },
  },
  '0023-one-display-index': {
    // One display-name index instead of two (issue 15): recipient_display_name covers
    // um_policy_id, so it serves the UM lists and searches as the partial recipient_um_display
    // did (41.7 bytes a mailbox, gone), and a search's display-name range reads only the index,
    // where the partial one, lacking that column, made SQLite read each candidate's row too. A
    // UM list now passes the recipients that are not UM-enabled in that index: nearly none in a
    // directory umpin serves.
    async up(db: Kysely<any>) {
      await ddl.changeIndexes(db, ['recipient'], async () => {
        await db.schema.dropIndex('recipient_um_display').execute();
        await db.schema.dropIndex('recipient_display_name').execute();
        await db.schema
          .createIndex('recipient_display_name')
          .on('recipient')
          .columns(['display_name_key', 'id', 'um_policy_id'])
          .execute();
      });
    },
    async down(db: Kysely<any>) {
      await ddl.changeIndexes(db, ['recipient'], async () => {
        await db.schema.dropIndex('recipient_display_name').execute();
        await db.schema
          .createIndex('recipient_display_name')
          .on('recipient')
          .columns(['display_name_key', 'id'])
          .execute();
        await db.schema
          .createIndex('recipient_um_display')
          .on('recipient')
          .columns(['display_name_key', 'id'])
          .where(sql.ref('um_policy_id'), 'is not', null)
          .execute();
      });
    },
  },
  '0024-fewer-index-entries': {
    // Two indexes hold fewer entries (issue 15: about 110 bytes a mailbox). An address that is
    // its alias at a domain (alias@…, Exchange's default address policy) leaves the address
    // search index: its prefixes are its alias's, or go past the alias into `@`, where the
    // alias's unique name finds it (recipient-queries.ts ADDRESS_OF_ALIAS, marked in
    // smtp_shared). extension_number goes: a number's owners in any dial plan are one seek of
    // extension's key a dial plan, and there are few dial plans.
    async up(db: Kysely<any>) {
      await ddl.changeIndexes(db, ['recipient', 'extension'], async () => {
        await db.schema.dropIndex('recipient_smtp_search').execute();
        await sql`update recipient set smtp_shared = ${sql.lit(ADDRESS_OF_ALIAS)}
          where substr(smtp_key, 1, length(alias_key) + 1) = alias_key || '@'`.execute(db);
        await db.schema
          .createIndex('recipient_smtp_search')
          .on('recipient')
          .columns(['smtp_shared', 'smtp_key', 'display_name_key', 'id', 'um_policy_id'])
          .where(sql.ref('smtp_shared'), '>=', sql.lit(0))
          .execute();
        await db.schema.dropIndex('extension_number').execute();
      });
    },
    async down(db: Kysely<any>) {
      await ddl.changeIndexes(db, ['recipient', 'extension'], async () => {
        await db.schema.createIndex('extension_number').on('extension').column('number').execute();
        await db.schema.dropIndex('recipient_smtp_search').execute();
        await sql`update recipient set smtp_shared = ${addressOfAliasShared()}
          where smtp_shared = ${sql.lit(ADDRESS_OF_ALIAS)}`.execute(db);
        await db.schema
          .createIndex('recipient_smtp_search')
          .on('recipient')
          .columns(['smtp_shared', 'smtp_key', 'display_name_key', 'id', 'um_policy_id'])
          .execute();
      });
    },
  },
});

/**
 * 0024 down: sharedLeads' smtp_shared, in SQL, of a row whose address is its alias at a domain:
 * the alias's length (up to SHARED_CAP), or the leading characters the address shares with the
 * display-name key if more. Those are ASCII, as an address is, so counting characters (SQL)
 * and UTF-16 units (sharedLeads) agree; a leading part that matches at n matches at every
 * length below, so the count of lengths that match is the length of the match.
 */
function addressOfAliasShared() {
  const lengths = Array.from({ length: SHARED_CAP }, (_, i) => sql.lit(i + 1));
  const display = sql.join(
    lengths.map(
      (n) => sql`case when length(display_name_key) >= ${n} and length(smtp_key) >= ${n}
        and substr(display_name_key, 1, ${n}) = substr(smtp_key, 1, ${n}) then 1 else 0 end`,
    ),
    sql` + `,
  );
  const alias = sql`case when length(alias_key) < ${sql.lit(SHARED_CAP)} then length(alias_key) else ${sql.lit(SHARED_CAP)} end`;
  return sql`case when (${display}) > ${alias} then (${display}) else ${alias} end`;
}

/** Chains a new database (and one migrated from a single chain) has, every one taking entries (audit.ts). */
const AUDIT_CHAINS = 8;

/** The tables whom an identity names is read from, cached since 0022 (a PIN status's identity). */
const IDENTITY_TABLES = ['recipient', 'recipient_name', 'um_mailbox'];

/** The recipient's lower-cased keys a search reads as prefix ranges (recipient-queries.ts). */
const SEARCH_KEYS = ['display_name_key', 'alias_key', 'smtp_key'];

/** Partial indexes of the mailboxes whose PIN state has a flag set (migration 0008). */
const PIN_FLAG_INDEXES = [
  ['pin_state_locked_out', 'locked_out'],
  ['pin_state_pin_expired', 'pin_expired'],
  ['pin_state_first_time_user', 'first_time_user'],
] as const;

/** The tables whose rows the read cache keeps (kysely-store.ts). */
const CACHED_TABLES = ['organization', 'dial_plan', 'mailbox_policy', 'api_token'];

/** The migrations as the engine runs them. */
export function migrationProvider(adapter: EngineAdapter): MigrationProvider {
  return { getMigrations: async () => migrations(adapter) };
}
