/** First run: the one-time setup token `umpin serve` printed creates the first Organization Management account. */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { signIn } from './sign-in.js';

export function SetupPage() {
  const [required, setRequired] = useState<boolean | null>(null);
  const [error, setError] = useState<{ field: string | undefined; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ required: boolean }>('GET', '/api/v1/setup').then(
      (r) => setRequired(r.required),
      (err) => setError({ field: undefined, text: errorText(err) }),
    );
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const name = String(data.get('name'));
    const password = String(data.get('password'));
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/v1/setup', { token: String(data.get('token')).trim(), name, password });
      await signIn(name, password);
      navigate('/mailboxes', { replace: true });
    } catch (err) {
      setError({ field: (err as { field?: string }).field, text: errorText(err) });
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('setup.title')}</h1>
      {required === null && !error && <p>{t('common.loading')}</p>}
      {required === false && (
        <>
          <p>{t('setup.done')}</p>
          <a
            href="/sign-in"
            onClick={(e) => {
              e.preventDefault();
              navigate('/sign-in');
            }}
          >
            {t('setup.goSignIn')}
          </a>
        </>
      )}
      {required && (
        <form onSubmit={(e) => void submit(e)}>
          <p>{t('setup.intro')}</p>
          <label>
            {t('setup.token')}
            <input name="token" autocomplete="off" spellcheck={false} required />
          </label>
          <label>
            {t('setup.name')}
            <input name="name" autocomplete="username" required />
          </label>
          <label>
            {t('setup.password')}
            <input name="password" type="password" autocomplete="new-password" minLength={12} required />
          </label>
          {error && (
            <p class="error" role="alert">
              {error.text}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {t('setup.submit')}
          </button>
        </form>
      )}
      {required === null && error && (
        <p class="error" role="alert">
          {error.text}
        </p>
      )}
    </section>
  );
}
