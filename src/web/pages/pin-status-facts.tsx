/** A mailbox's PIN status as a list of facts: the admin center's UM mailbox page and the user's own page show the same. */
import type { PinStatus } from '../api-types.js';
import { formatDateTime, formatNumber } from '../format.js';
import { t } from '../i18n.js';

export function PinStatusFacts({ pin }: { pin: PinStatus }) {
  const yesNo = (v: boolean) => (v ? t('common.yes') : t('common.no'));
  return (
    <dl class="facts">
      <dt>{t('umMailbox.lockedOut')}</dt>
      <dd>{yesNo(pin.lockedOut)}</dd>
      {/* umpin's lock facts, shown where they say something: a timed lock's end, locks in a row */}
      {pin.lockedOut && pin.lockedUntil !== null && (
        <>
          <dt>{t('pinPolicy.lockedUntil')}</dt>
          <dd>{formatDateTime(pin.lockedUntil)}</dd>
        </>
      )}
      {pin.lockCount > 0 && (
        <>
          <dt>{t('pinPolicy.lockCount')}</dt>
          <dd>{formatNumber(pin.lockCount)}</dd>
        </>
      )}
      {!pin.pinChangeAllowed && (
        <>
          <dt>{t('pinPolicy.pinChangeAllowed')}</dt>
          <dd>{yesNo(false)}</dd>
        </>
      )}
      <dt>{t('umMailbox.pinExpired')}</dt>
      <dd>{yesNo(pin.pinExpired)}</dd>
      <dt>{t('umMailbox.firstTimeUser')}</dt>
      <dd>{yesNo(pin.firstTimeUser)}</dd>
      <dt>{t('umMailbox.pinAge')}</dt>
      <dd>{t('umMailbox.pinAgeDays', { days: Math.floor(pin.pinAgeDays) })}</dd>
      <dt>{t('umMailbox.failedAttempts')}</dt>
      <dd>{t('umMailbox.failedAttemptsCount', { count: pin.failedAttempts })}</dd>
      <dt>{t('um.lastFailure')}</dt>
      <dd>{pin.lastFailureAt === null ? t('um.lastFailureNone') : formatDateTime(pin.lastFailureAt)}</dd>
      {pin.lastFailureAt !== null && (
        <>
          <dt>{t('um.callingNumber')}</dt>
          <dd>{pin.lastFailureCaller ?? t('um.callingNumberUnknown')}</dd>
        </>
      )}
    </dl>
  );
}
