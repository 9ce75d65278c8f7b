/** The admin center's frame, as the Exchange admin center lays it out: a header, the left navigation, the page. */
import { useEffect } from 'preact/hooks';
import { api, session, signInPath } from './api.js';
import { appTitle, language, t } from './i18n.js';
import { LanguageSelect } from './language-select.js';
import { MailboxesPage } from './pages/mailboxes.js';
import { SelfServicePage } from './pages/self-service.js';
import { SetupPage } from './pages/setup.js';
import { SignInPage } from './pages/sign-in.js';
import { UmMailboxPage } from './pages/um-mailbox.js';
import { navigate, path } from './router.js';
import { installShortcuts, shortcutsHelpOpen } from './shortcuts.js';
import { ShortcutsDialog } from './shortcuts-dialog.js';

const UM_MAILBOX = /^\/mailboxes\/([^/?]+)\/um$/;

export function App() {
  const route = path.value.split('?')[0]!;
  const signedIn = session.value !== null;
  // the self-service page is the users' own, with its own header and sign-in
  const self = route === '/me';
  const open = self || route === '/setup' || route === '/sign-in';

  useEffect(() => {
    document.title = self ? t('me.title') : appTitle.value;
  }, [language.value, self]);

  useEffect(() => {
    if (route === '/') navigate('/mailboxes', { replace: true });
    else if (!open && !signedIn) navigate(signInPath(path.value), { replace: true });
  }, [route, signedIn, open]);

  // first run: no administrator yet, so setup is the only way in
  useEffect(() => {
    if (route !== '/sign-in') return;
    api<{ required: boolean }>('GET', '/api/v1/setup').then(
      (r) => r.required && navigate('/setup', { replace: true }),
      () => undefined,
    );
  }, [route]);

  // the keyboard shortcuts (`/`, `r`, `u`, Esc, Ctrl+Enter, `?`), once for every page of the admin center
  useEffect(() => (self ? undefined : installShortcuts(document)), [self]);

  if (self) return <SelfServicePage />;

  let page = <p>{t('common.notFound')}</p>;
  const um = UM_MAILBOX.exec(route);
  if (route === '/setup') page = <SetupPage />;
  else if (route === '/sign-in') page = <SignInPage />;
  else if (!signedIn) page = <p>{t('common.loading')}</p>;
  else if (route === '/mailboxes') page = <MailboxesPage />;
  else if (um) page = <UmMailboxPage identity={decodeURIComponent(um[1]!)} />;

  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header class="top">
        <span class="brand">{t('app.title')}</span>
        <LanguageSelect />
        {session.value && <SignedInAs name={session.value.name} />}
      </header>
      <div class="body">
        {signedIn && (
          <nav class="left" aria-label={t('nav.label')}>
            <p class="group">{t('nav.recipients')}</p>
            <a
              href="/mailboxes"
              aria-current={route.startsWith('/mailboxes') ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate('/mailboxes');
              }}
            >
              {t('nav.mailboxes')}
            </a>
          </nav>
        )}
        <main id="main" tabIndex={-1}>
          {page}
        </main>
        {signedIn && shortcutsHelpOpen.value && <ShortcutsDialog />}
      </div>
    </div>
  );
}

function SignedInAs({ name }: { name: string }) {
  const signOut = async () => {
    try {
      await api('DELETE', '/api/v1/session', undefined, { redirectOn401: false });
    } catch {
      // signed out already: the cookie is gone or the session ended
    }
    session.value = null;
    navigate('/sign-in', { replace: true });
  };
  return (
    <span class="who">
      <span>{t('header.signedInAs', { name })}</span>
      <button type="button" onClick={() => void signOut()}>
        {t('header.signOut')}
      </button>
    </span>
  );
}
