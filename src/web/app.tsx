/** The admin center's frame, as the Exchange admin center lays it out: a header, the left navigation, the page. */
import { useEffect } from 'preact/hooks';
import { api, session, signInPath } from './api.js';
import { EnableUmWizard } from './pages/enable-um-wizard.js';
import { appTitle, language, t } from './i18n.js';
import { PageFrame } from './page-frame.js';
import { DialPlanPage } from './pages/dial-plan.js';
import { DialPlansPage } from './pages/dial-plans.js';
import { OpsNav } from './ops-nav.js';
import { AdministratorsPage } from './pages/administrators.js';
import { ApiTokensPage } from './pages/api-tokens.js';
import { AuditLogPage } from './pages/audit-log.js';
import { MailDeliveryPage } from './pages/mail-delivery.js';
import { MailboxesPage } from './pages/mailboxes.js';
import { MailboxPolicyPage } from './pages/mailbox-policy.js';
import { PinLinkPage } from './pages/pin-link.js';
import { SelfServicePage } from './pages/self-service.js';
import { SetupPage } from './pages/setup.js';
import { SignInPage } from './pages/sign-in.js';
import { UmMailboxPage } from './pages/um-mailbox.js';
import { navigate, path } from './router.js';
import { installShortcuts, shortcutsHelpOpen } from './shortcuts.js';
import { ShortcutsDialog } from './shortcuts-dialog.js';

const UM_MAILBOX = /^\/mailboxes\/([^/?]+)\/um$/;
const DIAL_PLAN = /^\/um-dial-plans\/([^/?]+)$/;
const MAILBOX_POLICY = /^\/um-mailbox-policies\/([^/?]+)$/;
const ENABLE_UM = /^\/mailboxes\/([^/?]+)\/enable-um$/;
/** A PIN mail's one-time link (PINDelivery Link): the users' own, like /me. */
const PIN_LINK = /^\/me\/pin\/([^/?]+)$/;

export function App() {
  const route = path.value.split('?')[0]!;
  const signedIn = session.value !== null;
  // the self-service page is the users' own, with its own header and sign-in
  const pinLink = PIN_LINK.exec(route);
  const self = route === '/me' || pinLink !== null;
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

  if (pinLink) return <PinLinkPage key={route} token={decodeURIComponent(pinLink[1]!)} />;
  if (self) return <SelfServicePage />;

  let page = <p>{t('common.notFound')}</p>;
  const um = UM_MAILBOX.exec(route);
  const enableUm = ENABLE_UM.exec(route);
  if (route === '/setup') page = <SetupPage />;
  else if (route === '/sign-in') page = <SignInPage />;
  else if (!signedIn) page = <p>{t('common.loading')}</p>;
  else if (route === '/mailboxes') page = <MailboxesPage />;
  else if (um) page = <UmMailboxPage identity={decodeURIComponent(um[1]!)} />;
  else if (route === '/um-dial-plans') page = <DialPlansPage />;
  // keyed by the path, so another dial plan or policy starts with a fresh form
  else if (DIAL_PLAN.test(route))
    page = <DialPlanPage key={route} identity={decodeURIComponent(DIAL_PLAN.exec(route)![1]!)} />;
  else if (MAILBOX_POLICY.test(route))
    page = <MailboxPolicyPage key={route} identity={decodeURIComponent(MAILBOX_POLICY.exec(route)![1]!)} />;
  else if (enableUm) page = <EnableUmWizard identity={decodeURIComponent(enableUm[1]!)} />;
  else if (route === '/audit') page = <AuditLogPage />;
  else if (route === '/mail-delivery') page = <MailDeliveryPage />;
  else if (route === '/api-tokens') page = <ApiTokensPage />;
  else if (route === '/administrators') page = <AdministratorsPage />;

  return (
    <PageFrame title={t('app.title')} barEnd={session.value && <SignedInAs name={session.value.name} />}>
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
            <p class="group">{t('org.nav.group')}</p>
            <a
              href="/um-dial-plans"
              // the policies are reached from their dial plan, as in the Exchange admin center
              aria-current={
                route.startsWith('/um-dial-plans') || route.startsWith('/um-mailbox-policies') ? 'page' : undefined
              }
              onClick={(e) => {
                e.preventDefault();
                navigate('/um-dial-plans');
              }}
            >
              {t('org.nav.dialPlans')}
            </a>
            <OpsNav route={route} />
          </nav>
        )}
        <main id="main" tabIndex={-1}>
          {page}
        </main>
        {signedIn && shortcutsHelpOpen.value && <ShortcutsDialog />}
      </div>
    </PageFrame>
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
