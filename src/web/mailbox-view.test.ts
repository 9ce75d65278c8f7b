import { describe, expect, it } from 'vitest';
import { mailboxesCsv } from './mailbox-csv.js';
import { listUrl, toggledSort, viewFromQuery, viewQuery } from './mailbox-view.js';

describe('the mailbox list view', () => {
  it('is kept in the URL and read back from it, unknown values left at their defaults', () => {
    const v = viewFromQuery('?search=tony&filter=locked&sort=-address');
    expect(v).toEqual({ search: 'tony', filter: 'locked', sort: { column: 'address', descending: true } });
    expect(viewQuery(v)).toBe('?search=tony&filter=locked&sort=-address');
    expect(viewFromQuery('?filter=LockedOut&sort=Pin')).toEqual(viewFromQuery(''));
    expect(viewQuery(viewFromQuery(''))).toBe('');
  });

  it('goes to the API as search, an OPATH filter and sortBy', () => {
    const url = new URL(listUrl(viewFromQuery('?search=+to&filter=expired'), 'c1', 50), 'http://x');
    expect(url.pathname).toBe('/api/v1/um-mailboxes');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      limit: '50',
      search: 'to',
      filter: 'PinExpired -eq $true',
      sortBy: 'DisplayName',
      cursor: 'c1',
    });
    const sorted = toggledSort(toggledSort({ column: 'displayName', descending: false }, 'address'), 'address');
    expect(
      new URL(listUrl({ search: '', filter: null, sort: sorted }, null, 5), 'http://x').searchParams.get('sortBy'),
    ).toBe('-PrimarySmtpAddress');
  });

  it('exports as CSV with quoted fields and the PIN state, an unknown state left empty', () => {
    const row = {
      identity: '1',
      displayName: 'Smith, "Tony"',
      alias: 'tonysmith',
      primarySmtpAddress: 'tonysmith@contoso.com',
      extensions: ['10231', '10232'],
      umMailboxPolicy: 'P',
      umDialPlan: 'D',
      sipResourceIdentifier: null,
      umEnabled: true as const,
      enabledAt: 0,
      pinStatus: { lockedOut: true, pinExpired: false, firstTimeUser: true },
    };
    const h = {
      displayName: 'Name',
      address: 'Address',
      extensions: 'Ext',
      lockedOut: 'L',
      pinExpired: 'E',
      firstTimeUser: 'F',
    };
    expect(mailboxesCsv([row, { ...row, pinStatus: null }], h)).toBe(
      '\uFEFF"Name","Address","Ext","L","E","F"\r\n' +
        '"Smith, ""Tony""","tonysmith@contoso.com","10231;10232","True","False","True"\r\n' +
        '"Smith, ""Tony""","tonysmith@contoso.com","10231;10232","","",""\r\n',
    );
  });
});
