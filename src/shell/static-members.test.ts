import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/fixtures.js';
import { staticMember } from './static-members.js';
import { convertAs, isOfType } from './type-operators.js';
import { Hashtable } from './values.js';

describe('static members', () => {
  it('rounds as .NET does: halves to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, -2.5].map((n) => staticMember('math', 'round', [n]))).toEqual([0, 2, 2, -2]);
    expect(staticMember('math', 'round', [2.125, 2])).toBe(2.12);
    expect(staticMember('math', 'round', [66.666, 1])).toBe(66.7);
  });

  it('reads a date in a fixed format, and refuses text that does not fit it', () => {
    const d = staticMember('datetime', 'parseexact', ['25/11/2026 07:05 PM', 'dd/MM/yyyy hh:mm tt', null]) as Date;
    expect([d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()]).toEqual([
      2026, 11, 25, 19, 5,
    ]);
    expect(thrown(() => staticMember('datetime', 'parseexact', ['2026-02-30', 'yyyy-MM-dd'])).message).toContain(
      'is not a valid date',
    );
    expect(thrown(() => staticMember('datetime', 'parseexact', ['x', 'yyyy'])).code).toBe('UMPIN_SHELL_RUNTIME_ERROR');
  });

  it('parses whole numbers only, and hides long digit runs in its error', () => {
    expect(staticMember('int', 'parse', [' 42 '])).toBe(42);
    const err = thrown(() => staticMember('int', 'parse', ['1985848x']));
    expect(err.message).not.toContain('1985848');
  });

  it('tells empty and blank text apart', () => {
    expect(staticMember('string', 'isnullorempty', [null])).toBe(true);
    expect(staticMember('string', 'isnullorempty', [' '])).toBe(false);
    expect(staticMember('string', 'isnullorwhitespace', [' \t'])).toBe(true);
    expect(staticMember('string', 'join', ['; ', ['a', 1, null]])).toBe('a; 1; ');
  });
});

describe('-is and -as', () => {
  it('knows the types a cast takes', () => {
    expect(isOfType(5, 'int')).toBe(true);
    expect(isOfType(2.5, 'int')).toBe(false);
    expect(isOfType(2.5, 'double')).toBe(true);
    expect(isOfType(['a', 'b'], 'string[]')).toBe(true);
    expect(isOfType(new Hashtable(), 'hashtable')).toBe(true);
    expect(isOfType(null, 'object')).toBe(false);
  });

  it('gives $null where the cast would fail', () => {
    expect(convertAs('int', '7')).toBe(7);
    expect(convertAs('int', 'seven')).toBeNull();
    expect(convertAs('int', null)).toBeNull();
    expect(convertAs('datetime', 'not a date')).toBeNull();
    expect(convertAs('string', 5)).toBe('5');
  });
});
