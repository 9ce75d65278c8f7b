/** The details pane of a selected mailbox: Phone and Voice Features → Unified Messaging. */
import { useEffect, useRef } from 'preact/hooks';
import type { RecipientRow } from '../api-types.js';
import { t } from '../i18n.js';
import { umMailboxPath } from '../paths.js';
import { navigate } from '../router.js';

/** What the pane shows of a mailbox: whichever list it was selected in. */
export type DetailsRecipient = Pick<RecipientRow, 'id' | 'displayName' | 'primarySmtpAddress'> & {
  umMailbox: object | null;
};

export function DetailsPane({ recipient, onClose }: { recipient: DetailsRecipient; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // the pane's heading takes focus, so keyboard users land in what they opened
  useEffect(() => heading.current?.focus(), [recipient.id]);
  return (
    <aside class="details" aria-label={t('details.label', { name: recipient.displayName })}>
      <div class="details-head">
        <h2 ref={heading} tabIndex={-1}>
          {recipient.displayName}
        </h2>
        <button type="button" class="close" aria-label={t('details.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <p>{recipient.primarySmtpAddress}</p>
      <h3>{t('details.phoneAndVoice')}</h3>
      <dl>
        <dt>{t('details.unifiedMessaging')}</dt>
        <dd>{recipient.umMailbox ? t('details.umEnabled') : t('details.umDisabled')}</dd>
      </dl>
      {recipient.umMailbox && (
        <a
          href={umMailboxPath(recipient.id)}
          onClick={(e) => {
            e.preventDefault();
            navigate(umMailboxPath(recipient.id));
          }}
        >
          {t('details.viewDetails')}
        </a>
      )}
    </aside>
  );
}
