/**
 * The identity key's rows of a recipient (migration 0017, schema.ts RecipientNameTable): every
 * name it answers to, as compared, each once. The recipient's writes keep them in step in the
 * same transaction (recipients.ts), so a look-up never sees a name the recipient no longer has.
 */
import type { Db } from './rows.js';
import type { RecipientRow } from './schema.js';

type Named = Pick<RecipientRow, 'id' | 'alias_key' | 'smtp_key' | 'upn_key' | 'display_name_key'>;

/** The names (a GUID is matched as stored; the others are key()s already), without repeats. */
export function recipientNames(r: Named): string[] {
  return [...new Set([r.id, r.alias_key, r.smtp_key, r.upn_key, r.display_name_key])];
}

/** Rows a statement inserts: 2 parameters each stays far below both engines' limits. */
const ROWS_A_STATEMENT = 1000;

export async function insertNames(db: Db, recipients: readonly Named[]): Promise<void> {
  const rows = recipients.flatMap((r) => recipientNames(r).map((name_key) => ({ name_key, recipient_id: r.id })));
  for (let i = 0; i < rows.length; i += ROWS_A_STATEMENT)
    await db
      .insertInto('recipient_name')
      .values(rows.slice(i, i + ROWS_A_STATEMENT))
      .execute();
}

/** From the names of `before` to those of `after` (the same recipient): only what changed is written. */
export async function replaceNames(db: Db, before: Named, after: Named): Promise<void> {
  const old = recipientNames(before);
  const now = recipientNames(after);
  const gone = old.filter((n) => !now.includes(n));
  const added = now.filter((n) => !old.includes(n));
  if (gone.length > 0)
    await db.deleteFrom('recipient_name').where('recipient_id', '=', before.id).where('name_key', 'in', gone).execute();
  if (added.length > 0)
    await db
      .insertInto('recipient_name')
      .values(added.map((name_key) => ({ name_key, recipient_id: after.id })))
      .execute();
}

export async function deleteNames(db: Db, r: Named): Promise<void> {
  await db
    .deleteFrom('recipient_name')
    .where('recipient_id', '=', r.id)
    .where('name_key', 'in', recipientNames(r))
    .execute();
}
