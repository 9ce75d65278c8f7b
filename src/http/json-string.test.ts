import { describe, expect, it } from 'vitest';
import { jsonString } from './json-string.js';

describe('jsonString', () => {
  it('writes every string as JSON.stringify does', () => {
    const samples = [
      '',
      'plain',
      '/api/v1/x?a=',
      'a"b',
      'back\\slash',
      'tab\there',
      'nl\n',
      '\u0000',
      '\u007f',
      'é',
      '語',
      '\ud800',
      '😀',
      "'",
      '</script>',
    ];
    for (let c = 0; c < 0x80; c++) samples.push(`x${String.fromCharCode(c)}y`);
    for (const s of samples) expect(jsonString(s), JSON.stringify(s)).toBe(JSON.stringify(s));
  });

  it('writes null and undefined as null', () => {
    expect(jsonString(null)).toBe('null');
    expect(jsonString(undefined)).toBe('null');
  });
});
