/**
 * Reset PIN, with the options and defaults of the Exchange admin center: a generated PIN (on)
 * or a typed one, and "require the user to reset their PIN" (on). A typed PIN is checked
 * against the mailbox's policy as it is typed (pin-check.ts); Save still sends it and the
 * server decides. The PIN lives only in its field, which is emptied after every Save; the
 * answer names where the mail went, never the PIN.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../api.js';
import type { SetPinInput, SetPinOutcome } from '../api-types.js';
import { t } from '../i18n.js';
import { mailboxPinCheckUrl, pinUrl } from '../paths.js';
import { usePinCheck } from './pin-check.js';
import { PinOptions } from './pin-options.js';

export function ResetPinDialog({
  identity,
  onDone,
}: {
  identity: string;
  /** the outcome after Save, or null when cancelled */
  onDone: (outcome: SetPinOutcome | null) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const pinField = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState(false);
  const [pinExpired, setPinExpired] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const check = usePinCheck(mailboxPinCheckUrl(identity));

  useEffect(() => {
    dialog.current?.showModal();
    return () => dialog.current?.close();
  }, []);

  // closed before the page hears of it, so the page can move focus back to its Reset PIN button
  const finish = (outcome: SetPinOutcome | null) => {
    check.cancel();
    dialog.current?.close();
    onDone(outcome);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    // a check still under way answers for a PIN that is being saved: the server's answer counts now
    check.cancel();
    const body: SetPinInput = { pinExpired };
    if (typed) body.pin = pinField.current?.value ?? '';
    // the PIN leaves the page's DOM as soon as it is on its way
    if (pinField.current) pinField.current.value = '';
    setBusy(true);
    check.setRefusal(null);
    setError(null);
    try {
      finish(await api<SetPinOutcome>('POST', pinUrl(identity), body));
    } catch (err) {
      if (typed && err instanceof ApiError && err.status === 422) {
        check.setRefusal(err);
        pinField.current?.focus();
      } else setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby="reset-pin-title"
      onCancel={(e) => {
        e.preventDefault();
        finish(null);
      }}
    >
      <form onSubmit={(e) => void save(e)}>
        <h2 id="reset-pin-title">{t('resetPin.title')}</h2>
        <PinOptions
          idPrefix="reset"
          typed={typed}
          onTyped={setTyped}
          pinExpired={pinExpired}
          onPinExpired={setPinExpired}
          check={check}
          pinField={pinField}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('resetPin.saving') : t('resetPin.save')}
          </button>
          <button type="button" onClick={() => finish(null)}>
            {t('resetPin.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
