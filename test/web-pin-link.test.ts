/**
 * The page a one-time PIN link opens (PINDelivery Link), in a real browser (Debian's chromium)
 * against a real `umpin serve --demo`: the link comes from a mail in the maildrop; opening it
 * (as a mail scanner would, too) shows a button and uses nothing up; the button shows the PIN,
 * which the mail never held; a reload says the link was used; a link replaced by a newer reset
 * says so; in English and Traditional Chinese, with no accessibility violations, the PIN in no
 * later page nor in browser storage, and the token nowhere in the server's log.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE } from './delivered-mail.js';
import { axeViolations, DEMO_NAMES, untranslatedWords } from './web-accessibility.js';
import { ADMIN_PASSWORD, addAdmin, signedInPage, startWebServer, type WebServer } from './web-browser.js';

const TONY = 'tonysmith@contoso.com';

interface SignedIn {
  csrfToken: string;
}
const LINK = /https?:\/\/\S+?(\/me\/pin\/[A-Za-z0-9_-]{43})/;

const WORDS = {
  en: {
    title: 'Your voice mail PIN',
    show: 'Show my PIN',
    used: 'This link has already been used',
    replaced: 'This link no longer works',
    newReset: 'Ask for a new PIN on the self-service page',
  },
  'zh-TW': {
    title: '您的語音信箱 PIN 碼',
    show: '顯示我的 PIN 碼',
    used: '這個連結已經使用過',
    replaced: '這個連結已失效',
    newReset: '在自助服務頁面重新申請 PIN 碼',
  },
} as const;

describe('PIN link page (umpin serve --demo, Debian chromium)', () => {
  let web: WebServer;

  /** An administrator's session of the test's own, for what an administrator does elsewhere (over the API: no process to start) */
  let admin: { cookie: string; csrfToken: string };
  const asAdmin = (method: string, path: string, body?: unknown) =>
    fetch(`${web.server.url}${path}`, {
      method,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    web = await startWebServer();
    await addAdmin(web, 'olivia', 'OrganizationManagement');
    const r = await fetch(`${web.server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'olivia', password: ADMIN_PASSWORD }),
    });
    expect(r.status).toBe(200);
    admin = {
      cookie: r.headers.get('set-cookie')!.split(';')[0]!,
      csrfToken: ((await r.json()) as SignedIn).csrfToken,
    };
  });
  afterAll(() => web?.close());

  it('the UM mailbox policy page offers how PINs are sent; choosing the link is saved', async () => {
    const context = await web.browser.newContext({ locale: 'en' });
    const page = await signedInPage(web, context, 'olivia', '/um-dial-plans');
    await page.goto(`${web.server.url}/um-mailbox-policies/${encodeURIComponent('Contoso Default Policy')}`);
    const list = page.getByRole('combobox', { name: 'How PINs are sent' });
    // the page fills the list once the policy has loaded
    await list.locator('option').nth(1).waitFor({ state: 'attached' });
    expect(await list.locator('option').allTextContents()).toEqual([
      'In the mail (default)',
      'As a one-time link that shows the PIN once',
    ]);
    expect(await page.getByRole('spinbutton', { name: 'Hours a PIN link stays valid' }).inputValue()).toBe('24');
    await list.selectOption('Link');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'were saved' }).waitFor();
    await clean(page);
    await context.close();
    const policy = await asAdmin('GET', `/api/v1/um-mailbox-policies/${encodeURIComponent('Contoso Default Policy')}`);
    expect(((await policy.json()) as { pinDelivery: string }).pinDelivery).toBe('Link');
  });

  /** Resets Tony's PIN as an administrator would, and returns the link's path from the mail. */
  const resetByMail = async (): Promise<{ path: string; text: string }> => {
    // the policy sends links whichever test runs first (the first test also sets it, through the page)
    const policy = await asAdmin(
      'PATCH',
      `/api/v1/um-mailbox-policies/${encodeURIComponent('Contoso Default Policy')}`,
      {
        pinDelivery: 'Link',
      },
    );
    expect(policy.status).toBe(200);
    const before = web.mails();
    // Set-UMMailboxPIN with a generated PIN, as an administrator
    expect((await asAdmin('POST', `/api/v1/um-mailboxes/${TONY}/pin`, {})).status).toBe(200);
    const mail = await web.newMail(before);
    expect(mail.to).toContain(TONY);
    const m = LINK.exec(mail.text);
    expect(m, mail.text).not.toBeNull();
    return { path: m![1]!, text: mail.text };
  };

  const clean = async (page: Page) => expect(await axeViolations(page)).toEqual([]);

  for (const language of ['en', 'zh-TW'] as const) {
    const w = WORDS[language];

    it(`opening the link shows a button, the button shows the PIN once, a reload says it was used (${language})`, async () => {
      const { path, text } = await resetByMail();
      // a mail scanner or a link preview fetches the page first: that uses nothing up
      expect((await fetch(`${web.server.url}${path}`)).status).toBe(200);

      const context = await web.browser.newContext({ locale: language });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${web.server.url}${path}`);
      await page.getByRole('heading', { name: w.title }).waitFor();
      const show = page.getByRole('button', { name: w.show });
      await show.waitFor();
      await clean(page);
      if (language === 'zh-TW') expect(await untranslatedWords(page, DEMO_NAMES)).toEqual([]);

      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/self/pin-links/show')),
        show.click(),
      ]);
      expect(answer.status()).toBe(200);
      expect(answer.headers()['cache-control']).toBe('no-store');
      expect(answer.headers()['referrer-policy']).toBe('no-referrer');
      const pin = (await page.locator('.pin-link-value').textContent())?.trim() ?? '';
      expect(pin).toMatch(/^\d{6,}$/);
      expect(await page.locator('main').textContent()).toContain(TONY);
      await clean(page);
      if (language === 'zh-TW') expect(await untranslatedWords(page, DEMO_NAMES)).toEqual([]);
      // the mail never held it
      expect(text).not.toContain(pin);

      const storage = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
      expect(storage).not.toContain(pin);
      expect(storage).not.toContain(path.split('/').pop()!);

      await page.reload();
      await page.getByText(w.used).waitFor();
      expect(await page.content()).not.toContain(pin);
      await clean(page);

      await page.getByRole('link', { name: w.newReset }).click();
      await page.waitForURL((u) => u.pathname === '/me');
      expect(await page.content()).not.toContain(pin);
      await context.close();
    });
  }

  it('with the sign-in required: the link waits for its user signed in on /me; a self-service reset replaces it; the log never holds a token', async () => {
    const policy = `/api/v1/um-mailbox-policies/${encodeURIComponent('Contoso Default Policy')}`;
    expect((await asAdmin('PATCH', policy, { pinLinkRequiresSignIn: true })).status).toBe(200);
    const first = await resetByMail();
    const context = await web.browser.newContext({ locale: 'en' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);

    // not signed in: the page says to sign in first, and the button is refused without using the link up
    await page.goto(`${web.server.url}${first.path}`);
    await page.getByText('sign in to the self-service page before the PIN is shown').waitFor();
    await clean(page);
    await page.getByRole('button', { name: WORDS.en.show }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign in to the self-service page first' }).waitFor();

    // signed in on /me, the user resets the PIN there: the page says a link was mailed
    await page.goto(`${web.server.url}/me`);
    let before = web.mails();
    await page.getByLabel('E-mail address').fill(TONY);
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    const code = CODE.exec((await web.newMail(before)).text)![1]!;
    await page.getByLabel('Sign-in code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    before = web.mails();
    await page.getByRole('button', { name: 'Reset my voice mail PIN' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset PIN' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `A link that shows the new PIN once was mailed to ${TONY}.` })
      .waitFor();
    const selfMail = await web.newMail(before);
    const second = LINK.exec(selfMail.text)![1]!;

    // the older link was replaced; the newer one shows the PIN to its signed-in user
    await page.goto(`${web.server.url}${first.path}`);
    await page.getByText(WORDS.en.replaced).waitFor();
    await page.getByRole('link', { name: WORDS.en.newReset }).waitFor();
    expect(await page.getByRole('button', { name: WORDS.en.show }).count()).toBe(0);
    await clean(page);
    await page.goto(`${web.server.url}${second}`);
    await page.getByRole('button', { name: WORDS.en.show }).click();
    expect((await page.locator('.pin-link-value').textContent())?.trim()).toMatch(/^\d{6,}$/);
    await context.close();

    const log = web.server.output();
    expect(log).toContain('/me/pin/[redacted]');
    for (const path of [first.path, second]) expect(log).not.toContain(path.split('/').pop()!);
  });
});
