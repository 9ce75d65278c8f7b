/**
 * A numeric setting's field: a number input with the domain limit's min and max, an
 * "Unlimited" check box where the limit allows null, the range written below it, and a
 * message naming the field and the range as soon as what is typed falls outside it.
 */
import type { NumberLimit } from '../../domain/policy.js';
import { formatNumber } from '../format.js';
import { t } from '../i18n.js';
import { type NumberDraft, readDraft } from '../setting-value.js';

/** The message for a draft outside its limit, in the page's language, or null. */
export function draftError(label: string, limit: NumberLimit, draft: NumberDraft): string | null {
  const read = readDraft(draft, limit);
  if (read.issue === undefined) return null;
  if (read.issue === 'required') return t('org.required', { field: label });
  const range = { field: label, min: formatNumber(limit.min), max: formatNumber(limit.max) };
  return t(limit.unlimited ? 'org.outOfRangeUnlimited' : 'org.outOfRange', range);
}

export function NumberSetting({
  id,
  label,
  limit,
  draft,
  showError,
  onChange,
}: {
  id: string;
  label: string;
  limit: NumberLimit;
  draft: NumberDraft;
  /** once the field was typed in, or Save was pressed */
  showError: boolean;
  onChange: (draft: NumberDraft) => void;
}) {
  const error = showError ? draftError(label, limit, draft) : null;
  const range = { min: formatNumber(limit.min), max: formatNumber(limit.max) };
  const unlimited = limit.unlimited && draft.unlimited;
  return (
    // a group named by the field's label, so "Unlimited" is heard as belonging to it
    <fieldset class="setting" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} for={id}>
        {label}
      </label>
      <div class="setting-input">
        <input
          id={id}
          name={id}
          type="number"
          class="org-number"
          inputMode="numeric"
          step={1}
          min={limit.min}
          max={limit.max}
          required={!unlimited}
          disabled={unlimited}
          value={unlimited ? '' : draft.text}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={`${id}-range${error ? ` ${id}-error` : ''}`}
          onInput={(e) => onChange({ ...draft, text: e.currentTarget.value })}
        />
        {limit.unlimited && (
          <label class="choice inline">
            <input
              type="checkbox"
              name={`${id}-unlimited`}
              checked={draft.unlimited}
              onChange={(e) => onChange({ ...draft, unlimited: e.currentTarget.checked })}
            />
            {t('org.unlimited')}
          </label>
        )}
      </div>
      <p id={`${id}-range`} class="hint">
        {t(limit.unlimited ? 'org.rangeUnlimited' : 'org.range', range)}
      </p>
      {error && (
        <p id={`${id}-error`} class="error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
