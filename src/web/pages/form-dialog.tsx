/**
 * A small form in a native dialog: "Remove …?" before an irreversible action, or the few
 * fields a new object needs. A refusal from the server (an object still in use, a value out
 * of range, a role that may not) is shown in the dialog in the catalog's words; Cancel or
 * Esc closes it and the caller returns focus.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api.js';
import { t } from '../i18n.js';

export function FormDialog({
  title,
  text,
  confirmLabel,
  children,
  onConfirm,
  onClose,
}: {
  title: string;
  text?: string;
  confirmLabel: string;
  children?: ComponentChildren;
  /** the action, given the form's fields; the dialog stays open to show its error if it throws */
  onConfirm: (fields: FormData) => Promise<void>;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
    return () => dialog.current?.close();
  }, []);

  // closed before the caller hears of it, so the caller can move focus back to its button
  const close = () => {
    dialog.current?.close();
    onClose();
  };

  const confirm = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(new FormData(e.currentTarget as HTMLFormElement));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby="confirm-title"
      aria-describedby={text ? 'confirm-text' : undefined}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <form onSubmit={(e) => void confirm(e)}>
        <h2 id="confirm-title">{title}</h2>
        {text && <p id="confirm-text">{text}</p>}
        {children}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {confirmLabel}
          </button>
          <button type="button" onClick={close}>
            {t('org.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
