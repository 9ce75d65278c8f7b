/**
 * Recipients → Mailboxes made complete, in Debian's chromium against a real `umpin serve --demo`
 * grown to a few thousand mailboxes: every mailbox with its UM state (Enable for one without),
 * multi-select with bulk Reset PIN and Unlock (progress, per-mailbox results, cancel), "select
 * all matching", the windowed list, and the whole flow by keyboard alone with its shortcuts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umpin } from './cli-runner.js';
import { childEnv } from './harness.js';
import { axeViolations } from './web-accessibility.js';
import { ADMIN_PASSWORD, addAdmin, shell, signedInPage, startWebServer, type WebServer } from './web-browser.js';

/** the demo's 20 and the synthetic ones: enough for a list far longer than a window, cheap to create */
const MAILBOXES = 3000;

describe('the mailbox list: all mailboxes, multi-select, bulk actions, keyboard, a windowed list', () => {
  let web: WebServer;
  let api: (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<Response>;

  beforeAll(async () => {
    web = await startWebServer();
    const grown = await umpin(childEnv(web.db), 'init', '--demo', '--mailboxes', String(MAILBOXES));
    if (grown.code !== 0) throw new Error(`umpin init --demo --mailboxes: ${grown.stderr}`);
    await addAdmin(web, 'olivia', 'OrganizationManagement');
    await addAdmin(web, 'victor', 'ViewOnlyOrganizationManagement');
    // a mailbox that is not enabled for Unified Messaging
    await shell(web, "New-Mailbox -Name 'Nora Quist' -Alias noraquist -PrimarySmtpAddress noraquist@contoso.com");
    api = await apiSession(web.server.url, 'olivia');
  }, 240_000);
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await web?.close();
  });

  /** every item of an API list, page by page */
  const all = async <T>(path: string): Promise<T[]> => {
    const items: T[] = [];
    for (let cursor = ''; ; ) {
      const r = await api('GET', `${path}${path.includes('?') ? '&' : '?'}limit=1000${cursor && `&cursor=${cursor}`}`);
      const page = (await r.json()) as { items: T[]; next: string | null };
      items.push(...page.items);
      if (!page.next) return items;
      cursor = encodeURIComponent(page.next);
    }
  };
  const dataRows = (page: Page) => page.locator('table.grid tbody tr');
  const names = async (page: Page) =>
    (await page.getByRole('row').allInnerTexts()).slice(1).map((r) => r.split('\t')[0]);
  /**
   * One signed-in page per administrator and language, moved from view to view inside the app
   * (a reload would sign in again, and sign-ins are rate-limited per address): the list is
   * left for a page that does not exist, so it starts afresh at `path`.
   */
  const pages = new Map<string, Page>();
  const at = async (path: string, locale: 'en' | 'zh-TW', name = 'olivia'): Promise<Page> => {
    const key = `${name} ${locale}`;
    let page = pages.get(key);
    if (!page) {
      const context = await web.browser.newContext({ locale });
      contexts.push(context);
      page = await signedInPage(web, context, name, path);
      pages.set(key, page);
    } else {
      const go = (to: string) =>
        page!.evaluate((p) => {
          history.pushState(null, '', p);
          dispatchEvent(new PopStateEvent('popstate'));
        }, to);
      await go('/no-such-page');
      await page.locator('.grid-scroll').waitFor({ state: 'detached' });
      await go(path);
    }
    await page.locator('.grid-scroll[data-ready]').waitFor();
    return page;
  };

  it('lists every mailbox with its UM state; one not enabled for UM offers Enable, linking to the wizard', async () => {
    const page = await at('/mailboxes?search=nora', 'en');
    await expect.poll(() => names(page)).toEqual(['Nora Quist']);
    const headers = (await page.getByRole('columnheader').allInnerTexts()).map((h) => h.replace(/[▲▼]/g, '').trim());
    expect(headers).toEqual(['Display name', 'Email address', 'Extension', 'Unified Messaging']);
    expect((await page.getByRole('row', { name: /Nora Quist/ }).allInnerTexts())[0]!.split('\t')[3]).toBe('Disabled');
    await page.getByRole('row', { name: /Nora Quist/ }).click();
    const pane = page.getByRole('complementary', { name: 'Details of Nora Quist' });
    expect(await pane.getByRole('definition').textContent()).toBe('Disabled');
    const id = ((await (await api('GET', '/api/v1/recipients/noraquist')).json()) as { id: string }).id;
    const enable = pane.getByRole('link', { name: 'Enable' });
    expect(await enable.getAttribute('href')).toBe(`/mailboxes/${encodeURIComponent(id)}/enable-um`);
    await enable.click();
    await page.waitForURL(`**/mailboxes/${encodeURIComponent(id)}/enable-um`);

    // a UM mailbox: Enabled, View details; and the view of those not enabled names just Nora
    await at('/mailboxes?search=tony', 'en');
    await page.getByRole('row', { name: /Tony Smith/ }).click();
    const tony = page.getByRole('complementary', { name: 'Details of Tony Smith' });
    expect(await tony.getByRole('definition').textContent()).toBe('Enabled');
    await tony.getByRole('link', { name: 'View details' }).waitFor();
    await page.getByRole('searchbox').fill('');
    await page.getByLabel('Filter', { exact: true }).selectOption('notUm');
    await page.waitForURL('**/mailboxes?filter=notUm');
    await expect.poll(() => names(page)).toEqual(['Nora Quist']);
  });

  it('keyboard only: / finds Tony Smith, the arrows reach him, r opens Reset PIN, Ctrl+Enter saves, a confirmation; u unlocks', async () => {
    const page = await at('/mailboxes', 'en');
    const before = web.mails();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await page.keyboard.type('tony', { delay: 30 });
    await expect.poll(() => names(page)).toEqual(['Tony Smith']);
    // letters typed in the search are text, not shortcuts: no dialog opened
    expect(await page.locator('dialog[open]').count()).toBe(0);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Tony Smith');
    await page.getByRole('complementary', { name: 'Details of Tony Smith' }).waitFor();
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog', { name: 'Reset PIN' });
    await dialog.waitFor();
    expect(await dialog.getByRole('radio', { name: 'Automatically generate a PIN' }).isChecked()).toBe(true);
    // choose: keep the generated PIN, and do not require a reset at first sign-in (Tab to the checkbox, Space)
    const box = dialog.getByRole('checkbox');
    while (!(await box.evaluate((b) => b === document.activeElement))) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(false);
    await page.keyboard.press('Control+Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'The new PIN was mailed to tonysmith@contoso.com.' }).waitFor();
    const mail = await web.newMail(before);
    expect(mail.to).toContain('tonysmith@contoso.com');
    expect(await shell(web, 'Get-UMMailboxPIN -Identity tonysmith | Format-List')).toMatch(/PinExpired\s*:\s*False/);
    // focus is back in the list; Esc closes the details pane
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Tony Smith');
    await page.keyboard.press('Escape');
    await page.getByRole('complementary').waitFor({ state: 'detached' });
    // u unlocks the mailbox the list is on
    await shell(web, 'Set-UMMailboxPIN -Identity tonysmith -LockedOut $true');
    await page.keyboard.press('u');
    await page.getByRole('status').filter({ hasText: 'tonysmith@contoso.com is unlocked.' }).waitFor();
    expect(await shell(web, 'Get-UMMailboxPIN -Identity tonysmith | Format-List')).toMatch(/LockedOut\s*:\s*False/);
  });

  for (const locale of ['en', 'zh-TW'] as const) {
    it(`${locale}: ? lists every shortcut; the list, the bulk pane and the dialog have no axe violation`, async () => {
      const page = await at('/mailboxes', locale);
      await dataRows(page).first().waitFor();
      const seen: Record<string, unknown[]> = { list: await axeViolations(page) };
      await page.getByRole('row').nth(1).click();
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      const pane = page.getByRole('complementary', {
        name: locale === 'en' ? 'Bulk edit of 3 mailboxes' : '大量編輯 3 個信箱',
      });
      await pane.waitFor();
      seen.bulkPane = await axeViolations(page);
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: locale === 'en' ? 'Keyboard shortcuts' : '鍵盤快速鍵' });
      await help.waitFor();
      const text = (await help.textContent()) ?? '';
      for (const words of locale === 'en'
        ? [
            'Search the mailboxes',
            'Reset the PIN of the selected mailboxes',
            'Unlock the selected mailboxes',
            'Save the open dialog',
            'Close the open dialog or pane',
            'Show these shortcuts',
            'Extend the selection',
            'Space',
          ]
        : [
            '搜尋信箱',
            '重設所選信箱的 PIN 碼',
            '解除鎖定所選信箱',
            '儲存開啟的對話方塊',
            '關閉開啟的對話方塊或窗格',
            '顯示這些快速鍵',
            '延伸選取範圍',
            '空白鍵',
          ])
        expect(text).toContain(words);
      for (const key of ['/', 'r', 'u', '?', 'Esc', 'Ctrl', 'Enter'])
        expect(await help.locator('kbd').allInnerTexts()).toContain(key);
      seen.shortcuts = await axeViolations(page);
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'detached' });
      // the bulk Reset PIN dialog
      await page.keyboard.press('r');
      await page.locator('dialog[open]').waitFor();
      seen.bulkReset = await axeViolations(page);
      await page.keyboard.press('Escape');
      await page.locator('dialog[open]').waitFor({ state: 'detached' });
      expect(seen).toEqual({ list: [], bulkPane: [], shortcuts: [], bulkReset: [] });
    });
  }

  it('Shift+click and Ctrl+click select as in the EAC; u unlocks them all, one not enabled for UM fails with the catalog message', async () => {
    type Item = { id: string; displayName: string; primarySmtpAddress: string; umMailbox: object | null };
    const view = await all<Item>('/api/v1/recipients?search=no');
    const [first, second] = view.filter((m) => m.umMailbox);
    // locked in the shell: the HTTP API's PIN-change allowance is left to the bulk actions below
    for (const m of [first!, second!])
      await shell(web, `Set-UMMailboxPIN -Identity ${m.primarySmtpAddress} -LockedOut $true`);
    const refusal = (await (await api('POST', '/api/v1/um-mailboxes/noraquist/pin', { lockedOut: false })).json()) as {
      message: string;
    };
    const page = await at('/mailboxes?search=no', 'en');
    await expect.poll(() => names(page)).toEqual(view.map((m) => m.displayName));
    const row = (m: Item) => page.getByRole('row', { name: new RegExp(m.primarySmtpAddress) });
    const nora = view.find((m) => !m.umMailbox)!;
    await row(first!).click();
    await row(second!).click({ modifiers: ['Shift'] });
    await row(nora).click({ modifiers: ['Control'] });
    await page.getByRole('complementary', { name: 'Bulk edit of 3 mailboxes' }).waitFor();
    // Ctrl+click toggles one off and on again
    await row(second!).click({ modifiers: ['Control'] });
    expect(await row(second!).getAttribute('aria-selected')).toBe('false');
    await page.getByRole('complementary', { name: 'Bulk edit of 2 mailboxes' }).waitFor();
    await row(second!).click({ modifiers: ['Control'] });
    const pane = page.getByRole('complementary', { name: 'Bulk edit of 3 mailboxes' });
    await pane.waitFor();
    await page.keyboard.press('u');
    await pane.getByRole('status').filter({ hasText: 'Finished: 2 succeeded, 1 failed, 0 not done.' }).waitFor();
    const results = await pane.getByRole('listitem').allInnerTexts();
    expect(results).toContainEqual(expect.stringMatching(new RegExp(`^${first!.primarySmtpAddress}\\s+OK$`)));
    expect(results).toContainEqual(expect.stringMatching(new RegExp(`^${second!.primarySmtpAddress}\\s+OK$`)));
    const noraResult = results.find((r) => r.startsWith('noraquist@contoso.com'))!;
    expect(noraResult.replace(/\s+/, ' ')).toBe(`noraquist@contoso.com ${refusal.message}`);
    for (const m of [first!, second!]) {
      const pin = (await (await api('GET', `/api/v1/um-mailboxes/${m.id}/pin`)).json()) as { lockedOut: boolean };
      expect(pin.lockedOut).toBe(false);
    }
  });

  it('bulk Reset PIN of 50 mailboxes: a progress bar, each result, a summary; the API and the maildrop agree', async () => {
    const page = await at('/mailboxes?filter=um', 'en');
    await dataRows(page).first().waitFor();
    // click the first, Shift+↓ 49 times: 50 selected (the list scrolls as the range grows)
    await page.getByRole('row').nth(1).click();
    for (let i = 0; i < 49; i++) await page.keyboard.press('Shift+ArrowDown');
    const pane = page.getByRole('complementary', { name: 'Bulk edit of 50 mailboxes' });
    await pane.getByRole('heading', { name: '50 mailboxes selected' }).waitFor();
    const before = web.mails();
    await pane.getByRole('button', { name: 'Reset PIN' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset PIN of 50 mailboxes' });
    expect(await dialog.getByRole('radio', { name: 'Automatically generate a PIN' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: /Require the user to reset their PIN/ }).isChecked()).toBe(true);
    expect(await dialog.locator('input[type=password]').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await pane
      .getByRole('status')
      .filter({ hasText: 'Finished: 50 succeeded, 0 failed, 0 not done.' })
      .waitFor({ timeout: 60_000 });
    expect(await pane.getByRole('progressbar', { name: 'Progress' }).getAttribute('value')).toBe('50');
    const results = await pane.getByRole('list', { name: 'Results' }).getByRole('listitem').allInnerTexts();
    expect(results).toHaveLength(50);
    const addresses = results.map((r) => r.split(/\s+/)[0]!);
    expect(results.every((r) => r.endsWith('OK'))).toBe(true);
    expect(new Set(addresses).size).toBe(50);

    // the API: each of the 50 has an expired PIN now
    for (const address of addresses) {
      const pin = (await (await api('GET', `/api/v1/um-mailboxes/${encodeURIComponent(address)}/pin`)).json()) as {
        pinExpired: boolean;
      };
      expect(pin.pinExpired, address).toBe(true);
    }
    const expired = await shell(web, 'Get-UMMailboxPIN | Where-Object PinExpired -eq $true | Format-Table UserID');
    for (const address of addresses) expect(expired).toContain(address);
    // and 50 mails in the maildrop, one to each
    const fresh = await waitForMails(web, before, 50);
    const to = await Promise.all(
      fresh.map(async (f) => {
        const m = await simpleParser(readFileSync(join(web.db.dataDir, 'maildrop', f)));
        return Array.isArray(m.to) ? m.to[0]!.text : (m.to?.text ?? '');
      }),
    );
    expect(to.sort()).toEqual([...addresses].sort());
  });

  it('select all matching a filter (more than the loaded rows), then a bulk Reset PIN cancelled in the middle: some done, the rest not done', async () => {
    const view = 'filter=um&search=j';
    const matching = await all<{ primarySmtpAddress: string }>(`/api/v1/um-mailboxes?search=j`);
    expect(matching.length).toBeGreaterThan(100);
    const page = await at(`/mailboxes?${view}`, 'en');
    await dataRows(page).first().waitFor();
    await page.getByRole('button', { name: 'Select all matching' }).click();
    const pane = page.getByRole('complementary', { name: `Bulk edit of ${matching.length} mailboxes` });
    await pane.waitFor();
    // all of them, not only the rows loaded so far
    expect(await dataRows(page).count()).toBeLessThan(matching.length);
    await page.getByText(`${matching.length} mailboxes selected`).first().waitFor();

    await pane.getByRole('button', { name: 'Reset PIN' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    const results = pane.getByRole('list', { name: 'Results' }).getByRole('listitem');
    await results.first().waitFor();
    await pane.getByRole('button', { name: 'Cancel' }).click();
    const summary = await pane
      .getByRole('status')
      .filter({ hasText: /^Canceled: / })
      .textContent();
    const [ok, failed, notDone] = /Canceled: (\d+) succeeded, (\d+) failed, (\d+) not done\./
      .exec(summary ?? '')!
      .slice(1)
      .map(Number);
    expect(ok).toBeGreaterThan(0);
    expect(failed).toBe(0);
    expect(notDone).toBeGreaterThan(0);
    expect(ok! + notDone!).toBe(matching.length);
    const texts = await results.allInnerTexts();
    expect(texts).toHaveLength(matching.length);
    expect(texts.filter((r) => r.endsWith('Not done'))).toHaveLength(notDone!);
  });

  it(`the windowed list keeps a few dozen rows in the page while scrolling to the last of ${MAILBOXES} mailboxes`, async () => {
    const last = (
      (await (await api('GET', '/api/v1/recipients?limit=1&sortBy=-DisplayName')).json()) as {
        items: { displayName: string }[];
      }
    ).items[0]!.displayName;
    const total = (await all('/api/v1/recipients')).length;
    expect(total).toBeGreaterThan(MAILBOXES);
    const page = await at('/mailboxes', 'en');
    await dataRows(page).first().click();
    let most = 0;
    // End goes to the last row loaded; the next page comes as the end nears, until there is none
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('End');
      most = Math.max(most, await dataRows(page).count());
      if ((await page.locator('table.grid').getAttribute('aria-rowcount')) === String(total + 1)) break;
      await page.locator('.grid-scroll[data-ready]').waitFor();
    }
    expect(await page.locator('table.grid').getAttribute('aria-rowcount')).toBe(String(total + 1));
    await page.keyboard.press('End');
    await page.getByRole('row', { name: new RegExp(last) }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe(String(total + 1));
    expect(most).toBeLessThan(80);
    expect(await dataRows(page).count()).toBeLessThan(80);
    await page
      .getByRole('status')
      .filter({ hasText: `${total.toLocaleString('en-US')} mailboxes shown` })
      .waitFor();
    // and back to the first, by keyboard
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe('2');
  });

  it('a View-Only administrator gets the bulk pane without Reset PIN or Unlock, and r does nothing', async () => {
    const page = await at('/mailboxes?filter=um', 'en', 'victor');
    await page.getByRole('row').nth(1).click();
    await page.keyboard.press('Shift+ArrowDown');
    const pane = page.getByRole('complementary', { name: 'Bulk edit of 2 mailboxes' });
    await pane.waitFor();
    expect(await pane.getByRole('button').allInnerTexts()).toEqual(['×']);
    await page.keyboard.press('r');
    await page.keyboard.press('u');
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect(await pane.locator('progress').count()).toBe(0);
  });
});

/** The new files in the maildrop, once there are `count` of them (up to 60 s). */
async function waitForMails(web: WebServer, before: string[], count: number): Promise<string[]> {
  for (let i = 0; i < 600; i++) {
    const fresh = web.mails().filter((f) => !before.includes(f));
    if (fresh.length >= count) return fresh;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${count} mails arrived`);
}

/** A signed-in API session (cookie and CSRF token), for checks made beside the browser. */
async function apiSession(origin: string, name: string) {
  const r = await fetch(`${origin}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: ADMIN_PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`sign-in: ${r.status}`);
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return (method: 'GET' | 'POST', path: string, body?: unknown) =>
    fetch(origin + path, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}
