/**
 * The UM mailbox page's additions, the typed-PIN check and the Enable UM wizard, in Debian's
 * chromium against a real `umpin serve --demo`, in English and Traditional Chinese: the wizard
 * end to end by keyboard (the welcome mail in the maildrop, Get-UMMailbox agreeing), a policy
 * violation named while the PIN is typed and cleared by a good one, the dry run's rate limit,
 * secondary extensions added and removed (a wrong length named by its rule), Disable after a
 * confirmation (its UM settings kept for re-enabling unless the box is cleared), the last failed logon's time and calling number after a wrong PIN through the
 * voice API, no typed PIN left behind, and axe-core on every page, dialog and wizard step.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderError, type ErrorLanguage } from '../src/domain/errors.js';
import { en } from '../src/web/messages/en.js';
import { zhTW } from '../src/web/messages/zh-TW.js';
import { umpin } from './cli-runner.js';
import { childEnv } from './harness.js';
import { axeViolations } from './web-accessibility.js';
import { addAdmin, shell, signedInPage, startWebServer, type WebServer } from './web-browser.js';

type Key = keyof typeof en;
const CATALOGS = { en, 'zh-TW': zhTW } as const;
/** The page's own words, from its catalogs. */
const say = (language: ErrorLanguage, key: Key, values?: Record<string, string | number>) =>
  String(new IntlMessageFormat(CATALOGS[language][key], language).format(values));

const POLICY = 'Contoso Default Policy';
const COMMON_PATTERN = { code: 'UMPIN_PIN_COMMON_PATTERN', field: 'Pin', params: { pattern: 'repeated' } } as const;
const WRONG_LENGTH = {
  code: 'UMPIN_EXTENSION_INVALID',
  field: 'Extensions',
  params: { digits: 5, dialPlan: 'Contoso' },
} as const;

/** Per language: the mailbox the wizard enables, its extension, the PIN typed there; mailboxes for the other steps. */
const CASES = {
  en: { alias: 'patdoe', name: 'Pat Doe', extension: '10400', pin: '582947', reset: 'kimakers', voice: 'jeffhay' },
  'zh-TW': {
    alias: 'linmei',
    name: 'Lin Mei',
    extension: '10401',
    pin: '649183',
    reset: 'davidpelton',
    voice: 'danjump',
  },
} as const;
const VOICE_EXTENSIONS = { jeffhay: '10236', danjump: '10239' } as const;

