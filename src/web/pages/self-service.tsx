/**
 * The users' own page, `/me`, as Outlook Web App's voice mail options: sign in with a one-time
 * code mailed to the mailbox, see the PIN status, and reset the PIN to a generated one mailed to
 * the user's own address. Its session (and CSRF token) lives here in memory, apart from the
 * admin center's; the code leaves the page's DOM as soon as it is sent.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../api.js';
import type { MyUmMailboxView, PinStatus, SetPinOutcome, SignedIn } from '../api-types.js';
import { t } from '../i18n.js';
import { PageFrame } from '../page-frame.js';
import { PinStatusFacts } from './pin-status-facts.js';

type Step =
  | { at: 'identity' }
  | { at: 'code'; identity: string; minutes: number }
  | { at: 'signed-in'; csrfToken: string }
  | { at: 'reset'; csrfToken: string; mailTo: string | null };

export function SelfServicePage() {
  const [step, setStep] = useState<Step>({ at: 'identity' });
  const [expired, setExpired] = useState(false);
  const csrfToken = step.at === 'signed-in' || step.at === 'reset' ? step.csrfToken : undefined;

  const signOut = async () => {
    try {
      await api('DELETE', '/api/v1/session', undefined, { redirectOn401: false, csrfToken });
    } catch {
      // signed out already: the session ended
    }
    setExpired(false);
    setStep({ at: 'identity' });
  };
  /** Any call that finds the session over starts again at the first step, saying why. */
  const ended = (err: unknown): boolean => {
    if (!(err instanceof ApiError) || err.status !== 401) return false;
    setExpired(true);
    setStep({ at: 'identity' });
    return true;
  };

  return (
    <PageFrame
      title={t('me.title')}
      barEnd={
        csrfToken && (
          <span class="who">
            <button type="button" onClick={() => void signOut()}>
              {t('header.signOut')}
            </button>
          </span>
        )
      }
    >
      <main id="main" tabIndex={-1}>
        {step.at === 'identity' && (
          <IdentityStep expired={expired} onSent={(identity, minutes) => setStep({ at: 'code', identity, minutes })} />
        )}
        {step.at === 'code' && (
          <CodeStep
            identity={step.identity}
            minutes={step.minutes}
            onSignedIn={(token) => {
              setExpired(false);
              setStep({ at: 'signed-in', csrfToken: token });
            }}
            onBack={() => setStep({ at: 'identity' })}
          />
        )}
        {step.at === 'signed-in' && (
          <MyPin
            csrfToken={step.csrfToken}
            ended={ended}
            onReset={(mailTo) => setStep({ at: 'reset', csrfToken: step.csrfToken, mailTo })}
          />
        )}
        {step.at === 'reset' && (
          <ResetDone
            mailTo={step.mailTo}
            ended={ended}
            onBack={() => setStep({ at: 'signed-in', csrfToken: step.csrfToken })}
          />
        )}
      </main>
    </PageFrame>
  );
}

function IdentityStep({ expired, onSent }: { expired: boolean; onSent: (identity: string, minutes: number) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const identity = String(new FormData(e.currentTarget as HTMLFormElement).get('identity')).trim();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ expiresInMinutes: number }>(
        'POST',
        '/api/v1/self/sign-in-codes',
        { identity },
        { redirectOn401: false },
      );
      onSent(identity, r.expiresInMinutes);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="me-sign-in">
      <h1 id="me-sign-in">{t('me.signInTitle')}</h1>
      {expired && <p role="status">{t('me.expired')}</p>}
      <p>{t('me.signInIntro')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {t('me.identity')}
          <input name="identity" type="email" autocomplete="email" required />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('me.sendCode')}
        </button>
      </form>
    </section>
  );
}

function CodeStep({
  identity,
  minutes,
  onSignedIn,
  onBack,
}: {
  identity: string;
  minutes: number;
  onSignedIn: (csrfToken: string) => void;
  onBack: () => void;
}) {
  const codeField = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => codeField.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const code = codeField.current?.value ?? '';
    // the code leaves the page's DOM as soon as it is on its way
    if (codeField.current) codeField.current.value = '';
    setBusy(true);
    setError(null);
    try {
      const r = await api<SignedIn>('POST', '/api/v1/self/session', { identity, code }, { redirectOn401: false });
      onSignedIn(r.csrfToken);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
      codeField.current?.focus();
    }
  };
  return (
    <section class="card" aria-labelledby="me-code">
      <h1 id="me-code">{t('me.codeTitle')}</h1>
      <p role="status">{t('me.codeSent', { address: identity, minutes })}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {t('me.code')}
          <input ref={codeField} name="code" autocomplete="one-time-code" spellcheck={false} required />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {t('me.signIn')}
          </button>
          <button type="button" onClick={onBack}>
            {t('me.otherAddress')}
          </button>
        </div>
      </form>
    </section>
  );
}

