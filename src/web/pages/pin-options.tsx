/**
 * The PIN options of Reset PIN and of the Enable UM wizard, with Exchange's defaults set by
 * their owners: Automatically generate a PIN (on) or Type a PIN, checked as it is typed;
 * Require the user to reset their PIN the first time they sign in (on). The typed PIN stays
 * in its field (uncontrolled): the owner reads it from `pinField` when it sends it.
 */
import type { Ref } from 'preact';
import { useEffect } from 'preact/hooks';
import { t } from '../i18n.js';
import type { PinCheck } from './pin-check.js';

export function PinOptions({
  idPrefix,
  typed,
  onTyped,
  pinExpired,
  onPinExpired,
  check,
  pinField,
}: {
  /** makes the ids of the field and its message unique in the page */
  idPrefix: string;
  typed: boolean;
  onTyped(typed: boolean): void;
  pinExpired: boolean;
  onPinExpired(on: boolean): void;
  check: PinCheck;
  pinField: Ref<HTMLInputElement>;
}) {
  const fieldId = `${idPrefix}-pin-value`;
  const errorId = `${idPrefix}-pin-error`;
  const field = () => (typeof pinField === 'object' ? pinField?.current : null);
  useEffect(() => {
    if (typed) field()?.focus();
    else check.cancel();
  }, [typed]);
  return (
    <>
      <fieldset>
        <legend>{t('resetPin.options')}</legend>
        <label class="choice">
          <input type="radio" name={`${idPrefix}-pin-choice`} checked={!typed} onChange={() => onTyped(false)} />
          {t('resetPin.generate')}
        </label>
        <label class="choice">
          <input type="radio" name={`${idPrefix}-pin-choice`} checked={typed} onChange={() => onTyped(true)} />
          {t('resetPin.type')}
        </label>
        {typed && (
          <div class="field">
            <label for={fieldId}>{t('resetPin.pin')}</label>
            <input
              id={fieldId}
              class="pin"
              ref={pinField}
              type="password"
              inputMode="numeric"
              autocomplete="off"
              required
              aria-invalid={check.refusal ? true : undefined}
              aria-describedby={check.refusal ? errorId : undefined}
              onInput={(e) => check.typed((e.currentTarget as HTMLInputElement).value)}
            />
            {check.refusal && (
              <p id={errorId} class="error" role="alert">
                {check.refusal.text()}
              </p>
            )}
          </div>
        )}
      </fieldset>
      <label class="choice">
        <input
          type="checkbox"
          checked={pinExpired}
          onChange={(e) => onPinExpired((e.currentTarget as HTMLInputElement).checked)}
        />
        {t('resetPin.requireReset')}
      </label>
    </>
  );
}
