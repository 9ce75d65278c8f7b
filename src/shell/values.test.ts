import { describe, expect, it } from 'vitest';
import { psObject } from './ps-object.js';
import {
  ArgNumber,
  compare,
  compareValues,
  formatDate,
  isTrue,
  toDisplay,
  toText,
  wildcardToRegExp,
} from './values.js';

describe('PowerShell values', () => {
  it('prints as PowerShell does', () => {
    expect(toText(true)).toBe('True');
    expect(toText(null)).toBe('');
    expect(toText(['a', 1])).toBe('a 1');
    expect(toText(new ArgNumber(123456, '0123456'))).toBe('0123456');
    expect(toDisplay(['10231', '10232'])).toBe('{10231, 10232}');
    expect(formatDate(new Date(2026, 10, 25, 7, 7, 32))).toBe('11/25/2026 7:07:32 AM');
    expect(formatDate(new Date(2026, 10, 25, 0, 5, 0))).toBe('11/25/2026 12:05:00 AM');
    expect(toText(psObject('UMMailbox', { Identity: 'abc', Name: 'Tony' }))).toBe('abc');
  });

  it('tests truth as PowerShell does', () => {
    for (const v of [false, 0, '', null, undefined, []]) expect(isTrue(v), String(v)).toBe(false);
    for (const v of [true, 1, 'False', ['x'], [1, 2], {}]) expect(isTrue(v), String(v)).toBe(true);
    expect(isTrue([0])).toBe(false);
  });

  it("compares case-insensitively, converting the right side to the left side's type", () => {
    expect(compare('eq', 'Contoso', 'CONTOSO')).toBe(true);
    expect(compare('eq', 'Contoso', 'CONTOSO', true)).toBe(false);
    expect(compare('eq', true, 'True')).toBe(true);
    expect(compare('eq', 5, '5')).toBe(true);
    expect(compare('gt', 10, '9')).toBe(true);
    expect(compare('gt', '10', '9')).toBe(false); // text compares as text
    expect(compare('like', 'Contoso Default Policy', 'contoso*')).toBe(true);
    expect(compare('like', 'a.b', 'a?b')).toBe(true);
    expect(compare('like', 'axb', 'a.b')).toBe(false);
    expect(compare('match', 'tonysmith@contoso.com', '@contoso\\.com$')).toBe(true);
    expect(compare('contains', ['10231', '10232'], '10232')).toBe(true);
    expect(compare('in', '10232', ['10231', '10232'])).toBe(true);
    expect(compare('eq', null, null)).toBe(true);
  });

  it('filters arrays on the left, as PowerShell does', () => {
    expect(compare('gt', [1, 2, 3], 1)).toEqual([2, 3]);
    expect(compare('eq', ['a', 'b'], 'B')).toEqual(['b']);
  });

  it('sorts $null first, numbers by value, text without case', () => {
    expect([3, null, 10, 1].sort(compareValues)).toEqual([null, 1, 3, 10]);
    expect(['b', 'A', 'c'].sort(compareValues)).toEqual(['A', 'b', 'c']);
  });

  it('treats wildcard metacharacters of regular expressions literally', () => {
    expect(wildcardToRegExp('a+b*', false).test('a+bcd')).toBe(true);
    expect(wildcardToRegExp('[ab]x', false).test('bx')).toBe(true);
    expect(wildcardToRegExp('(x)', false).test('(x)')).toBe(true);
  });
});
