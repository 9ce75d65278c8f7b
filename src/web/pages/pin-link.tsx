/**
 * The page a PIN mail's one-time link opens (PINDelivery Link), /me/pin/<token>: opening it only
 * asks whether the link still works (mail scanners and link previews open links too); the PIN is
 * fetched by the button, shown on this page alone and kept in its memory only, never in storage.
 * Whether the link works, and for whom, the service decides; the page says what it answered.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText } from '../api.js';
import type { PinLinkStatusView, ShownPinView } from '../api-types.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { PageFrame } from '../page-frame.js';

type View =
  | { at: 'checking' }
  | { at: 'ready'; status: PinLinkStatusView }
  | { at: 'shown'; shown: ShownPinView }
  | { at: 'gone'; reason: 'used' | 'expired' | 'replaced' }
  | { at: 'failed'; message: string };

/** What a refusal of the show call means for the page: the link is gone, or the message says what to do. */
const GONE: Record<string, 'used' | 'expired' | 'replaced'> = {
  UMPIN_PIN_LINK_USED: 'used',
  UMPIN_PIN_LINK_EXPIRED: 'expired',
  UMPIN_PIN_LINK_REPLACED: 'replaced',
};

export function PinLinkPage({ token }: { token: string }) {
  const [view, setView] = useState<View>({ at: 'checking' });
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    api<PinLinkStatusView>('POST', '/api/v1/self/pin-links/status', { token }, { redirectOn401: false }).then(
      (status) => setView(status.state === 'ready' ? { at: 'ready', status } : { at: 'gone', reason: status.state }),
      (err) => setView({ at: 'failed', message: errorText(err) }),
    );
  }, [token]);

  // a new state is announced by moving to the heading, as after a page load
  useEffect(() => {
    if (view.at !== 'checking') heading.current?.focus();
  }, [view.at]);

  const show = async () => {
    setBusy(true);
    try {
      const shown = await api<ShownPinView>('POST', '/api/v1/self/pin-links/show', { token }, { redirectOn401: false });
      setView({ at: 'shown', shown });
    } catch (err) {
      const gone = err instanceof ApiError ? GONE[err.issue.code] : undefined;
      setView(gone ? { at: 'gone', reason: gone } : { at: 'failed', message: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageFrame title={t('me.title')}>
      <main id="main" tabIndex={-1}>
        <section class="card pin-link" aria-labelledby="pin-link-title">
          <h1 id="pin-link-title" ref={heading} tabIndex={-1}>
            {t('pinLink.title')}
          </h1>
          {view.at === 'checking' && <p role="status">{t('pinLink.checking')}</p>}
          {view.at === 'ready' && (
            <>
              <p>{t('pinLink.intro')}</p>
              <p>{t('pinLink.validUntil', { when: formatDateTime(view.status.expiresAt) })}</p>
              {view.status.requiresSignIn && (
                <p class="notice">
                  {t('pinLink.signInNeeded')} <a href="/me">{t('pinLink.signIn')}</a>
                </p>
              )}
              <button type="button" class="primary" disabled={busy} onClick={() => void show()}>
                {busy ? t('pinLink.showing') : t('pinLink.show')}
              </button>
            </>
          )}
          {view.at === 'shown' && (
            <>
              <p class="pin-link-label">{t('pinLink.pinLabel', { address: view.shown.userId })}</p>
              <p class="pin-link-value">{view.shown.pin}</p>
              <p>{t('pinLink.shownNote')}</p>
            </>
          )}
          {view.at === 'gone' && (
            <>
              <p role="alert">{t(`pinLink.${view.reason}`)}</p>
              <a href="/me">{t('pinLink.newReset')}</a>
            </>
          )}
          {view.at === 'failed' && (
            <>
              <p class="error" role="alert">
                {view.message}
              </p>
              <a href="/me">{t('pinLink.newReset')}</a>
            </>
          )}
        </section>
      </main>
    </PageFrame>
  );
}
