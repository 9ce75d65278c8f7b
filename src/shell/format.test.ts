import { describe, expect, it } from 'vitest';
import { formatList, formatOutput, formatTable } from './format.js';
import { psObject } from './ps-object.js';

const pins = [
  psObject('UMMailboxPin', {
    UserID: 'tonysmith@contoso.com',
    PinExpired: true,
    FirstTimeUser: true,
    LockedOut: false,
    Identity: 'x',
  }),
  psObject('UMMailboxPin', {
    UserID: 'kimakers@contoso.com',
    PinExpired: false,
    FirstTimeUser: false,
    LockedOut: true,
    Identity: 'y',
  }),
];

describe('output formatting', () => {
  it('draws tables with dashed headers, columns as wide as their content', () => {
    expect(formatTable(pins, ['UserID', 'PinExpired', 'FirstTimeUser', 'LockedOut'])).toBe(
      [
        '',
        'UserID                PinExpired FirstTimeUser LockedOut',
        '------                ---------- ------------- ---------',
        'tonysmith@contoso.com True       True          False',
        'kimakers@contoso.com  False      False         True',
        '',
      ].join('\n'),
    );
  });

  it('cuts the widest columns to fit a narrow terminal', () => {
    const text = formatTable(pins, ['UserID', 'PinExpired'], { width: 20 });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(19);
    expect(text).toContain('…');
  });

  it('lists properties with aligned colons', () => {
    expect(formatList([pins[0]!], ['UserID', 'LockedOut'])).toBe(
      '\nUserID    : tonysmith@contoso.com\nLockedOut : False\n',
    );
  });

  it("uses the type's default view, and lists objects with many properties", () => {
    const view = { kind: 'table' as const, properties: ['UserID', 'LockedOut'] };
    expect(formatOutput(pins, (t) => (t === 'UMMailboxPin' ? view : undefined))).not.toContain('Identity');
    expect(formatOutput(pins, () => undefined)).toContain('Identity      : x');
    expect(formatOutput(['a', 1, true], () => undefined)).toBe('a\n1\nTrue');
  });
});
