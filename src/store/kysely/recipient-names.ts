/**
 * The unique names of a recipient (migration 0019, schema.ts RecipientNameTable): its alias,
 * address and UPN as compared, each once, keyed by the name alone. The recipient's writes keep
 * them in step in the same transaction (recipients.ts), so a look-up never sees a name the
 * recipient no longer has; and since the key is the uniqueness of all three, a name another
 * recipient holds is refused here as in use, naming the field, even when that recipient was
 * written after the service's own check (another process at the same moment).
 */
import { UmpinError } from '../../domain/errors.js';
import { key, type Db } from './rows.js';
import type { RecipientRow } from './schema.js';

type Named = Pick<
  RecipientRow,
  'id' | 'alias' | 'alias_key' | 'primary_smtp_address' | 'smtp_key' | 'user_principal_name'
>;

interface UniqueName {
  name: string;
  /** the field the service names when it is in use (checkUnique's order: address, alias, UPN) */
  field: 'PrimarySmtpAddress' | 'Alias' | 'UserPrincipalName';
  value: string;
}

function uniqueNames(r: Named): UniqueName[] {
  const all: UniqueName[] = [
    { name: r.smtp_key, field: 'PrimarySmtpAddress', value: r.primary_smtp_address },
    { name: r.alias_key, field: 'Alias', value: r.alias },
    { name: key(r.user_principal_name), field: 'UserPrincipalName', value: r.user_principal_name },
  ];
  return all.filter((n, i) => all.findIndex((m) => m.name === n.name) === i);
}

/** The names (the keys of recipient_name), without repeats: no GUID and no display name, which are not unique names. */
export function recipientNames(r: Named): string[] {
  return uniqueNames(r).map((n) => n.name);
}

/** Rows a statement inserts: 2 parameters each stays far below both engines' limits. */
const ROWS_A_STATEMENT = 1000;

/** Writes the names; one another recipient holds is refused as the service refuses it (UMPIN_RECIPIENT_ADDRESS_IN_USE). */
async function insertUnique(db: Db, rows: ReadonlyArray<UniqueName & { id: string }>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_A_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_A_STATEMENT);
    // no unique-key error: on PostgreSQL it would end the transaction before the refusal could be told
    const written = await db
      .insertInto('recipient_name')
      .values(chunk.map((n) => ({ name_key: n.name, recipient_id: n.id })))
      .onConflict((oc) => oc.column('name_key').doNothing())
      .executeTakeFirst();
    if (Number(written.numInsertedOrUpdatedRows ?? 0) === chunk.length) continue;
    const holders = await db
      .selectFrom('recipient_name')
      .select(['name_key', 'recipient_id'])
      .where(
        'name_key',
        'in',
        chunk.map((n) => n.name),
      )
      .execute();
    const holder = new Map(holders.map((h) => [h.name_key, h.recipient_id]));
    const taken = chunk.find((n) => holder.get(n.name) !== n.id) ?? chunk[0]!;
    throw new UmpinError({
      code: 'UMPIN_RECIPIENT_ADDRESS_IN_USE',
      field: taken.field,
      params: { field: taken.field, value: taken.value },
    });
  }
}

export async function insertNames(db: Db, recipients: readonly Named[]): Promise<void> {
  await insertUnique(
    db,
    recipients.flatMap((r) => uniqueNames(r).map((n) => ({ ...n, id: r.id }))),
  );
}

/** From the names of `before` to those of `after` (the same recipient): only what changed is written. */
export async function replaceNames(db: Db, before: Named, after: Named): Promise<void> {
  const old = recipientNames(before);
  const now = uniqueNames(after);
  const gone = old.filter((n) => !now.some((m) => m.name === n));
  const added = now.filter((n) => !old.includes(n.name));
  if (gone.length > 0)
    await db.deleteFrom('recipient_name').where('recipient_id', '=', before.id).where('name_key', 'in', gone).execute();
  if (added.length > 0)
    await insertUnique(
      db,
      added.map((n) => ({ ...n, id: after.id })),
    );
}

export async function deleteNames(db: Db, r: Named): Promise<void> {
  await db
    .deleteFrom('recipient_name')
    .where('recipient_id', '=', r.id)
    .where('name_key', 'in', recipientNames(r))
    .execute();
}
