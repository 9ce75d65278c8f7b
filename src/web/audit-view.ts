/**
 * The audit log page's filter: read from and written to the page's URL (so a search can be
 * bookmarked), and turned into one Search-AdminAuditLog request that the server filters.
 */
import { type ErrorLanguage, isErrorCode } from '../domain/errors.js';
import { en as errorsEn } from '../domain/error-messages-en.js';
import { zhTW as errorsZhTW } from '../domain/error-messages-zh-tw.js';

export type AuditResult = 'success' | 'failure';

export interface AuditView {
  cmdlet: string;
  target: string;
  actor: string;
  /** days as <input type=date> gives them (yyyy-mm-dd), in the browser's time zone; '' = open */
  from: string;
  to: string;
  result: AuditResult | '';
}

export const EMPTY_AUDIT_VIEW: AuditView = { cmdlet: '', target: '', actor: '', from: '', to: '', result: '' };

/** The cmdlets the audit log records most, offered as suggestions; any other can be typed. */
export const AUDITED_CMDLETS = [
  'Set-UMMailboxPIN',
  'Enable-UMMailbox',
  'Set-UMMailbox',
  'Disable-UMMailbox',
  'New-Mailbox',
  'Set-Mailbox',
  'Remove-Mailbox',
  'Import-Recipients',
  'New-UMDialPlan',
  'Set-UMDialPlan',
  'Remove-UMDialPlan',
  'New-UMMailboxPolicy',
  'Set-UMMailboxPolicy',
  'Remove-UMMailboxPolicy',
  'Set-OrganizationConfig',
  'Retry-DeadLetter',
  'New-AdminAccount',
  'Set-AdminAccount',
  'Set-AdminAccountPassword',
  'New-ApiToken',
  'Remove-ApiToken',
  'Sign-In',
  'Sign-Out',
  'Request-SignInCode',
  'Complete-Setup',
  'Detect-TollFraud',
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KEYS = ['cmdlet', 'target', 'actor', 'from', 'to', 'result'] as const;

export function auditViewFromQuery(search: string): AuditView {
  const q = new URLSearchParams(search);
  const text = (k: string) => (q.get(k) ?? '').trim();
  const day = (k: string) => (DAY.test(text(k)) ? text(k) : '');
  const result = text('result');
  return {
    cmdlet: text('cmdlet'),
    target: text('target'),
    actor: text('actor'),
    from: day('from'),
    to: day('to'),
    result: result === 'success' || result === 'failure' ? result : '',
  };
}

/** The page's query string for a view: only the filters set, '' for none. */
export function auditViewQuery(v: AuditView): string {
  const q = new URLSearchParams();
  for (const k of KEYS) if (v[k].trim() !== '') q.set(k, v[k].trim());
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** Midnight at the start of a local day, or the last millisecond of it, as an instant with its offset. */
function dayBound(day: string, end: boolean): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = end ? new Date(y, m - 1, d + 1).getTime() - 1 : new Date(y, m - 1, d).getTime();
  return new Date(at).toISOString();
}

/** One page of the search, newest first, from the cursor on. */
export function auditUrl(v: AuditView, cursor: string | null, limit: number): string {
  const q = new URLSearchParams({ order: 'newest', limit: String(limit) });
  if (v.cmdlet.trim()) q.set('cmdlets', v.cmdlet.trim());
  if (v.target.trim()) q.set('objectIds', v.target.trim());
  if (v.actor.trim()) q.set('userIds', v.actor.trim());
  if (v.from) q.set('startDate', dayBound(v.from, false));
  if (v.to) q.set('endDate', dayBound(v.to, true));
  if (v.result) q.set('result', v.result);
  if (cursor) q.set('cursor', cursor);
  return `/api/v1/audit?${q}`;
}

const ERROR_CATALOGS = { en: errorsEn, 'zh-TW': errorsZhTW } as const;
/** stands in for the details an entry does not keep (the log records the code alone) */
const UNKNOWN_DETAIL = '…';

/**
 * What an audit entry's error code means, from the shared error catalog. The log keeps the
 * code, not the details the message was made with, so those read as "…"; null for a code
 * the catalog does not have (an SMTP reply code, say).
 */
export function errorSummary(code: string, language: ErrorLanguage): string | null {
  if (!isErrorCode(code)) return null;
  const render = ERROR_CATALOGS[language][code] as (p: unknown) => string;
  const details = new Proxy({}, { get: (_t, key) => (key === 'field' ? undefined : UNKNOWN_DETAIL) });
  return render(details);
}
