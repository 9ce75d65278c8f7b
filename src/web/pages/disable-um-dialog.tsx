/**
 * Disable-UMMailbox, confirmed first: the PIN data goes, the extensions are freed, the mailbox
 * stays; the UM settings are kept for re-enabling unless the box is cleared (KeepProperties).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { t } from '../i18n.js';
import { umMailboxUrl } from '../paths.js';

export function DisableUmDialog({
  identity,
  name,
  onDone,
}: {
  identity: string;
  name: string;
  /** true once disabled, false when cancelled */
  onDone(disabled: boolean): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Exchange's default: -KeepProperties $true
  const [keep, setKeep] = useState(true);

  useEffect(() => {
    dialog.current?.showModal();
    // the safe choice has the focus, as in a confirmation it should
    cancelButton.current?.focus();
    return () => dialog.current?.close();
  }, []);

  const finish = (disabled: boolean) => {
    dialog.current?.close();
    onDone(disabled);
  };

  const disable = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('DELETE', `${umMailboxUrl(identity)}?keepProperties=${keep}`);
      finish(true);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby="disable-um-title"
      aria-describedby="disable-um-text"
      onCancel={(e) => {
        e.preventDefault();
        finish(false);
      }}
    >
      <h2 id="disable-um-title">{t('um.disableTitle')}</h2>
      <p id="disable-um-text">{t('um.disableText', { name })}</p>
      <label class="choice">
        <input
          type="checkbox"
          name="keep-properties"
          checked={keep}
          aria-describedby="disable-um-keep-hint"
          onChange={(e) => setKeep(e.currentTarget.checked)}
        />
        {t('um.disableKeep')}
      </label>
      <p id="disable-um-keep-hint" class="hint">
        {t('um.disableKeepHint')}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="buttons">
        <button type="button" class="primary" disabled={busy} onClick={() => void disable()}>
          {t('um.disableConfirm')}
        </button>
        <button type="button" ref={cancelButton} onClick={() => finish(false)}>
          {t('um.cancel')}
        </button>
      </div>
    </dialog>
  );
}
