/**
 * The users' self-service page `/me` and the admin center's roles, in a real browser (Debian's
 * chromium) against a real `umpin serve --demo`: a user signs in with the code mailed to them,
 * resets their own PIN (mailed to them, expired for the next call), in English and Traditional
 * Chinese, and neither the code nor the PIN stays anywhere in the page; a View-Only
 * administrator is offered no write action, Help Desk is offered the PIN actions; and a cookie
 * write without the CSRF token is refused and changes nothing.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorLanguage } from '../src/domain/errors.js';
import { umpin } from './cli-runner.js';
import { CODE, PIN } from './delivered-mail.js';
import { childEnv } from './harness.js';
import { startWebServer, type WebServer } from './web-browser.js';

const TONY = 'tonysmith@contoso.com';
const PASSWORD = 'correct horse battery staple';

/** What a user reads on the self-service page, in each language. */
const WORDS = {
  en: {
    title: 'Voice mail PIN',
    address: 'E-mail address',
    sendCode: 'Send sign-in code',
    code: 'Sign-in code',
    signIn: 'Sign in',
    pinTitle: 'My voice mail PIN',
    resetPin: 'Reset my voice mail PIN',
    confirmTitle: 'Reset your voice mail PIN?',
    confirm: 'Reset PIN',
    done: 'Your voice mail PIN was reset',
    mailed: `The new PIN was mailed to ${TONY}.`,
    next: 'What to do next on the phone',
    enterPin: 'When asked, enter the new PIN from the mail.',
    signOut: 'Sign out',
  },
  'zh-TW': {
    title: '語音信箱 PIN 碼',
    address: '電子郵件地址',
    sendCode: '寄送登入碼',
    code: '登入碼',
    signIn: '登入',
    pinTitle: '我的語音信箱 PIN 碼',
    resetPin: '重設我的語音信箱 PIN 碼',
    confirmTitle: '要重設您的語音信箱 PIN 碼嗎？',
    confirm: '重設 PIN 碼',
    done: '您的語音信箱 PIN 碼已重設',
    mailed: `新的 PIN 碼已寄至 ${TONY}。`,
    next: '接下來請在電話上完成',
    enterPin: '依提示輸入郵件中的新 PIN 碼。',
    signOut: '登出',
  },
} as const;

