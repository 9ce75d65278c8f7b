/**
 * The Enable UM wizard, in the Exchange admin center's steps: UM mailbox policy, extension
 * (checked as typed against the policy's dial plan), the PIN options of Reset PIN (a typed
 * PIN checked as typed against the chosen policy), review, Finish (Enable-UMMailbox). The
 * confirmation names where the welcome mail with the PIN went, never the PIN.
 *
 * Every step stays in the page (hidden when not current), so Back keeps what was chosen —
 * the typed PIN included, in its field only, until Finish sends it and empties the field.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../api.js';
import type {
  EnableUmInput,
  EnableUmOutcome,
  KeptUmProperties,
  RecipientView,
  DialPlanView,
  MailboxPolicyView,
} from '../api-types.js';
import { can } from '../can.js';
import { t } from '../i18n.js';
import { fetchAllPages, pagedUrl } from '../paged.js';
import { keptPropertiesUrl, mailboxPolicyUrl, policyPinCheckUrl, umMailboxPath, umMailboxUrl } from '../paths.js';
import { navigate } from '../router.js';
import { ExtensionField, extensionProblem } from './extension-field.js';
import { usePinCheck } from './pin-check.js';
import { PinOptions } from './pin-options.js';

const STEPS = ['policy', 'extension', 'pin', 'review'] as const;
type Step = (typeof STEPS)[number] | 'done';

async function allPolicies(): Promise<MailboxPolicyView[]> {
  return (await fetchAllPages<MailboxPolicyView>((cursor) => pagedUrl(mailboxPolicyUrl(), cursor, 1000))) ?? [];
}

export function EnableUmWizard({ identity }: { identity: string }) {
  const [recipient, setRecipient] = useState<RecipientView | null>(null);
  const [alreadyEnabled, setAlreadyEnabled] = useState(false);
  const [policies, setPolicies] = useState<MailboxPolicyView[] | null>(null);
  // what an earlier Disable-UMMailbox kept: the policy and extension the wizard proposes
  const [kept, setKept] = useState<KeptUmProperties | null>(null);
  const [policyId, setPolicyId] = useState('');
  const [dialPlan, setDialPlan] = useState<DialPlanView | null>(null);
  const [extension, setExtension] = useState('');
  const [extensionError, setExtensionError] = useState<string | null>(null);
  const [typed, setTyped] = useState(false);
  const [pinExpired, setPinExpired] = useState(true);
  const [step, setStep] = useState<Step>('policy');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<EnableUmOutcome | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const pinField = useRef<HTMLInputElement>(null);

  const policy = policies?.find((p) => p.id === policyId) ?? null;
  // PINDelivery Link: the mails carry a one-time link to the PIN, not the PIN
  const byLink = policy?.pinDelivery === 'Link';
  // the kept primary extension left as proposed, in its dial plan: the service restores every kept extension
  const restoring =
    kept !== null && kept.extensions[0] === extension && policy !== null && policy.dialPlanId === kept.umDialPlanId;
  const check = usePinCheck(policy ? policyPinCheckUrl(policy.id) : null, () => ({
    extensions: extension ? [extension] : [],
  }));

  useEffect(() => {
    Promise.all([
      api<RecipientView>('GET', `/api/v1/recipients/${encodeURIComponent(identity)}`).then(setRecipient),
      api('GET', umMailboxUrl(identity)).then(
        () => setAlreadyEnabled(true),
        () => undefined,
      ),
      Promise.all([
        allPolicies(),
        // only a default: without it the wizard proposes the first policy, as before
        api<{ keptProperties: KeptUmProperties | null }>('GET', keptPropertiesUrl(identity)).then(
          (r) => r.keptProperties,
          () => null,
        ),
      ]).then(([ps, k]) => {
        setPolicies(ps);
        setKept(k);
        const proposed = ps.find((p) => p.id === k?.umMailboxPolicyId) ?? ps[0];
        if (proposed) setPolicyId(proposed.id);
        if (k?.extensions[0]) setExtension(k.extensions[0]);
      }),
    ]).catch((err) => setError(errorText(err)));
  }, [identity]);

  // the dial plan of the chosen policy: its extension length is the extension's rule
  useEffect(() => {
    setDialPlan(null);
    if (!policy) return;
    api<DialPlanView>('GET', `/api/v1/dial-plans/${encodeURIComponent(policy.dialPlanId)}`).then(setDialPlan, (err) =>
      setError(errorText(err)),
    );
  }, [policy?.dialPlanId]);

  // each step starts at its heading, for screen readers and the keyboard alike
  useEffect(() => {
    heading.current?.focus();
  }, [step]);

  const go = (to: Step) => {
    setError(null);
    setStep(to);
  };

  const next = async (e: Event) => {
    e.preventDefault();
    if (step === 'policy' && policy) go('extension');
    else if (step === 'extension') {
      if (extension !== '' && extensionProblem(extension, dialPlan) === null) go('pin');
    } else if (step === 'pin') {
      if (!typed) return go('review');
      // the pause of the check as typed may not have ended: ask now, and stay while a rule is broken
      check.cancel();
      try {
        await api('POST', policyPinCheckUrl(policyId), { pin: pinField.current?.value ?? '', extensions: [extension] });
        check.setRefusal(null);
        go('review');
      } catch (err) {
        if (err instanceof ApiError && err.status === 422) {
          check.setRefusal(err);
          pinField.current?.focus();
        } else go('review'); // not the PIN's fault (the check's rate limit): Finish lets the server decide
      }
    }
  };

  const finish = async () => {
    if (!recipient || !policy) return;
    const body: EnableUmInput = {
      identity: recipient.id,
      umMailboxPolicy: policy.id,
      pinExpired,
    };
    if (!restoring) body.extensions = [extension];
    if (typed) body.pin = pinField.current?.value ?? '';
    // the PIN leaves the page's DOM as soon as it is on its way
    if (pinField.current) pinField.current.value = '';
    setBusy(true);
    setError(null);
    try {
      setOutcome(await api<EnableUmOutcome>('POST', '/api/v1/um-mailboxes', body));
      setStep('done');
    } catch (err) {
      // back to the step whose input the server refused, with its message there
      if (err instanceof ApiError && err.field === 'Pin') {
        check.setRefusal(err);
        setStep('pin');
      } else if (err instanceof ApiError && err.field === 'Extensions') {
        setExtensionError(err.text());
        setStep('extension');
      } else setError(errorText(err));
    }
    setBusy(false);
  };

  const cancel = () => navigate('/mailboxes');
  const name = recipient?.displayName ?? identity;
  const index = step === 'done' ? STEPS.length : STEPS.indexOf(step);
  const yesNo = (v: boolean) => (v ? t('common.yes') : t('common.no'));

  const buttons = (last = false) => (
    <div class="buttons">
      {index > 0 && (
        <button type="button" onClick={() => go(STEPS[index - 1]!)}>
          {t('um.enable.back')}
        </button>
      )}
      {last ? (
        can('mailbox:write') && (
          <button type="button" class="primary" disabled={busy} onClick={() => void finish()}>
            {busy ? t('um.enable.finishing') : t('um.enable.finish')}
          </button>
        )
      ) : (
        <button type="submit" class="primary">
          {t('um.enable.next')}
        </button>
      )}
      <button type="button" onClick={cancel}>
        {t('um.enable.cancel')}
      </button>
    </div>
  );

  const stepHeading = (s: Step, text: string) => (
    <h2 ref={step === s ? heading : undefined} tabIndex={-1} id={`enable-${s}-title`}>
      {text}
    </h2>
  );

  return (
    <section aria-labelledby="enable-title" class="wizard">
      <h1 id="enable-title">
        {t('um.enable.title')}
        {recipient && <span class="subtitle">{recipient.displayName}</span>}
      </h1>
      {step !== 'done' && <p class="count">{t('um.enable.step', { step: index + 1, count: STEPS.length })}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {alreadyEnabled && step !== 'done' && (
        <p class="notice">
          {t('um.enable.alreadyEnabled', { name })}{' '}
          <a
            href={umMailboxPath(identity)}
            onClick={(e) => {
              e.preventDefault();
              navigate(umMailboxPath(identity));
            }}
          >
            {t('um.enable.viewMailbox')}
          </a>
        </p>
      )}

      <form hidden={step !== 'policy'} aria-labelledby="enable-policy-title" onSubmit={(e) => void next(e)}>
        {stepHeading('policy', t('um.enable.policyTitle'))}
        <p>{t('um.enable.policyIntro', { name })}</p>
        {policies && policies.length === 0 ? (
          <p>{t('um.enable.noPolicy')}</p>
        ) : (
          <div class="field">
            <label for="enable-policy">{t('um.enable.policy')}</label>
            <select
              id="enable-policy"
              value={policyId}
              onChange={(e) => {
                setPolicyId((e.currentTarget as HTMLSelectElement).value);
                setExtensionError(null);
              }}
            >
              {(policies ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {buttons()}
      </form>

      <form hidden={step !== 'extension'} aria-labelledby="enable-extension-title" onSubmit={(e) => void next(e)}>
        {stepHeading('extension', t('um.enable.extensionTitle'))}
        <ExtensionField
          id="enable-extension"
          label={t('um.enable.extension')}
          value={extension}
          onValue={(v) => {
            setExtension(v);
            setExtensionError(null);
          }}
          dialPlan={dialPlan}
          serverError={extensionError}
          required
        />
        {kept && kept.extensions.length > 0 && (
          <p class="hint">{t('um.enable.keptExtensions', { extensions: kept.extensions.join(', ') })}</p>
        )}
        {buttons()}
      </form>

      <form hidden={step !== 'pin'} aria-labelledby="enable-pin-title" onSubmit={(e) => void next(e)}>
        {stepHeading('pin', t('um.enable.pinTitle'))}
        <PinOptions
          idPrefix="enable"
          typed={typed}
          onTyped={setTyped}
          pinExpired={pinExpired}
          onPinExpired={setPinExpired}
          check={check}
          pinField={pinField}
        />
        {buttons()}
      </form>

      <section hidden={step !== 'review'} aria-labelledby="enable-review-title">
        {stepHeading('review', t('um.enable.reviewTitle'))}
        <p>{t('um.enable.reviewIntro')}</p>
        <dl class="facts">
          <dt>{t('um.enable.mailbox')}</dt>
          <dd>
            {name}
            {recipient && ` (${recipient.primarySmtpAddress})`}
          </dd>
          <dt>{t('um.enable.policy')}</dt>
          <dd>{policy?.name}</dd>
          <dt>{t('um.enable.extension')}</dt>
          <dd>{restoring ? kept.extensions.join(', ') : extension}</dd>
          <dt>{t('um.enable.pin')}</dt>
          <dd>
            {t(
              byLink
                ? typed
                  ? 'um.enable.pinTypedLink'
                  : 'um.enable.pinGeneratedLink'
                : typed
                  ? 'um.enable.pinTyped'
                  : 'um.enable.pinGenerated',
              {
                address: recipient?.primarySmtpAddress ?? '',
              },
            )}
          </dd>
          <dt>{t('resetPin.requireReset')}</dt>
          <dd>{yesNo(pinExpired)}</dd>
        </dl>
        {buttons(true)}
      </section>

      {step === 'done' && outcome && (
        <section aria-labelledby="enable-done-title">
          <h2 ref={heading} tabIndex={-1} id="enable-done-title">
            {t('um.enable.doneTitle')}
          </h2>
          <p class="notice" role="status">
            {t(byLink ? 'um.enable.doneLink' : 'um.enable.done', {
              name: outcome.displayName,
              address: outcome.mailTo ?? '',
            })}
          </p>
          <a
            href={umMailboxPath(outcome.identity)}
            onClick={(e) => {
              e.preventDefault();
              navigate(umMailboxPath(outcome.identity));
            }}
          >
            {t('um.enable.viewMailbox')}
          </a>
        </section>
      )}
    </section>
  );
}
