/**
 * An extension typed into a form, checked as it is typed against the dial plan's
 * NumberOfDigitsInExtension with the domain's own rule (checkExtension) and worded from the
 * error catalog; the service checks it again, with whether it is in use, when it is sent.
 */
import { checkExtension } from '../../domain/dial-plan.js';
import { renderError } from '../../domain/errors.js';
import type { DialPlanView } from '../api-types.js';
import { language, t } from '../i18n.js';

/** The catalog's message for the rule the extension breaks, or null (also while it is empty). */
export function extensionProblem(value: string, dialPlan: DialPlanView | null): string | null {
  if (value === '' || !dialPlan) return null;
  const [issue] = checkExtension(value, dialPlan.numberOfDigitsInExtension, dialPlan.name);
  return issue ? renderError(issue, language.value) : null;
}

export function ExtensionField({
  id,
  label,
  value,
  onValue,
  dialPlan,
  serverError,
  required,
}: {
  id: string;
  label: string;
  value: string;
  onValue(value: string): void;
  dialPlan: DialPlanView | null;
  /** the server's refusal of what was sent (in use, ...), shown until the value changes */
  serverError: string | null;
  required?: boolean;
}) {
  const problem = serverError ?? extensionProblem(value, dialPlan);
  const described = [dialPlan ? `${id}-rule` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        class="extension"
        inputMode="numeric"
        autocomplete="off"
        required={required}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value.trim())}
      />
      {dialPlan && (
        <p id={`${id}-rule`} class="hint">
          {t('um.extensionRule', { dialPlan: dialPlan.name, digits: dialPlan.numberOfDigitsInExtension })}
        </p>
      )}
      <p id={`${id}-error`} class="error" aria-live="polite">
        {problem}
      </p>
    </div>
  );
}
