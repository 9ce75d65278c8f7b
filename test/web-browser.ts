/**
 * What the browser suites share: a real `umpin serve --demo` of the built CLI on a fresh
 * SQLite database, Debian's chromium (with a CJK font, installed when missing; never a
 * downloaded browser), and the mails the server dropped in its maildrop.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { chromium, type Browser } from 'playwright-core';
import { type RunningServer, startServe } from './cli-runner.js';
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

export async function startWebServer(): Promise<WebServer> {
  ensureDebianPackages({ [CHROMIUM]: 'chromium', [CJK_FONT]: 'fonts-noto-cjk' });
  const db = await freshDatabase('sqlite');
  const server = await startServe(childEnv(db), ['--demo']);
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
