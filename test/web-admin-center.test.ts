/**
 * The web admin center in a real browser (Debian's chromium, driven by playwright-core)
 * against a real `umpin serve --demo` of the built CLI: the seed's five steps, in English and
 * in Traditional Chinese (the browser's locale) — set up the first administrator, sign in,
 * find Tony Smith by typing, View details, Reset PIN with a generated PIN and with a typed one
 * (refused by the policy first), Save — with the mail in the maildrop and the API agreeing.
 * Also the web answers' headers, that a typed PIN is nowhere in the page after Save, and the
 * mailbox list's PIN-status filters, sort and CSV export against what the API answers.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderError, type ErrorLanguage } from '../src/domain/errors.js';
import { type RunningServer, umpin } from './cli-runner.js';
import { childEnv, type TestDb } from './harness.js';
import { startWebServer, type WebServer } from './web-browser.js';

const ADMIN = { name: 'admin', password: 'correct horse battery staple' };
const TONY = 'tonysmith@contoso.com';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** What an administrator reads on the screen, in each language (the zh-TW Exchange admin center's terms). */
const WORDS = {
  en: {
    setupToken: 'Setup token',
    adminName: 'Administrator name',
    setupPassword: 'Password (12 or more characters)',
    createAdmin: 'Create administrator and sign in',
    signInTitle: 'Sign in',
    userName: 'User name',
    password: 'Password',
    signIn: 'Sign in',
    signOut: 'Sign out',
    mailboxes: 'Mailboxes',
    search: 'Search by name or address',
    details: 'Details of Tony Smith',
    phoneAndVoice: 'Phone and Voice Features',
    unifiedMessaging: 'Unified Messaging',
    viewDetails: 'View details',
    umTitle: 'UM Mailbox Settings',
    back: 'Back to mailboxes',
    resetPin: 'Reset PIN',
    generate: 'Automatically generate a PIN',
    typePin: 'Type a PIN',
    pin: 'PIN',
    requireReset: 'Require the user to reset their PIN the first time they sign in',
    save: 'Save',
    cancel: 'Cancel',
    unlock: 'Unlock',
    unlocked: 'The mailbox tonysmith@contoso.com is unlocked.',
    language: 'Language',
  },
  'zh-TW': {
    setupToken: '設定權杖',
    adminName: '系統管理員名稱',
    setupPassword: '密碼 (12 個字元以上)',
    createAdmin: '建立系統管理員並登入',
    signInTitle: '登入',
    userName: '使用者名稱',
    password: '密碼',
    signIn: '登入',
    signOut: '登出',
    mailboxes: '信箱',
    search: '依名稱或地址搜尋',
    details: 'Tony Smith 的詳細資料',
    phoneAndVoice: '電話和語音功能',
    unifiedMessaging: '整合通訊',
    viewDetails: '檢視詳細資料',
    umTitle: 'UM 信箱設定',
    back: '返回信箱',
    resetPin: '重設 PIN 碼',
    generate: '自動產生的 PIN',
    typePin: '輸入 PIN',
    pin: 'PIN 碼',
    requireReset: '需要使用者在第一次登入時重設其 PIN',
    save: '儲存',
    cancel: '取消',
    unlock: '解除鎖定',
    unlocked: '信箱 tonysmith@contoso.com 已解除鎖定。',
    language: '語言',
  },
} as const;
type Words = (typeof WORDS)[ErrorLanguage];

/** A PIN each language types: accepted by the demo's default policy, and not one used before (PIN history). */
const GOOD_PIN: Record<ErrorLanguage, string> = { en: '582947', 'zh-TW': '649183' };
/** One digit repeated: the policy refuses it (AllowCommonPatterns is $false). */
const REFUSED_PIN = '111111';