describe('self-service page and role-aware admin center (umpin serve, Debian chromium)', () => {
  let web: WebServer;
  /** an Organization Management session of this test's own, to read what the API says */
  let adminCookie: string;

  const shell = async (command: string) => {
    const r = await umpin(childEnv(web.db), 'shell', '-c', command);
    expect(r.code, r.stderr).toBe(0);
  };
  const addAdmin = async (name: string, role: string) => {
    const r = await umpin(childEnv(web.db, { UMPIN_ADMIN_PASSWORD: PASSWORD }), 'admin', 'add', name, '--role', role);
    expect(r.code, r.stderr).toBe(0);
  };
  const pinStatus = async (): Promise<Record<string, unknown>> => {
    const r = await fetch(`${web.server.url}/api/v1/um-mailboxes/tonysmith/pin`, { headers: { cookie: adminCookie } });
    expect(r.status).toBe(200);
    return (await r.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    web = await startWebServer();
    await addAdmin('olivia', 'OrganizationManagement');
    await addAdmin('helen', 'HelpDesk');
    await addAdmin('victor', 'ViewOnlyOrganizationManagement');
    const r = await fetch(`${web.server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'olivia', password: PASSWORD }),
    });
    expect(r.status).toBe(200);
    adminCookie = r.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(async () => {
    await web?.close();
  });

  for (const language of ['en', 'zh-TW'] as const satisfies readonly ErrorLanguage[]) {
    it(`${language}: a user signs in with the mailed code and resets their own PIN, mailed to them; no code or PIN stays in the page`, async () => {
      const w = WORDS[language];
      // locked out by the phone: the reset lets them in again
      await shell('Set-UMMailboxPIN -Identity tonysmith -LockedOut $true');
      const context = await web.browser.newContext({ locale: language });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const consoleLines: string[] = [];
      page.on('console', (m) => consoleLines.push(m.text()));
      try {
        await page.goto(`${web.server.url}/me`);
        // its own page, not the admin center's sign-in
        await page.getByRole('banner').getByText(w.title, { exact: true }).waitFor();
        expect(page.url()).toBe(`${web.server.url}/me`);
        expect(await page.getByRole('navigation').count()).toBe(0);

        let before = web.mails();
        await page.getByLabel(w.address).fill(TONY);
        await page.getByRole('button', { name: w.sendCode }).click();
        const codeMail = await web.newMail(before);
        expect(codeMail.to).toBe(TONY);
        const code = CODE.exec(codeMail.text)![1]!;
        await page.getByLabel(w.code, { exact: true }).fill(code);
        await page.getByRole('button', { name: w.signIn, exact: true }).click();
        await page.getByRole('heading', { name: w.pinTitle }).waitFor();
        await page.getByText(TONY, { exact: true }).waitFor();

        // a confirmation first: Cancel changes nothing
        const reset = page.getByRole('button', { name: w.resetPin });
        await reset.click();
        let dialog = page.getByRole('dialog', { name: w.confirmTitle });
        expect(await dialog.textContent()).toContain(TONY);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        expect(await reset.evaluate((b) => b === document.activeElement)).toBe(true);
        expect(await pinStatus()).toMatchObject({ lockedOut: true });

        before = web.mails();
        await reset.click();
        dialog = page.getByRole('dialog', { name: w.confirmTitle });
        await dialog.getByRole('button', { name: w.confirm }).click();
        await page.getByRole('heading', { name: w.done }).waitFor();
        await page.getByRole('status').filter({ hasText: w.mailed }).waitFor();
        await page.getByRole('heading', { name: w.next }).waitFor();
        expect(await page.getByText(w.enterPin).count()).toBe(1);

        if (language === 'zh-TW') {
          // no English on the page beyond names, addresses and the PIN's own name
          const words = ((await page.locator('body').textContent()) ?? '')
            .replaceAll(TONY, '')
            .match(/[A-Za-z]{2,}/g)
            ?.filter((x) => !['PIN', 'Tony', 'Smith', 'English'].includes(x));
          expect(words ?? []).toEqual([]);
        }

        const pinMail = await web.newMail(before);
        expect(pinMail.to).toBe(TONY);
        const pin = PIN.exec(pinMail.text)![1]!;
        expect(await pinStatus()).toMatchObject({ pinExpired: true, lockedOut: false });

        for (const secret of [code, code.replace('-', ''), pin]) {
          expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(secret);
          const storage = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
          expect(storage).not.toContain(secret);
          expect(page.url()).not.toContain(secret);
          expect(consoleLines.join('\n')).not.toContain(secret);
        }
        expect(consoleLines.filter((l) => /Content Security Policy/i.test(l))).toEqual([]);

        await page.getByRole('button', { name: w.signOut }).click();
        await page.getByLabel(w.address).waitFor();
        expect((await context.request.get(`${web.server.url}/api/v1/session`)).status()).toBe(401);
      } finally {
        await context.close();
      }
    });
  }

  it('a View-Only administrator is offered no Reset PIN or Unlock; Help Desk is offered both', async () => {
    await shell('Set-UMMailboxPIN -Identity tonysmith -LockedOut $true');
    const seen: Record<string, { reset: number; unlock: number }> = {};
    for (const name of ['victor', 'helen']) {
      const context = await web.browser.newContext({ locale: 'en' });
      try {
        const page = await signedInPage(context, name);
        seen[name] = {
          reset: await page.getByRole('button', { name: 'Reset PIN' }).count(),
          unlock: await page.getByRole('button', { name: 'Unlock' }).count(),
        };
      } finally {
        await context.close();
      }
    }
    expect(seen).toEqual({ victor: { reset: 0, unlock: 0 }, helen: { reset: 1, unlock: 1 } });
  });

  it('a write with the session cookie but no X-CSRF-Token is refused (403 UMPIN_CSRF_INVALID) and changes nothing', async () => {
    await shell('Set-UMMailboxPIN -Identity tonysmith -LockedOut $true');
    const context = await web.browser.newContext({ locale: 'en' });
    try {
      const page = await signedInPage(context, 'helen');
      const url = `${web.server.url}/api/v1/um-mailboxes/tonysmith/pin`;
      // from the page itself: its cookie goes along, the header does not
      const fromPage = await page.evaluate(async (u) => {
        const r = await fetch(u, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ lockedOut: false }),
        });
        return { status: r.status, body: (await r.json()) as { code: string } };
      }, url);
      expect(fromPage).toMatchObject({ status: 403, body: { code: 'UMPIN_CSRF_INVALID' } });
      // and with the browser's cookie jar from outside the page
      const outside = await page.request.post(url, { data: { lockedOut: false } });
      expect(outside.status()).toBe(403);
      expect(await outside.json()).toMatchObject({ code: 'UMPIN_CSRF_INVALID' });
      expect(await pinStatus()).toMatchObject({ lockedOut: true });
      // the session itself works: the page's own Unlock (with the token) is accepted
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByRole('status').filter({ hasText: 'is unlocked' }).waitFor();
      expect(await pinStatus()).toMatchObject({ lockedOut: false });
    } finally {
      await context.close();
    }
  });

  /** Signs in through the admin center's page and opens Tony Smith's UM mailbox page. */
  async function signedInPage(context: BrowserContext, name: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${web.server.url}/sign-in?next=${encodeURIComponent('/mailboxes/tonysmith/um')}`);
    await signIn(page, name);
    await page.getByRole('heading', { name: 'PIN status' }).waitFor();
    return page;
  }
});

async function signIn(page: Page, name: string): Promise<void> {
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