describe('UM mailbox page and Enable UM wizard (umpin serve, Debian chromium)', () => {
  let web: WebServer;
  let voiceToken: string;
  let helpDeskToken: string;

  const token = async (role: string, name: string) => {
    const r = await umpin(childEnv(web.db), 'token', 'new', '--role', role, '--name', name);
    if (r.code !== 0) throw new Error(r.stderr);
    return r.stdout.trim().split('\n').at(-1)!;
  };
  const call = (method: string, path: string, bearer: string, body?: unknown) =>
    fetch(web.server.url + path, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    web = await startWebServer();
    await addAdmin(web, 'olivia', 'OrganizationManagement');
    for (const c of Object.values(CASES))
      await shell(web, `New-Mailbox -Name '${c.name}' -Alias ${c.alias} -PrimarySmtpAddress ${c.alias}@contoso.com`);
    await shell(
      web,
      `New-Mailbox -Name 'Dana Wells' -Alias danawells -PrimarySmtpAddress danawells@contoso.com; Enable-UMMailbox danawells -UMMailboxPolicy '${POLICY}' -Extensions 10410`,
    );
    voiceToken = await token('VoiceGateway', 'pbx');
    helpDeskToken = await token('HelpDesk', 'helpdesk-tool');
  });
  afterAll(async () => {
    await web?.close();
  });

  /** The typed PIN is nowhere: not in the page, its storage, its URL or its console. */
  async function expectNowhere(page: Page, consoleLines: string[], secrets: readonly string[]) {
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    const values = await page.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.value).join(' '));
    const storage = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
    for (const secret of secrets) {
      expect(html).not.toContain(secret);
      expect(values).not.toContain(secret);
      expect(storage).not.toContain(secret);
      expect(page.url()).not.toContain(secret);
      expect(consoleLines.join('\n')).not.toContain(secret);
    }
  }

  const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

  for (const language of ['en', 'zh-TW'] as const) {
    const c = CASES[language];
    const s = (key: Key, values?: Record<string, string | number>) => say(language, key, values);

    it(`${language}: the Enable UM wizard by keyboard, a PIN violation named as typed, Finish; no violation by axe`, async () => {
      const context = await web.browser.newContext({ locale: language });
      try {
        const page = await signedInPage(web, context, 'olivia', `/mailboxes/${c.alias}/enable-um`);
        const consoleLines: string[] = [];
        page.on('console', (m) => consoleLines.push(m.text()));
        const axe: Record<string, unknown[]> = {};

        // step 1: the policy, heading focused
        await expect.poll(() => focusedText(page)).toBe(s('um.enable.policyTitle'));
        await page.getByRole('combobox', { name: s('um.enable.policy') }).waitFor();
        await expect.poll(() => page.getByRole('combobox', { name: s('um.enable.policy') }).inputValue()).not.toBe('');
        await expect.poll(() => page.locator('#enable-policy option').allTextContents()).toContain(POLICY);
        await page.getByText(s('um.enable.step', { step: 1, count: 4 })).waitFor();
        axe.policy = await axeViolations(page);
        await page.keyboard.press('Tab'); // the policy
        await page.keyboard.press('Tab'); // Next
        await page.keyboard.press('Enter');

        // step 2: the extension, checked as typed against the dial plan's five digits
        await expect.poll(() => focusedText(page)).toBe(s('um.enable.extensionTitle'));
        const extension = page.getByRole('textbox', { name: s('um.enable.extension'), exact: true });
        await page.getByText(s('um.extensionRule', { dialPlan: 'Contoso', digits: 5 })).waitFor();
        await page.keyboard.press('Tab');
        await page.keyboard.type('104');
        const lengthRule = renderError(WRONG_LENGTH, language);
        await page.getByText(lengthRule).waitFor();
        expect(await extension.getAttribute('aria-invalid')).toBe('true');
        axe.extension = await axeViolations(page);
        await page.keyboard.press('Enter'); // refused here: the step stays
        await page.keyboard.type(c.extension.slice(3));
        await page.getByText(lengthRule).waitFor({ state: 'detached' });
        await page.keyboard.press('Enter');

        // step 3: the PIN options with Exchange's defaults; a typed PIN checked against the chosen policy
        await expect.poll(() => focusedText(page)).toBe(s('um.enable.pinTitle'));
        expect(await page.getByRole('radio', { name: s('resetPin.generate') }).isChecked()).toBe(true);
        expect(await page.getByRole('radio', { name: s('resetPin.type') }).isChecked()).toBe(false);
        expect(await page.getByRole('checkbox', { name: s('resetPin.requireReset') }).isChecked()).toBe(true);
        axe.pinOptions = await axeViolations(page);
        await page.keyboard.press('Tab'); // the radio group, on "generate"
        await page.keyboard.press('ArrowDown'); // "type a PIN": the field appears and takes the focus
        const pinField = page.getByLabel(s('resetPin.pin'), { exact: true });
        await expect.poll(() => pinField.evaluate((f) => f === document.activeElement)).toBe(true);
        await page.keyboard.type('111111');
        const refusal = renderError(COMMON_PATTERN, language);
        const alert = page.getByRole('alert').filter({ hasText: refusal });
        await alert.waitFor();
        expect(await pinField.getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
        axe.pinRefused = await axeViolations(page);
        await pinField.fill('');
        await page.keyboard.type(c.pin);
        await alert.waitFor({ state: 'detached' });
        await page.keyboard.press('Enter');

        // step 4: review — the typed PIN is not shown, only where it will be mailed
        await expect.poll(() => focusedText(page)).toBe(s('um.enable.reviewTitle'));
        const review = page.locator('section[aria-labelledby=enable-review-title]');
        expect((await review.textContent()) ?? '').toContain(POLICY);
        expect((await review.textContent()) ?? '').toContain(c.extension);
        expect((await review.textContent()) ?? '').toContain(
          s('um.enable.pinTyped', { address: `${c.alias}@contoso.com` }),
        );
        axe.review = await axeViolations(page);
        const before = web.mails();
        await page.keyboard.press('Tab'); // Back
        await page.keyboard.press('Tab'); // Finish
        expect(await focusedText(page)).toBe(s('um.enable.finish'));
        await page.keyboard.press('Enter');

        // done: where the welcome mail went, never the PIN; a link to the new UM mailbox
        await expect.poll(() => focusedText(page)).toBe(s('um.enable.doneTitle'));
        const address = `${c.alias}@contoso.com`;
        await page
          .getByRole('status')
          .filter({ hasText: s('um.enable.done', { name: c.name, address }) })
          .waitFor();
        axe.done = await axeViolations(page);
        const mail = await web.newMail(before);
        expect(mail.to).toBe(address);
        expect(mail.text).toContain(c.pin);
        const got = await shell(web, `Get-UMMailbox ${c.alias} | Format-List`);
        expect(got).toContain(c.extension);
        expect(got).toContain(POLICY);
        await expectNowhere(page, consoleLines, [c.pin, '111111']);

        await page.getByRole('link', { name: s('um.enable.viewMailbox') }).click();
        await page.getByRole('heading', { name: new RegExp(s('umMailbox.title')) }).waitFor();
        await page.getByText(address).waitFor();
        expect(axe).toEqual({
          policy: [],
          extension: [],
          pinOptions: [],
          pinRefused: [],
          review: [],
          done: [],
        });
      } finally {
        await context.close();
      }
    });

    it(`${language}: Reset PIN names the broken rule while typing, before Save; a good PIN clears it`, async () => {
      const context = await web.browser.newContext({ locale: language });
      try {
        const page = await signedInPage(web, context, 'olivia', `/mailboxes/${c.reset}/um`);
        const consoleLines: string[] = [];
        page.on('console', (m) => consoleLines.push(m.text()));
        await page.getByRole('button', { name: s('umMailbox.resetPin') }).click();
        const dialog = page.getByRole('dialog', { name: s('resetPin.title') });
        await dialog.getByRole('radio', { name: s('resetPin.type') }).check();
        const field = dialog.getByLabel(s('resetPin.pin'), { exact: true });
        await field.pressSequentially('111111');
        const refusal = renderError(COMMON_PATTERN, language);
        const alert = dialog.getByRole('alert').filter({ hasText: refusal });
        await alert.waitFor();
        expect(await field.getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
        expect(await axeViolations(page)).toEqual([]);
        const before = web.mails();
        await field.fill('');
        await field.pressSequentially(c.pin);
        await alert.waitFor({ state: 'detached' });
        await dialog.getByRole('button', { name: s('resetPin.save') }).click();
        await page
          .getByRole('status')
          .filter({ hasText: `${c.reset}@contoso.com` })
          .waitFor();
        expect((await web.newMail(before)).text).toContain(c.pin);
        await expectNowhere(page, consoleLines, [c.pin, '111111']);
      } finally {
        await context.close();
      }
    });

    it(`${language}: last failed sign-in and its calling number after a wrong PIN through the voice API`, async () => {
      const alias = c.voice;
      const caller = language === 'en' ? '+14255550123' : '+886223456789';
      const r = await call('POST', '/api/v1/voice/logons', voiceToken, {
        extension: VOICE_EXTENSIONS[alias],
        callerId: caller,
        pin: '000000',
      });
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ outcome: 'wrong', failedAttempts: 1 });
      const pin = (await (await call('GET', `/api/v1/um-mailboxes/${alias}/pin`, helpDeskToken)).json()) as {
        lastFailureAt: number;
        lastFailureCaller: string;
      };
      expect(pin.lastFailureCaller).toBe(caller);
      const context = await web.browser.newContext({ locale: language });
      try {
        const page = await signedInPage(web, context, 'olivia', `/mailboxes/${alias}/um`);
        const facts = page.locator('dl.facts').first();
        await facts.getByText(s('um.lastFailure')).waitFor();
        const when = await page.evaluate(
          ([at, l]) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' }).format(at),
          [pin.lastFailureAt, language] as const,
        );
        const text = (await facts.textContent()) ?? '';
        expect(text).toContain(when);
        expect(text).toContain(s('um.callingNumber'));
        expect(text).toContain(caller);
        // the policy is a link to its page
        const link = page.getByRole('link', { name: POLICY });
        expect(await link.getAttribute('href')).toMatch(/^\/um-mailbox-policies\/[^/]+$/);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('en: add and remove a secondary extension, a wrong length refused with its rule named', async () => {
    const context = await web.browser.newContext({ locale: 'en' });
    const s = (key: Key, values?: Record<string, string | number>) => say('en', key, values);
    try {
      const page = await signedInPage(web, context, 'olivia', '/mailboxes/tonysmith/um');
      const field = page.getByRole('textbox', { name: s('um.newExtension') });
      await field.pressSequentially('123');
      const rule = renderError(WRONG_LENGTH, 'en');
      await page.getByText(rule).waitFor();
      // the form shows the rule, the service decides: sent anyway, refused with the same rule
      const addButton = page.getByRole('button', { name: s('um.addExtension') });
      await addButton.click();
      await page.getByText(rule).waitFor();
      // the rule was on the page before the click: the refusal has come back when the button is enabled again
      // (a form whose submit button is disabled ignores Enter)
      await expect.poll(() => addButton.isEnabled()).toBe(true);
      const extensions = async () =>
        (
          (await (await call('GET', '/api/v1/um-mailboxes/tonysmith', helpDeskToken)).json()) as {
            extensions: string[];
          }
        ).extensions;
      expect(await extensions()).toEqual(['10231']);

      await field.fill('10299');
      await page.getByText(rule).waitFor({ state: 'detached' });
      await field.press('Enter');
      await page
        .getByRole('status')
        .filter({ hasText: s('um.extensionAdded', { extension: '10299' }) })
        .waitFor();
      expect(await extensions()).toEqual(['10231', '10299']);
      expect(await axeViolations(page)).toEqual([]);

      await page.getByRole('button', { name: s('um.removeExtension', { extension: '10299' }) }).click();
      await page
        .getByRole('status')
        .filter({ hasText: s('um.extensionRemoved', { extension: '10299' }) })
        .waitFor();
      expect(await extensions()).toEqual(['10231']);
      // the primary extension is not offered for removal
      expect(await page.getByRole('button', { name: s('um.removeExtension', { extension: '10231' }) }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  // Traditional Chinese first: the English case then disables the mailbox
  for (const language of ['zh-TW', 'en'] as const) {
    it(`${language}: Disable asks first; Cancel keeps the mailbox${language === 'en' ? ', Disable removes it keeping its settings, or none with the box cleared' : ''}`, async () => {
      const context = await web.browser.newContext({ locale: language });
      const s = (key: Key, values?: Record<string, string | number>) => say(language, key, values);
      try {
        const page = await signedInPage(web, context, 'olivia', '/mailboxes/danawells/um');
        const disable = page.getByRole('button', { name: s('um.disable'), exact: true });
        await page.getByText('danawells@contoso.com').waitFor();
        await disable.click();
        const dialog = page.getByRole('dialog', { name: s('um.disableTitle') });
        await dialog.getByText(s('um.disableText', { name: 'Dana Wells' })).waitFor();
        // Exchange's default, -KeepProperties $true, is the box checked
        const keep = dialog.getByRole('checkbox', { name: s('um.disableKeep') });
        expect(await keep.isChecked()).toBe(true);
        await dialog.getByText(s('um.disableKeepHint')).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        expect(await disable.evaluate((b) => b === document.activeElement)).toBe(true);
        expect((await call('GET', '/api/v1/um-mailboxes/danawells', helpDeskToken)).status).toBe(200);
        if (language !== 'en') return;

        await disable.click();
        await dialog.getByRole('button', { name: s('um.disableConfirm') }).click();
        await page.waitForURL((u) => u.pathname === '/mailboxes');
        const gone = await call('GET', '/api/v1/um-mailboxes/danawells', helpDeskToken);
        expect(gone.status).toBeGreaterThanOrEqual(400);
        // the mailbox itself stays
        expect((await call('GET', '/api/v1/recipients/danawells', helpDeskToken)).status).toBe(200);

        // kept: the Enable UM wizard proposes the kept policy and extension, and Finish restores them
        await page.goto(`${web.server.url}/mailboxes/danawells/enable-um`);
        await expect.poll(() => page.getByRole('combobox', { name: s('um.enable.policy') }).inputValue()).not.toBe('');
        expect(await page.locator('#enable-policy option:checked').textContent()).toBe(POLICY);
        await page.getByRole('button', { name: s('um.enable.next') }).click();
        const proposed = page.getByRole('textbox', { name: s('um.enable.extension'), exact: true });
        await expect.poll(() => proposed.inputValue()).toBe('10410');
        await page.getByText(s('um.enable.keptExtensions', { extensions: '10410' })).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await page.getByRole('button', { name: s('um.enable.next') }).click();
        await page.getByRole('button', { name: s('um.enable.next') }).click();
        await page.getByRole('button', { name: s('um.enable.finish') }).click();
        await page.getByRole('heading', { name: s('um.enable.doneTitle') }).waitFor();
        expect(await shell(web, 'Get-UMMailbox danawells | Format-List Extensions')).toContain('10410');
        // the box cleared by keyboard keeps nothing: enabling again then needs an extension
        await page.goto(`${web.server.url}/mailboxes/danawells/um`);
        await page.getByText('danawells@contoso.com').waitFor();
        await disable.click();
        await dialog.getByRole('checkbox', { name: s('um.disableKeep') }).focus();
        await page.keyboard.press('Space');
        expect(await dialog.getByRole('checkbox', { name: s('um.disableKeep') }).isChecked()).toBe(false);
        await dialog.getByRole('button', { name: s('um.disableConfirm') }).click();
        await page.waitForURL((u) => u.pathname === '/mailboxes');
        const bare = await umpin(
          childEnv(web.db),
          'shell',
          '-c',
          `Enable-UMMailbox danawells -UMMailboxPolicy '${POLICY}'`,
        );
        expect(bare.code).not.toBe(0);
        expect(bare.stderr).toContain('UMPIN_EXTENSION_REQUIRED');
      } finally {
        await context.close();
      }
    });
  }

  it('the dry-run check is rate-limited per caller: 429 with the catalog code and Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 31; i++) {
      last = await call('POST', '/api/v1/um-mailboxes/tonysmith/pin/check', helpDeskToken, {
        pin: i % 2 ? '5820913' : '111111',
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 30).every((st) => st === 200 || st === 422)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(await last!.json()).toMatchObject({ code: 'UMPIN_RATE_LIMITED' });
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
