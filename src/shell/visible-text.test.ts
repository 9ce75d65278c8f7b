import { describe, expect, it } from 'vitest';
import { visibleText } from './visible-text.js';

describe('text the shell prints', () => {
  it('shows the escapes a terminal would obey as PowerShell writes them', () => {
    // a title change, a screen clear and a bell, as an attacker would put them in a sign-in name
    expect(visibleText('tony\u001b]0;owned\u0007\u001b[2J')).toBe('tony`e]0;owned`a`e[2J');
    expect(visibleText('a\u0000b\u0008c\u000bd\u000ce\rf')).toBe('a`0b`bc`vd`fe`rf');
  });

  it('shows other C0, DEL and C1 controls (the 8-bit CSI too) by their code point', () => {
    expect(visibleText('x\u0001\u007f\u0085\u009b31m')).toBe('x`u{1}`u{7f}`u{85}`u{9b}31m');
  });

  it('shows bidi overrides, isolates and zero-width characters, which reorder or hide text', () => {
    expect(visibleText('admin\u202egpj.exe')).toBe('admin`u{202e}gpj.exe');
    expect(visibleText('to\u200bny\u2066x\u2069\ufeff')).toBe('to`u{200b}ny`u{2066}x`u{2069}`u{feff}');
  });

  it('shows a lone surrogate instead of letting it become U+FFFD, and keeps a pair', () => {
    expect(visibleText('a\ud800b\udc00c')).toBe('a`u{d800}b`u{dc00}c');
    expect(visibleText('😀')).toBe('😀');
  });

  it('keeps newlines, tabs and every printable script as they are', () => {
    const text = 'Name\tDisplayName\n東尼 史密斯\tTony Smith — Zoë, ğ, עברית';
    expect(visibleText(text)).toBe(text);
  });
});
