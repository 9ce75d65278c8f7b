/**
 * A UM dial plan's page: its settings (Set-UMDialPlan, only what changed is sent), its UM
 * mailbox policies with links to theirs — in the Exchange admin center the policies are
 * reached from here — New UM mailbox policy and Remove for the roles that may change
 * organisation settings; the others see the settings read-only.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { DIAL_PLAN_LIMITS } from '../../domain/dial-plan.js';
import { EXTENSION_PLACEHOLDER, VOICE_MAIL_URI_MAX_LENGTH } from '../../domain/voice-mail-uri.js';
import { api, errorText } from '../api.js';
import type { DialPlanEdit, DialPlanView, MailboxPolicyView, NewMailboxPolicyInput, Page } from '../api-types.js';
import { can } from '../can.js';
import { formatDateTime, formatNumber } from '../format.js';
import { t } from '../i18n.js';
import { dialPlanPath, dialPlanUrl, mailboxPolicyPath, mailboxPolicyUrl } from '../paths.js';
import { navigate } from '../router.js';
import { draftOf, type NumberDraft, readDraft } from '../setting-value.js';
import { FormDialog } from './form-dialog.js';
import { NumberSetting } from './setting-field.js';

const L = DIAL_PLAN_LIMITS;

interface Draft {
  name: string;
  numberOfDigitsInExtension: NumberDraft;
  countryOrRegionCode: string;
  logonFailuresBeforeDisconnect: NumberDraft;
  defaultLanguage: string;
  /** one number a line */
  voiceAccessNumbers: string;
  /** empty: none */
  voiceMailUri: string;
}