function MyPin({
  csrfToken,
  ended,
  onReset,
}: {
  csrfToken: string;
  ended: (err: unknown) => boolean;
  onReset: (mailTo: string | null) => void;
}) {
  const [mailbox, setMailbox] = useState<MyUmMailboxView | null>(null);
  const [pin, setPin] = useState<PinStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const resetButton = useRef<HTMLButtonElement>(null);
  // focus goes back to the button once the dialog is gone (cancelled, or the reset refused)
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (wasConfirming.current && !confirming) resetButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  useEffect(() => {
    const opts = { redirectOn401: false };
    Promise.all([
      api<MyUmMailboxView>('GET', '/api/v1/self/mailbox', undefined, opts).then(setMailbox),
      api<PinStatus>('GET', '/api/v1/self/pin', undefined, opts).then(setPin),
    ]).catch((err) => ended(err) || setError(errorText(err)));
  }, []);

  // PinChangeAllowed $false (Set-UMMailbox): the service refuses the reset; the page says so before it is tried
  const locked = mailbox?.pinChangeAllowed === false;

  const reset = async () => {
    setError(null);
    try {
      const r = await api<SetPinOutcome>('POST', '/api/v1/self/pin/reset', {}, { redirectOn401: false, csrfToken });
      onReset(r.mailTo);
    } catch (err) {
      setConfirming(false);
      if (!ended(err)) setError(errorText(err));
    }
  };

  return (
    <section aria-labelledby="me-pin">
      <h1 id="me-pin">
        {t('me.pinTitle')}
        {mailbox && <span class="subtitle">{mailbox.displayName}</span>}
      </h1>
      {mailbox && <p>{mailbox.primarySmtpAddress}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {locked && (
        <p id="me-pin-locked" class="notice">
          {t('pinPolicy.selfNoChange')}
        </p>
      )}
      <div class="toolbar">
        <button
          type="button"
          class="primary"
          ref={resetButton}
          disabled={!mailbox || locked}
          aria-describedby={locked ? 'me-pin-locked' : undefined}
          onClick={() => setConfirming(true)}
        >
          {t('me.resetPin')}
        </button>
      </div>
      {pin && <PinStatusFacts pin={pin} />}
      {mailbox && <VoiceAccess numbers={mailbox.voiceAccessNumbers} extensions={mailbox.extensions} />}
      {confirming && mailbox && (
        <ConfirmReset address={mailbox.primarySmtpAddress} onConfirm={reset} onCancel={() => setConfirming(false)} />
      )}
    </section>
  );
}

function VoiceAccess({ numbers, extensions }: { numbers: readonly string[]; extensions: readonly string[] }) {
  return (
    <dl class="facts">
      <dt>{t('me.voiceAccess')}</dt>
      <dd>{numbers.length ? numbers.join(', ') : t('me.voiceAccessUnknown')}</dd>
      <dt>{t('umMailbox.extensions')}</dt>
      <dd>{extensions.join(', ')}</dd>
    </dl>
  );
}

function ConfirmReset({
  address,
  onConfirm,
  onCancel,
}: {
  address: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
    return () => dialog.current?.close();
  }, []);
  // closed before the page hears of it, so the page can move focus back to its button
  const cancel = () => {
    dialog.current?.close();
    onCancel();
  };
  return (
    <dialog
      ref={dialog}
      aria-labelledby="me-confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        cancel();
      }}
    >
      <h2 id="me-confirm-title">{t('me.confirmTitle')}</h2>
      <p>{t('me.confirmText', { address })}</p>
      <div class="buttons">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onConfirm();
          }}
        >
          {t('me.confirmReset')}
        </button>
        <button type="button" onClick={cancel}>
          {t('resetPin.cancel')}
        </button>
      </div>
    </dialog>
  );
}

function ResetDone({
  mailTo,
  ended,
  onBack,
}: {
  mailTo: string | null;
  ended: (err: unknown) => boolean;
  onBack: () => void;
}) {
  const [numbers, setNumbers] = useState<readonly string[] | null>(null);
  // PINDelivery Link: the mail holds a one-time link to the PIN, and the steps say so
  const [byLink, setByLink] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    api<MyUmMailboxView>('GET', '/api/v1/self/mailbox', undefined, { redirectOn401: false }).then(
      (m) => {
        setNumbers(m.voiceAccessNumbers);
        setByLink(m.pinDelivery === 'Link');
      },
      (err) => ended(err),
    );
  }, []);
  const call = numbers?.length ? numbers.join(', ') : null;
  return (
    <section aria-labelledby="me-done">
      <h1 id="me-done" ref={heading} tabIndex={-1}>
        {t('me.doneTitle')}
      </h1>
      <p role="status">
        {mailTo ? t(byLink ? 'pinLink.doneMailed' : 'me.doneMailed', { address: mailTo }) : t('me.doneNoMail')}
      </p>
      <h2>{t('me.nextTitle')}</h2>
      <ol>
        <li>{call ? t('me.nextCall', { numbers: call }) : t('me.nextCallUnknown')}</li>
        <li>{t(byLink ? 'pinLink.nextEnter' : 'me.nextEnter')}</li>
        <li>{t('me.nextChoose')}</li>
      </ol>
      <button type="button" onClick={onBack}>
        {t('me.back')}
      </button>
    </section>
  );
}
