/**
 * Screenshots of the admin center for the README and docs/web.md, in English and Traditional
 * Chinese: `npm run screenshots` (after `npm run build`). It starts the built `umpin serve
 * --demo` on a loopback port with a throwaway data directory, sets up the first administrator
 * with the printed setup token, and walks the seed's steps with Debian's chromium, finding
 * controls by the labels the pages' own catalogs give them. Writes docs/screenshots/*.png.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { en } from '../src/web/messages/en.js';
import { zhTW } from '../src/web/messages/zh-TW.js';

const OUT = resolve('docs/screenshots');
const PORT = Number(process.env.SCREENSHOT_PORT || 18_090);
const ADMIN = { name: 'admin', password: 'correct horse battery staple' };
const LANGUAGES = [
  { tag: 'en', locale: 'en-US', words: en },
  { tag: 'zh-TW', locale: 'zh-TW', words: zhTW },
] as const;

/** Starts the server and resolves with the setup token its first run prints. */
function serve(dataDir: string): Promise<{ server: ChildProcess; token: string }> {
  const server = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--demo'], {
    env: { ...process.env, UMPIN_DATA_DIR: dataDir, UMPIN_HTTP_PORT: String(PORT), UMPIN_HTTP_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((done, fail) => {
    let printed = '';
    const read = (chunk: Buffer) => {
      printed += chunk.toString('utf8');
      const m = /setup token (\S+)/.exec(printed);
      if (m) done({ server, token: m[1]! });
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.once('exit', (code) => fail(new Error(`umpin serve exited (${code}) before printing a setup token`)));
  });
}

async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  // let the fonts and the last response settle
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: opts.fullPage === true });
}

const dataDir = mkdtempSync(join(tmpdir(), 'umpin-screenshots-'));
mkdirSync(OUT, { recursive: true });
const { server, token } = await serve(dataDir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
try {
  const base = `http://127.0.0.1:${PORT}`;
  for (const [i, { tag, locale, words: w }] of LANGUAGES.entries()) {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    if (i === 0) {
      await page.goto(`${base}/setup`);
      await page.getByLabel(w['setup.token']).fill(token);
      await page.getByLabel(w['setup.name']).fill(ADMIN.name);
      await page.getByLabel(w['setup.password']).fill(ADMIN.password);
      await page.getByRole('button', { name: w['setup.submit'] }).click();
    } else {
      await page.goto(`${base}/`);
      await page.getByLabel(w['signIn.name']).fill(ADMIN.name);
      await page.getByLabel(w['signIn.password'], { exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: w['signIn.submit'] }).click();
    }
    await page.getByLabel(w['mailboxes.search']).fill('tony');
    // the search runs once typing pauses: wait for its answer, not the list before it
    await page.waitForFunction(() => document.querySelectorAll('tbody tr:not(.spacer)').length === 1);
    await page.getByRole('gridcell', { name: 'Tony Smith', exact: true }).click();
    await shot(page, `mailboxes-${tag}`);
    await page.getByRole('link', { name: w['details.viewDetails'] }).click();
    await page.getByRole('heading', { name: w['umMailbox.pinStatus'] }).waitFor();
    await shot(page, `um-mailbox-${tag}`);
    await page.getByRole('button', { name: w['umMailbox.resetPin'] }).click();
    await shot(page, `reset-pin-${tag}`);
    await page.keyboard.press('Escape');

    // a mailbox not yet enabled for UM, and the wizard's extension step
    const alias = `newhire${i}`;
    execFileSync(
      process.execPath,
      [
        'dist/cli/main.js',
        'shell',
        '-c',
        `New-Mailbox -Name 'Nora Hale ${i + 1}' -Alias ${alias} -PrimarySmtpAddress ${alias}@contoso.com`,
      ],
      {
        env: { ...process.env, UMPIN_DATA_DIR: dataDir },
      },
    );
    await page.goto(`${base}/mailboxes/${alias}/enable-um`);
    await page.getByRole('heading', { name: w['um.enable.policyTitle'] }).waitFor();
    await shot(page, `enable-um-${tag}`);

    await page.goto(`${base}/um-mailbox-policies/${encodeURIComponent('Contoso Default Policy')}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // the whole form: the settings umpin adds are below Exchange's
    await shot(page, `mailbox-policy-${tag}`, { fullPage: true });
    await page.goto(`${base}/audit`);
    await page.getByRole('heading', { name: w['ops.audit.title'] }).waitFor();
    await shot(page, `audit-${tag}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
process.stdout.write(`screenshots in ${OUT}\n`);
