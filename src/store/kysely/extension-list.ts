/**
 * A mailbox's extensions as um_mailbox.extensions holds them (migration 0021): the numbers in
 * their order joined by ',', '' for none. Extensions are ASCII digits (checkExtension), so the
 * separator never occurs in one.
 */

/** The column's text of a mailbox's extensions. */
export function extensionsColumn(extensions: readonly string[]): string {
  return extensions.join(',');
}

/** The extensions the column holds, in their order ([] for '' or a missing mailbox's null). */
export function extensionsOfColumn(column: string | null | undefined): string[] {
  return column ? column.split(',') : [];
}

/** Migration 0021: each UM mailbox's column from its extension rows, in their order (both engines). */
export const FILL_EXTENSIONS_SQL = `update um_mailbox set extensions = coalesce((select string_agg(e.number, ',' order by e.position)
  from extension e where e.recipient_id = um_mailbox.recipient_id), '')`;

/**
 * Migration 0021: the extension rows a mailbox's column would not name (no UM mailbox, or
 * another dial plan than the mailbox's): found by their key no more, they would hold their
 * numbers for good. The service never writes one; the migration stops on them.
 */
export const STRAY_EXTENSIONS_SQL = `select e.number from extension e left join um_mailbox m on m.recipient_id = e.recipient_id
  where m.recipient_id is null or m.dial_plan_id <> e.dial_plan_id`;

/** The error that stops migration 0021 at a stray extension row. */
export function strayExtensionError(number: string): Error {
  return new Error(
    `0021-mailbox-extensions: extension ${number} belongs to no UM mailbox of its dial plan; delete the row (or enable its mailbox on it) and upgrade again`,
  );
}
