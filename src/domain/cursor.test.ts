import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('cursors', () => {
  it('give back the key they were made from', () => {
    expect(decodeCursor(encodeCursor(['Tony Smith', 'c0ffee']), 2)).toEqual(['Tony Smith', 'c0ffee']);
    expect(decodeCursor(encodeCursor(['42']), 1)).toEqual(['42']);
  });

  it('refuse anything else with one error naming Cursor: garbage, another shape, another list', () => {
    for (const [cursor, parts] of [
      ['nonsense', 1],
      ['', 1],
      [encodeCursor(['a', 'b']), 1],
      [Buffer.from('{"k":"x"}').toString('base64url'), 1],
      [Buffer.from('[1,2]').toString('base64url'), 2],
    ] as const) {
      expect(() => decodeCursor(cursor, parts)).toThrow(
        expect.objectContaining({
          code: 'UMPIN_VALUE_INVALID',
          field: 'Cursor',
          params: { field: 'Cursor', rule: 'it must be the next value of an earlier page' },
        }),
      );
    }
  });
});
