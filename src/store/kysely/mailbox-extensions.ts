/**
 * The writes of a mailbox's extensions. They are held twice (migration 0021): in order in
 * um_mailbox.extensions, where every read finds them, and as extension rows, whose key
 * (dial_plan_id, number) is an extension's uniqueness in its dial plan and whose number index
 * finds a number's owners. The row writes here and the um_mailbox row's column
 * (extensionsColumn) are made in the same transaction by every write of a mailbox.
 *
 * No index leads with the rows' recipient_id (52 bytes a mailbox at 100,000), so a mailbox's
 * rows are deleted by their key: the dial plan and numbers its um_mailbox row held before.
 */
import { UmpinError } from '../../domain/errors.js';
import type { UmMailbox } from '../../domain/um-mailbox.js';
import { extensionsOfColumn } from './extension-list.js';
import type { Db } from './rows.js';

/** A mailbox's extension rows, in their order. */
export function extensionRows(m: Pick<UmMailbox, 'recipientId' | 'dialPlanId' | 'extensions'>) {
  return m.extensions.map((number, position) => ({
    dial_plan_id: m.dialPlanId,
    number,
    recipient_id: m.recipientId,
    position,
  }));
}

/**
 * Adds a mailbox's extension rows. One that another mailbox of the dial plan holds is refused as
 * in use, the same refusal as the service's check: a writer that committed it after that check
 * (another process enabling another recipient on it at the same moment) must not turn the
 * loser's answer into a unique-key error, which on PostgreSQL would also abort the transaction.
 */
export async function writeExtensions(db: Db, m: UmMailbox): Promise<void> {
  if (m.extensions.length === 0) return;
  const written = await db
    .insertInto('extension')
    .values(extensionRows(m))
    .onConflict((oc) => oc.columns(['dial_plan_id', 'number']).doNothing())
    .executeTakeFirst();
  if (Number(written.numInsertedOrUpdatedRows ?? 0) === m.extensions.length) return;
  const taken = await db
    .selectFrom('extension')
    .innerJoin('dial_plan', 'dial_plan.id', 'extension.dial_plan_id')
    .select(['extension.number', 'dial_plan.name'])
    .where('extension.dial_plan_id', '=', m.dialPlanId)
    .where('extension.number', 'in', m.extensions)
    .where('extension.recipient_id', '<>', m.recipientId)
    .execute();
  const first = m.extensions.find((e) => taken.some((t) => t.number === e)) ?? m.extensions[0]!;
  throw new UmpinError({
    code: 'UMPIN_EXTENSION_IN_USE',
    field: 'Extensions',
    params: { extension: first, dialPlan: taken[0]?.name ?? m.dialPlanId },
  });
}

/** The mailbox's row as stored before a change (undefined: it has none). */
export function storedExtensions(db: Db, recipientId: string) {
  return db
    .selectFrom('um_mailbox')
    .select(['dial_plan_id', 'extensions'])
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
}

/**
 * Deletes the extension rows a mailbox's um_mailbox row names (as read by storedExtensions before
 * the row changes): by their key, each a seek. The recipient is compared too, so a row another
 * mailbox holds is never taken, whatever the column says.
 */
export async function deleteExtensions(
  db: Db,
  recipientId: string,
  before: { dial_plan_id: string; extensions: string } | undefined,
): Promise<void> {
  const numbers = extensionsOfColumn(before?.extensions);
  if (before === undefined || numbers.length === 0) return;
  await deleteExtensionsQuery(db, recipientId, before.dial_plan_id, numbers).execute();
}

/** The delete of a mailbox's extension rows: one seek of the key a number (the plan tests read it). */
export function deleteExtensionsQuery(db: Db, recipientId: string, dialPlanId: string, numbers: readonly string[]) {
  return db
    .deleteFrom('extension')
    .where('dial_plan_id', '=', dialPlanId)
    .where('number', 'in', numbers)
    .where('recipient_id', '=', recipientId);
}
