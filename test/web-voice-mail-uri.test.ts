/**
 * The dial plan's VoiceMailUri (a umpin addition) on the admin center's dial plan page, in a
 * real browser (Debian's chromium) against `umpin serve --demo`: Organization Management sets
 * it, the shell sees it, a bad one is refused with the catalog's message in the page's
 * language and changes nothing, emptied it is removed; axe finds no violation in either language.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, DEMO_NAMES, untranslatedWords } from './web-accessibility.js';
import { addAdmin, shell, signedInPage, startWebServer, type WebServer } from './web-browser.js';

const WORDS = {
  en: {
    dialPlans: 'UM dial plans',
    voiceMail: 'Voice mail after sign-in',
    save: 'Save',
    saved: 'The changes to Contoso were saved.',
    refused: 'VoiceMailUri is not valid: it must contain {extension} exactly once',
  },
  'zh-TW': {
    dialPlans: 'UM 撥號對應表',
    voiceMail: '登入後轉接的語音信箱',
    save: '儲存',
    saved: '已儲存 Contoso 的變更。',
    refused: 'VoiceMailUri 無效：必須以 sip: 或 sips: 開頭',
  },
} as const;

describe('the dial plan’s voice mail after sign-in in the admin center (umpin serve, Debian chromium)', () => {
  let web: WebServer;

  beforeAll(async () => {
    web = await startWebServer();
    await addAdmin(web, 'olivia', 'OrganizationManagement');
  });
  afterAll(async () => {
    await web?.close();
  });

  const voiceMailUri = async () => (await shell(web, '(Get-UMDialPlan Contoso).VoiceMailUri')).trim();

  /** the Contoso dial plan's page, reached from the list as an administrator would */
  async function openContoso(language: keyof typeof WORDS): Promise<Page> {
    const w = WORDS[language];
    const context = await web.browser.newContext({ locale: language });
    const page = await signedInPage(web, context, 'olivia', '/um-dial-plans');
    await page.getByRole('heading', { name: w.dialPlans }).waitFor();
    await page.getByRole('link', { name: 'Contoso', exact: true }).click();
    await page.getByRole('textbox', { name: w.voiceMail }).waitFor();
    return page;
  }

  async function save(page: Page, language: keyof typeof WORDS, value: string): Promise<void> {
    await page.getByRole('textbox', { name: WORDS[language].voiceMail }).fill(value);
    await page.getByRole('button', { name: WORDS[language].save, exact: true }).click();
  }

  it('sets it, refuses a bad one with the rule and keeps the old, and removes it when emptied (English)', async () => {
    const w = WORDS.en;
    const page = await openContoso('en');
    try {
      expect(await axeViolations(page)).toEqual([]);
      await save(page, 'en', 'sip:*97{extension}@pbx.contoso.com');
      await page.getByRole('status').getByText(w.saved).waitFor();
      expect(await voiceMailUri()).toBe('sip:*97{extension}@pbx.contoso.com');

      await save(page, 'en', 'sip:voicemail@pbx.contoso.com');
      await page.getByRole('alert').getByText(w.refused).waitFor();
      expect(await voiceMailUri()).toBe('sip:*97{extension}@pbx.contoso.com');

      await save(page, 'en', '');
      await page.getByRole('status').getByText(w.saved).waitFor();
      expect(await voiceMailUri()).toBe('');
    } finally {
      await page.context().close();
    }
  });

  it('in Mandarin: the field, the refusal in the page’s language, no English left and no axe violation', async () => {
    const w = WORDS['zh-TW'];
    const page = await openContoso('zh-TW');
    try {
      expect(await axeViolations(page)).toEqual([]);
      expect(await untranslatedWords(page, [...DEMO_NAMES, 'olivia', 'Organization Management'])).toEqual([]);
      await save(page, 'zh-TW', 'tel:+14255550100');
      await page.getByRole('alert').getByText(w.refused).waitFor();
      await save(page, 'zh-TW', 'sip:{extension}@10.0.0.5:5060');
      await page.getByRole('status').getByText(w.saved).waitFor();
      expect(await voiceMailUri()).toBe('sip:{extension}@10.0.0.5:5060');
    } finally {
      await page.context().close();
    }
  });
});
