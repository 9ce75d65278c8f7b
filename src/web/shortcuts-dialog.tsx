/** The `?` dialog: every keyboard shortcut of the admin center, from the one table in shortcuts.ts. */
import { useEffect, useRef } from 'preact/hooks';
import { t } from './i18n.js';
import { SHORTCUTS, shortcutsHelpOpen } from './shortcuts.js';

const keyName = (k: string) => (k === 'space' ? t('list.keys.space') : k === 'click' ? t('list.keys.click') : k);

export function ShortcutsDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  // focus goes back where it was when the dialog opened
  const before = useRef<Element | null>(null);
  useEffect(() => {
    before.current = document.activeElement;
    dialog.current?.showModal();
    return () => dialog.current?.close();
  }, []);
  const close = () => {
    dialog.current?.close();
    shortcutsHelpOpen.value = false;
    if (before.current instanceof HTMLElement) before.current.focus();
  };
  return (
    <dialog
      ref={dialog}
      class="shortcuts"
      aria-labelledby="shortcuts-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <h2 id="shortcuts-title">{t('list.shortcuts.title')}</h2>
      <table class="keys-table">
        <thead>
          <tr>
            <th scope="col">{t('list.shortcuts.key')}</th>
            <th scope="col">{t('list.shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.label}>
              <td>
                {s.keys.map((combo, i) => (
                  <span key={combo.join('+')} class="combo">
                    {i > 0 && ' '}
                    {combo.map((k, j) => (
                      <span key={k}>
                        {j > 0 && '+'}
                        <kbd>{keyName(k)}</kbd>
                      </span>
                    ))}
                  </span>
                ))}
              </td>
              <td>{t(s.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">{t('list.shortcuts.note')}</p>
      <div class="buttons">
        <button type="button" class="primary" onClick={close}>
          {t('list.shortcuts.done')}
        </button>
      </div>
    </dialog>
  );
}
