/**
 * The admin center's keyboard shortcuts, in one place: which key does what, the rules that
 * keep them out of the way (letters do nothing while typing in a field, with Ctrl/Alt/Cmd, or
 * while a dialog is open; Esc and Ctrl+Enter work everywhere), and the handlers the pages
 * register for the actions that are theirs. The `?` dialog lists this same table.
 */
import { signal } from '@preact/signals';
import type { MessageKey } from './messages/en.js';

export type ShortcutAction = 'search' | 'reset' | 'unlock' | 'close' | 'submit' | 'help';

export interface Shortcut {
  /** the keys as shown: key names are the same in every language, except `space` and `click` */
  keys: readonly (string | 'space' | 'click')[][];
  label: MessageKey;
}

/** What the `?` dialog shows, in order: the list's own keys, then the global shortcuts. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: [['/']], label: 'list.shortcuts.search' },
  { keys: [['↑'], ['↓'], ['Home'], ['End'], ['PageUp'], ['PageDown']], label: 'list.shortcuts.move' },
  {
    keys: [
      ['Shift', '↑'],
      ['Shift', '↓'],
      ['Shift', 'click'],
    ],
    label: 'list.shortcuts.extend',
  },
  { keys: [['space'], ['Ctrl', 'click']], label: 'list.shortcuts.toggle' },
  { keys: [['Enter']], label: 'list.shortcuts.open' },
  { keys: [['r']], label: 'list.shortcuts.reset' },
  { keys: [['u']], label: 'list.shortcuts.unlock' },
  { keys: [['Ctrl', 'Enter']], label: 'list.shortcuts.submit' },
  { keys: [['Esc']], label: 'list.shortcuts.close' },
  { keys: [['?']], label: 'list.shortcuts.help' },
];

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export interface KeyContext {
  /** the key went to a text field, a list box or an editable element */
  typing: boolean;
  /** a modal dialog is open */
  dialogOpen: boolean;
  /** the key went to a field of a form (a settings page's): Ctrl+Enter saves it */
  inForm?: boolean;
}

const LETTERS: Readonly<Record<string, ShortcutAction>> = { '/': 'search', r: 'reset', u: 'unlock', '?': 'help' };

/** The action a key press means here, or null for a key that is not a shortcut here. */
export function shortcutOf(e: KeyPress, ctx: KeyContext): ShortcutAction | null {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey) return ctx.dialogOpen || ctx.inForm ? 'submit' : null;
  // a dialog's Esc is the browser's own (it cancels the dialog and returns focus)
  if (e.key === 'Escape') return ctx.dialogOpen ? null : 'close';
  if (e.ctrlKey || e.metaKey || e.altKey || ctx.typing || ctx.dialogOpen) return null;
  return LETTERS[e.key] ?? null;
}

const NOT_TYPED = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'image', 'range', 'color']);

/** Whether a key press at this element is someone typing (then letters are text, not shortcuts). */
export function isTyping(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as { tagName?: string; type?: string; isContentEditable?: boolean };
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  return el.tagName === 'INPUT' && !NOT_TYPED.has(el.type ?? 'text');
}

/** Whether the `?` dialog is open (the frame renders it). */
export const shortcutsHelpOpen = signal(false);

/** A page's handler: false when it did nothing, so the key keeps its usual effect. */
type Handler = () => unknown;
const handlers = new Map<ShortcutAction, Handler>();

/** A page takes an action while it is shown: returns what removes it again. */
export function onShortcut(action: ShortcutAction, handler: Handler): () => void {
  handlers.set(action, handler);
  return () => {
    if (handlers.get(action) === handler) handlers.delete(action);
  };
}

/** Listens on the document for the whole admin center: returns what stops listening. */
export function installShortcuts(doc: Document): () => void {
  const listener = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    const dialog = doc.querySelector('dialog[open]');
    // the open dialog's form, else the form the key was pressed in (a text area's too, where Enter is a new line)
    const form =
      dialog?.querySelector('form') ?? (e.target instanceof Element ? e.target.closest('form') : null) ?? null;
    const action = shortcutOf(e, { typing: isTyping(e.target), dialogOpen: dialog !== null, inForm: form !== null });
    if (!action) return;
    if (action === 'submit') {
      if (!form) return;
      e.preventDefault();
      form.requestSubmit();
      return;
    }
    if (action === 'help') {
      e.preventDefault();
      shortcutsHelpOpen.value = true;
      return;
    }
    const handler = handlers.get(action);
    if (handler && handler() !== false) e.preventDefault();
  };
  doc.addEventListener('keydown', listener);
  return () => doc.removeEventListener('keydown', listener);
}
