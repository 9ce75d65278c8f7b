/**
 * Unified Messaging in the admin center — UM dial plans and UM mailbox policies — in a real
 * browser (Debian's chromium) against a real `umpin serve --demo`: Organization Management
 * changes the PIN policy and the reset mail's text (the shell and the next reset mail agree),
 * creates and removes a dial plan and a policy; a value out of range is refused by the form in
 * the page's language and, sent anyway, by the service with the catalog's message; Help Desk
 * and View-Only see the settings read-only and the server refuses their writes; axe finds no
 * violation on the three pages in either language.
 */
import type { BrowserContext, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ErrorLanguage, isErrorCode, issueFromWire, renderError } from '../src/domain/errors.js';
import { axeViolations } from './web-accessibility.js';
import { addAdmin, shell, signedInPage, startWebServer, type WebServer } from './web-browser.js';

const POLICY = 'Contoso Default Policy';

/** What an administrator reads on the pages, in each language. */
const WORDS = {
  en: {
    dialPlans: 'UM dial plans',
    dialPlan: 'UM dial plan',
    policy: 'UM mailbox policy',
    minPinLength: 'Minimum PIN length',
    pinLifetime: 'PIN lifetime (days)',
    unlimited: 'Unlimited',
    resetText: 'Text in the PIN reset e-mail',
    save: 'Save',
    remove: 'Remove',
    saved: `The changes to ${POLICY} were saved.`,
    outOfRange: 'Minimum PIN length must be a whole number from 4 to 24.',
    readOnly: 'You can view these settings, but your role does not allow changing them.',
    newPolicy: 'New UM mailbox policy',
    newDialPlan: 'New UM dial plan',
  },
  'zh-TW': {
    dialPlans: 'UM 撥號對應表',
    dialPlan: 'UM 撥號對應表',
    policy: 'UM 信箱原則',
    minPinLength: 'PIN 碼最小長度',
    pinLifetime: 'PIN 碼有效期 (天)',
    unlimited: '無限制',
    resetText: 'PIN 碼重設電子郵件中的文字',
    save: '儲存',
    remove: '移除',
    saved: `已儲存 ${POLICY} 的變更。`,
    outOfRange: 'PIN 碼最小長度必須是 4 到 24 之間的整數。',
    readOnly: '您可以檢視這些設定，但您的角色無權變更。',
    newPolicy: '新增 UM 信箱原則',
    newDialPlan: '新增 UM 撥號對應表',
  },
} as const;

/** A numeric setting's field (its group, named alike, holds the Unlimited check box). */
const number = (page: Page | Locator, name: string) => page.getByRole('spinbutton', { name, exact: true });

