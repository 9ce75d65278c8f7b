/**
 * The mailbox list as CSV (RFC 4180): every field quoted, quotes doubled, CRLF line ends and a
 * byte-order mark so that spreadsheet programs read the names in UTF-8. A PIN is never in it:
 * the list's answers carry none.
 */
import type { UmMailboxRow } from './api-types.js';

export interface CsvHeadings {
  displayName: string;
  address: string;
  extensions: string;
  lockedOut: string;
  pinExpired: string;
  firstTimeUser: string;
}

const field = (v: string): string => `"${v.replace(/"/g, '""')}"`;
// as PowerShell's Export-Csv writes a flag; empty where the PIN state is not known
const flag = (v: boolean | undefined): string => (v === undefined ? '' : v ? 'True' : 'False');

export function mailboxesCsv(rows: readonly UmMailboxRow[], h: CsvHeadings): string {
  const lines = [[h.displayName, h.address, h.extensions, h.lockedOut, h.pinExpired, h.firstTimeUser]];
  for (const r of rows)
    lines.push([
      r.displayName,
      r.primarySmtpAddress,
      r.extensions.join(';'),
      flag(r.pinStatus?.lockedOut),
      flag(r.pinStatus?.pinExpired),
      flag(r.pinStatus?.firstTimeUser),
    ]);
  return `\uFEFF${lines.map((l) => l.map(field).join(',')).join('\r\n')}\r\n`;
}
