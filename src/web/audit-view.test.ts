/** The audit log page's filter: the URL round trip and the one request it makes. */
import { describe, expect, it } from 'vitest';
import { auditUrl, auditViewFromQuery, auditViewQuery, EMPTY_AUDIT_VIEW, errorSummary } from './audit-view.js';

describe('audit log view', () => {
  it('keeps the filters in the query string and reads them back', () => {
    const view = {
      cmdlet: 'Set-UMMailboxPIN',
      target: 'tonysmith@contoso.com',
      actor: 'admin:olivia',
      from: '2026-12-01',
      to: '2026-12-06',
      result: 'success' as const,
    };
    const query = auditViewQuery(view);
    expect(query).toBe(
      '?cmdlet=Set-UMMailboxPIN&target=tonysmith%40contoso.com&actor=admin%3Aolivia&from=2026-12-01&to=2026-12-06&result=success',
    );
    expect(auditViewFromQuery(query)).toEqual(view);
    expect(auditViewQuery(EMPTY_AUDIT_VIEW)).toBe('');
  });

  it('ignores what is not a filter value: a malformed day, an unknown result', () => {
    expect(auditViewFromQuery('?from=yesterday&result=maybe&cmdlet=%20Sign-In%20')).toEqual({
      ...EMPTY_AUDIT_VIEW,
      cmdlet: 'Sign-In',
    });
  });

  it('asks for one page, newest first, with the days as instants of the local day from its start to its end', () => {
    const url = new URL(
      auditUrl({ ...EMPTY_AUDIT_VIEW, cmdlet: 'Set-UMMailboxPIN', from: '2026-12-01', to: '2026-12-01' }, 'abc', 50),
      'http://x',
    );
    const q = url.searchParams;
    expect(url.pathname).toBe('/api/v1/audit');
    expect([q.get('order'), q.get('limit'), q.get('cmdlets'), q.get('cursor')]).toEqual([
      'newest',
      '50',
      'Set-UMMailboxPIN',
      'abc',
    ]);
    const start = Date.parse(q.get('startDate')!);
    const end = Date.parse(q.get('endDate')!);
    expect(start).toBe(new Date(2026, 11, 1).getTime());
    expect(end).toBe(new Date(2026, 11, 2).getTime() - 1);
    expect(q.has('objectIds') || q.has('userIds') || q.has('result')).toBe(false);
  });

  it("explains an entry's error code from the shared catalog, in each language", () => {
    expect(errorSummary('UMPIN_PIN_TOO_SHORT', 'en')).toMatch(/^The PIN must be at least … digits long/);
    expect(errorSummary('UMPIN_PIN_TOO_SHORT', 'zh-TW')).toContain('PIN');
    expect(errorSummary('550', 'en')).toBeNull();
  });
});
