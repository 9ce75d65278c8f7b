/**
 * What the browser suites share: a real `umpin serve --demo` of the built CLI on a fresh
 * SQLite database, Debian's chromium (with a CJK font, installed when missing; never a
 * downloaded browser), and the mails the server dropped in its maildrop.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type RunningServer, startServe, umpin } from './cli-runner.js';
import { ensureDebianPackages } from './debian-packages.js';
import { childEnv, freshDatabase, type TestDb } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
// Chromium brings no CJK font: without it every Chinese character is a box
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

export interface DroppedMail {
  file: string;
  to: string;
  subject: string;
  text: string;
}

export interface WebServer {
  db: TestDb;
  server: RunningServer;
  browser: Browser;
  /** the one-time setup token serve printed */
  setupToken: string;
  /** the .eml files in the maildrop now */
  mails(): string[];
  /** the first mail that was not in `before`, parsed (waits up to 10 s) */
  newMail(before: string[]): Promise<DroppedMail>;
  close(): Promise<void>;
}

/** `env`: more of the server's settings, e.g. UMPIN_SMTP_URL to deliver to a test's own SMTP server. */
export async function startWebServer(env: Record<string, string> = {}): Promise<WebServer> {
  ensureDebianPackages({ [CHROMIUM]: 'chromium', [CJK_FONT]: 'fonts-noto-cjk' });
  const db = await freshDatabase('sqlite');
  const server = await startServe(childEnv(db, env), ['--demo']);
  const setupToken = /enter the setup token (\S+)/.exec(await waitFor(() => server.output(), /setup token \S+/))![1]!;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const maildrop = join(db.dataDir, 'maildrop');
  const mails = () => readdirSync(maildrop).filter((f) => f.endsWith('.eml'));
  return {
    db,
    server,
    browser,
    setupToken,
    mails,
    async newMail(before) {
      const file = await waitFor(() => mails().find((f) => !before.includes(f)) ?? '', /\.eml$/);
      const mail = await simpleParser(readFileSync(join(maildrop, file)));
      const to = Array.isArray(mail.to) ? mail.to[0]!.text : (mail.to?.text ?? '');
      return { file, to, subject: mail.subject ?? '', text: mail.text ?? '' };
    },
    async close() {
      await browser.close();
      await server.stop();
      await db.drop();
    },
  };
}

/** Polls `read` until its value matches (at most 10 s). */
export async function waitFor(read: () => string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const v = read();
    if (pattern.test(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern}`);
}

/** The password the browser suites give the administrators they add. */
export const ADMIN_PASSWORD = 'correct horse battery staple';
export type AdminRole = 'OrganizationManagement' | 'HelpDesk' | 'ViewOnlyOrganizationManagement';

/** Adds an administrator account with one role group, as an operator would (`umpin admin add`). */
export async function addAdmin(web: WebServer, name: string, role: AdminRole): Promise<void> {
  const r = await umpin(
    childEnv(web.db, { UMPIN_ADMIN_PASSWORD: ADMIN_PASSWORD }),
    'admin',
    'add',
    name,
    '--role',
    role,
  );
  if (r.code !== 0) throw new Error(`umpin admin add ${name}: ${r.stderr}`);
}

/** Runs one line in the in-process shell against the server's database; throws on a non-zero exit. */
export async function shell(web: WebServer, command: string): Promise<string> {
  const r = await umpin(childEnv(web.db), 'shell', '-c', command);
  if (r.code !== 0) throw new Error(`${command}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Opens `path` in a new page of `context`, signing in as `name` (with ADMIN_PASSWORD) through
 * the English or Chinese sign-in page the admin center sends an anonymous visitor to.
 */
export async function signedInPage(web: WebServer, context: BrowserContext, name: string, path: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${web.server.url}/sign-in?next=${encodeURIComponent(path)}`);
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
  await page.locator('form button[type=submit]').first().click();
  await page.waitForURL((u) => u.pathname === path.split('?')[0]);
  return page;
}
