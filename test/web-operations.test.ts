/**
 * The operations pages in a real browser (Debian's chromium) against a real `umpin serve --demo`
 * that delivers to an SMTP server of this test's own: the audit log filtered by cmdlet, result
 * and target exactly as the API filters it, kept in the URL and with no PIN in it; the mail
 * queue's counts as the API gives them and a dead letter retried from the page; an API token's
 * secret shown once, working, gone from the page when its dialog closes, and refused once
 * removed; an administrator created and signed in as, then given a new password; Help Desk
 * offered none of these pages and refused on a direct URL; axe finds no violation on any of
 * them, their dialogs included, in English and Traditional Chinese.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsEn, opsZhTW } from '../src/web/messages/ops.js';
import { umpin } from './cli-runner.js';
import { PIN } from './delivered-mail.js';
import { childEnv } from './harness.js';
import { SmtpSink } from './smtp-sink.js';
import { axeViolations } from './web-accessibility.js';
import { ADMIN_PASSWORD, addAdmin, signedInPage, startWebServer, type WebServer } from './web-browser.js';

const WORDS = { en: opsEn, 'zh-TW': opsZhTW } as const;
const LOCALES = ['en', 'zh-TW'] as const;
const TONY = 'tonysmith@contoso.com';
const KIM = 'kimakers@contoso.com';
const TYPED_PIN = '5820913';

/** Moves to another page of the admin center as its links do, without a reload (which would end the session). */
async function goTo(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.waitForURL((u) => u.pathname === path.split('?')[0]);
}

interface AuditItem {
  seq: number;
  action: string;
  target: string | null;
  result: string;
}

