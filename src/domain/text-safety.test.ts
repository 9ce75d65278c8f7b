import { describe, expect, it } from 'vitest';
import { messageFor } from './errors.js';
import { renderIssue } from './error-messages.js';
import { checkSafeText, unsafeCharacter } from './text-safety.js';

describe('characters a name or a text may not hold', () => {
  it.each([
    ['NUL', 'Tony\u0000Smith', 'U+0000'],
    ['ESC (a terminal escape)', 'Tony\u001b]0;owned\u0007', 'U+001B'],
    ['a newline, in a name', 'Tony\nSmith', 'U+000A'],
    ['a tab, in a name', 'Tony\tSmith', 'U+0009'],
    ['DEL', 'Tony\u007f', 'U+007F'],
    ['the 8-bit CSI (C1)', 'Tony\u009b2J', 'U+009B'],
  ])('refuses %s in a name as a control character', (_, value, character) => {
    expect(unsafeCharacter(value, 'name')).toEqual({ character, kind: 'control' });
  });

  it('refuses a lone surrogate (which would read back as U+FFFD) in names and texts, and keeps a pair', () => {
    expect(unsafeCharacter('Tony \ud83d', 'name')).toEqual({ character: 'U+D83D', kind: 'surrogate' });
    expect(unsafeCharacter('\ude00 text', 'text')).toEqual({ character: 'U+DE00', kind: 'surrogate' });
    expect(unsafeCharacter('Tony 😀', 'name')).toBeNull();
  });

  it.each([
    ['a right-to-left override', 'Tony\u202eSmith', 'U+202E'],
    ['a left-to-right embedding', '\u202aTony', 'U+202A'],
    ['an isolate', 'Tony\u2066Smith\u2069', 'U+2066'],
    ['a zero-width space', 'To\u200bny', 'U+200B'],
    ['a word joiner', 'To\u2060ny', 'U+2060'],
    ['a BOM', '\ufeffTony', 'U+FEFF'],
  ])('refuses %s in a name: it reorders or hides text', (_, value, character) => {
    expect(unsafeCharacter(value, 'name')).toEqual({ character, kind: 'invisible' });
  });

  it('keeps what real names are spelled with: any script, ZWJ and ZWNJ, the LTR and RTL marks', () => {
    for (const name of [
      '東尼 史密斯',
      'Zoë Ğürsoy',
      'می\u200cخواهم',
      'क्\u200dष',
      'דני\u200f (Dani)',
      'Anna-Lena O’Brien',
    ])
      expect(unsafeCharacter(name, 'name')).toBeNull();
  });

  it('lets a text keep its line breaks and tabs, and its bidi marks, but not other controls', () => {
    expect(unsafeCharacter('Line one\r\nLine two\tend\u202e', 'text')).toBeNull();
    expect(unsafeCharacter('Bell\u0007', 'text')).toEqual({ character: 'U+0007', kind: 'control' });
  });

  it('names the field and the rule, in English and Traditional Chinese', () => {
    const issue = checkSafeText('DisplayName', 'Tony\u001b[2J', 'name')!;
    expect(messageFor(issue)).toBe('DisplayName must not contain control characters (U+001B found).');
    expect(renderIssue(issue, 'zh-TW')).toBe('DisplayName 不可包含控制字元（發現 U+001B）。');
    expect(messageFor(checkSafeText('Name', 'a\u202eb', 'name')!)).toContain('reorder or hide text');
  });
});