function draftOfPlan(p: DialPlanView): Draft {
  return {
    name: p.name,
    numberOfDigitsInExtension: draftOf(p.numberOfDigitsInExtension),
    countryOrRegionCode: p.countryOrRegionCode,
    logonFailuresBeforeDisconnect: draftOf(p.logonFailuresBeforeDisconnect),
    defaultLanguage: p.defaultLanguage,
    voiceAccessNumbers: p.voiceAccessNumbers.join('\n'),
    voiceMailUri: p.voiceMailUri ?? '',
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** What differs from the dial plan as saved, or null while a number is outside its range. */
function changesOf(p: DialPlanView, d: Draft): DialPlanEdit | null {
  const digits = readDraft(d.numberOfDigitsInExtension, L.numberOfDigitsInExtension);
  const disconnect = readDraft(d.logonFailuresBeforeDisconnect, L.logonFailuresBeforeDisconnect);
  if (digits.issue !== undefined || disconnect.issue !== undefined) return null;
  const changes: DialPlanEdit = {};
  if (d.name !== p.name) changes.name = d.name;
  if (digits.value !== p.numberOfDigitsInExtension) changes.numberOfDigitsInExtension = digits.value!;
  if (d.countryOrRegionCode !== p.countryOrRegionCode) changes.countryOrRegionCode = d.countryOrRegionCode;
  if (disconnect.value !== p.logonFailuresBeforeDisconnect) changes.logonFailuresBeforeDisconnect = disconnect.value!;
  if (d.defaultLanguage !== p.defaultLanguage) changes.defaultLanguage = d.defaultLanguage;
  const numbers = lines(d.voiceAccessNumbers);
  // the whole list replaces the old one, as Set-UMDialPlan -AccessTelephoneNumbers does
  if (numbers.join('\n') !== p.voiceAccessNumbers.join('\n')) changes.voiceAccessNumbers = numbers;
  // emptied, it is removed (the service takes null and '' alike)
  const voiceMailUri = d.voiceMailUri.trim();
  if (voiceMailUri !== (p.voiceMailUri ?? '')) changes.voiceMailUri = voiceMailUri === '' ? null : voiceMailUri;
  return changes;
}

export function DialPlanPage({ identity }: { identity: string }) {
  const [plan, setPlan] = useState<DialPlanView | null>(null);
  const [policies, setPolicies] = useState<MailboxPolicyView[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'remove' | 'newPolicy' | null>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const newPolicyButton = useRef<HTMLButtonElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const writable = can('organization:write');

  useEffect(() => {
    setError(null);
    api<DialPlanView>('GET', dialPlanUrl(identity))
      .then(async (p) => {
        // opened by name: the page's address becomes the GUID, which a rename leaves valid
        if (p.id !== identity) return navigate(dialPlanPath(p.id), { replace: true });
        setPlan(p);
        setDraft(draftOfPlan(p));
        // a dial plan has a handful of policies: the API's largest page holds them all
        const query = new URLSearchParams({ umDialPlan: p.id, limit: '1000' });
        const page = await api<Page<MailboxPolicyView>>('GET', `${mailboxPolicyUrl()}?${query}`);
        setPolicies(page.items);
      })
      .catch((err) => setError(errorText(err)));
  }, [identity]);

  const touch = (key: string) => setTouched((s) => (s.has(key) ? s : new Set([...s, key])));

  const save = async (e: Event) => {
    e.preventDefault();
    if (!plan || !draft) return;
    setNotice(null);
    setError(null);
    const changes = changesOf(plan, draft);
    if (!changes) {
      setTouched(new Set(['numberOfDigitsInExtension', 'logonFailuresBeforeDisconnect']));
      form.current?.querySelector<HTMLInputElement>('input:invalid')?.focus();
      return;
    }
    if (Object.keys(changes).length === 0) {
      setNotice(t('org.noChanges'));
      return;
    }
    setBusy(true);
    try {
      const saved = await api<DialPlanView>('PATCH', dialPlanUrl(plan.id), changes);
      setPlan(saved);
      setDraft(draftOfPlan(saved));
      setTouched(new Set());
      setNotice(t('org.saved', { name: saved.name }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    await api('DELETE', dialPlanUrl(plan!.id));
    navigate('/um-dial-plans');
  };

  const newPolicy = async (fields: FormData) => {
    const body: NewMailboxPolicyInput = { name: String(fields.get('name') ?? ''), umDialPlan: plan!.id };
    const made = await api<MailboxPolicyView>('POST', mailboxPolicyUrl(), body);
    navigate(mailboxPolicyPath(made.id));
  };

  const closeDialog = () => {
    const opener = dialog === 'remove' ? removeButton : newPolicyButton;
    setDialog(null);
    opener.current?.focus();
  };

  const text = (id: keyof Draft, label: string, hint: string | null, input: Record<string, unknown> = {}) => (
    <div class="setting">
      <label for={`dial-plan-${id}`}>{label}</label>
      <input
        id={`dial-plan-${id}`}
        class="org-text"
        name={`dial-plan-${id}`}
        required
        value={draft![id] as string}
        aria-describedby={hint ? `dial-plan-${id}-hint` : undefined}
        onInput={(e) => setDraft({ ...draft!, [id]: e.currentTarget.value })}
        {...input}
      />
      {hint && (
        <p id={`dial-plan-${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </div>
  );
  const number = (id: 'numberOfDigitsInExtension' | 'logonFailuresBeforeDisconnect', label: string) => (
    <NumberSetting
      id={`dial-plan-${id}`}
      label={label}
      limit={L[id]}
      draft={draft![id]}
      showError={touched.has(id)}
      onChange={(d) => {
        touch(id);
        setDraft({ ...draft!, [id]: d });
      }}
    />
  );
  const digits = (l: { minDigits: number; maxDigits: number }) => ({
    min: formatNumber(l.minDigits),
    max: formatNumber(l.maxDigits),
  });

  return (
    <section aria-labelledby="dial-plan-title">
      <a
        href="/um-dial-plans"
        onClick={(e) => {
          e.preventDefault();
          navigate('/um-dial-plans');
        }}
      >
        {t('org.dialPlan.back')}
      </a>
      <h1 id="dial-plan-title">
        {t('org.dialPlan.title')}
        {plan && <span class="subtitle">{plan.name}</span>}
      </h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="notice" role="status">
        {notice}
      </p>
      {plan && !writable && <p class="read-only">{t('org.readOnly')}</p>}
      {plan && draft && (
        <form ref={form} class="settings" noValidate onSubmit={(e) => void save(e)}>
          <fieldset disabled={!writable || busy}>
            <h2>{t('org.general')}</h2>
            {text('name', t('org.name'), null, { maxLength: L.name.maxLength })}
            {number('numberOfDigitsInExtension', t('org.dialPlan.digits'))}
            {text(
              'countryOrRegionCode',
              t('org.dialPlan.countryCode'),
              t('org.dialPlan.countryCodeHint', digits(L.countryOrRegionCode)),
              { inputMode: 'numeric' },
            )}
            {number('logonFailuresBeforeDisconnect', t('org.dialPlan.disconnect'))}
            {text(
              'defaultLanguage',
              t('org.dialPlan.language'),
              t('org.dialPlan.languageHint', { first: 'en-US', second: 'zh-TW' }),
            )}
            <div class="setting">
              <label for="dial-plan-voiceAccessNumbers">{t('org.dialPlan.accessNumbers')}</label>
              <textarea
                class="org-text"
                id="dial-plan-voiceAccessNumbers"
                name="dial-plan-voiceAccessNumbers"
                rows={3}
                aria-describedby="dial-plan-voiceAccessNumbers-hint"
                value={draft.voiceAccessNumbers}
                onInput={(e) => setDraft({ ...draft, voiceAccessNumbers: e.currentTarget.value })}
              />
              <p id="dial-plan-voiceAccessNumbers-hint" class="hint">
                {t('org.dialPlan.accessNumbersHint', digits(L.voiceAccessNumbers))}
              </p>
            </div>
            <div class="setting">
              <label for="dial-plan-voiceMailUri">{t('org.dialPlan.voiceMailUri')}</label>
              <input
                id="dial-plan-voiceMailUri"
                class="org-text"
                name="dial-plan-voiceMailUri"
                maxLength={VOICE_MAIL_URI_MAX_LENGTH}
                spellcheck={false}
                // a URI is not words: the example, with its placeholder, stays out of the catalogs
                placeholder={`sip:${EXTENSION_PLACEHOLDER}@pbx.contoso.com`}
                aria-describedby="dial-plan-voiceMailUri-hint"
                value={draft.voiceMailUri}
                onInput={(e) => setDraft({ ...draft, voiceMailUri: e.currentTarget.value })}
              />
              <p id="dial-plan-voiceMailUri-hint" class="hint">
                {t('org.dialPlan.voiceMailUriHint')}
              </p>
            </div>
            <dl class="facts">
              <dt>{t('org.created')}</dt>
              <dd>{formatDateTime(plan.createdAt)}</dd>
              <dt>{t('org.changed')}</dt>
              <dd>{formatDateTime(plan.updatedAt)}</dd>
            </dl>
          </fieldset>
          {writable && (
            <div class="buttons">
              <button type="submit" class="primary" disabled={busy}>
                {busy ? t('org.saving') : t('org.save')}
              </button>
              <button type="button" ref={removeButton} disabled={busy} onClick={() => setDialog('remove')}>
                {t('org.remove')}
              </button>
            </div>
          )}
        </form>
      )}
      {policies && (
        <>
          <h2>{t('org.dialPlan.policies')}</h2>
          {writable && (
            <div class="toolbar">
              <button type="button" ref={newPolicyButton} onClick={() => setDialog('newPolicy')}>
                {t('org.dialPlan.newPolicy')}
              </button>
            </div>
          )}
          {policies.length === 0 ? (
            <p>{t('org.dialPlan.noPolicies')}</p>
          ) : (
            <ul class="org-links">
              {policies.map((p) => (
                <li key={p.id}>
                  <a
                    href={mailboxPolicyPath(p.id)}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(mailboxPolicyPath(p.id));
                    }}
                  >
                    {p.name}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {dialog === 'remove' && plan && (
        <FormDialog
          title={t('org.dialPlan.removeTitle', { name: plan.name })}
          text={t('org.dialPlan.removeText')}
          confirmLabel={t('org.remove')}
          onConfirm={remove}
          onClose={closeDialog}
        />
      )}
      {dialog === 'newPolicy' && plan && (
        <FormDialog
          title={t('org.dialPlan.newPolicy')}
          confirmLabel={t('org.save')}
          onConfirm={newPolicy}
          onClose={closeDialog}
        >
          <label>
            {t('org.policy.newName')}
            <input name="name" required />
          </label>
        </FormDialog>
      )}
    </section>
  );
}
