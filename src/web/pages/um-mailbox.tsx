/**
 * A UM mailbox's page: PIN status (with the last failed sign-in), its UM mailbox policy (a link
 * to the policy's page), dial plan and extensions (secondary ones added and removed here), and
 * the actions Reset PIN, Unlock and Disable.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import type {
  PinStatus,
  SetPinOutcome,
  SetUmMailboxInput,
  DialPlanView,
  UmMailboxView,
  MailboxPolicyView,
} from '../api-types.js';
import { can } from '../can.js';
import { t } from '../i18n.js';
import { mailboxPolicyPath, pinUrl, umMailboxUrl } from '../paths.js';
import { navigate } from '../router.js';
import { DisableUmDialog } from './disable-um-dialog.js';
import { ExtensionsEditor } from './extensions-editor.js';
import { PinStatusFacts } from './pin-status-facts.js';
import { ResetPinDialog } from './reset-pin-dialog.js';

export function UmMailboxPage({ identity }: { identity: string }) {
  const [mailbox, setMailbox] = useState<UmMailboxView | null>(null);
  const [pin, setPin] = useState<PinStatus | null>(null);
  const [policy, setPolicy] = useState<MailboxPolicyView | null>(null);
  const [dialPlan, setDialPlan] = useState<DialPlanView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState(false);
  const [disabling, setDisabling] = useState(false);
  const resetButton = useRef<HTMLButtonElement>(null);
  const disableButton = useRef<HTMLButtonElement>(null);

  const refreshPin = async () => setPin(await api<PinStatus>('GET', pinUrl(identity)));

  useEffect(() => {
    Promise.all([
      api<UmMailboxView>('GET', umMailboxUrl(identity)).then(async (m) => {
        setMailbox(m);
        // the policy's id for its page, and the dial plan's extension length for the extension rule
        const [p, dp] = await Promise.all([
          api<MailboxPolicyView>('GET', `/api/v1/um-mailbox-policies/${encodeURIComponent(m.umMailboxPolicy)}`).catch(
            () => null,
          ),
          api<DialPlanView>('GET', `/api/v1/dial-plans/${encodeURIComponent(m.umDialPlan)}`).catch(() => null),
        ]);
        setPolicy(p);
        setDialPlan(dp);
      }),
      refreshPin(),
    ]).catch((err) => setError(errorText(err)));
  }, [identity]);

  const unlock = async () => {
    setNotice(null);
    try {
      const r = await api<SetPinOutcome>('POST', pinUrl(identity), { lockedOut: false });
      setNotice(t('umMailbox.unlocked', { address: r.userId }));
      await refreshPin();
    } catch (err) {
      setError(errorText(err));
    }
  };

  /** Set-UMMailbox with { add } or { remove }: the server checks the extension and answers the mailbox as it is now. */
  const editExtensions = async (change: { add?: string[]; remove?: string[] }) => {
    const body: SetUmMailboxInput = { extensions: change };
    const m = await api<UmMailboxView>('PATCH', umMailboxUrl(identity), body);
    setMailbox(m);
    setError(null);
    const extension = (change.add ?? change.remove ?? [])[0] ?? '';
    setNotice(t(change.add ? 'um.extensionAdded' : 'um.extensionRemoved', { extension }));
  };

  const policyHref = mailbox ? mailboxPolicyPath(policy?.id ?? mailbox.umMailboxPolicy) : '';

  return (
    <section aria-labelledby="um-title">
      <a
        href="/mailboxes"
        onClick={(e) => {
          e.preventDefault();
          navigate('/mailboxes');
        }}
      >
        {t('umMailbox.back')}
      </a>
      <h1 id="um-title">
        {t('umMailbox.title')}
        {mailbox && <span class="subtitle">{mailbox.displayName}</span>}
      </h1>
      {mailbox && <p>{mailbox.primarySmtpAddress}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="notice" role="status">
        {notice}
      </p>
      <div class="toolbar">
        {can('pin:reset') && (
          <button
            type="button"
            ref={resetButton}
            class="primary"
            disabled={!mailbox}
            onClick={() => {
              setNotice(null);
              setResetting(true);
            }}
          >
            {t('umMailbox.resetPin')}
          </button>
        )}
        {can('pin:lock') && (
          <button type="button" disabled={!pin?.lockedOut} onClick={() => void unlock()}>
            {t('umMailbox.unlock')}
          </button>
        )}
        {can('mailbox:write') && (
          <button
            type="button"
            ref={disableButton}
            disabled={!mailbox}
            onClick={() => {
              setNotice(null);
              setDisabling(true);
            }}
          >
            {t('um.disable')}
          </button>
        )}
      </div>
      {pin && (
        <>
          <h2>{t('umMailbox.pinStatus')}</h2>
          <PinStatusFacts pin={pin} />
        </>
      )}
      {mailbox && (
        <>
          <h2>{t('umMailbox.settings')}</h2>
          <dl class="facts">
            <dt>{t('umMailbox.policy')}</dt>
            <dd>
              <a
                href={policyHref}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(policyHref);
                }}
              >
                {mailbox.umMailboxPolicy}
              </a>
            </dd>
            <dt>{t('umMailbox.dialPlan')}</dt>
            <dd>{mailbox.umDialPlan}</dd>
            <dt>{t('um.primaryExtension')}</dt>
            <dd>{mailbox.extensions[0] ?? t('um.noSecondary')}</dd>
          </dl>
          <h3 id="um-secondary-title">{t('um.secondaryExtensions')}</h3>
          <ExtensionsEditor
            secondary={mailbox.extensions.slice(1)}
            dialPlan={dialPlan}
            editable={can('mailbox:write')}
            onEdit={editExtensions}
          />
        </>
      )}
      {resetting && mailbox && (
        <ResetPinDialog
          identity={identity}
          onDone={(outcome) => {
            setResetting(false);
            resetButton.current?.focus();
            if (!outcome) return;
            setNotice(outcome.mailTo ? t('resetPin.done', { address: outcome.mailTo }) : t('resetPin.doneNoMail'));
            refreshPin().catch((err) => setError(errorText(err)));
          }}
        />
      )}
      {disabling && mailbox && (
        <DisableUmDialog
          identity={identity}
          name={mailbox.displayName}
          onDone={(disabled) => {
            setDisabling(false);
            if (disabled) navigate('/mailboxes');
            else disableButton.current?.focus();
          }}
        />
      )}
    </section>
  );
}
