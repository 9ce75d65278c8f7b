import { describe, expect, it } from 'vitest';
import { mailboxesCsv } from './mailbox-csv.js';
import {
  isUmView,
  listUrl,
  rowOfRecipient,
  rowOfUmMailbox,
  sortable,
  toggledSort,
  viewFromQuery,
  viewQuery,
} from './mailbox-view.js';

describe('the mailbox list view', () => {
  it('is kept in the URL and read back from it, unknown values left at their defaults', () => {
    const v = viewFromQuery('?search=tony&filter=locked&sort=-address');
    expect(v).toEqual({ search: 'tony', filter: 'locked', sort: { column: 'address', descending: true } });
    expect(viewQuery(v)).toBe('?search=tony&filter=locked&sort=-address');
    expect(viewFromQuery('?filter=LockedOut&sort=Pin')).toEqual(viewFromQuery(''));
    expect(viewQuery(viewFromQuery(''))).toBe('');
    expect(viewQuery(viewFromQuery('?filter=notUm'))).toBe('?filter=notUm');
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
      new URL(listUrl({ search: '', filter: 'um', sort: sorted }, null, 5), 'http://x').searchParams.get('sortBy'),
    ).toBe('-PrimarySmtpAddress');
  });

  it('lists every mailbox from Get-Mailbox, the UM ones and their PIN states from Get-UMMailbox', () => {
    const all = viewFromQuery('?sort=extension');
    expect(isUmView(all)).toBe(false);
    // Get-Mailbox cannot sort by extension: the list falls back to the display name
    expect(sortable(all, 'extension')).toBe(false);
    const url = new URL(listUrl(all, null, 100), 'http://x');
    expect(url.pathname).toBe('/api/v1/recipients');
    expect(url.searchParams.get('sortBy')).toBe('DisplayName');
    const notUm = new URL(listUrl(viewFromQuery('?filter=notUm&search=kim'), null, 10), 'http://x');
    expect(notUm.pathname).toBe('/api/v1/recipients');
    expect(Object.fromEntries(notUm.searchParams)).toEqual({
      limit: '10',
      search: 'kim',
      umEnabled: 'false',
      sortBy: 'DisplayName',
    });
    const um = new URL(listUrl(viewFromQuery('?filter=um&sort=-extension'), null, 10), 'http://x');
    expect(um.pathname).toBe('/api/v1/um-mailboxes');
    expect(Object.fromEntries(um.searchParams)).toEqual({ limit: '10', sortBy: '-Extensions' });
    expect(isUmView(viewFromQuery('?filter=firstTime'))).toBe(true);
  });

  it('makes one kind of row of both lists', () => {
    const base = {
      id: 'g1',
      alias: 'kim',
      primarySmtpAddress: 'kim@contoso.com',
      userPrincipalName: 'kim@contoso.com',
      displayName: 'Kim Akers',
      language: null,
      createdAt: 0,
      updatedAt: 0,
    };
    expect(rowOfRecipient({ ...base, umMailbox: null })).toEqual({
      id: 'g1',
      displayName: 'Kim Akers',
      primarySmtpAddress: 'kim@contoso.com',
      extensions: [],
      umEnabled: false,
      pinStatus: null,
    });
    expect(
      rowOfRecipient({ ...base, umMailbox: { umMailboxPolicy: 'P', umDialPlan: 'D', extensions: ['1'] } }).umEnabled,
    ).toBe(true);
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
      subscriberAccessEnabled: true,
      pinlessAccessToVoiceMailEnabled: false,
      operatorNumber: null,
      pinChangeAllowed: true,
      pinStatus: { lockedOut: true, pinExpired: false, firstTimeUser: true },
    };
    const h = {
      displayName: 'Name',
      address: 'Address',
      extensions: 'Ext',
      umEnabled: 'UM',
      lockedOut: 'L',
      pinExpired: 'E',
      firstTimeUser: 'F',
    };
    const rows = [rowOfUmMailbox(row), rowOfUmMailbox({ ...row, pinStatus: null })];
    expect(mailboxesCsv(rows, h, { pinStatus: true })).toBe(
      '\uFEFF"Name","Address","Ext","L","E","F"\r\n' +
        '"Smith, ""Tony""","tonysmith@contoso.com","10231;10232","True","False","True"\r\n' +
        '"Smith, ""Tony""","tonysmith@contoso.com","10231;10232","","",""\r\n',
    );
    // all mailboxes: whether UM is enabled instead of the PIN state
    expect(mailboxesCsv([{ ...rows[0]!, umEnabled: false }], h, { pinStatus: false })).toBe(
      '\uFEFF"Name","Address","Ext","UM"\r\n"Smith, ""Tony""","tonysmith@contoso.com","10231;10232","False"\r\n',
    );
  });
});