/** The policy's settings as the shell lists them (`Name : value` lines). */
async function policyInShell(web: WebServer, name = POLICY): Promise<Record<string, string>> {
  const out = await shell(web, `Get-UMMailboxPolicy -Identity '${name}' | Format-List`);
  return Object.fromEntries(
    out
      .split('\n')
      .map((line) => /^(\w+)\s*: ?(.*)$/.exec(line.trimEnd()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
}

/** The catalog's message for an error answer, as the shell and the API render it. */
function catalogMessage(body: { code: string; field?: string; params?: unknown }, language: ErrorLanguage): string {
  if (!isErrorCode(body.code)) throw new Error(`unknown code ${body.code}`);
  return renderError(issueFromWire(body.code, body.field, body.params), language);
}

/**
 * Signs in (as signedInPage does) and keeps the CSRF token of that sign-in's answer, so a test
 * can send from the page a write the page never offers — without signing in again, which the
 * server's sign-in rate limit counts.
 */
async function signedInWithToken(web: WebServer, context: BrowserContext, name: string, path: string) {
  const answer = context
    .waitForEvent('response', (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/session')
    .then((r) => r.json() as Promise<{ csrfToken: string }>);
  const page = await signedInPage(web, context, name, path);
  return { page, csrfToken: (await answer).csrfToken };
}

/** A PATCH sent from the page itself, with its session's cookie and CSRF token. */
async function forcedPatch(page: Page, csrfToken: string, url: string, body: unknown, language: ErrorLanguage) {
  return page.evaluate(
    async ({ csrfToken, url, body, language }) => {
      const r = await fetch(url, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, 'accept-language': language },
        body: JSON.stringify(body),
      });
      return {
        status: r.status,
        body: (await r.json()) as { code: string; field?: string; params?: unknown; message: string },
      };
    },
    { csrfToken, url, body, language },
  );
}

describe('UM dial plans and UM mailbox policies in the admin center (umpin serve, Debian chromium)', () => {
  let web: WebServer;
  let policyPath: string;
  let policyId: string;

  beforeAll(async () => {
    web = await startWebServer();
    await addAdmin(web, 'olivia', 'OrganizationManagement');
    await addAdmin(web, 'helen', 'HelpDesk');
    await addAdmin(web, 'victor', 'ViewOnlyOrganizationManagement');
  });
  afterAll(async () => {
    await web?.close();
  });

  /** the policy page, signed in (the server allows 10 sign-ins a minute: each test signs in once) */
  const openPolicy = async (context: BrowserContext, name: string, language: ErrorLanguage) => {
    const signedIn = await signedInWithToken(web, context, name, policyPath);
    await number(signedIn.page, WORDS[language].minPinLength).waitFor();
    return signedIn;
  };
  /** leaves the policy page for its dial plan's and comes back: the policy is read again */
  const reopenPolicy = async (page: Page, language: ErrorLanguage) => {
    await page.getByRole('link', { name: /Contoso$/ }).click();
    await page.getByRole('link', { name: POLICY }).click();
    await number(page, WORDS[language].minPinLength).waitFor();
  };

  it('Organization Management opens the default dial plan and its policy, sets Minimum PIN length 8, PIN lifetime Unlimited and the reset mail text; only those are sent, the shell and the next reset mail agree', async () => {
    const w = WORDS.en;
    const context = await web.browser.newContext({ locale: 'en' });
    try {
      const page = await signedInPage(web, context, 'olivia', '/mailboxes');
      await page.getByRole('navigation').getByRole('link', { name: w.dialPlans }).click();
      await page.getByRole('heading', { name: w.dialPlans }).waitFor();
      await page.getByRole('link', { name: 'Contoso', exact: true }).click();
      await page.getByRole('heading', { name: w.dialPlan }).waitFor();
      expect(await number(page, 'Extension length (digits)').inputValue()).toBe('5');
      await page.getByRole('link', { name: POLICY }).click();
      await page.getByRole('heading', { name: w.policy }).waitFor();
      policyPath = new URL(page.url()).pathname;
      policyId = decodeURIComponent(policyPath.split('/').pop()!);

      // Exchange's settings in Exchange's order, with the defaults the policy has (the heading shows before the
      // policy has loaded: wait for its form, which a loaded machine can take a while to fill)
      await page.locator('form.settings label').first().waitFor();
      const labels = await page
        .locator('form.settings fieldset.setting > label, form.settings label')
        .allTextContents();
      const order = [
        'Minimum PIN length',
        'PIN lifetime (days)',
        'Number of previous PINs to disallow',
        'Allow common patterns in PIN',
        'Number of sign-in failures before PIN reset',
        'Number of sign-in failures before lockout',
        'Lockout duration (minutes)',
        'Text in the PIN reset e-mail',
        'Text in the welcome e-mail sent when a mailbox is enabled for UM',
      ];
      expect(labels.filter((l) => order.includes(l))).toEqual(order);
      expect(await number(page, w.minPinLength).inputValue()).toBe('6');
      expect(await number(page, w.minPinLength).getAttribute('min')).toBe('4');
      expect(await number(page, w.minPinLength).getAttribute('max')).toBe('24');
      expect(await number(page, w.pinLifetime).inputValue()).toBe('60');

      const patches: Request[] = [];
      page.on('request', (r) => r.method() === 'PATCH' && patches.push(r));
      const resetText = 'Call the help desk on 4357 if you did not ask for this.';
      await number(page, w.minPinLength).fill('8');
      await page.getByRole('group', { name: w.pinLifetime }).getByLabel(w.unlimited).check();
      expect(await number(page, w.pinLifetime).isDisabled()).toBe(true);
      await page.getByLabel(w.resetText).fill(resetText);
      // Ctrl+Enter saves from the text area, where Enter makes a new line
      await page.getByLabel(w.resetText).press('Control+Enter');
      await page.getByRole('status').filter({ hasText: w.saved }).waitFor();
      expect(patches.map((r) => r.postDataJSON())).toEqual([
        { minPinLength: 8, pinLifetimeDays: null, resetPinText: resetText },
      ]);

      expect(await policyInShell(web)).toMatchObject({
        MinPINLength: '8',
        PINLifetime: 'Unlimited',
        PINHistoryCount: '5',
        ResetPINText: resetText,
      });

      // the page, opened again, shows the values as saved
      await reopenPolicy(page, 'en');
      expect(await number(page, w.minPinLength).inputValue()).toBe('8');
      expect(await page.getByRole('group', { name: w.pinLifetime }).getByLabel(w.unlimited).isChecked()).toBe(true);
      expect(await page.getByLabel(w.resetText).inputValue()).toBe(resetText);

      // the next PIN reset mail carries the policy's text
      const before = web.mails();
      await shell(web, 'Set-UMMailboxPIN -Identity tonysmith@contoso.com');
      const mail = await web.newMail(before);
      expect(mail.to).toBe('tonysmith@contoso.com');
      expect(mail.text).toContain(resetText);
    } finally {
      await context.close();
    }
  });

  for (const language of ['en', 'zh-TW'] as const) {
    it(`${language}: Minimum PIN length 3 or 25 is refused in the form, naming the field and the range, and nothing is sent; sent anyway, the service refuses it with the catalog's message; axe finds no violation`, async () => {
      const w = WORDS[language];
      const context = await web.browser.newContext({ locale: language });
      try {
        const { page, csrfToken } = await openPolicy(context, 'olivia', language);
        const patches: Request[] = [];
        page.on('request', (r) => r.method() === 'PATCH' && patches.push(r));
        const field = number(page, w.minPinLength);
        for (const value of ['3', '25']) {
          await field.fill(value);
          // said as it is typed
          await page.getByRole('alert').filter({ hasText: w.outOfRange }).waitFor();
          expect(await field.getAttribute('aria-invalid')).toBe('true');
          await page.getByRole('button', { name: w.save }).click();
          expect(await field.evaluate((f) => f === document.activeElement)).toBe(true);
        }
        expect(patches).toEqual([]);
        expect((await policyInShell(web)).MinPINLength).toBe('8');

        // the form bypassed: the page's own Save sends 25 where 9 was typed
        await page.route('**/api/v1/um-mailbox-policies/**', (route) =>
          route.request().method() === 'PATCH'
            ? route.continue({ postData: JSON.stringify({ minPinLength: 25 }) })
            : route.continue(),
        );
        await field.fill('9');
        expect(await page.getByRole('alert').count()).toBe(0);
        await page.getByRole('button', { name: w.save }).click();
        const expected = catalogMessage(
          {
            code: 'UMPIN_VALUE_OUT_OF_RANGE',
            field: 'MinPINLength',
            params: { field: 'MinPINLength', min: 4, max: 24, unlimited: false },
          },
          language,
        );
        await page.getByRole('alert').filter({ hasText: expected }).waitFor();
        await page.unroute('**/api/v1/um-mailbox-policies/**');
        expect((await policyInShell(web)).MinPINLength).toBe('8');

        // the same value from the page by hand
        const forced = await forcedPatch(
          page,
          csrfToken,
          `/api/v1/um-mailbox-policies/${encodeURIComponent(policyId)}`,
          { minPinLength: 3 },
          language,
        );
        expect(forced.status).toBe(422);
        expect(forced.body.code).toBe('UMPIN_VALUE_OUT_OF_RANGE');
        expect(forced.body.message).toBe(catalogMessage(forced.body, language));
        expect((await policyInShell(web)).MinPINLength).toBe('8');

        if (language === 'zh-TW') {
          // no English on the policy page beyond names and the terms Exchange keeps
          // each text node apart, so words of neighbouring elements do not run together
          const text = await page.locator('main').evaluate((main) => {
            const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
            const parts: string[] = [];
            while (walker.nextNode()) parts.push(walker.currentNode.textContent ?? '');
            return parts.join(' ');
          });
          const words = text
            .replaceAll(POLICY, '')
            .replace(expected, '')
            .match(/[A-Za-z]{2,}/g)
            ?.filter((x) => !['PIN', 'UM', 'Contoso'].includes(x));
          expect(words ?? []).toEqual([]);
        }

        // axe on the three pages, as they are reached
        const seen: Record<string, unknown[]> = {};
        const fresh = page;
        await reopenPolicy(fresh, language);
        seen.policy = await axeViolations(fresh);
        await fresh.getByRole('link', { name: 'Contoso', exact: false }).first().click();
        await fresh.getByRole('link', { name: POLICY }).waitFor();
        seen.dialPlan = await axeViolations(fresh);
        await fresh.getByRole('navigation').getByRole('link', { name: w.dialPlans }).click();
        await fresh.getByRole('table').waitFor();
        seen.dialPlans = await axeViolations(fresh);
        expect(seen).toEqual({ policy: [], dialPlan: [], dialPlans: [] });
      } finally {
        await context.close();
      }
    });
  }

  for (const [name, role, language] of [
    ['helen', 'Help Desk', 'en'],
    ['victor', 'View-Only Organization Management', 'zh-TW'],
  ] as const) {
    it(`${role} sees the dial plans and the policy read-only, with no Save, New or Remove; a PATCH forced from its page gets 403 with the catalog's message`, async () => {
      const w = WORDS[language];
      const context = await web.browser.newContext({ locale: language });
      try {
        const { page, csrfToken } = await openPolicy(context, name, language);
        await page.getByText(w.readOnly).waitFor();
        // the same page by the policy's name (as a link from a UM mailbox may give it) settles on its GUID
        await page.evaluate((name) => {
          history.pushState(null, '', `/um-mailbox-policies/${encodeURIComponent(name)}`);
          dispatchEvent(new PopStateEvent('popstate'));
        }, POLICY);
        await page.waitForURL((u) => u.pathname === policyPath);
        await page.getByText(w.readOnly).waitFor();
        expect(await number(page, w.minPinLength).inputValue()).toBe('8');
        expect(await number(page, w.minPinLength).isDisabled()).toBe(true);
        expect(await page.getByLabel(w.resetText).isDisabled()).toBe(true);
        expect(await page.getByRole('button', { name: w.save }).count()).toBe(0);
        expect(await page.getByRole('button', { name: w.remove }).count()).toBe(0);

        const forced = await forcedPatch(
          page,
          csrfToken,
          `/api/v1/um-mailbox-policies/${encodeURIComponent(policyId)}`,
          { minPinLength: 10 },
          language,
        );
        expect(forced.status).toBe(403);
        expect(forced.body.code).toBe('UMPIN_ACCESS_DENIED');
        expect(forced.body.message).toBe(catalogMessage(forced.body, language));
        expect((await policyInShell(web)).MinPINLength).toBe('8');

        await page.getByRole('link', { name: /Contoso$/ }).click();
        await page.getByRole('link', { name: POLICY }).waitFor();
        expect(await page.getByRole('button', { name: w.save }).count()).toBe(0);
        expect(await page.getByRole('button', { name: w.remove }).count()).toBe(0);
        expect(await page.getByRole('button', { name: w.newPolicy }).count()).toBe(0);
        await page.getByRole('navigation').getByRole('link', { name: w.dialPlans }).click();
        await page.getByRole('table').waitFor();
        expect(await page.getByRole('button', { name: w.newDialPlan }).count()).toBe(0);
      } finally {
        await context.close();
      }
    });
  }

  it('Organization Management creates a dial plan (with its default policy) and a policy, changes the dial plan, and removes them — a dial plan still holding policies is refused with the catalog message', async () => {
    const context = await web.browser.newContext({ locale: 'en' });
    try {
      const page = await signedInPage(web, context, 'olivia', '/um-dial-plans');
      await page.getByRole('button', { name: 'New UM dial plan' }).click();
      let dialog = page.getByRole('dialog', { name: 'New UM dial plan' });
      await dialog.getByLabel('Name').fill('Fabrikam');
      await number(dialog, 'Extension length (digits)').fill('4');
      await dialog.getByLabel('Country/region code').fill('44');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: /^UM dial plan\s*Fabrikam$/ }).waitFor();
      await page.getByRole('link', { name: 'Fabrikam Default Policy' }).waitFor();

      await number(page, 'Number of sign-in failures before disconnecting').fill('5');
      await page.getByLabel('Voice access numbers').fill('+442071234567');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'The changes to Fabrikam were saved.' }).waitFor();
      const inShell = await shell(web, 'Get-UMDialPlan -Identity Fabrikam | Format-List');
      expect(inShell).toMatch(/LogonFailuresBeforeDisconnect\s*: 5/);
      expect(inShell).toContain('+442071234567');

      // a second policy, then the dial plan's removal refused while policies use it
      await page.getByRole('button', { name: 'New UM mailbox policy' }).click();
      dialog = page.getByRole('dialog', { name: 'New UM mailbox policy' });
      await dialog.getByLabel('Name of the new UM mailbox policy').fill('Fabrikam Executives');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: /^UM mailbox policy\s*Fabrikam Executives$/ }).waitFor();
      await page.getByRole('link', { name: 'Back to the UM dial plan Fabrikam' }).click();

      await page.getByRole('button', { name: 'Remove' }).click();
      dialog = page.getByRole('dialog', { name: 'Remove the UM dial plan Fabrikam?' });
      await dialog.getByRole('button', { name: 'Remove' }).click();
      const inUse = catalogMessage({ code: 'UMPIN_DIAL_PLAN_IN_USE', params: { name: 'Fabrikam', count: 2 } }, 'en');
      await dialog.getByRole('alert').filter({ hasText: inUse }).waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await page.getByRole('button', { name: 'Remove' }).evaluate((b) => b === document.activeElement)).toBe(
        true,
      );

      for (const policy of ['Fabrikam Executives', 'Fabrikam Default Policy']) {
        await page.getByRole('link', { name: policy }).click();
        await page.getByRole('button', { name: 'Remove' }).click();
        await page
          .getByRole('dialog', { name: `Remove the UM mailbox policy ${policy}?` })
          .getByRole('button', { name: 'Remove' })
          .click();
        await page.getByRole('heading', { name: /^UM dial plan\s*Fabrikam$/ }).waitFor();
        await page.getByRole('link', { name: policy }).waitFor({ state: 'detached' });
      }
      await page.getByText('This UM dial plan has no UM mailbox policies.').waitFor();
      await page.getByRole('button', { name: 'Remove' }).click();
      await page
        .getByRole('dialog', { name: 'Remove the UM dial plan Fabrikam?' })
        .getByRole('button', { name: 'Remove' })
        .click();
      await page.getByRole('heading', { name: 'UM dial plans' }).waitFor();
      await page.getByRole('link', { name: 'Contoso', exact: true }).waitFor();
      expect(await page.getByRole('link', { name: 'Fabrikam' }).count()).toBe(0);
      expect(await shell(web, 'Get-UMDialPlan | Format-List Name')).not.toContain('Fabrikam');
    } finally {
      await context.close();
    }
  });
});
