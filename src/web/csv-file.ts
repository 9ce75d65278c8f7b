/**
 * A table as a CSV file (RFC 4180: every field quoted, quotes doubled, CRLF line ends, a
 * byte-order mark so spreadsheet programs read UTF-8), downloaded from a Blob URL.
 */
const field = (v: string): string => `"${v.replace(/"/g, '""')}"`;

export function toCsv(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  return `\uFEFF${[headings, ...rows].map((l) => l.map(field).join(',')).join('\r\n')}\r\n`;
}

export function downloadCsv(name: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // the click has handed the file to the browser; the URL may go once it has read it
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
