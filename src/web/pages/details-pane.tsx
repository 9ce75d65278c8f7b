/**
 * The details pane of a selected mailbox: Phone and Voice Features → Unified Messaging —
 * Enabled with View details, or Disabled with Enable (the Enable UM wizard), as in the
 * Exchange admin center.
 */
import { useEffect, useRef } from 'preact/hooks';
import { can } from '../can.js';
import { t } from '../i18n.js';
import type { ListRow } from '../mailbox-view.js';
import { enableUmPath, umMailboxPath } from '../paths.js';
import { navigate } from '../router.js';

export function DetailsPane({
  mailbox,
  focusRequest,
  onClose,
}: {
  mailbox: ListRow;
  /** changes when the pane should take focus (opened with Enter); a click or an arrow leaves focus in the list */
  focusRequest: number;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusRequest > 0) heading.current?.focus();
  }, [focusRequest]);
  const link = (href: string, label: string) => (
    <a
      href={href}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      {label}
    </a>
  );
  return (
    <aside class="details" aria-label={t('details.label', { name: mailbox.displayName })}>
      <div class="details-head">
        <h2 ref={heading} tabIndex={-1}>
          {mailbox.displayName}
        </h2>
        <button type="button" class="close" aria-label={t('details.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <p>{mailbox.primarySmtpAddress}</p>
      <h3>{t('details.phoneAndVoice')}</h3>
      <dl>
        <dt>{t('details.unifiedMessaging')}</dt>
        <dd>{mailbox.umEnabled ? t('details.umEnabled') : t('details.umDisabled')}</dd>
      </dl>
      {mailbox.umEnabled
        ? link(umMailboxPath(mailbox.id), t('details.viewDetails'))
        : can('mailbox:write') && link(enableUmPath(mailbox.id), t('list.details.enable'))}
    </aside>
  );
}
