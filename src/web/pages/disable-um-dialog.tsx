/** Disable-UMMailbox, confirmed first: the PIN data and extensions go, the mailbox stays. */
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
      await api('DELETE', umMailboxUrl(identity));
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
