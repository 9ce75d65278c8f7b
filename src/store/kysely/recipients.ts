import type { Selectable } from 'kysely';
import type { Page } from '../../domain/page.js';
import type { Recipient } from '../../domain/recipient.js';
import type { UmMailbox } from '../../domain/um-mailbox.js';
import type {
  MailboxMatch,
  NewMailbox,
  RecipientQuery,
  RecipientReads,
  RecipientRepository,
} from '../../services/ports/recipients.js';
import { deleteUserAccess } from './access.js';
import { extensionsColumn, extensionsOfColumn } from './extension-list.js';
import { deleteExtensions, extensionRows, storedExtensions, writeExtensions } from './mailbox-extensions.js';
import { newPinStateRow, toPin } from './pins.js';
import { prepared } from './prepared.js';
import {
  extensionOwnersQuery,
  guidOf,
  identityQuery,
  mailboxesNamedQuery,
  recipientListPage,
  searchLeads,
  type RecipientPageRow,
} from './recipient-queries.js';
import { deleteNames, insertNames, replaceNames } from './recipient-names.js';
import { key, Rows, type Db } from './rows.js';
import type { RecipientTable, UmMailboxTable } from './schema.js';

/** "CONTOSO\tonysmith": the domain\account form names the alias. */
export function identityKey(identity: string): string {
  const raw = identity.trim();
  return key(raw.includes('\\') ? raw.slice(raw.lastIndexOf('\\') + 1) : raw);
}

