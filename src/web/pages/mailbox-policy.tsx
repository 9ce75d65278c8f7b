/**
 * A UM mailbox policy's page, as the Exchange admin center shows it from a dial plan: its
 * name, the PIN policies in Exchange's order and wording, the texts of the PIN reset and
 * welcome mails, and the features it allows. The ranges come from the domain's POLICY_LIMITS
 * (the numbers the service enforces); Save sends only what changed (Set-UMMailboxPolicy).
 * Roles that may not change organisation settings see the values read-only.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { POLICY_LIMITS } from '../../domain/policy.js';
import { api, errorText } from '../api.js';
import type { DialPlanView, MailboxPolicyEdit, MailboxPolicyView } from '../api-types.js';
import { can } from '../can.js';
import { formatDateTime, formatNumber } from '../format.js';
import { t } from '../i18n.js';
import { dialPlanPath, dialPlanUrl, mailboxPolicyPath, mailboxPolicyUrl } from '../paths.js';
import { navigate } from '../router.js';
import { draftOf, type NumberDraft, readDraft } from '../setting-value.js';
import { FormDialog } from './form-dialog.js';
import { NumberSetting } from './setting-field.js';

type Limits = typeof POLICY_LIMITS;
type Key = keyof Limits;
type KeyOf<Kind extends string> = { [K in Key]: Limits[K]['kind'] extends Kind ? K : never }[Key];
type NumberKey = KeyOf<'number'>;
type TextKey = KeyOf<'text'>;
type FlagKey = KeyOf<'flag'>;
type ChoiceKey = KeyOf<'choice'>;

const KEYS = Object.keys(POLICY_LIMITS) as Key[];
const NUMBER_KEYS = KEYS.filter((k): k is NumberKey => POLICY_LIMITS[k].kind === 'number');
const TEXT_KEYS = KEYS.filter((k): k is TextKey => POLICY_LIMITS[k].kind === 'text');
const FLAG_KEYS = KEYS.filter((k): k is FlagKey => POLICY_LIMITS[k].kind === 'flag');
const CHOICE_KEYS = KEYS.filter((k): k is ChoiceKey => POLICY_LIMITS[k].kind === 'choice');
/** Exchange's "PIN policies" section: the numbers, AllowCommonPatterns and umpin's PINComplexity, in POLICY_LIMITS order. */
const PIN_FLAGS: readonly Key[] = ['allowCommonPatterns', 'progressiveLockout', 'pinLinkRequiresSignIn'];
const PIN_KEYS = KEYS.filter(
  (k) => POLICY_LIMITS[k].kind === 'number' || POLICY_LIMITS[k].kind === 'choice' || PIN_FLAGS.includes(k),
);
const FEATURE_KEYS = FLAG_KEYS.filter((k) => !PIN_FLAGS.includes(k));

interface Draft {
  name: string;
  numbers: Record<NumberKey, NumberDraft>;
  texts: Record<TextKey, string>;
  flags: Record<FlagKey, boolean>;
  choices: Record<ChoiceKey, string>;
}

function draftOfPolicy(p: MailboxPolicyView): Draft {
  return {
    name: p.name,
    numbers: Object.fromEntries(NUMBER_KEYS.map((k) => [k, draftOf(p[k])])) as Draft['numbers'],
    texts: Object.fromEntries(TEXT_KEYS.map((k) => [k, p[k] ?? ''])) as Draft['texts'],
    flags: Object.fromEntries(FLAG_KEYS.map((k) => [k, p[k]])) as Draft['flags'],
    choices: Object.fromEntries(CHOICE_KEYS.map((k) => [k, p[k]])) as Draft['choices'],
  };
}

/** What differs from the policy as saved, or null while a number is outside its range. */
function changesOf(p: MailboxPolicyView, d: Draft): MailboxPolicyEdit | null {
  const changes: Record<string, unknown> = {};
  if (d.name !== p.name) changes.name = d.name;
  for (const k of NUMBER_KEYS) {
    const read = readDraft(d.numbers[k], POLICY_LIMITS[k]);
    if (read.issue !== undefined) return null;
    if (read.value !== p[k]) changes[k] = read.value;
  }
  for (const k of TEXT_KEYS) {
    const text = d.texts[k] === '' ? null : d.texts[k];
    if (text !== p[k]) changes[k] = text;
  }
  for (const k of FLAG_KEYS) if (d.flags[k] !== p[k]) changes[k] = d.flags[k];
  for (const k of CHOICE_KEYS) if (d.choices[k] !== p[k]) changes[k] = d.choices[k];
  return changes as MailboxPolicyEdit;
}

