/**
 * Every page of the admin center and the users' own page, in English and in Traditional
 * Chinese, checked by axe-core in Debian's chromium (WCAG 2.1 A and AA and axe's best
 * practices, no violation allowed) and, in Chinese, for English left on the screen beyond
 * names, addresses and the terms Exchange keeps. The pages' own suites check their dialogs
 * and steps the same way (web-accessibility.ts).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, DEMO_NAMES, untranslatedWords } from './web-accessibility.js';
import { addAdmin, shell, signedInPage, startWebServer, type WebServer } from './web-browser.js';

/** Names the pages show beyond the demo's: the administrator signed in, and the mailbox made here. */
const NAMES = [...DEMO_NAMES, 'olivia', 'Nora Hale', 'norahale', 'Organization Management', 'OrganizationManagement'];

describe('accessibility and wording of every page (axe-core, both languages)', () => {
  let web: WebServer;

  beforeAll(async () => {
    web = await startWebServer();
    await addAdmin(web, 'olivia', 'OrganizationManagement');
    await shell(web, 'Set-UMMailboxPIN -Identity tonysmith -LockedOut $true');
    await shell(web, "New-Mailbox -Name 'Nora Hale' -Alias norahale -PrimarySmtpAddress norahale@contoso.com");
  });
  afterAll(async () => {
    await web?.close();
  });

  for (const locale of ['en', 'zh-TW'] as const) {
    it(`${locale}: every page has no violations${locale === 'zh-TW' ? ' and no English left' : ''}`, async () => {
      const context = await web.browser.newContext({ locale });
      const violations: Record<string, unknown[]> = {};
      const english: Record<string, string[]> = {};
      const check = async (name: string, page: Page) => {
        violations[name] = await axeViolations(page);
        if (locale === 'zh-TW') english[name] = await untranslatedWords(page, NAMES);
      };
      const open = async (page: Page, path: string, ready: string) => {
        await page.goto(web.server.url + path);
        await page.locator(ready).first().waitFor();
      };
      try {
        const anonymous = await context.newPage();
        await open(anonymous, '/sign-in', 'input[name=name]');
        await check('signIn', anonymous);
        await open(anonymous, '/setup', 'h1');
        await check('setup', anonymous);
        await open(anonymous, '/me', 'input[type=email]');
        await check('me', anonymous);

        const page = await signedInPage(web, context, 'olivia', '/mailboxes');
        await page.locator('tbody tr:not(.spacer)').first().waitFor();
        await check('mailboxes', page);
        await page.locator('tbody tr:not(.spacer)').first().click();
        await page.locator('aside').first().waitFor();
        await check('detailsPane', page);

        await open(page, '/mailboxes/tonysmith/um', 'dl.facts');
        await check('umMailbox', page);
        await page.locator('button.primary').first().click();
        await page.locator('dialog[open]').waitFor();
        await check('resetPin', page);
        // the check can fail: an input with no label is found at once
        await page.evaluate(() => document.querySelector('dialog[open]')?.append(document.createElement('input')));
        expect((await axeViolations(page)).map((v) => v.id)).toContain('label');

        await open(page, '/mailboxes/norahale/enable-um', '.wizard h2');
        await check('enableUm', page);
        await open(page, '/um-dial-plans', 'tbody tr');
        await check('dialPlans', page);
        await open(page, '/um-dial-plans/Contoso', 'form');
        await check('dialPlan', page);
        await open(page, `/um-mailbox-policies/${encodeURIComponent('Contoso Default Policy')}`, 'form');
        await check('mailboxPolicy', page);
        await open(page, '/audit', 'tbody tr');
        await check('audit', page);
        await open(page, '/mail-delivery', 'main h1');
        await check('mailDelivery', page);
        await open(page, '/administrators', 'tbody tr');
        await check('administrators', page);
        await open(page, '/api-tokens', 'main h1');
        await check('apiTokens', page);

        for (const [name, words] of Object.entries(english)) expect(words, name).toEqual([]);
        for (const [name, found] of Object.entries(violations)) expect(found, name).toEqual([]);
        expect(Object.keys(violations)).toHaveLength(15);
      } finally {
        await context.close();
      }
    });
  }
});
