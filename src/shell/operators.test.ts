import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/fixtures.js';
import {
  arithmetic,
  callMethod,
  cast,
  format,
  formatDateCustom,
  index,
  MAX_RANGE,
  range,
  replace,
  split,
} from './operators.js';
import { Hashtable } from './values.js';

describe('operators', () => {
  it('computes as PowerShell does', () => {
    expect(arithmetic('/', 7, 2)).toBe(3.5);
    expect(arithmetic('-', '10', 4)).toBe(6);
    expect(arithmetic('*', 'ab', 3)).toBe('ababab');
    expect(arithmetic('*', [1, 2], 2)).toEqual([1, 2, 1, 2]);
    expect(thrown(() => arithmetic('/', 1, 0)).params.rule).toBe('Attempted to divide by zero');
    expect(thrown(() => arithmetic('-', 'abc', 1)).code).toBe('UMPIN_SHELL_RUNTIME_ERROR');
  });

  it('makes ranges both ways, and refuses huge ones', () => {
    expect(range(3, 1)).toEqual([3, 2, 1]);
    expect(range(1, 1)).toEqual([1]);
    expect(thrown(() => range(1, MAX_RANGE + 1)).code).toBe('UMPIN_SHELL_RUNTIME_ERROR');
  });

  it('formats with -f as .NET does', () => {
    expect(format('{0,-5}|{1,3}|{{x}}', ['ab', 7])).toBe('ab   |  7|{x}');
    expect(format('{0:N0} {0:N2} {1:D4} {2:X} {3:0000}', [1234567.891, 42, 255, 7])).toBe(
      '1,234,568 1,234,567.89 0042 FF 0007',
    );
    expect(thrown(() => format('{1}', ['a'])).params.rule).toMatch(/only 1 values follow -f/);
    expect(formatDateCustom(new Date(2026, 10, 5, 14, 7, 9), 'yyyy-MM-dd HH:mm:ss ddd MMM h tt')).toBe(
      '2026-11-05 14:07:09 Thu Nov 2 PM',
    );
  });

  it('splits, joins and replaces with regular expressions', () => {
    expect(split('a1b22c', '\\d+', false)).toEqual(['a', 'b', 'c']);
    expect(split('a,b,c,d', [',', 2], false)).toEqual(['a', 'b,c,d']);
    expect(split('  a  b ', undefined, false)).toEqual(['a', 'b']);
    expect(replace(['Ab', 'ab'], ['a', 'x'], false)).toEqual(['xb', 'xb']);
    expect(replace('Ab', ['a', 'x'], true)).toBe('Ab');
  });

  it('casts, rounding half to even', () => {
    expect([cast('int', 2.5), cast('int', 3.5), cast('int', '-2.5')]).toEqual([2, 4, -2]);
    expect(cast('string[]', [1, true])).toEqual(['1', 'True']);
    expect(thrown(() => cast('int', 'x')).code).toBe('UMPIN_SHELL_RUNTIME_ERROR');
    expect(thrown(() => cast('securestring', '1234')).code).toBe('UMPIN_SHELL_RUNTIME_ERROR');
  });

  it('indexes lists, strings and hashtables', () => {
    const h = new Hashtable();
    h.set('Key', 1);
    expect([index([1, 2, 3], -1), index('abc', 1), index(h, 'KEY'), index([1], 5)]).toEqual([3, 'b', 1, null]);
    expect(thrown(() => index(null, 0)).code).toBe('UMPIN_SHELL_RUNTIME_ERROR');
  });

  it('runs only the listed methods', () => {
    expect(callMethod('  a,b ', 'Trim', [])).toBe('a,b');
    expect(callMethod('a,b;c', 'Split', [',;'])).toEqual(['a,b;c']);
    expect(callMethod('a,b;c', 'Split', [','])).toEqual(['a', 'b;c']);
    expect(callMethod(['A', 'B'], 'ToLower', [])).toEqual(['a', 'b']);
    expect(callMethod(5, 'ToString', ['D3'])).toBe('005');
    expect(thrown(() => callMethod('abc', 'Substring', [2, 5])).code).toBe('UMPIN_SHELL_RUNTIME_ERROR');
    expect(thrown(() => callMethod(null, 'Trim', [])).params.rule).toMatch(/null-valued/);
  });
});