describe('web admin center (umpin serve, Debian chromium)', () => {
  let web: WebServer;
  let db: TestDb;
  let server: RunningServer;
  let browser: Browser;
  let setupToken: string;
  const mails = () => web.mails();
  const newMail = (before: string[]) => web.newMail(before);

  beforeAll(async () => {
    web = await startWebServer();
    ({ db, server, browser, setupToken } = web);
  });
  afterAll(async () => {
    await web?.close();
  });

  it('serves the app for client routes with a strict CSP, no-cache HTML and immutable hashed assets; the API keeps its 404', async () => {
    for (const path of ['/', '/setup', '/sign-in', '/mailboxes/tonysmith/um']) {
      const r = await fetch(server.url + path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('content-security-policy')).toBe(CSP);
      expect(r.headers.get('cache-control')).toBe('no-cache');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await r.text();
      // nothing inline: every script and style is a file of its own
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|style="/);
    }
    const html = await (await fetch(`${server.url}/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const r = await fetch(server.url + asset);
      expect(r.status, asset).toBe(200);
      expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(r.headers.get('content-security-policy')).toBe(CSP);
    }
    const api404 = await fetch(`${server.url}/api/v1/no-such-thing`);
    expect(api404.status).toBe(404);
    expect(await api404.json()).toMatchObject({ code: 'UMPIN_NOT_FOUND' });
    // the API docs page keeps its own policy
    const docs = await fetch(`${server.url}/api/docs`);
    expect(docs.headers.get('content-security-policy')).not.toBe(CSP);
  });

  for (const language of ['en', 'zh-TW'] as const) {
    it(`${language}: set up or sign in, find Tony Smith, View details, Reset PIN generated and typed, Save`, async () => {
      const w = WORDS[language];
      const context = await browser.newContext({ locale: language });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const consoleLines: string[] = [];
      page.on('console', (m) => consoleLines.push(m.text()));
      try {
        await page.goto(`${server.url}/`);
        if (language === 'en') {
          // first run: the only way in is the setup page, with the token serve printed
          await page.waitForURL('**/setup');
          await page.getByLabel(w.setupToken).fill(setupToken);
          await page.getByLabel(w.adminName).fill(ADMIN.name);
          await page.getByLabel(w.setupPassword).fill(ADMIN.password);
          await page.getByRole('button', { name: w.createAdmin }).click();
        } else {
          await page.waitForURL('**/sign-in?next=%2Fmailboxes');
          await signIn(page, w);
        }
        await page.waitForURL('**/mailboxes');
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
        await page.getByRole('heading', { name: w.mailboxes, exact: true }).waitFor();

        // step 1-2: Recipients → mailboxes, search as you type
        await page.getByRole('searchbox', { name: w.search }).pressSequentially('tony', { delay: 40 });
        await expect
          .poll(async () => (await page.getByRole('row').allInnerTexts()).slice(1), { timeout: 10_000 })
          .toEqual([expect.stringContaining('Tony Smith')]);
        const row = page.getByRole('row', { name: /Tony Smith/ });
        expect(await row.textContent()).toContain(TONY);
        // with the mouse in one language, the keyboard in the other
        if (language === 'en') await row.click();
        else {
          await row.focus();
          await page.keyboard.press('Enter');
        }

        // step 3: the details pane → Phone and Voice Features → Unified Messaging → View details
        const pane = page.getByRole('complementary', { name: w.details });
        await pane.getByRole('heading', { name: w.phoneAndVoice }).waitFor();
        expect(await pane.textContent()).toContain(w.unifiedMessaging);
        await pane.getByRole('link', { name: w.viewDetails }).click();
        await page.getByRole('heading', { name: w.umTitle }).waitFor();
        expect(page.url()).toMatch(/\/mailboxes\/[^/]+\/um$/);

        // the dialog by keyboard: Enter opens it with focus inside, Esc closes it and focus goes back
        const resetButton = page.getByRole('button', { name: w.resetPin });
        // the button is disabled (and cannot take focus) until the mailbox has loaded
        await expect.poll(() => resetButton.isEnabled()).toBe(true);
        await resetButton.focus();
        await page.keyboard.press('Enter');
        await page.getByRole('dialog', { name: w.resetPin }).waitFor();
        expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        expect(await resetButton.evaluate((b) => b === document.activeElement)).toBe(true);

        // step 4-5: Reset PIN with the defaults (a generated PIN, reset at first sign-in) → Save
        let before = mails();
        let dialog = await openResetPin(page, w);
        expect(await dialog.getByRole('radio', { name: w.generate }).isChecked()).toBe(true);
        expect(await dialog.getByRole('radio', { name: w.typePin }).isChecked()).toBe(false);
        expect(await dialog.getByRole('checkbox', { name: w.requireReset }).isChecked()).toBe(true);
        await dialog.getByRole('button', { name: w.save }).click();
        await confirmation(page, TONY);
        expect((await newMail(before)).to).toBe(TONY);
        expect(await pinStatus(context)).toMatchObject({ pinExpired: true, lockedOut: false });

        // a typed PIN the policy refuses: the catalog's message, in this language, by the field
        before = mails();
        dialog = await openResetPin(page, w);
        await dialog.getByRole('radio', { name: w.typePin }).check();
        await dialog.getByRole('checkbox', { name: w.requireReset }).uncheck();
        const field = dialog.getByLabel(w.pin, { exact: true });
        await field.fill(REFUSED_PIN);
        await dialog.getByRole('button', { name: w.save }).click();
        const refusal = renderError(
          { code: 'UMPIN_PIN_COMMON_PATTERN', field: 'Pin', params: { pattern: 'repeated' } },
          language,
        );
        await dialog.getByRole('alert').filter({ hasText: refusal }).waitFor();
        expect(await field.getAttribute('aria-describedby')).toBe(await dialog.getByRole('alert').getAttribute('id'));
        expect(await field.inputValue()).toBe('');

        // then a good one: saved, mailed to Tony, and the PIN is nowhere in the page
        const pin = GOOD_PIN[language];
        await field.fill(pin);
        await dialog.getByRole('button', { name: w.save }).click();
        await confirmation(page, TONY);
        const mail = await newMail(before);
        expect(mail.to).toBe(TONY);
        expect(mail.text).toContain(pin);
        expect(await pinStatus(context)).toMatchObject({ pinExpired: false, lockedOut: false });
        for (const secret of [pin, REFUSED_PIN]) {
          expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(secret);
          const storage = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
          expect(storage).not.toContain(secret);
          expect(page.url()).not.toContain(secret);
          expect(consoleLines.join('\n')).not.toContain(secret);
        }
        // nothing the page did was refused by its Content-Security-Policy
        expect(consoleLines.filter((l) => /Content Security Policy/i.test(l))).toEqual([]);
        // localStorage holds the language, and nothing else
        expect((await page.evaluate(() => Object.keys(localStorage))).every((k) => k === 'umpin.language')).toBe(true);

        if (language === 'zh-TW') {
          // locked out from the shell, the page shows it and Unlock lifts it (keeping the PIN)
          const lock = await umpin(
            childEnv(db),
            'shell',
            '-c',
            'Set-UMMailboxPIN -Identity tonysmith -LockedOut $true',
          );
          expect(lock.code, lock.stderr).toBe(0);
          await page.getByRole('link', { name: w.back }).click();
          await page.getByRole('row', { name: /Tony Smith/ }).click();
          await page.getByRole('link', { name: w.viewDetails }).click();
          const unlock = page.getByRole('button', { name: w.unlock });
          await expect.poll(() => unlock.isEnabled(), { timeout: 10_000 }).toBe(true);
          await unlock.click();
          await page.getByRole('status').filter({ hasText: w.unlocked }).waitFor();
          expect(await pinStatus(context)).toMatchObject({ lockedOut: false, pinExpired: false });
          expect(await unlock.isDisabled()).toBe(true);
        }

        if (language === 'en') {
          // the language is switched in the header, and remembered across a reload
          await page.getByLabel(w.language).selectOption('zh-TW');
          await page.getByRole('heading', { name: WORDS['zh-TW'].umTitle }).waitFor();
          const umPage = new URL(page.url()).pathname;
          await page.reload();
          // still signed in, on the same page, in the language chosen
          await page.getByRole('heading', { name: WORDS['zh-TW'].umTitle }).waitFor();
          expect(new URL(page.url()).pathname).toBe(umPage);
          await page.getByLabel(WORDS['zh-TW'].language).selectOption('en');
          // a call answered 401 (the session is gone) leads to sign-in, and back after it
          await context.clearCookies();
          await page.getByRole('link', { name: w.back }).click();
          await page.waitForURL('**/sign-in?next=%2Fmailboxes');
          await signIn(page, w);
          await page.waitForURL('**/mailboxes');
          await page.getByRole('row', { name: /Tony Smith/ }).waitFor();
        }

        await page.getByRole('button', { name: w.signOut }).click();
        await page.waitForURL('**/sign-in');
        expect((await context.request.get(`${server.url}/api/v1/session`)).status()).toBe(401);
      } finally {
        await context.close();
      }
    });
  }

  it('Mailboxes: PIN-status columns and filters, sort by a header, a bookmarkable view, export to CSV', async () => {
    // the first administrator, unless the seed's steps above have made it
    if (((await (await fetch(`${server.url}/api/v1/setup`)).json()) as { required: boolean }).required)
      await fetch(`${server.url}/api/v1/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: setupToken, ...ADMIN }),
      });
    const api = await apiSession(server.url);
    // Tony locked out from the API
    expect((await api('POST', '/api/v1/um-mailboxes/tonysmith/pin', { lockedOut: true })).status).toBe(200);
    const view = async (query: string) => {
      const items: Array<{ displayName: string; primarySmtpAddress: string }> = [];
      for (let cursor = ''; ; ) {
        const r = await api('GET', `/api/v1/um-mailboxes?limit=7&${query}${cursor && `&cursor=${cursor}`}`);
        const page = (await r.json()) as { items: typeof items; next: string | null };
        items.push(...page.items);
        if (!page.next) return items;
        cursor = encodeURIComponent(page.next);
      }
    };
    const expired = await view(`filter=${encodeURIComponent('PinExpired -eq $true')}`);
    expect(expired.length).toBeGreaterThan(0);

    const context = await browser.newContext({ locale: 'en', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    const names = async () => (await page.getByRole('row').allInnerTexts()).slice(1).map((r) => r.split('\t')[0]);
    try {
      // a bookmarked view survives signing in
      await page.goto(`${server.url}/mailboxes?filter=locked`);
      await page.waitForURL('**/sign-in?next=**');
      await signIn(page, WORDS.en);
      await page.waitForURL('**/mailboxes?filter=locked');
      const filter = page.getByLabel('Filter', { exact: true });
      expect(await filter.inputValue()).toBe('locked');
      await expect.poll(names).toEqual(['Tony Smith']);
      const headers = await page.getByRole('columnheader').allInnerTexts();
      expect(headers.map((h) => h.replace(/[▲▼]/g, '').trim())).toEqual([
        'Display name',
        'Email address',
        'Extension',
        'Locked out',
        'PIN expired',
        'First-time user',
      ]);
      expect((await page.getByRole('row', { name: /Tony Smith/ }).allInnerTexts())[0]!.split('\t')[3]).toBe('Yes');
      // the filter and the search together, both in the URL
      await page.getByRole('searchbox', { name: WORDS.en.search }).pressSequentially('kim', { delay: 40 });
      await page.getByRole('status').filter({ hasText: 'No mailboxes match.' }).waitFor();
      await page.waitForURL('**/mailboxes?search=kim&filter=locked');
      await page.getByRole('searchbox', { name: WORDS.en.search }).fill('');

      // PIN expired: exactly the mailboxes the API names, each showing it
      await filter.selectOption('expired');
      await page.waitForURL('**/mailboxes?filter=expired');
      await expect.poll(names).toEqual(expired.map((m) => m.displayName));
      for (const row of (await page.getByRole('row').allInnerTexts()).slice(1)) expect(row.split('\t')[4]).toBe('Yes');

      // sort by address, descending: the second click on the header, by the keyboard
      await filter.selectOption('');
      const address = page.getByRole('columnheader', { name: /Email address/ });
      await address.getByRole('button').click();
      await page.waitForURL('**/mailboxes?sort=address');
      expect(await address.getAttribute('aria-sort')).toBe('ascending');
      await address.getByRole('button').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL('**/mailboxes?sort=-address');
      expect(await address.getAttribute('aria-sort')).toBe('descending');
      expect(await page.getByRole('columnheader', { name: /Display name/ }).getAttribute('aria-sort')).toBe('none');
      const descending = await view('sortBy=-PrimarySmtpAddress');
      expect(descending.map((m) => m.primarySmtpAddress)).toEqual(
        descending
          .map((m) => m.primarySmtpAddress)
          .sort()
          .reverse(),
      );
      await expect
        .poll(async () => (await page.getByRole('row').allInnerTexts()).slice(1).map((r) => r.split('\t')[1]))
        .toEqual(descending.map((m) => m.primarySmtpAddress));

      // export the current view (PIN expired, by address descending) to CSV
      await filter.selectOption('expired');
      await page.waitForURL('**/mailboxes?filter=expired&sort=-address');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export to CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('mailboxes.csv');
      const csv = readFileSync(await download.path(), 'utf8');
      const inView = await view(`filter=${encodeURIComponent('PinExpired -eq $true')}&sortBy=-PrimarySmtpAddress`);
      const lines = csv
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toBe('"Display name","Email address","Extensions","Locked out","PIN expired","First-time user"');
      expect(lines.slice(1).map((l) => l.split('","')[1])).toEqual(inView.map((m) => m.primarySmtpAddress));
      expect(lines.slice(1).every((l) => /"(True|False)","True","(True|False)"$/.test(l))).toBe(true);
      await page
        .getByRole('status')
        .filter({ hasText: `${inView.length} mailboxes exported.` })
        .waitFor();
      expect(consoleLines.filter((l) => /Content Security Policy/i.test(l))).toEqual([]);
    } finally {
      await context.close();
      await api('POST', '/api/v1/um-mailboxes/tonysmith/pin', { lockedOut: false });
    }
  });

  it("zh-TW: the list's filter, its choices, PIN-status columns and export are labelled in Traditional Chinese", async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    try {
      await page.goto(`${server.url}/mailboxes`);
      await page.waitForURL('**/sign-in?next=**');
      await signIn(page, WORDS['zh-TW']);
      const filter = page.getByLabel('篩選', { exact: true });
      await filter.waitFor();
      expect(await filter.locator('option').allInnerTexts()).toEqual([
        '所有信箱',
        '所有 UM 信箱',
        '未啟用整合通訊的信箱',
        '已鎖定',
        'PIN 碼已過期',
        '首次使用者',
      ]);
      // all mailboxes say whether they are enabled for UM; the UM mailboxes show their PIN state
      await expect
        .poll(async () => (await page.getByRole('columnheader').allInnerTexts()).slice(3))
        .toEqual(['整合通訊']);
      await filter.selectOption('um');
      await expect
        .poll(async () => (await page.getByRole('columnheader').allInnerTexts()).slice(3))
        .toEqual(['已鎖定', 'PIN 碼已過期', '首次使用者']);
      await page.getByRole('button', { name: '匯出至 CSV 檔案' }).waitFor();
    } finally {
      await context.close();
    }
  });
});

async function signIn(page: Page, w: Words): Promise<void> {
  await page.getByLabel(w.userName).fill(ADMIN.name);
  await page.getByLabel(w.password, { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: w.signIn, exact: true }).click();
}

/** A signed-in API session of the administrator (cookie and CSRF token), for calls made beside the browser. */
async function apiSession(origin: string) {
  const r = await fetch(`${origin}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  expect(r.status).toBe(200);
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

async function openResetPin(page: Page, w: Words) {
  await page.getByRole('button', { name: w.resetPin }).click();
  const dialog = page.getByRole('dialog', { name: w.resetPin });
  await dialog.waitFor();
  return dialog;
}

/** The confirmation names the address the mail went to. */
async function confirmation(page: Page, address: string): Promise<void> {
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.getByRole('status').filter({ hasText: address }).waitFor();
}

/** Get-UMMailboxPIN over the API, with the browser's own session. */
async function pinStatus(context: BrowserContext): Promise<Record<string, unknown>> {
  const r = await context.request.get(`${new URL(context.pages()[0]!.url()).origin}/api/v1/um-mailboxes/tonysmith/pin`);
  expect(r.status()).toBe(200);
  return (await r.json()) as Record<string, unknown>;
}
