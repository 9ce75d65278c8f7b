/** Sign-in with an administrator account; afterwards, back to the page the user was sent from. */
import { useState } from 'preact/hooks';
import { api, errorText, session, sessionExpired } from '../api.js';
import type { SignedIn } from '../api-types.js';
import { t } from '../i18n.js';
import { navigate, path, safeNext } from '../router.js';

/** Signs in and keeps the CSRF token (in memory) for the session's writes. */
export async function signIn(name: string, password: string): Promise<void> {
  const r = await api<SignedIn>('POST', '/api/v1/session', { name, password }, { redirectOn401: false });
  session.value = { name, csrfToken: r.csrfToken, permissions: r.actor.permissions };
  sessionExpired.value = false;
}

export function SignInPage() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(new URLSearchParams(path.value.split('?')[1] ?? '').get('next')) ?? '/mailboxes';

  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(data.get('name')), String(data.get('password')));
      navigate(next, { replace: true });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      {sessionExpired.value && <p role="status">{t('signIn.expired')}</p>}
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {t('signIn.name')}
          <input name="name" autocomplete="username" required />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