export function MailboxPolicyPage({ identity }: { identity: string }) {
  const [policy, setPolicy] = useState<MailboxPolicyView | null>(null);
  const [dialPlan, setDialPlan] = useState<DialPlanView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const removeButton = useRef<HTMLButtonElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const writable = can('organization:write');

  useEffect(() => {
    setError(null);
    api<MailboxPolicyView>('GET', mailboxPolicyUrl(identity))
      .then(async (p) => {
        // opened by name: the page's address becomes the GUID, which a rename leaves valid
        if (p.id !== identity) return navigate(mailboxPolicyPath(p.id), { replace: true });
        setPolicy(p);
        setDraft(draftOfPolicy(p));
        setDialPlan(await api<DialPlanView>('GET', dialPlanUrl(p.dialPlanId)));
      })
      .catch((err) => setError(errorText(err)));
  }, [identity]);

  const touch = (key: string) => setTouched((s) => (s.has(key) ? s : new Set([...s, key])));

  const save = async (e: Event) => {
    e.preventDefault();
    if (!policy || !draft) return;
    setNotice(null);
    setError(null);
    const changes = changesOf(policy, draft);
    if (!changes) {
      // every field says what is wrong with it; the first one takes the focus
      setTouched(new Set(NUMBER_KEYS));
      form.current?.querySelector<HTMLInputElement>('input:invalid')?.focus();
      return;
    }
    if (Object.keys(changes).length === 0) {
      setNotice(t('org.noChanges'));
      return;
    }
    setBusy(true);
    try {
      const saved = await api<MailboxPolicyView>('PATCH', mailboxPolicyUrl(policy.id), changes);
      setPolicy(saved);
      setDraft(draftOfPolicy(saved));
      setTouched(new Set());
      setNotice(t('org.saved', { name: saved.name }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    await api('DELETE', mailboxPolicyUrl(policy!.id));
    navigate(dialPlanPath(policy!.dialPlanId));
  };

  // umpin's own settings take their words from this area's catalog (messages/pin-policy.ts)
  const label = (k: Exclude<Key, ChoiceKey>) =>
    k === 'progressiveLockout'
      ? t('pinPolicy.progressiveLockout')
      : k === 'pinLinkValidityHours' || k === 'pinLinkRequiresSignIn'
        ? t(`pinLink.policy.${k}`)
        : t(`org.setting.${k}`);
  const numberField = (k: NumberKey) => (
    <NumberSetting
      key={k}
      id={`policy-${k}`}
      label={label(k)}
      limit={POLICY_LIMITS[k]}
      draft={draft!.numbers[k]}
      showError={touched.has(k)}
      onChange={(d) => {
        touch(k);
        setDraft({ ...draft!, numbers: { ...draft!.numbers, [k]: d } });
      }}
    />
  );
  const flagField = (k: FlagKey) => (
    <label key={k} class="choice">
      <input
        type="checkbox"
        name={`policy-${k}`}
        checked={draft!.flags[k]}
        onChange={(e) => setDraft({ ...draft!, flags: { ...draft!.flags, [k]: e.currentTarget.checked } })}
      />
      {label(k)}
    </label>
  );

  // umpin's choice settings (PINComplexity, PINDelivery): their values are the domain's, their words each area's catalog
  const choiceWord = (k: ChoiceKey, v?: string): string => {
    if (k === 'pinDelivery')
      return v === undefined
        ? t('pinLink.policy.pinDelivery')
        : t(`pinLink.policy.pinDelivery.${v as 'Mail' | 'Link'}`);
    return v === undefined ? t('pinPolicy.pinComplexity') : t(`pinPolicy.pinComplexity.${v as 'Exchange' | 'Strict'}`);
  };
  const choiceField = (k: ChoiceKey) => (
    <div class="setting" key={k}>
      <label for={`policy-${k}`}>{choiceWord(k)}</label>
      <select
        id={`policy-${k}`}
        name={`policy-${k}`}
        aria-describedby={`policy-${k}-hint`}
        value={draft!.choices[k]}
        onChange={(e) => setDraft({ ...draft!, choices: { ...draft!.choices, [k]: e.currentTarget.value } })}
      >
        {POLICY_LIMITS[k].values.map((v) => (
          <option key={v} value={v}>
            {choiceWord(k, v)}
          </option>
        ))}
      </select>
      <p id={`policy-${k}-hint`} class="hint">
        {k === 'pinDelivery' ? t('pinLink.policy.pinDeliveryHint') : t('pinPolicy.pinComplexityHint')}
      </p>
    </div>
  );

  return (
    <section aria-labelledby="policy-title">
      {dialPlan && (
        <a
          href={dialPlanPath(dialPlan.id)}
          onClick={(e) => {
            e.preventDefault();
            navigate(dialPlanPath(dialPlan.id));
          }}
        >
          {t('org.policy.back', { name: dialPlan.name })}
        </a>
      )}
      <h1 id="policy-title">
        {t('org.policy.title')}
        {policy && <span class="subtitle">{policy.name}</span>}
      </h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="notice" role="status">
        {notice}
      </p>
      {policy && !writable && <p class="read-only">{t('org.readOnly')}</p>}
      {policy && draft && (
        <form ref={form} class="settings" noValidate onSubmit={(e) => void save(e)}>
          <fieldset disabled={!writable || busy}>
            <h2>{t('org.general')}</h2>
            <div class="setting">
              <label for="policy-name">{t('org.name')}</label>
              <input
                id="policy-name"
                class="org-text"
                name="policy-name"
                required
                value={draft.name}
                onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
              />
            </div>
            <dl class="facts">
              <dt>{t('org.policy.dialPlan')}</dt>
              <dd>{dialPlan?.name ?? ''}</dd>
              <dt>{t('org.created')}</dt>
              <dd>{formatDateTime(policy.createdAt)}</dd>
              <dt>{t('org.changed')}</dt>
              <dd>{formatDateTime(policy.updatedAt)}</dd>
            </dl>

            <h2>{t('org.policy.pinPolicies')}</h2>
            {PIN_KEYS.map((k) =>
              POLICY_LIMITS[k].kind === 'flag'
                ? flagField(k as FlagKey)
                : POLICY_LIMITS[k].kind === 'choice'
                  ? choiceField(k as ChoiceKey)
                  : numberField(k as NumberKey),
            )}

            <h2>{t('org.policy.messageText')}</h2>
            {TEXT_KEYS.map((k) => (
              <div class="setting" key={k}>
                <label for={`policy-${k}`}>{label(k)}</label>
                <textarea
                  class="org-text"
                  id={`policy-${k}`}
                  name={`policy-${k}`}
                  rows={3}
                  maxLength={POLICY_LIMITS[k].maxLength}
                  aria-describedby={`policy-${k}-hint`}
                  value={draft.texts[k]}
                  onInput={(e) => setDraft({ ...draft, texts: { ...draft.texts, [k]: e.currentTarget.value } })}
                />
                <p id={`policy-${k}-hint`} class="hint">
                  {t('org.setting.textHint', { max: formatNumber(POLICY_LIMITS[k].maxLength) })}
                </p>
              </div>
            ))}

            <h2>{t('org.policy.features')}</h2>
            {FEATURE_KEYS.map(flagField)}
          </fieldset>
          {writable && (
            <div class="buttons">
              <button type="submit" class="primary" disabled={busy}>
                {busy ? t('org.saving') : t('org.save')}
              </button>
              <button
                type="button"
                ref={removeButton}
                disabled={busy}
                onClick={() => {
                  setNotice(null);
                  setRemoving(true);
                }}
              >
                {t('org.remove')}
              </button>
            </div>
          )}
        </form>
      )}
      {removing && policy && (
        <FormDialog
          title={t('org.policy.removeTitle', { name: policy.name })}
          text={t('org.policy.removeText')}
          confirmLabel={t('org.remove')}
          onConfirm={remove}
          onClose={() => {
            setRemoving(false);
            removeButton.current?.focus();
          }}
        />
      )}
    </section>
  );
}
