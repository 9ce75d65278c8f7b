import { describe, expect, it } from 'vitest';
import { isTyping, shortcutOf, SHORTCUTS } from './shortcuts.js';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});
const page = { typing: false, dialogOpen: false };

describe('keyboard shortcuts', () => {
  it('letters act on the page: / search, r reset, u unlock, ? help', () => {
    expect(shortcutOf(key('/'), page)).toBe('search');
    expect(shortcutOf(key('r'), page)).toBe('reset');
    expect(shortcutOf(key('u'), page)).toBe('unlock');
    expect(shortcutOf(key('?'), page)).toBe('help');
    expect(shortcutOf(key('x'), page)).toBeNull();
    // R (Shift) is not r: a shortcut is one key
    expect(shortcutOf(key('R'), page)).toBeNull();
  });

  it('letters are text while typing in a field, and leave the browser its own Ctrl/Alt/Cmd keys', () => {
    for (const k of ['/', 'r', 'u', '?']) expect(shortcutOf(key(k), { ...page, typing: true })).toBeNull();
    expect(shortcutOf(key('r', { ctrlKey: true }), page)).toBeNull();
    expect(shortcutOf(key('r', { metaKey: true }), page)).toBeNull();
    expect(shortcutOf(key('u', { altKey: true }), page)).toBeNull();
  });

  it('an open dialog takes no letter; Ctrl/Cmd+Enter submits it, its Esc is the browser’s', () => {
    const dialog = { typing: true, dialogOpen: true };
    expect(shortcutOf(key('r'), { ...dialog, typing: false })).toBeNull();
    expect(shortcutOf(key('Enter', { ctrlKey: true }), dialog)).toBe('submit');
    expect(shortcutOf(key('Enter', { metaKey: true }), dialog)).toBe('submit');
    expect(shortcutOf(key('Enter'), dialog)).toBeNull();
    expect(shortcutOf(key('Escape'), dialog)).toBeNull();
  });

  it('Esc closes a pane even from a field; Ctrl+Enter without a dialog does nothing', () => {
    expect(shortcutOf(key('Escape'), { ...page, typing: true })).toBe('close');
    expect(shortcutOf(key('Enter', { ctrlKey: true }), page)).toBeNull();
    // in a settings form it saves the form, from a text area too
    expect(shortcutOf(key('Enter', { ctrlKey: true }), { typing: true, dialogOpen: false, inForm: true })).toBe(
      'submit',
    );
  });

  it('knows what typing is', () => {
    expect(isTyping({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTyping({ tagName: 'INPUT', type: 'password' })).toBe(true);
    expect(isTyping({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTyping({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTyping({ tagName: 'SELECT' })).toBe(true);
    expect(isTyping({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTyping({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTyping({ tagName: 'TR' })).toBe(false);
    expect(isTyping(null)).toBe(false);
  });

  it('the help lists every shortcut that acts', () => {
    const listed = SHORTCUTS.flatMap((s) => s.keys.map((k) => k.join('+')));
    for (const k of ['/', 'r', 'u', '?', 'Esc', 'Ctrl+Enter', 'Enter', 'space', 'Shift+↓']) expect(listed).toContain(k);
  });
});
