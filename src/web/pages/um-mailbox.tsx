/** A UM mailbox's page: PIN status, policy and extensions; the actions Reset PIN and Unlock. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import type { PinStatus, SetPinOutcome, UmMailboxView } from '../api-types.js';
import { can } from '../can.js';
import { t } from '../i18n.js';
import { pinUrl, umMailboxUrl } from '../paths.js';
import { navigate } from '../router.js';
import { PinStatusFacts } from './pin-status-facts.js';
import { ResetPinDialog } from './reset-pin-dialog.js';

export function UmMailboxPage({ identity }: { identity: string }) {
  const [mailbox, setMailbox] = useState<UmMailboxView | null>(null);
  const [pin, setPin] = useState<PinStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState(false);
  const resetButton = useRef<HTMLButtonElement>(null);

  const refreshPin = async () => setPin(await api<PinStatus>('GET', pinUrl(identity)));

  useEffect(() => {
    Promise.all([api<UmMailboxView>('GET', umMailboxUrl(identity)).then(setMailbox), refreshPin()]).catch((err) =>
      setError(errorText(err)),
    );
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
            <dd>{mailbox.umMailboxPolicy}</dd>
            <dt>{t('umMailbox.dialPlan')}</dt>
            <dd>{mailbox.umDialPlan}</dd>
            <dt>{t('umMailbox.extensions')}</dt>
            <dd>
              <ul class="plain">
                {mailbox.extensions.map((x) => (
                  <li key={x}>{x}</li>
                ))}
              </ul>
            </dd>
          </dl>
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
    </section>
  );
}
