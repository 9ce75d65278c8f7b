import { type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Migrations live in code (not files on disk) so the compiled package carries them. */
const migrations: Record<string, Migration> = {
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
      await db.schema.createIndex('recipient_display_name').on('recipient').columns(['display_name_key', 'id']).execute();

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
      await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: '0'.repeat(64) }).execute();

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
      for (const t of ['outbox', 'audit_log', 'audit_head', 'pin_history', 'pin_state', 'extension', 'um_mailbox', 'recipient', 'mailbox_policy', 'dial_plan', 'organization']) {
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
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
