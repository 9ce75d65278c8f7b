/**
 * Every page of the admin center and the users' own page, in English and in Traditional
 * Chinese, checked by axe-core in Debian's chromium: WCAG 2.1 A and AA and axe's best
 * practices, with no violation allowed. Pages built later check themselves in their own
 * suites with the same helper (web-accessibility.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, DEMO_NAMES, untranslatedWords } from './web-accessibility.js';
import { addAdmin, shell, signedInPage, startWebServer, type WebServer } from './web-browser.js';

describe('accessibility of every page (axe-core, both languages)', () => {
  let web: WebServer;

  beforeAll(async () => {
    web = await startWebServer();
    await addAdmin(web, 'olivia', 'OrganizationManagement');
    await shell(web, 'Set-UMMailboxPIN -Identity tonysmith -LockedOut $true');
  });
  afterAll(async () => {
    await web?.close();
  });

  for (const locale of ['en', 'zh-TW'] as const) {
    it(`${locale}: sign-in, setup, mailboxes with details pane, UM mailbox, Reset PIN dialog and /me have no violations`, async () => {
      const context = await web.browser.newContext({ locale });
      try {
        const seen: Record<string, unknown[]> = {};
        // on the Chinese pages: no English beyond names, addresses and the terms Exchange keeps
        const english: Record<string, string[]> = {};
        const anonymous = await context.newPage();
        await anonymous.goto(`${web.server.url}/sign-in`);
        await anonymous.locator('input[name=name]').waitFor();
        seen.signIn = await axeViolations(anonymous);
        if (locale === 'zh-TW') english.signIn = await untranslatedWords(anonymous, [...DEMO_NAMES, 'olivia']);
        await anonymous.goto(`${web.server.url}/setup`);
        await anonymous.locator('h1').waitFor();
        seen.setup = await axeViolations(anonymous);
        if (locale === 'zh-TW') english.setup = await untranslatedWords(anonymous, [...DEMO_NAMES, 'olivia']);
        await anonymous.goto(`${web.server.url}/me`);
        await anonymous.locator('input[type=email]').waitFor();
        seen.me = await axeViolations(anonymous);
        if (locale === 'zh-TW') english.me = await untranslatedWords(anonymous, [...DEMO_NAMES, 'olivia']);

        const page = await signedInPage(web, context, 'olivia', '/mailboxes');
        await page.locator('tbody tr').first().waitFor();
        seen.mailboxes = await axeViolations(page);
        if (locale === 'zh-TW') english.mailboxes = await untranslatedWords(page, [...DEMO_NAMES, 'olivia']);
        await page.locator('tbody tr').first().click();
        await page.locator('aside, [role=complementary], .details').first().waitFor();
        seen.detailsPane = await axeViolations(page);
        if (locale === 'zh-TW') english.detailsPane = await untranslatedWords(page, [...DEMO_NAMES, 'olivia']);

        await page.goto(`${web.server.url}/mailboxes/tonysmith/um`);
        await page.locator('dl.facts').first().waitFor();
        seen.umMailbox = await axeViolations(page);
        if (locale === 'zh-TW') english.umMailbox = await untranslatedWords(page, [...DEMO_NAMES, 'olivia']);
        await page.locator('button.primary').first().click();
        await page.locator('dialog[open]').waitFor();
        seen.resetPin = await axeViolations(page);
        if (locale === 'zh-TW') english.resetPin = await untranslatedWords(page, [...DEMO_NAMES, 'olivia']);
        // the check can fail: an input with no label is found at once
        await page.evaluate(() => document.querySelector('dialog[open]')?.append(document.createElement('input')));
        expect((await axeViolations(page)).map((v) => v.id)).toContain('label');
        if (locale === 'zh-TW') for (const [name, words] of Object.entries(english)) expect(words, name).toEqual([]);
        expect(seen).toEqual({
          signIn: [],
          setup: [],
          me: [],
          mailboxes: [],
          detailsPane: [],
          umMailbox: [],
          resetPin: [],
        });
      } finally {
        await context.close();
      }
    });
  }
});
