/**
 * Row locks for read-modify-write edits (multi-valued properties): one write that changes
 * nothing, the same statement on both engines. On PostgreSQL it takes the row's lock
 * until the transaction ends (as SELECT ... FOR UPDATE would), so a concurrent edit of the
 * same row waits and then reads what this one wrote; on SQLite it takes the database's
 * write lock at that point, before anything is read.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function lockRecipientRow(db: Db, recipientId: string): Promise<void> {
  await db.updateTable('recipient').set((eb) => ({ id: eb.ref('id') })).where('id', '=', recipientId).execute();
}

export async function lockDialPlanRow(db: Db, dialPlanId: string): Promise<void> {
  await db.updateTable('dial_plan').set((eb) => ({ id: eb.ref('id') })).where('id', '=', dialPlanId).execute();
}
