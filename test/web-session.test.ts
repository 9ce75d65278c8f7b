/**
 * The admin center's session in a real browser: a reload keeps the administrator on the page
 * they were on; the server ending the session (sign-out elsewhere, expiry) leads back to
 * sign-in and, after it, to the same page; Sign out forgets the tab's session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAdmin, signedInPage, startWebServer, type WebServer } from './web-browser.js';

describe('admin center session (umpin serve, Debian chromium)', () => {
  let web: WebServer;

  beforeAll(async () => {
    web = await startWebServer();
    await addAdmin(web, 'olivia', 'OrganizationManagement');
  });
  afterAll(async () => {
    await web?.close();
  });

  it('a reload keeps the page; a session ended by the server leads to sign-in and back; Sign out forgets it', async () => {
    const context = await web.browser.newContext({ locale: 'en' });
    try {
      const page = await signedInPage(web, context, 'olivia', '/mailboxes/tonysmith/um');
      await page.getByRole('heading', { name: 'PIN status' }).waitFor();

      await page.reload();
      await page.getByRole('heading', { name: 'PIN status' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/mailboxes/tonysmith/um');
      // what the tab keeps: the name, permissions and CSRF token — no password
      const kept = await page.evaluate(() => sessionStorage.getItem('umpin.session') ?? '');
      expect(JSON.parse(kept)).toMatchObject({ name: 'olivia' });
      expect(kept).not.toContain('correct horse');

      // the session ends on the server (signed out from elsewhere with the same cookie)
      const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const { csrfToken } = JSON.parse(kept) as { csrfToken: string };
      const out = await fetch(`${web.server.url}/api/v1/session`, {
        method: 'DELETE',
        headers: { cookie, 'x-csrf-token': csrfToken },
      });
      expect(out.status).toBe(204);
      await page.reload();
      await page.getByText('Your session has ended. Sign in again to continue.').waitFor();
      expect(new URL(page.url()).searchParams.get('next')).toBe('/mailboxes/tonysmith/um');
      await page.getByLabel('User name').fill('olivia');
      await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'PIN status' }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('User name').waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('umpin.session'))).toBeNull();
      await page.goto(`${web.server.url}/mailboxes/tonysmith/um`);
      await page.getByLabel('User name').waitFor();
    } finally {
      await context.close();
    }
  });
});
