import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/fixtures.js';
import { opathBody, opathComparisons, parseOpathFilter, parseWildcard } from './opath-filter.js';

const cmp = (property: string, operator: string, value: string | boolean | null) => ({
  kind: 'compare',
  property,
  operator,
  value,
});

describe('OPATH -Filter grammar', () => {
  it('reads the operators Exchange documents, in any letter case, and the i-forms', () => {
    for (const op of ['eq', 'ne', 'like', 'notlike', 'gt', 'lt', 'ge', 'le']) {
      expect(parseOpathFilter(`Name -${op.toUpperCase()} 'x'`)).toEqual(cmp('Name', op, 'x'));
    }
    expect(parseOpathFilter("Name -ieq 'x'")).toEqual(cmp('Name', 'eq', 'x'));
  });

  it('takes $true, $false, $null, bare words and both quote styles', () => {
    expect(parseOpathFilter('UMEnabled -eq $true')).toEqual(cmp('UMEnabled', 'eq', true));
    expect(parseOpathFilter('UMEnabled -eq $FALSE')).toEqual(cmp('UMEnabled', 'eq', false));
    expect(parseOpathFilter('SIPResourceIdentifier -eq $null')).toEqual(cmp('SIPResourceIdentifier', 'eq', null));
    expect(parseOpathFilter('Extensions -eq 10231')).toEqual(cmp('Extensions', 'eq', '10231'));
    expect(parseOpathFilter('Name -eq "Tony Smith"')).toEqual(cmp('Name', 'eq', 'Tony Smith'));
    expect(parseOpathFilter("Name -eq 'O''Brien'")).toEqual(cmp('Name', 'eq', "O'Brien"));
    expect(parseOpathFilter('Name -eq "say ""hi"""')).toEqual(cmp('Name', 'eq', 'say "hi"'));
    expect(parseOpathFilter('Name -eq \u2018typographic\u2019')).toEqual(cmp('Name', 'eq', 'typographic'));
    // the scriptblock form Exchange also accepts
    expect(parseOpathFilter('{ LockedOut -eq $true }')).toEqual(cmp('LockedOut', 'eq', true));
    expect(opathBody(' { LockedOut -eq $true } ')).toBe('LockedOut -eq $true');
  });

  it('combines with -and, -or, -not and parentheses, -and binding tighter than -or', () => {
    const [x, y, z] = [cmp('Name', 'eq', 'x'), cmp('Name', 'eq', 'y'), cmp('UMEnabled', 'eq', true)];
    expect(parseOpathFilter("Name -eq 'x' -and Name -eq 'y' -or UMEnabled -eq $true")).toEqual({
      kind: 'or',
      left: { kind: 'and', left: x, right: y },
      right: z,
    });
    expect(parseOpathFilter("Name -eq 'x' -and (Name -eq 'y' -or UMEnabled -eq $true)")).toEqual({
      kind: 'and',
      left: x,
      right: { kind: 'or', left: y, right: z },
    });
    expect(parseOpathFilter("-not Name -eq 'x'")).toEqual({ kind: 'not', operand: x });
    expect(parseOpathFilter("!(Name -eq 'x')")).toEqual({ kind: 'not', operand: x });
    expect(opathComparisons(parseOpathFilter("Name -eq 'x' -and -not (Name -eq 'y' -or UMEnabled -eq $true)"))).toEqual(
      [x, y, z],
    );
  });

  it.each([
    ['', 'empty'],
    ['{ }', 'empty'],
    ['Name', 'no comparison operator'],
    ['Name -eq', 'value expected'],
    ["Name -match 'x'", '-match'],
    ["Name -eq 'x", 'no closing quote'],
    ["(Name -eq 'x'", 'not closed'],
    ["Name -eq 'x')", 'unexpected'],
    ["Name -eq 'x' -and", 'missing at the end'],
    ['Name -eq Contoso Default Policy', 'unexpected "Default"'],
    ['Name -eq $User', '$User'],
    ["-eq 'x'", 'property name expected'],
  ])('refuses %j, naming the problem', (filter, problem) => {
    const err = thrown(() => parseOpathFilter(filter));
    expect(err.code).toBe('UMPIN_VALUE_INVALID');
    expect(err.field).toBe('Filter');
    expect(err.message).toContain(problem);
  });

  it('reads -like patterns as * and ? with backtick escapes, and refuses character sets', () => {
    expect(parseWildcard('eum:102*')).toEqual([{ kind: 'text', text: 'eum:102' }, { kind: 'any' }]);
    expect(parseWildcard('T?ny*h')).toEqual([
      { kind: 'text', text: 'T' },
      { kind: 'one' },
      { kind: 'text', text: 'ny' },
      { kind: 'any' },
      { kind: 'text', text: 'h' },
    ]);
    expect(parseWildcard('100`%`*`[')).toEqual([{ kind: 'text', text: '100%*[' }]);
    const err = thrown(() => parseWildcard('10[0-4]*'));
    expect(err).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'Filter' });
    expect(err.message).toContain('character set');
  });
});