/** A recipient as a page row holds it. */
export function toRecipient(r: RecipientPageRow): Recipient {
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
    display_name: r.displayName,
    display_name_key: keys.display_name_key,
    ...searchLeads(keys),
    language: r.language,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

// the reads every API request and telephone logon makes, compiled once (prepared.ts)
const recipientsNamed = prepared((db, k: string, guid: string) => identityQuery(db, k, guid), {
  named: true,
});
const mailboxesNamed = prepared((db, k: string, guid: string) => mailboxesNamedQuery(db, k, guid), {
  named: true,
});
const umMailboxOf = prepared(
  (db, recipientId: string) => db.selectFrom('um_mailbox').selectAll().where('recipient_id', '=', recipientId),
  { named: true },
);
const recipientById = prepared((db, id: string) => db.selectFrom('recipient').selectAll().where('id', '=', id), {
  named: true,
});
const extensionOwnersIn = prepared(
  (db, extension: string, dialPlanId: string) => extensionOwnersQuery(db, extension, dialPlanId),
  { named: true },
);

/** The columns the unique names are made of, as stored now (undefined: no such recipient). */
function namedColumns(db: Db, id: string) {
  return db
    .selectFrom('recipient')
    .select(['id', 'alias', 'alias_key', 'primary_smtp_address', 'smtp_key', 'user_principal_name'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** recipient.um_policy_id mirrors um_mailbox.policy_id (null: not UM-enabled), so lists filter and order in one index. */
async function markPolicy(db: Db, recipientId: string, policyId: string | null): Promise<void> {
  await db.updateTable('recipient').set({ um_policy_id: policyId }).where('id', '=', recipientId).execute();
}

/** A UM mailbox's own row, its extensions in their column (their rows: mailbox-extensions.ts). */
function umMailboxRow(m: UmMailbox) {
  return {
    recipient_id: m.recipientId,
    policy_id: m.policyId,
    dial_plan_id: m.dialPlanId,
    extensions: extensionsColumn(m.extensions),
    sip_resource_identifier: m.sipResourceIdentifier,
    enabled_at: m.enabledAt,
    ...voiceSettingsRow(m),
  };
}

/** The per-mailbox voice settings of Set-UMMailbox as columns (migration 0010). */
function voiceSettingsRow(m: UmMailbox) {
  return {
    subscriber_access_enabled: m.subscriberAccessEnabled ? 1 : 0,
    pinless_access_enabled: m.pinlessAccessEnabled ? 1 : 0,
    operator_number: m.operatorNumber,
    pin_change_allowed: m.pinChangeAllowed ? 1 : 0,
  };
}

/** The same columns as read (an engine may hand back 0/1 as numbers or strings). */
function voiceSettingsOf(r: {
  subscriber_access_enabled: number | string | null;
  pinless_access_enabled: number | string | null;
  operator_number: string | null;
  pin_change_allowed: number | string | null;
}) {
  return {
    subscriberAccessEnabled: r.subscriber_access_enabled === null || Number(r.subscriber_access_enabled) === 1,
    pinlessAccessEnabled: Number(r.pinless_access_enabled) === 1,
    operatorNumber: r.operator_number,
    pinChangeAllowed: r.pin_change_allowed === null || Number(r.pin_change_allowed) === 1,
  };
}

/** A UM mailbox as its own row holds it (umMailboxRow's inverse). */
function fromUmMailboxRow(m: Selectable<UmMailboxTable>): UmMailbox {
  return {
    recipientId: m.recipient_id,
    policyId: m.policy_id,
    dialPlanId: m.dial_plan_id,
    extensions: extensionsOfColumn(m.extensions),
    sipResourceIdentifier: m.sip_resource_identifier,
    enabledAt: Number(m.enabled_at),
    ...voiceSettingsOf(m),
  };
}

/** A recipient's UM mailbox as a row read with it holds it (columns prefixed mailbox_), or null when it has none. */
export function mailboxOfRow(r: {
  id: string;
  mailbox_policy_id: string | null;
  mailbox_dial_plan_id: string | null;
  mailbox_extensions: string | null;
  mailbox_sip_resource_identifier: string | null;
  mailbox_enabled_at: number | string | null;
  mailbox_subscriber_access_enabled: number | string | null;
  mailbox_pinless_access_enabled: number | string | null;
  mailbox_operator_number: string | null;
  mailbox_pin_change_allowed: number | string | null;
}): UmMailbox | null {
  if (r.mailbox_policy_id === null || r.mailbox_dial_plan_id === null) return null;
  return {
    recipientId: r.id,
    policyId: r.mailbox_policy_id,
    dialPlanId: r.mailbox_dial_plan_id,
    extensions: extensionsOfColumn(r.mailbox_extensions),
    sipResourceIdentifier: r.mailbox_sip_resource_identifier,
    enabledAt: Number(r.mailbox_enabled_at),
    ...voiceSettingsOf({
      subscriber_access_enabled: r.mailbox_subscriber_access_enabled,
      pinless_access_enabled: r.mailbox_pinless_access_enabled,
      operator_number: r.mailbox_operator_number,
      pin_change_allowed: r.mailbox_pin_change_allowed,
    }),
  };
}

export class RecipientReadRows extends Rows implements RecipientReads {
  async findRecipients(identity: string): Promise<Recipient[]> {
    const k = identityKey(identity);
    return (await recipientsNamed(this.db, k, guidOf(k))).map(toRecipient);
  }

  async findMailboxes(identity: string): Promise<MailboxMatch[]> {
    const k = identityKey(identity);
    return (await mailboxesNamed(this.db, k, guidOf(k))).map((r) => ({
      recipient: toRecipient(r),
      mailbox: mailboxOfRow(r),
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
              last_failure_at: r.pin_last_failure_at ?? null,
              last_failure_caller: r.pin_last_failure_caller ?? null,
              lock_count: r.pin_lock_count,
              last_locked_at: r.pin_last_locked_at,
            }),
    }));
  }

  async getRecipient(id: string): Promise<Recipient | null> {
    const [r] = await recipientById(this.db, id);
    return r ? toRecipient(r) : null;
  }

  async listRecipients(q: RecipientQuery): Promise<Page<Recipient>> {
    const { rows, next } = await recipientListPage(this.db, this.adapter, q);
    return { items: rows.map(toRecipient), next };
  }

  async getUmMailbox(recipientId: string): Promise<UmMailbox | null> {
    const [m] = await umMailboxOf(this.db, recipientId);
    if (!m) return null;
    return fromUmMailboxRow(m);
  }

  async getUmMailboxes(recipientIds: readonly string[]): Promise<UmMailbox[]> {
    if (recipientIds.length === 0) return [];
    const ids = [...recipientIds];
    const rows = await this.db.selectFrom('um_mailbox').selectAll().where('recipient_id', 'in', ids).execute();
    return rows.map(fromUmMailboxRow);
  }

  async recipientsWithExtension(extension: string, dialPlanId: string): Promise<string[]> {
    return (await extensionOwnersIn(this.db, extension, dialPlanId)).map((r) => r.recipient_id);
  }
}

export class RecipientRows extends RecipientReadRows implements RecipientRepository {
  /** A no-op write that holds the recipient's row until the transaction ends (see RecipientRepository.lockRecipient). */
  async lockRecipient(recipientId: string): Promise<void> {
    await this.db
      .updateTable('recipient')
      .set((eb) => ({ id: eb.ref('id') }))
      .where('id', '=', recipientId)
      .execute();
  }

  async insertRecipient(r: Recipient): Promise<void> {
    const row = fromRecipient(r);
    await this.db.insertInto('recipient').values(row).execute();
    await insertNames(this.db, [row]);
  }

  async updateRecipient(r: Recipient): Promise<void> {
    const before = await namedColumns(this.db, r.id);
    const row = fromRecipient(r);
    const { id, created_at, ...rest } = row;
    void created_at;
    await this.db.updateTable('recipient').set(rest).where('id', '=', id).execute();
    if (before) await replaceNames(this.db, before, row);
  }

  async deleteRecipient(id: string): Promise<void> {
    await this.deleteUmMailbox(id);
    // (the foreign key would cascade; said here so the order of deletes is all in one place)
    await this.db.deleteFrom('um_mailbox_kept_properties').where('recipient_id', '=', id).execute();
    const before = await namedColumns(this.db, id);
    if (before) await deleteNames(this.db, before);
    await this.db.deleteFrom('recipient').where('id', '=', id).execute();
  }

  async insertUmMailbox(m: UmMailbox): Promise<void> {
    await this.db.insertInto('um_mailbox').values(umMailboxRow(m)).execute();
    await markPolicy(this.db, m.recipientId, m.policyId);
    await writeExtensions(this.db, m);
  }

  async updateUmMailbox(m: UmMailbox): Promise<void> {
    // the rows to delete are named by the row as it was: its dial plan may change here too
    const before = await storedExtensions(this.db, m.recipientId);
    await this.db
      .updateTable('um_mailbox')
      .set({
        policy_id: m.policyId,
        dial_plan_id: m.dialPlanId,
        extensions: extensionsColumn(m.extensions),
        sip_resource_identifier: m.sipResourceIdentifier,
        ...voiceSettingsRow(m),
      })
      .where('recipient_id', '=', m.recipientId)
      .execute();
    await markPolicy(this.db, m.recipientId, m.policyId);
    await deleteExtensions(this.db, m.recipientId, before);
    await writeExtensions(this.db, m);
  }

  async deleteUmMailbox(recipientId: string): Promise<void> {
    // a user whose voice mail is gone has nothing left to sign in to
    await deleteUserAccess(this.db, recipientId);
    await this.db.deleteFrom('pin_reminder').where('recipient_id', '=', recipientId).execute();
    // mails still queued for the mailbox carry its old PIN: they must not go out after it is disabled
    await this.db.deleteFrom('outbox').where('recipient_id', '=', recipientId).where('status', '=', 'queued').execute();
    await this.db.deleteFrom('pin_history').where('recipient_id', '=', recipientId).execute();
    await this.db.deleteFrom('pin_state').where('recipient_id', '=', recipientId).execute();
    await deleteExtensions(this.db, recipientId, await storedExtensions(this.db, recipientId));
    await this.db.deleteFrom('um_mailbox').where('recipient_id', '=', recipientId).execute();
    await markPolicy(this.db, recipientId, null);
  }

  async insertMailboxes(rows: readonly NewMailbox[]): Promise<void> {
    // 500 rows a statement: 12 columns × 500 stays well under both engines' bound-parameter limits
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const recipients = chunk.map((r) => ({ ...fromRecipient(r.recipient), um_policy_id: r.mailbox.policyId }));
      await this.db.insertInto('recipient').values(recipients).execute();
      await insertNames(this.db, recipients);
      await this.db
        .insertInto('um_mailbox')
        .values(chunk.map(({ mailbox }) => umMailboxRow(mailbox)))
        .execute();
      const extensions = chunk.flatMap(({ mailbox }) => extensionRows(mailbox));
      if (extensions.length > 0) await this.db.insertInto('extension').values(extensions).execute();
      await this.db
        .insertInto('pin_state')
        .values(chunk.map(({ pin }) => newPinStateRow(pin)))
        .execute();
    }
  }
}
