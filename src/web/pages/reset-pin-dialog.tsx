/**
 * Reset PIN, with the options and defaults of the Exchange admin center: a generated PIN (on)
 * or a typed one, and "require the user to reset their PIN" (on). The typed PIN lives only in
 * its field, which is emptied after every Save; the answer names where the mail went, never the PIN.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../api.js';
import type { SetPinInput, SetPinOutcome } from '../api-types.js';
import { t } from '../i18n.js';
import { pinUrl } from '../paths.js';

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
  const [pinError, setPinError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
    return () => dialog.current?.close();
  }, []);
  useEffect(() => {
    if (typed) pinField.current?.focus();
  }, [typed]);

  // closed before the page hears of it, so the page can move focus back to its Reset PIN button
  const finish = (outcome: SetPinOutcome | null) => {
    dialog.current?.close();
    onDone(outcome);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const body: SetPinInput = { pinExpired };
    if (typed) body.pin = pinField.current?.value ?? '';
    // the PIN leaves the page's DOM as soon as it is on its way
    if (pinField.current) pinField.current.value = '';
    setBusy(true);
    setPinError(null);
    setError(null);
    try {
      finish(await api<SetPinOutcome>('POST', pinUrl(identity), body));
    } catch (err) {
      if (typed && err instanceof ApiError && err.status === 422) {
        setPinError(err.text());
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
        <fieldset>
          <legend>{t('resetPin.options')}</legend>
          <label class="choice">
            <input type="radio" name="pin-choice" checked={!typed} onChange={() => setTyped(false)} />
            {t('resetPin.generate')}
          </label>
          <label class="choice">
            <input type="radio" name="pin-choice" checked={typed} onChange={() => setTyped(true)} />
            {t('resetPin.type')}
          </label>
          {typed && (
            <div class="field">
              <label for="reset-pin-value">{t('resetPin.pin')}</label>
              <input
                id="reset-pin-value"
                class="pin"
                ref={pinField}
                type="password"
                inputMode="numeric"
                autocomplete="off"
                required
                aria-invalid={pinError ? true : undefined}
                aria-describedby={pinError ? 'reset-pin-error' : undefined}
                onInput={() => setPinError(null)}
              />
              {pinError && (
                <p id="reset-pin-error" class="error" role="alert">
                  {pinError}
                </p>
              )}
            </div>
          )}
        </fieldset>
        <label class="choice">
          <input
            type="checkbox"
            checked={pinExpired}
            onChange={(e) => setPinExpired((e.currentTarget as HTMLInputElement).checked)}
          />
          {t('resetPin.requireReset')}
        </label>
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
