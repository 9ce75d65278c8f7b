import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { Recipient } from '../domain/recipient.js';
import {
  getRecipient,
  importRecipientsCsv,
  listRecipients,
  newRecipient,
  removeRecipient,
  setRecipient,
} from './recipients.js';

describe.each(ENGINES)('recipients (%s)', (engine) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext(engine);
  });
  afterEach(async () => {
    await ctx.close();
  });

  const all = async (): Promise<Recipient[]> => (await listRecipients(ctx.deps, ADMIN, { limit: 1000 })).items;

  it('derives the alias, display name and UPN from the address when they are not given', async () => {
    const r = await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: ' TonySmith@contoso.com ' });
    expect(r).toMatchObject({
      primarySmtpAddress: 'TonySmith@contoso.com',
      alias: 'TonySmith',
      displayName: 'TonySmith',
      userPrincipalName: 'TonySmith@contoso.com',
      language: null,
    });
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await getRecipient(ctx.deps, ADMIN, r.id)).toEqual(r);
  });

  it('finds a recipient by GUID, alias, address, UPN, display name or DOMAIN\\alias, in any letter case', async () => {
    const r = await newRecipient(ctx.deps, ADMIN, {
      primarySmtpAddress: 'tony.smith@contoso.com',
      alias: 'tonysmith',
      displayName: 'Tony Smith',
      userPrincipalName: 'tsmith@corp.contoso.com',
    });
    await newRecipient(ctx.deps, ADMIN, {
      primarySmtpAddress: 'kim@contoso.com',
      alias: 'kimakers',
      displayName: 'Kim Akers',
    });
    for (const identity of [
      r.id,
      r.id.toUpperCase(),
      'tonysmith',
      'TONYSMITH',
      'Tony.Smith@Contoso.com',
      'TSMITH@corp.contoso.com',
      'tony smith',
      'CONTOSO\\tonysmith',
      'contoso\\TonySmith',
      '  tonysmith  ',
    ]) {
      expect((await getRecipient(ctx.deps, ADMIN, identity)).id, identity).toBe(r.id);
    }
  });

  it('an identity two recipients share is ambiguous; an unknown one is not found', async () => {
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'john.smith@contoso.com', displayName: 'John Smith' });
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'jsmith2@contoso.com', displayName: 'John Smith' });
    const amb = await failure(getRecipient(ctx.deps, ADMIN, 'john smith'));
    expect(amb.code).toBe('UMPIN_IDENTITY_AMBIGUOUS');
    expect(amb.params).toMatchObject({ count: 2 });
    // a unique value still finds each of them
    expect((await getRecipient(ctx.deps, ADMIN, 'jsmith2@contoso.com')).displayName).toBe('John Smith');
    const nf = await failure(getRecipient(ctx.deps, ADMIN, 'nobody@contoso.com'));
    expect(nf.code).toBe('UMPIN_IDENTITY_NOT_FOUND');
    expect(nf.field).toBe('Identity');
    expect((await failure(getRecipient(ctx.deps, ADMIN, '   '))).code).toBe('UMPIN_VALUE_REQUIRED');
  });

  it('refuses a second recipient with the same address, alias or UPN in any letter case', async () => {
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'tonysmith@contoso.com' });
    const cases: Array<[Parameters<typeof newRecipient>[2], string]> = [
      [{ primarySmtpAddress: 'TONYSMITH@contoso.com', alias: 'other1' }, 'PrimarySmtpAddress'],
      [{ primarySmtpAddress: 'tony2@contoso.com', alias: 'TonySmith' }, 'Alias'],
      [{ primarySmtpAddress: 'tony3@contoso.com', userPrincipalName: 'tonysmith@CONTOSO.com' }, 'UserPrincipalName'],
    ];
    for (const [input, field] of cases) {
      const err = await failure(newRecipient(ctx.deps, ADMIN, input));
      expect([err.code, err.field]).toEqual(['UMPIN_RECIPIENT_ADDRESS_IN_USE', field]);
    }
    expect(await all()).toHaveLength(1);
  });

  it('refuses malformed input and names the field', async () => {
    const cases: Array<[Parameters<typeof newRecipient>[2], string]> = [
      [{ primarySmtpAddress: 'not an address' }, 'PrimarySmtpAddress'],
      [{ primarySmtpAddress: 'a@contoso.com', alias: 'has space' }, 'Alias'],
      [{ primarySmtpAddress: 'b@contoso.com', language: 'English' }, 'Language'],
      [{ primarySmtpAddress: 'c@contoso.com', displayName: 'x'.repeat(257) }, 'DisplayName'],
    ];
    for (const [input, field] of cases) {
      const err = await failure(newRecipient(ctx.deps, ADMIN, input));
      expect([err.code, err.field]).toEqual(['UMPIN_VALUE_INVALID', field]);
    }
    expect(await all()).toEqual([]);
  });

  it('pages through 25 recipients 10 at a time, sorted by display name, without gaps or repeats', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `User ${String.fromCharCode(97 + ((i * 7) % 25))}${i}`);
    for (const [i, displayName] of names.entries())
      await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: `user${i}@contoso.com`, displayName });
    // two recipients with the same display name are ordered too, not dropped at a page edge
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'twin1@contoso.com', displayName: 'User j9' });

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await listRecipients(ctx.deps, ADMIN, { limit: 10, cursor });
      sizes.push(page.items.length);
      seen.push(...page.items.map((r) => r.primarySmtpAddress));
      cursor = page.next;
    } while (cursor);
    expect(sizes).toEqual([10, 10, 6]);
    expect(new Set(seen).size).toBe(26);
    const byAddress = new Map((await all()).map((r) => [r.primarySmtpAddress, r.displayName.toLowerCase()]));
    const shown = seen.map((a) => byAddress.get(a)!);
    expect(shown).toEqual([...shown].sort());
  });

  it('a forged cursor is refused', async () => {
    const err = await failure(listRecipients(ctx.deps, ADMIN, { limit: 10, cursor: 'not-a-cursor' }));
    expect(err.code).toBe('UMPIN_VALUE_INVALID');
  });

  it('searches by the start of the display name, alias or address, in any letter case', async () => {
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'tonysmith@contoso.com', displayName: 'Tony Smith' });
    await newRecipient(ctx.deps, ADMIN, {
      primarySmtpAddress: 'samanthasmith@contoso.com',
      displayName: 'Samantha Smith',
    });
    await newRecipient(ctx.deps, ADMIN, {
      primarySmtpAddress: 'kim@contoso.com',
      alias: 'kakers',
      displayName: 'Kim Akers',
    });
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'under_score@contoso.com', displayName: 'Under Score' });
    const search = async (s: string) =>
      (await listRecipients(ctx.deps, ADMIN, { limit: 100, search: s })).items.map((r) => r.displayName);
    expect(await search('TONY')).toEqual(['Tony Smith']);
    expect(await search('kak')).toEqual(['Kim Akers']);
    expect(await search('samantha')).toEqual(['Samantha Smith']);
    expect(await search('smith')).toEqual([]); // a prefix, not a substring
    expect(await search('t')).toEqual(['Tony Smith']);
    // "_" and "%" are literal characters, not wildcards
    expect(await search('under_')).toEqual(['Under Score']);
    expect(await search('t%')).toEqual([]);
  });

  it('Set-Mailbox changes fields; Remove-Mailbox removes the recipient', async () => {
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'tonysmith@contoso.com', language: 'en-US' });
    const changed = await setRecipient(ctx.deps, ADMIN, 'tonysmith', { displayName: 'Tony Smith', language: null });
    expect(changed).toMatchObject({ displayName: 'Tony Smith', language: null, alias: 'tonysmith' });
    await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'kim@contoso.com' });
    expect((await failure(setRecipient(ctx.deps, ADMIN, 'kim', { alias: 'TONYSMITH' }))).code).toBe(
      'UMPIN_RECIPIENT_ADDRESS_IN_USE',
    );
    await removeRecipient(ctx.deps, ADMIN, 'Tony Smith');
    expect((await all()).map((r) => r.alias)).toEqual(['kim']);
  });

  describe('CSV import', () => {
    it('accepts columns in any order and letter case, EmailAddress for the address, a BOM and quoted commas', async () => {
      const csv =
        '\uFEFFdisplayname,LANGUAGE,EmailAddress,Alias\r\n"Smith, Tony",en-GB,tonysmith@contoso.com,tsmith\r\nKim Akers,,kim@contoso.com,\r\n';
      expect(await importRecipientsCsv(ctx.deps, ADMIN, csv)).toEqual({ created: 2, updated: 0 });
      expect(await getRecipient(ctx.deps, ADMIN, 'tsmith')).toMatchObject({
        displayName: 'Smith, Tony',
        primarySmtpAddress: 'tonysmith@contoso.com',
        language: 'en-GB',
        userPrincipalName: 'tonysmith@contoso.com',
      });
      expect(await getRecipient(ctx.deps, ADMIN, 'kim@contoso.com')).toMatchObject({
        alias: 'kim',
        displayName: 'Kim Akers',
        language: null,
      });
    });

    it('is all or nothing, and names the line of the first bad row', async () => {
      await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'existing@contoso.com' });
      const bad = [
        'PrimarySmtpAddress,DisplayName',
        'a@contoso.com,A',
        'b@contoso.com,B',
        'not-an-address,C',
        'd@contoso.com,D',
      ].join('\n');
      const err = await failure(importRecipientsCsv(ctx.deps, ADMIN, bad));
      expect(err.code).toBe('UMPIN_CSV_INVALID');
      expect(err.params.line).toBe(4);
      expect(err.message).toContain('line 4');
      expect(err.message).toContain('PrimarySmtpAddress');
      expect((await all()).map((r) => r.primarySmtpAddress)).toEqual(['existing@contoso.com']);
    });

    it('counts lines as the file has them, blank lines included', async () => {
      const bad = ['PrimarySmtpAddress', 'a@contoso.com', '', 'b@contoso.com', 'oops'].join('\n');
      const err = await failure(importRecipientsCsv(ctx.deps, ADMIN, bad));
      expect(err.code).toBe('UMPIN_CSV_INVALID');
      expect(err.params.line).toBe(5);
      expect(await all()).toEqual([]);
    });

    it('refuses a clash with another recipient, a repeated address, a missing address column and broken CSV', async () => {
      await newRecipient(ctx.deps, ADMIN, { primarySmtpAddress: 'tonysmith@contoso.com' });
      const clash = await failure(
        importRecipientsCsv(ctx.deps, ADMIN, 'EmailAddress,Alias\nnew@contoso.com,new\nother@contoso.com,TonySmith\n'),
      );
      expect([clash.code, clash.params.line]).toEqual(['UMPIN_CSV_INVALID', 3]);
      const twice = await failure(importRecipientsCsv(ctx.deps, ADMIN, 'EmailAddress\nx@contoso.com\nX@contoso.com\n'));
      expect([twice.code, twice.params.line]).toEqual(['UMPIN_CSV_INVALID', 3]);
      const noColumn = await failure(importRecipientsCsv(ctx.deps, ADMIN, 'Alias,DisplayName\nx,X\n'));
      expect([noColumn.code, noColumn.params.line]).toEqual(['UMPIN_CSV_INVALID', 1]);
      const broken = await failure(
        importRecipientsCsv(ctx.deps, ADMIN, 'EmailAddress,Alias\n"unterminated@contoso.com,x\n'),
      );
      expect(broken.code).toBe('UMPIN_CSV_INVALID');
      const short = await failure(
        importRecipientsCsv(ctx.deps, ADMIN, 'EmailAddress,Alias\na@contoso.com,a\n\nb@contoso.com\n'),
      );
      expect([short.code, short.params.line]).toEqual(['UMPIN_CSV_INVALID', 4]);
      const empty = await failure(importRecipientsCsv(ctx.deps, ADMIN, ''));
      expect(empty.code).toBe('UMPIN_CSV_INVALID');
      expect((await all()).map((r) => r.primarySmtpAddress)).toEqual(['tonysmith@contoso.com']);
    });

    it('importing again updates the recipients instead of adding copies', async () => {
      const first = 'EmailAddress,DisplayName\ntonysmith@contoso.com,Tony\nkim@contoso.com,Kim\n';
      expect(await importRecipientsCsv(ctx.deps, ADMIN, first)).toEqual({ created: 2, updated: 0 });
      const tony = await getRecipient(ctx.deps, ADMIN, 'tonysmith');
      const second =
        'EmailAddress,DisplayName\nTONYSMITH@contoso.com,Tony Smith\nkim@contoso.com,Kim Akers\nellen@contoso.com,Ellen Adams\n';
      expect(await importRecipientsCsv(ctx.deps, ADMIN, second)).toEqual({ created: 1, updated: 2 });
      const list = await all();
      expect(list.map((r) => r.displayName)).toEqual(['Ellen Adams', 'Kim Akers', 'Tony Smith']);
      expect((await getRecipient(ctx.deps, ADMIN, 'tonysmith')).id).toBe(tony.id);
    });

    it('an update changes only the columns the file has values for', async () => {
      await importRecipientsCsv(
        ctx.deps,
        ADMIN,
        'EmailAddress,DisplayName,Language\nweichen@contoso.com,Wei Chen,zh-TW\n',
      );
      expect(await importRecipientsCsv(ctx.deps, ADMIN, 'EmailAddress,Alias\nweichen@contoso.com,wchen\n')).toEqual({
        created: 0,
        updated: 1,
      });
      expect(await getRecipient(ctx.deps, ADMIN, 'weichen@contoso.com')).toMatchObject({
        alias: 'wchen',
        displayName: 'Wei Chen',
        language: 'zh-TW',
      });
    });

    it('is audited once, without the file contents', async () => {
      await importRecipientsCsv(ctx.deps, ADMIN, 'EmailAddress\ntonysmith@contoso.com\n');
      const [entry] = await ctx.deps.store.listAudit({ action: 'Import-Recipients' });
      expect(entry).toMatchObject({ result: 'success', actor: ADMIN.name });
      expect(JSON.stringify(entry)).not.toContain('tonysmith');
    });
  });
});
