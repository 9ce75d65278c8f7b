/**
 * Issue 14's settings in a real browser (Debian's chromium) against a real `umpin serve --demo`:
 * the UM mailbox policy page offers PIN complexity as a list, the level chosen is saved; a user whose mailbox has PinChangeAllowed $false is told on the self-service page that
 * the PIN cannot be reset there. No axe violation on either page, in English and Chinese.
 */
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorLanguage } from '../src/domain/errors.js';
import { CODE } from './delivered-mail.js';
import { axeViolations } from './web-accessibility.js';
import { ADMIN_PASSWORD, addAdmin, signedInPage, startWebServer, type WebServer } from './web-browser.js';

const POLICY = 'Contoso Default Policy';
const KIM = 'kimakers@contoso.com';

const WORDS = {
  en: {
    complexity: 'PIN complexity',
    standard: 'Standard (default): the rules Exchange applies',
    strict: 'Strict: also refuse guessable PINs',
    progressive: 'Progressive lockout: each further lockout within a day lasts twice as long, up to a day',
    save: 'Save',
    saved: `The changes to ${POLICY} were saved.`,
    address: 'E-mail address',
    sendCode: 'Send sign-in code',
    code: 'Sign-in code',
    signIn: 'Sign in',
    pinTitle: 'My voice mail PIN',
    resetPin: 'Reset my voice mail PIN',
    noChange: 'The PIN of this mailbox is set by your administrators: it cannot be reset here. Ask them for a new one.',
    canChange: 'User can change the PIN',
  },
  'zh-TW': {
    complexity: 'PIN 碼複雜度',
    standard: '標準（預設）：套用原有的規則',
    strict: '嚴格：另外拒絕容易被猜到的 PIN 碼',
    progressive: '漸進式鎖定：一天內每次再被鎖定，持續時間加倍，最長一天',
    save: '儲存',
    saved: `已儲存 ${POLICY} 的變更。`,
    address: '電子郵件地址',
    sendCode: '寄送登入碼',
    code: '登入碼',
    signIn: '登入',
    pinTitle: '我的語音信箱 PIN 碼',
    resetPin: '重設我的語音信箱 PIN 碼',
    noChange: '這個信箱的 PIN 碼由系統管理員設定，無法在此重設。如需新的 PIN 碼，請洽系統管理員。',
    canChange: '使用者可變更 PIN 碼',
  },
} as const;

/** An administrator's session of the test's own, for reading and setting through the API (no CLI start-up to wait for). */
interface AdminApi {
  get(path: string): Promise<Record<string, unknown>>;
  patch(path: string, body: unknown): Promise<number>;
}

async function adminApi(web: WebServer, name: string): Promise<AdminApi> {
  const r = await fetch(`${web.server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: ADMIN_PASSWORD }),
  });
  expect(r.status).toBe(200);
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return {
    get: async (path) => (await (await fetch(`${web.server.url}${path}`, { headers: { cookie } })).json()) as never,
    patch: async (path, body) =>
      (
        await fetch(`${web.server.url}${path}`, {
          method: 'PATCH',
          headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status,
  };
}

describe('PIN policy beyond Exchange in the admin center and on the self-service page (umpin serve, chromium)', () => {
  let web: WebServer;
  let api: AdminApi;
  let policyUrl: string;
  let policyPath: string;

  beforeAll(async () => {
    web = await startWebServer();
    await addAdmin(web, 'olivia', 'OrganizationManagement');
    api = await adminApi(web, 'olivia');
    expect(await api.patch('/api/v1/um-mailboxes/kimakers', { pinChangeAllowed: false })).toBe(200);
    const id = (await api.get(`/api/v1/um-mailbox-policies/${encodeURIComponent(POLICY)}`)).id as string;
    policyUrl = `/api/v1/um-mailbox-policies/${id}`;
    policyPath = `/um-mailbox-policies/${id}`;
  });
  afterAll(async () => {
    await web?.close();
  });

  for (const language of ['en', 'zh-TW'] as const satisfies readonly ErrorLanguage[]) {
    it(`${language}: PIN complexity is a labelled list on the policy page; choosing a level sends only it, and the API agrees`, async () => {
      const w = WORDS[language];
      const context = await web.browser.newContext({ locale: language });
      try {
        const page = await signedInPage(web, context, 'olivia', policyPath);
        const list = page.getByRole('combobox', { name: w.complexity });
        await list.waitFor();
        const options = await list.locator('option').allTextContents();
        expect(options).toEqual([w.standard, w.strict]);
        expect(await page.getByRole('checkbox', { name: w.progressive }).isChecked()).toBe(false);
        const target = language === 'en' ? 'Strict' : 'Exchange';
        const patches: Request[] = [];
        page.on('request', (r) => r.method() === 'PATCH' && patches.push(r));
        await list.selectOption(target);
        await page.getByRole('button', { name: w.save }).click();
        await page.getByRole('status').filter({ hasText: w.saved }).waitFor();
        expect(patches.map((r) => r.postDataJSON())).toEqual([{ pinComplexity: target }]);
        expect((await api.get(policyUrl)).pinComplexity).toBe(target);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it(`${language}: a user whose mailbox has PinChangeAllowed $false is told the PIN cannot be reset here`, async () => {
      const w = WORDS[language];
      const context = await web.browser.newContext({ locale: language });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(10_000);
        await page.goto(`${web.server.url}/me`);
        const before = web.mails();
        await page.getByLabel(w.address).fill(KIM);
        await page.getByRole('button', { name: w.sendCode }).click();
        const codeMail = await web.newMail(before);
        await page.getByLabel(w.code, { exact: true }).fill(CODE.exec(codeMail.text)![1]!);
        await page.getByRole('button', { name: w.signIn, exact: true }).click();
        await page.getByRole('heading', { name: w.pinTitle }).waitFor();
        await page.getByText(w.noChange).waitFor();
        // the PIN status says it too, among its facts
        await page.locator('dl.facts dt', { hasText: w.canChange }).waitFor();
        const reset = page.getByRole('button', { name: w.resetPin });
        expect(await reset.isDisabled()).toBe(true);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
