import { describe, expect, it } from 'vitest';
import { thrown } from '../../../../test/fixtures.js';
import { psObject } from '../../ps-object.js';
import { parseOpathFilter } from './opath-filter.js';

const tony = psObject('UMMailbox', {
  Name: 'Tony Smith',
  UMEnabled: true,
  Extensions: ['10231', '10299'],
  UMMailboxPolicy: 'Contoso Default Policy',
  SIPResourceIdentifier: null,
  PinAge: 12,
  WhenUMEnabled: new Date(Date.UTC(2026, 10, 25)),
});

const matches = (filter: string): boolean => parseOpathFilter(filter).matches(tony);

describe('OPATH -Filter', () => {
  it('compares with the operators Exchange documents, case-insensitively', () => {
    expect(matches("UMMailboxPolicy -eq 'Contoso Default Policy'")).toBe(true);
    expect(matches("ummailboxpolicy -EQ 'contoso default policy'")).toBe(true);
    expect(matches("UMMailboxPolicy -ne 'Contoso Default Policy'")).toBe(false);
    expect(matches("Name -like 'tony*'")).toBe(true);
    expect(matches("Name -like 'T?ny S*h'")).toBe(true);
    expect(matches("Name -notlike '*smith'")).toBe(false);
    expect(matches("Name -gt 'Kim'")).toBe(true);
    expect(matches("Name -lt 'Kim'")).toBe(false);
    expect(matches('PinAge -ge 12')).toBe(true);
    expect(matches('PinAge -le 11')).toBe(false);
    expect(matches('PinAge -gt 9')).toBe(true); // numbers compare as numbers, not as text
    expect(matches("WhenUMEnabled -lt '2026-12-01'")).toBe(true);
  });

  it('takes $true, $false, $null, bare words and both quote styles', () => {
    expect(matches('UMEnabled -eq $true')).toBe(true);
    expect(matches('UMEnabled -eq $false')).toBe(false);
    expect(matches('UMEnabled -eq true')).toBe(true);
    expect(matches('SIPResourceIdentifier -eq $null')).toBe(true);
    expect(matches('Name -ne $null')).toBe(true);
    expect(matches('Extensions -eq 10231')).toBe(true);
    expect(matches('Name -eq "Tony Smith"')).toBe(true);
    expect(parseOpathFilter("Name -eq 'O''Brien'").matches(psObject('UMMailbox', { Name: "O'Brien" }))).toBe(true);
    expect(parseOpathFilter('Name -eq "say ""hi"""').matches(psObject('UMMailbox', { Name: 'say "hi"' }))).toBe(true);
    // the scriptblock form Exchange also accepts
    expect(matches('{ UMEnabled -eq $true }')).toBe(true);
  });

  it('a multi-valued property matches when any value does; -ne and -notlike when none does', () => {
    expect(matches("Extensions -eq '10299'")).toBe(true);
    expect(matches("Extensions -ne '10299'")).toBe(false);
    expect(matches("Extensions -like '102*'")).toBe(true);
    expect(matches("Extensions -notlike '999*'")).toBe(true);
  });

  it('combines with -and, -or, -not and parentheses, -and binding tighter than -or', () => {
    expect(matches("UMEnabled -eq $true -and Name -like 'Tony*'")).toBe(true);
    expect(matches("UMEnabled -eq $false -or Name -like 'Tony*'")).toBe(true);
    expect(matches("Name -eq 'x' -and Name -eq 'y' -or UMEnabled -eq $true")).toBe(true);
    expect(matches("Name -eq 'x' -and (Name -eq 'y' -or UMEnabled -eq $true)")).toBe(false);
    expect(matches("-not (Name -like 'Kim*')")).toBe(true);
    expect(matches("-not Name -like 'Tony*'")).toBe(false);
    expect(matches("!(UMEnabled -eq $true)")).toBe(false);
  });

  it('an unknown property matches nothing, unless the caller names the properties: then it is refused', () => {
    expect(matches("Department -eq 'Sales'")).toBe(false);
    const err = thrown(() => parseOpathFilter("Departmnet -eq 'Sales'", { properties: ['Name', 'UMEnabled'] }));
    expect(err.code).toBe('UMPIN_VALUE_INVALID');
    expect(err.field).toBe('Filter');
    expect(err.message).toContain('Departmnet');
    expect(err.message).toContain('Name, UMEnabled');
  });

  it.each([
    ['', 'empty'],
    ['Name', 'no comparison operator'],
    ["Name -eq", 'value expected'],
    ["Name -match 'x'", '-match'],
    ["Name -eq 'x", 'no closing quote'],
    ["(Name -eq 'x'", 'not closed'],
    ["Name -eq 'x')", 'unexpected'],
    ["Name -eq 'x' -and", 'missing at the end'],
    ["Name -eq Contoso Default Policy", 'unexpected "Default"'],
    ['Name -eq $User', '$User'],
    ["-eq 'x'", 'property name expected'],
  ])('refuses %j, naming the problem', (filter, problem) => {
    const err = thrown(() => parseOpathFilter(filter));
    expect(err.code).toBe('UMPIN_VALUE_INVALID');
    expect(err.field).toBe('Filter');
    expect(err.message).toContain(problem);
  });
});
