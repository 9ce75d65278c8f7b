/** The save shortcut of the settings pages. */
/**
 * Ctrl+Enter (⌘+Enter) saves a form from any of its fields, text areas too,
 * where Enter alone makes a new line.
 */
export function saveOnCtrlEnter(e: KeyboardEvent): void {
  if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
  e.preventDefault();
  (e.currentTarget as HTMLFormElement).requestSubmit();
}
