/** A UM mailbox's secondary extensions: listed, each removable, and a new one added (Set-UMMailbox). */
import { useState } from 'preact/hooks';
import { errorText } from '../api.js';
import type { DialPlanView } from '../api-types.js';
import { t } from '../i18n.js';
import { ExtensionField } from './extension-field.js';

export function ExtensionsEditor({
  secondary,
  dialPlan,
  editable,
  onEdit,
}: {
  secondary: readonly string[];
  dialPlan: DialPlanView | null;
  editable: boolean;
  /** sends the change; throws the server's refusal */
  onEdit(change: { add?: string[]; remove?: string[] }): Promise<void>;
}) {
  const [value, setValue] = useState('');
  const [serverError, setServerError] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (e: Event) => {
    e.preventDefault();
    // the rule as typed is shown already; the server decides whatever the form thinks
    setBusy(true);
    setRemoveError(null);
    try {
      await onEdit({ add: [value] });
      setValue('');
      setServerError(null);
    } catch (err) {
      setServerError(errorText(err));
    }
    setBusy(false);
  };

  const remove = async (extension: string) => {
    setBusy(true);
    setRemoveError(null);
    try {
      await onEdit({ remove: [extension] });
    } catch (err) {
      setRemoveError(errorText(err));
    }
    setBusy(false);
  };

  return (
    <>
      {secondary.length === 0 ? (
        <p>{t('um.noSecondary')}</p>
      ) : (
        <ul class="plain extensions" aria-labelledby="um-secondary-title">
          {secondary.map((x) => (
            <li key={x}>
              <span>{x}</span>
              {editable && (
                <button type="button" disabled={busy} onClick={() => void remove(x)}>
                  {t('um.removeExtension', { extension: x })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {removeError && (
        <p class="error" role="alert">
          {removeError}
        </p>
      )}
      {editable && (
        <form class="add-extension" onSubmit={(e) => void add(e)}>
          <ExtensionField
            id="um-new-extension"
            label={t('um.newExtension')}
            value={value}
            onValue={(v) => {
              setValue(v);
              setServerError(null);
            }}
            dialPlan={dialPlan}
            serverError={serverError}
            required
          />
          <button type="submit" disabled={busy || value === ''}>
            {t('um.addExtension')}
          </button>
        </form>
      )}
    </>
  );
}
