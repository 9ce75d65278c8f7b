/**
 * -Filter and -SortBy as the store evaluates them, on both engines: the comparisons OPATH
 * documents (case-insensitive, multi-valued properties matching on any value, $null for no
 * value, dates), the PIN state as Get-UMMailboxPIN shows it, sorts in both directions paged
 * through cursors, and refusals that name the property and those that can be used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { newMailboxPolicy, setMailboxPolicy } from '../../services/mailbox-policies.js';
import { listRecipients, newRecipient } from '../../services/recipients.js';
import { listUMMailboxes, setUMMailbox } from '../../services/um-mailboxes.js';
import { fixedLock } from '../../domain/progressive-lockout.js';
import { recipientFilter, UM_MAILBOX_CATALOG } from '../../services/recipient-properties.js';
import type { KyselyStore } from './kysely-store.js';
import { recipientPageQuery } from './recipient-queries.js';

const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`-Filter and -SortBy in the store (${engine})`, () => {
    let t: TestContext;

    beforeAll(async () => {
      t = await testContext(engine);
      // tonysmith typed a PIN (not expired); the others have generated ones they must change
      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: '5820913' },
        { alias: 'kimakers', extension: '10232' },
        { alias: 'ellenadams', extension: '10245', language: 'fr-FR' },
        { alias: 'o.brien', extension: '10250', pin: '7305918' },
      ]);
      await newRecipient(t.deps, ADMIN, { primarySmtpAddress: 'chris@contoso.com', displayName: 'Chris Ashton' });
      await newMailboxPolicy(t.deps, ADMIN, { name: 'Executives', umDialPlan: 'Contoso' });
      await setUMMailbox(t.deps, ADMIN, 'kimakers', { umMailboxPolicy: 'Executives', extensions: ['10232', '10299'] });
      await setUMMailbox(t.deps, ADMIN, 'tonysmith', { sipResourceIdentifier: 'TonySmith@Contoso.com' });
      await t.deps.store.transaction(async (tx) => {
        const [kim] = await tx.findRecipients('kimakers');
        const [ellen] = await tx.findRecipients('ellenadams');
        await tx.setLock(kim!.id, true);
        // a timed lock whose time is up: no longer locked out, as Get-UMMailboxPIN says
        await tx.recordFailure(ellen!.id, 1, fixedLock(t.clock.now(), t.clock.now() - 1));
      });
    }, 120_000);
    afterAll(() => t?.close());

    const um = async (filter?: string, sortBy?: string) =>
      (await listUMMailboxes(t.deps, ADMIN, { filter, sortBy, limit: 100 })).items.map((m) => m.alias);
    const mailboxes = async (filter?: string, sortBy?: string) =>
      (await listRecipients(t.deps, ADMIN, { filter, sortBy, limit: 100 })).items.map((m) => m.alias);

    it('compares case-insensitively with every operator', async () => {
      expect(await um("UMMailboxPolicy -eq 'executives'")).toEqual(['kimakers']);
      expect(await um("UMMailboxPolicy -ne 'Executives'")).toEqual(['ellenadams', 'o.brien', 'tonysmith']);
      expect(await um("Name -like 'TONY*'")).toEqual(['tonysmith']);
      expect(await um("Alias -like 't?nys*h'")).toEqual(['tonysmith']);
      expect(await um("Alias -notlike '*s*'")).toEqual(['o.brien']);
      expect(await um("Alias -gt 'kimakers'")).toEqual(['o.brien', 'tonysmith']);
      expect(await um("Alias -ge 'kimakers' -and Alias -lt 'tonysmith'")).toEqual(['kimakers', 'o.brien']);
      expect(await um("Alias -le 'ellenadams'")).toEqual(['ellenadams']);
      expect(await um("PrimarySmtpAddress -eq 'O.Brien@contoso.com'")).toEqual(['o.brien']);
      expect(await um("UMDialPlan -eq 'contoso' -and SIPResourceIdentifier -eq 'tonysmith@contoso.com'")).toEqual([
        'tonysmith',
      ]);
      // LIKE's own wildcards are plain text in a pattern
      expect(await um("Alias -like 'o_brien'")).toEqual([]);
      expect(await um("Alias -like 'o.b%'")).toEqual([]);
    });

    it('a multi-valued property matches when any value does; -ne and -notlike when none does', async () => {
      expect(await um("Extensions -eq '10299'")).toEqual(['kimakers']);
      expect(await um("Extensions -ne '10299'")).toEqual(['ellenadams', 'o.brien', 'tonysmith']);
      expect(await um("Extensions -like '102*'")).toEqual(['ellenadams', 'kimakers', 'o.brien', 'tonysmith']);
      expect(await um("Extensions -notlike '1023*'")).toEqual(['ellenadams', 'o.brien']);
      expect(await um("EmailAddresses -like 'eum:1024*'")).toEqual(['ellenadams']);
      expect(await um("EmailAddresses -eq 'EUM:10299;phone-context=Contoso.contoso.com'")).toEqual(['kimakers']);
      expect(await um("EmailAddresses -eq 'smtp:TONYSMITH@contoso.com'")).toEqual(['tonysmith']);
      expect(await mailboxes("EmailAddresses -like 'eum:*'")).toEqual([
        'ellenadams',
        'kimakers',
        'o.brien',
        'tonysmith',
      ]);
    });

    it('$null asks for no value; $true and $false for flags; constants hold for all or none', async () => {
      expect(await um('SIPResourceIdentifier -eq $null')).toEqual(['ellenadams', 'kimakers', 'o.brien']);
      expect(await um('SIPResourceIdentifier -ne $null')).toEqual(['tonysmith']);
      expect(await mailboxes('UMEnabled -eq $false')).toEqual(['chris']);
      expect(await mailboxes('UMEnabled -ne $true -or Languages -eq fr-FR')).toEqual(['chris', 'ellenadams']);
      expect(await mailboxes('Languages -eq $null -and UMEnabled -eq $true')).toEqual([
        'kimakers',
        'o.brien',
        'tonysmith',
      ]);
      expect(await um('UMEnabled -eq $true -and IsValid -eq $true -and ObjectState -like unch*')).toHaveLength(4);
      expect(await um('IsValid -eq $false')).toEqual([]);
      expect(await mailboxes("RecipientTypeDetails -eq 'UserMailbox' -and Name -like 'chris*'")).toEqual(['chris']);
    });

    /** The UM mailboxes a filter keeps, planned as when many PINs are expired (a walk of the page order joined to the PIN state). */
    const walked = async (filter: string) => {
      const store = t.deps.store as unknown as KyselyStore;
      const rows = await recipientPageQuery(store.kysely, store.engineAdapter, {
        prefix: '',
        umEnabled: true,
        filter: recipientFilter(filter, UM_MAILBOX_CATALOG),
        now: t.clock.now(),
        manyPinsExpired: true,
        after: null,
        limit: 100,
      }).execute();
      return rows.map((r) => r.alias);
    };

    it('the PIN state as Get-UMMailboxPIN shows it: locked (not a lapsed timed lock), expired, first-time', async () => {
      expect(await um('{LockedOut -eq $true}')).toEqual(['kimakers']);
      expect(await um('LockedOut -eq $false')).toEqual(['ellenadams', 'o.brien', 'tonysmith']);
      expect(await um('PinExpired -eq $true')).toEqual(['ellenadams', 'kimakers']);
      expect(await walked('PinExpired -eq $true')).toEqual(['ellenadams', 'kimakers']);
      expect(await um('FirstTimeUser -eq $true -and -not (PinExpired -eq $true)')).toEqual(['o.brien', 'tonysmith']);
      // a PIN older than its policy's PINLifetime is expired, as at logon
      await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { pinLifetimeDays: 30 });
      t.clock.advance(31 * DAY);
      try {
        expect(await um('PinExpired -eq $true')).toEqual(['ellenadams', 'kimakers', 'o.brien', 'tonysmith']);
        expect(await walked("PinExpired -eq $true -and UMDialPlan -eq 'contoso'")).toEqual([
          'ellenadams',
          'kimakers',
          'o.brien',
          'tonysmith',
        ]);
        expect(await um('PinExpired -eq $false')).toEqual([]);
      } finally {
        await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { pinLifetimeDays: null });
      }
      expect(await um('PinExpired -eq $false')).toEqual(['o.brien', 'tonysmith']);
    });

    it('dates compare as dates', async () => {
      const now = new Date(t.clock.now());
      expect(await um(`WhenUMEnabled -lt '${new Date(now.getTime() + 1000).toISOString()}'`)).toHaveLength(4);
      expect(await mailboxes(`WhenCreated -gt '${now.toISOString()}'`)).toEqual([]);
      const err = await failure(um("WhenUMEnabled -gt 'yesterday'"));
      expect(err).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'Filter' });
      expect(err.message).toContain('date');
    });

    it('sorts ascending or descending, ties in display-name order, paged through cursors', async () => {
      expect(await um(undefined, 'UMMailboxPolicy')).toEqual(['ellenadams', 'o.brien', 'tonysmith', 'kimakers']);
      // descending reverses the whole order, ties too
      expect(await um(undefined, '-UMMailboxPolicy')).toEqual(['kimakers', 'tonysmith', 'o.brien', 'ellenadams']);
      expect(await um(undefined, 'Extensions desc')).toEqual(['o.brien', 'ellenadams', 'kimakers', 'tonysmith']);
      expect(await um("Alias -ne 'kimakers'", 'SIPResourceIdentifier')).toEqual(['ellenadams', 'o.brien', 'tonysmith']);
      expect(await mailboxes(undefined, '-Alias')).toEqual(['tonysmith', 'o.brien', 'kimakers', 'ellenadams', 'chris']);
      for (const sortBy of ['UMMailboxPolicy', '-UMMailboxPolicy', 'Alias', '-WhenUMEnabled', 'DisplayName', '-Name']) {
        const whole = await um(undefined, sortBy);
        const paged: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await listUMMailboxes(t.deps, ADMIN, { sortBy, cursor, limit: 1 });
          paged.push(...page.items.map((m) => m.alias));
          cursor = page.next;
        } while (cursor);
        expect(paged, sortBy).toEqual(whole);
      }
      // a cursor belongs to its sort
      const first = await listUMMailboxes(t.deps, ADMIN, { sortBy: 'Alias', limit: 1 });
      expect(
        await failure(listUMMailboxes(t.deps, ADMIN, { sortBy: '-Alias', cursor: first.next, limit: 1 })),
      ).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'Cursor' });
      expect(await failure(listUMMailboxes(t.deps, ADMIN, { cursor: first.next, limit: 1 }))).toMatchObject({
        field: 'Cursor',
      });
    });

    it('refuses a property it cannot filter or sort on, naming it and those it can', async () => {
      const filter = await failure(um("Departmnet -eq 'Sales'"));
      expect(filter).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'Filter' });
      expect(filter.message).toContain('Departmnet');
      expect(filter.message).toContain('LockedOut, PinExpired, FirstTimeUser');
      const sort = await failure(um(undefined, 'LockedOut'));
      expect(sort).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'SortBy' });
      expect(sort.message).toContain('Name, DisplayName, Alias');
      expect((await failure(mailboxes('LockedOut -eq $true'))).field).toBe('Filter');
      expect((await failure(um('LockedOut -gt $true'))).message).toContain('-eq or -ne');
      expect((await failure(um("Extensions -like '10[0-4]*'"))).message).toContain('character set');
    });

    it('-Identity narrows to one mailbox, or with wildcards to a pattern', async () => {
      expect(
        (
          await listUMMailboxes(t.deps, ADMIN, { identity: 'kimakers', filter: 'LockedOut -eq $true', limit: 10 })
        ).items.map((m) => m.alias),
      ).toEqual(['kimakers']);
      expect(
        (await listUMMailboxes(t.deps, ADMIN, { identity: 'tonysmith', filter: 'LockedOut -eq $true', limit: 10 }))
          .items,
      ).toEqual([]);
      expect((await failure(listUMMailboxes(t.deps, ADMIN, { identity: 'chris', limit: 10 }))).code).toBe(
        'UMPIN_MAILBOX_NOT_UM_ENABLED',
      );
      const items = (await listRecipients(t.deps, ADMIN, { identity: '*Smith*', limit: 10 })).items;
      expect(items.map((r) => [r.alias, r.umMailbox])).toEqual([
        ['tonysmith', { umMailboxPolicy: 'Contoso Default Policy', umDialPlan: 'Contoso', extensions: ['10231'] }],
      ]);
      expect(
        (await listRecipients(t.deps, ADMIN, { identity: 'c*', limit: 10 })).items.map((r) => [r.alias, r.umMailbox]),
      ).toEqual([['chris', null]]);
    });
  });
}
