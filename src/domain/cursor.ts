/**
 * The one cursor format of every paged list (recipients' keyset pages in the store, lists
 * the services page, the audit log): the last key seen, as a list of strings, in base64url
 * JSON. Opaque to callers; a cursor that is not one gives the same error wherever it is sent.
 */
import { UmpinError } from './errors.js';

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key of a cursor made by encodeCursor with `parts` strings. */
export function decodeCursor(cursor: string, parts: number): string[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === parts && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // falls through to the error below
  }
  throw badCursor();
}

export function badCursor(): UmpinError {
  return new UmpinError({
    code: 'UMPIN_VALUE_INVALID',
    field: 'Cursor',
    params: { field: 'Cursor', rule: 'it must be the next value of an earlier page' },
  });
}
