/**
 * The mailbox list as CSV (RFC 4180): every field quoted, quotes doubled, CRLF line ends and a
 * byte-order mark so that spreadsheet programs read the names in UTF-8. Its columns are the
 * list's: the PIN state for UM mailboxes, whether UM is enabled for all mailboxes. A PIN is
 * never in it: the list's answers carry none.
 */
import type { ListRow } from './mailbox-view.js';

export interface CsvHeadings {
  displayName: string;
  address: string;
  extensions: string;
  umEnabled: string;
  lockedOut: string;
  pinExpired: string;
  firstTimeUser: string;
}

const field = (v: string): string => `"${v.replace(/"/g, '""')}"`;
// as PowerShell's Export-Csv writes a flag; empty where the PIN state is not known
const flag = (v: boolean | undefined): string => (v === undefined ? '' : v ? 'True' : 'False');

export function mailboxesCsv(rows: readonly ListRow[], h: CsvHeadings, { pinStatus }: { pinStatus: boolean }): string {
  const lines = [
    [
      h.displayName,
      h.address,
      h.extensions,
      ...(pinStatus ? [h.lockedOut, h.pinExpired, h.firstTimeUser] : [h.umEnabled]),
    ],
  ];
  for (const r of rows)
    lines.push([
      r.displayName,
      r.primarySmtpAddress,
      r.extensions.join(';'),
      ...(pinStatus
        ? [flag(r.pinStatus?.lockedOut), flag(r.pinStatus?.pinExpired), flag(r.pinStatus?.firstTimeUser)]
        : [flag(r.umEnabled)]),
    ]);
  return `\uFEFF${lines.map((l) => l.map(field).join(',')).join('\r\n')}\r\n`;
}