describe('operations pages: audit log, mail delivery, API tokens, administrators (umpin serve, Debian chromium)', () => {
  let web: WebServer;
  const sink = new SmtpSink();
  /** an Organization Management session of the test's own, to ask the API what the page should show */
  let cookie: string;

  const apiGet = async <T>(path: string, headers: Record<string, string> = { cookie }): Promise<T> => {
    const r = await fetch(`${web.server.url}${path}`, { headers });
    expect(r.status, path).toBe(200);
    return (await r.json()) as T;
  };
  const until = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 150; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const noViolations = async (page: Page, what: string) => {
    expect([what, await axeViolations(page)]).toEqual([what, []]);
  };
  /** one shell line against the server's database; its mails go to the same SMTP server as the server's */
  const sh = async (command: string, ok = true) => {
    const r = await umpin(childEnv(web.db, { UMPIN_SMTP_URL: sink.url }), 'shell', '-c', command);
    expect([command, r.code === 0], r.stderr).toEqual([command, ok]);
  };
  const contextIn = (locale: string): Promise<BrowserContext> => web.browser.newContext({ locale });
  /**
   * Olivia's page in each language, signed in once for the whole file: sign-in is limited to
   * ten a minute from one address, so the tests move between pages as a user does, in the app.
   */
  const olivia = new Map<string, Page>();
  const oliviaAt = async (locale: (typeof LOCALES)[number], path: string): Promise<Page> => {
    let page = olivia.get(locale);
    if (!page) {
      page = await signedInPage(web, await contextIn(locale), 'olivia', path);
      olivia.set(locale, page);
    } else await goTo(page, path);
    return page;
  };

  beforeAll(async () => {
    await sink.listen();
    web = await startWebServer({ UMPIN_SMTP_URL: sink.url });
    await addAdmin(web, 'olivia', 'OrganizationManagement');
    await addAdmin(web, 'helen', 'HelpDesk');
    const r = await fetch(`${web.server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'olivia', password: ADMIN_PASSWORD }),
    });
    expect(r.status).toBe(200);
    cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  }, 120_000);
  afterAll(async () => {
    for (const page of olivia.values()) await page.context().close();
    await web?.close();
    await sink.close();
  });

  it('the audit log filtered by cmdlet, result and target shows exactly what the API finds, keeps the filter in the URL and shows no PIN', async () => {
    await sh(`Set-UMMailboxPIN -Identity tonysmith -Pin ${TYPED_PIN} -PinExpired $false`);
    await sh('Set-UMMailboxPIN -Identity tonysmith -LockedOut $false');
    // a refusal and another mailbox's reset: entries the filter must leave out
    expect((await umpin(childEnv(web.db), 'shell', '-c', 'Set-UMMailboxPIN -Identity tonysmith -Pin 1')).code).not.toBe(
      0,
    );
    await sh('Set-UMMailboxPIN -Identity kimakers');

    const expected = await apiGet<{ items: AuditItem[] }>(
      `/api/v1/audit?order=newest&cmdlets=Set-UMMailboxPIN&result=success&objectIds=${encodeURIComponent(TONY)}`,
    );
    expect(expected.items.length).toBeGreaterThanOrEqual(2);
    expect(expected.items.every((e) => e.action === 'Set-UMMailboxPIN' && e.target === TONY)).toBe(true);

    {
      const w = WORDS.en;
      const page = await oliviaAt('en', '/audit');
      const nav = page.getByRole('navigation');
      await nav.getByRole('link', { name: w['ops.nav.auditing'] }).waitFor();
      await page.locator('tr.audit-entry').first().waitFor();
      await page.getByLabel(w['ops.audit.cmdlet'], { exact: true }).fill('Set-UMMailboxPIN');
      await page.getByLabel(w['ops.audit.result'], { exact: true }).selectOption('success');
      await page.getByLabel(w['ops.audit.target'], { exact: true }).fill(TONY);
      await page.getByRole('button', { name: w['ops.audit.search'] }).click();
      await page.waitForURL((u) => u.searchParams.get('target') === TONY);

      // the rows once the page has loaded the search (a stale page of an earlier search is waited out)
      const seqs = () =>
        page.locator('tr.audit-entry').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
      await expect.poll(seqs).toEqual(expected.items.map((e) => e.seq));
      const url = new URL(page.url());
      expect(Object.fromEntries(url.searchParams)).toEqual({
        cmdlet: 'Set-UMMailboxPIN',
        target: TONY,
        result: 'success',
      });
      const cells = await page.locator('tr.audit-entry td').allInnerTexts();
      expect(cells).toContain('Set-UMMailboxPIN');
      expect(cells).not.toContain('Failed');

      // the typed PIN's entry (the oldest of them) expands to its parameters: the PIN only as "(redacted)"
      const typed = page.locator('tr.audit-entry').last();
      await typed.getByRole('button').click();
      await expect.poll(() => typed.getByRole('button').getAttribute('aria-expanded')).toBe('true');
      const detail = page.locator('tr.audit-detail');
      await detail.waitFor();
      expect(await detail.textContent()).toContain('(redacted)');
      expect(await page.content()).not.toContain(TYPED_PIN);
      expect(page.url()).not.toContain(TYPED_PIN);

      // the bookmarked URL opens the same search, through sign-in
      const again = await signedInPage(web, await contextIn('en'), 'olivia', `/audit${url.search}`);
      await again.locator('tr.audit-entry').first().waitFor();
      expect(await again.getByLabel(w['ops.audit.cmdlet'], { exact: true }).inputValue()).toBe('Set-UMMailboxPIN');
      expect(await again.getByLabel(w['ops.audit.target'], { exact: true }).inputValue()).toBe(TONY);
      expect(
        await again
          .locator('tr.audit-entry')
          .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq')))),
      ).toEqual(expected.items.map((e) => e.seq));
      await again.context().close();

      // Back returns to the search before (all entries), Forward to this one
      await page.goBack();
      await page.waitForURL((u) => u.search === '');
      await expect.poll(() => page.getByLabel(w['ops.audit.cmdlet'], { exact: true }).inputValue()).toBe('');
      await page.goForward();
      await page.waitForURL((u) => u.searchParams.get('target') === TONY);
      await expect.poll(seqs).toEqual(expected.items.map((e) => e.seq));

      // failures only: the refused typed PIN is there, with its error code
      await page.getByLabel(w['ops.audit.result'], { exact: true }).selectOption('failure');
      await page.getByRole('button', { name: w['ops.audit.search'] }).click();
      await page.waitForURL((u) => u.searchParams.get('result') === 'failure');
      const failures = await apiGet<{ items: AuditItem[] }>(
        `/api/v1/audit?order=newest&cmdlets=Set-UMMailboxPIN&result=failure&objectIds=${encodeURIComponent(TONY)}`,
      );
      expect(failures.items.length).toBeGreaterThanOrEqual(1);
      await expect.poll(seqs).toEqual(failures.items.map((e) => e.seq));
      expect(await page.locator('tr.audit-entry td').allInnerTexts()).toContain('UMPIN_PIN_TOO_SHORT');

      // Export to CSV: the same search, every entry of it, and still no PIN
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: w['ops.audit.export'] }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('audit-log.csv');
      const csv = readFileSync(await download.path(), 'utf8');
      const lines = csv
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toBe('"Date","Run by","Source","Cmdlet","Target","Result","Error code","Parameters"');
      expect(lines.length).toBe(1 + failures.items.length);
      expect(lines.slice(1).every((l) => l.includes('"UMPIN_PIN_TOO_SHORT"') || l.includes('"failure"'))).toBe(true);
      expect(csv).not.toContain(TYPED_PIN);
    }
  });

  it('mail delivery shows the queue as the API counts it, and a dead letter is retried from the page', async () => {
    // the demo's own mails first: the queue is empty before the test makes a dead letter
    await until(
      async () => (await apiGet<{ queued: number }>('/api/v1/mail-queue')).queued === 0,
      'the queue to drain',
    );
    sink.failNext.push({ code: 550, message: 'mailbox unavailable' });
    await sh('Set-UMMailboxPIN -Identity kimakers');
    type Dead = { items: { id: string; toAddress: string }[] };
    await until(
      async () => (await apiGet<Dead>('/api/v1/dead-letters')).items.some((d) => d.toAddress === KIM),
      'the dead letter',
    );
    const queue = await apiGet<{ queued: number; deadLetters: number }>('/api/v1/mail-queue');
    expect(queue.deadLetters).toBeGreaterThanOrEqual(1);

    const pages: Page[] = [];
    {
      for (const locale of LOCALES) {
        const page = await oliviaAt(locale, '/mail-delivery');
        pages.push(page);
        await page.locator('tr.dead-letter').first().waitFor();
        expect(await page.locator('[data-fact=queued]').textContent()).toBe(String(queue.queued));
        expect(await page.locator('[data-fact=dead]').textContent()).toBe(String(queue.deadLetters));
        const row = page.locator('tr.dead-letter', { hasText: KIM });
        expect(await row.textContent()).toContain('550');
        expect(await row.textContent()).toContain(WORDS[locale]['ops.mail.kind.pin-reset']);
        await noViolations(page, `${locale} mail delivery`);
      }

      const page = pages[0]!;
      const received = sink.received.length;
      await page.getByRole('button', { name: `Retry the mail to ${KIM}` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `The mail to ${KIM} is queued again.` })
        .waitFor();
      // delivered this time: the sink has it, the API no longer lists it
      await until(async () => sink.received.slice(received).some((m) => m.to.includes(KIM)), 'the retried mail');
      await until(
        async () => !(await apiGet<Dead>('/api/v1/dead-letters')).items.some((d) => d.toAddress === KIM),
        'the dead letter to go',
      );
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByText(WORDS.en['ops.mail.noDead']).waitFor();
      expect(await page.locator('[data-fact=dead]').textContent()).toBe('0');

      // the mail carried a PIN; the page never saw it
      const mail = sink.received.slice(received).find((m) => m.to.includes(KIM))!;
      const pin = PIN.exec(mail.parsed.text ?? '')?.[1];
      expect(pin).toBeDefined();
      for (const p of pages) expect(await p.content()).not.toContain(pin!);
    }
  });

  it('a new API token is shown once, works against the API, is gone from the page after its dialog, and stops working when removed', async () => {
    const page = await oliviaAt('en', '/api-tokens');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.server.url });
    {
      const w = WORDS.en;
      await page.getByRole('button', { name: w['ops.tokens.new'] }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(w['ops.tokens.name']).fill('pbx-tool');
      await dialog.getByLabel(w['ops.tokens.role']).selectOption('HelpDesk');
      await dialog.getByRole('button', { name: w['ops.tokens.create'] }).click();
      const secretField = dialog.getByLabel(w['ops.tokens.secret'], { exact: true });
      await secretField.waitFor();
      const secret = await secretField.inputValue();
      expect(secret).toMatch(/^umpin_/);
      await dialog.getByRole('button', { name: w['ops.tokens.copy'] }).click();
      await dialog.getByText(w['ops.tokens.copied']).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await dialog.getByRole('button', { name: w['ops.tokens.done'] }).click();
      await dialog.waitFor({ state: 'detached' });
      // focus back on the button that opened the dialog
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(w['ops.tokens.new']);

      const html = await page.content();
      expect(html).not.toContain(secret);
      const stored = await page.evaluate(
        () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
      );
      expect(stored).not.toContain(secret);
      const row = page.locator('tr.api-token', { hasText: 'pbx-tool' });
      expect(await row.textContent()).toContain('Help Desk');

      // the token works as a Help Desk caller
      const bearer = { authorization: `Bearer ${secret}` };
      expect((await fetch(`${web.server.url}/api/v1/um-mailboxes/tonysmith/pin`, { headers: bearer })).status).toBe(
        200,
      );

      await row.getByRole('button', { name: 'Remove the API token pbx-tool' }).click();
      await page
        .getByRole('dialog')
        .getByText(/Remove the API token pbx-tool\?/)
        .waitFor();
      await page.getByRole('dialog').getByRole('button', { name: w['ops.tokens.remove'], exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'The API token pbx-tool was removed.' }).waitFor();
      expect((await fetch(`${web.server.url}/api/v1/um-mailboxes/tonysmith/pin`, { headers: bearer })).status).toBe(
        401,
      );
    }
  });

  it('a new administrator can sign in, and signs in with the password set for them', async () => {
    const page = await oliviaAt('en', '/administrators');
    {
      const w = WORDS.en;
      await page.getByRole('button', { name: w['ops.admins.new'] }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(w['ops.admins.name']).fill('nina');
      await dialog.getByLabel(w['ops.admins.role']).selectOption('HelpDesk');
      // too short: the service's rule, shown in the dialog; nothing is created
      await dialog.getByLabel(w['ops.admins.password']).fill('short');
      await dialog.getByLabel(w['ops.admins.confirm']).fill('short');
      await dialog.getByRole('button', { name: w['ops.admins.create'] }).click();
      await dialog.getByRole('alert').filter({ hasText: /12/ }).waitFor();
      expect(await dialog.getByLabel(w['ops.admins.password']).inputValue()).toBe('');
      await dialog.getByLabel(w['ops.admins.password']).fill(ADMIN_PASSWORD);
      await dialog.getByLabel(w['ops.admins.confirm']).fill(ADMIN_PASSWORD);
      await dialog.getByRole('button', { name: w['ops.admins.create'] }).click();
      await page.getByRole('status').filter({ hasText: 'The administrator nina was created.' }).waitFor();
      expect(await page.locator('tr.admin-account', { hasText: 'nina' }).textContent()).toContain('Help Desk');

      const nina = await signedInPage(web, await contextIn('en'), 'nina', '/mailboxes');
      await nina.getByText('Signed in as nina').waitFor();
      await nina.context().close();

      const fresh = 'a brand new passphrase for nina';
      await page.getByRole('button', { name: 'Set password for nina' }).click();
      await dialog.getByLabel(w['ops.admins.password']).fill(fresh);
      await dialog.getByLabel(w['ops.admins.confirm']).fill(fresh);
      await dialog.getByRole('button', { name: w['ops.admins.save'] }).click();
      await page.getByRole('status').filter({ hasText: 'The password of nina was set' }).waitFor();
      const signIn = (password: string) =>
        fetch(`${web.server.url}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'nina', password }),
        });
      expect((await signIn(ADMIN_PASSWORD)).status).toBe(401);
      expect((await signIn(fresh)).status).toBe(200);
    }
  });

  it('Help Desk is offered none of these pages, and a direct URL shows the refusal', async () => {
    const context = await contextIn('en');
    try {
      const page = await signedInPage(web, context, 'helen', '/mailboxes');
      const nav = page.getByRole('navigation');
      await nav.getByRole('link').first().waitFor();
      const links = await nav.getByRole('link').allInnerTexts();
      for (const key of [
        'ops.nav.auditing',
        'ops.nav.delivery',
        'ops.nav.administrators',
        'ops.nav.apiTokens',
      ] as const)
        expect(links).not.toContain(WORDS.en[key]);
      for (const [path, operation] of [
        ['/audit', 'Search-AdminAuditLog'],
        ['/mail-delivery', 'Get-'],
        ['/api-tokens', 'Get-ApiToken'],
        ['/administrators', 'Get-AdminAccount'],
      ] as const) {
        await goTo(page, path);
        const alert = page.getByRole('alert');
        await alert.waitFor();
        expect(await alert.textContent()).toContain(`admin:helen may not run ${operation}`);
        for (const offer of [WORDS.en['ops.tokens.new'], WORDS.en['ops.admins.new'], WORDS.en['ops.mail.retryAll']])
          expect(await page.getByRole('button', { name: offer }).count()).toBe(0);
      }
    } finally {
      await context.close();
    }
  });

  for (const locale of LOCALES) {
    it(`${locale}: the audit log, mail delivery, API tokens and administrators, with their dialogs, have no axe violations`, async () => {
      const w = WORDS[locale];
      {
        const page = await oliviaAt(locale, '/audit');
        await page.locator('tr.audit-entry').first().waitFor();
        await page.locator('tr.audit-entry').first().getByRole('button').click();
        await page.locator('tr.audit-detail').waitFor();
        await noViolations(page, `${locale} audit log`);

        await page.getByRole('navigation').getByRole('link', { name: w['ops.nav.delivery'] }).click();
        await page.locator('[data-fact=queued]').waitFor();
        await noViolations(page, `${locale} mail delivery`);

        await page.getByRole('navigation').getByRole('link', { name: w['ops.nav.apiTokens'] }).click();
        await page.getByRole('button', { name: w['ops.tokens.new'] }).click();
        await noViolations(page, `${locale} new API token`);
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel(w['ops.tokens.name']).fill(`axe-${locale}`);
        await dialog.getByRole('button', { name: w['ops.tokens.create'] }).click();
        await dialog.getByLabel(w['ops.tokens.secret'], { exact: true }).waitFor();
        await noViolations(page, `${locale} API token created`);
        await dialog.getByRole('button', { name: w['ops.tokens.done'] }).click();
        await page.locator('tr.api-token', { hasText: `axe-${locale}` }).waitFor();
        await noViolations(page, `${locale} API tokens`);
        await page
          .locator('tr.api-token', { hasText: `axe-${locale}` })
          .getByRole('button', { name: w['ops.tokens.remove'] })
          .click();
        await noViolations(page, `${locale} remove API token`);
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });

        await page.getByRole('navigation').getByRole('link', { name: w['ops.nav.administrators'] }).click();
        await page.locator('tr.admin-account').first().waitFor();
        await noViolations(page, `${locale} administrators`);
        await page.getByRole('button', { name: w['ops.admins.new'] }).click();
        await noViolations(page, `${locale} new administrator`);
        await page.keyboard.press('Escape');
        await page.locator('tr.admin-account').first().getByRole('button').click();
        await noViolations(page, `${locale} set password`);
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
      }
    });
  }
});
