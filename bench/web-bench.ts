/**
 * The web admin center at 1,000,000 mailboxes (SQLite), in Debian's chromium against a real
 * `umpin serve` of the built CLI, as an administrator uses it:
 * (a) cold load: the browser's cache emptied, then /mailboxes loaded (signed in) until its
 *     first rows are on the screen; navigation timings beside it;
 * (b) search as you type: a key pressed in the search box until the rows shown are those of
 *     the text typed, measured in the page from the key event's time to the animation frame
 *     that shows them; the baseline is the same API request made from the page with fetch,
 *     right after, so the ratio shows what the page adds to the server's answer;
 * (c) the JavaScript the first page loads, as served and gzipped.
 * The organisation is built by the real command, `umpin init --demo --mailboxes N`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { syntheticPerson } from '../src/services/demo-names.js';
import { startServe, umpin } from '../test/cli-runner.js';
import { ensureDebianPackages } from '../test/debian-packages.js';
import { initDemo } from './api-bench.js';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';
const log = (s: string) => process.stderr.write(`${s}\n`);

export interface WebBenchOptions {
  mailboxes: number;
  /** cold loads measured */
  loads: number;
  /** search words typed, a key at a time */
  words: number;
}

export interface WebFigures {
  mailboxes: number;
  initSeconds: number;
  /** ms from navigation start to the first rows on screen, one per cold load */
  cold: number[];
  domContentLoaded: number[];
  /** ms from the key event to the frame showing its rows, one per keystroke */
  keystrokes: number[];
  /** words typed */
  words: number;
  /** ms of the same API request made from the page right after each keystroke */
  fetches: number[];
  /** the first page's scripts: bytes as served and gzipped */
  js: { files: number; bytes: number; gzip: number };
  load: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const percentile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
};

/** The scripts the HTML of the first page loads (module entry and preloads), fetched as the browser would. */
async function firstPageScripts(origin: string): Promise<WebFigures['js']> {
  const html = await (await fetch(`${origin}/mailboxes`)).text();
  const urls = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  let bytes = 0;
  let gzip = 0;
  for (const u of new Set(urls)) {
    const body = Buffer.from(await (await fetch(origin + u)).arrayBuffer());
    bytes += body.length;
    gzip += gzipSync(body).length;
  }
  return { files: new Set(urls).size, bytes, gzip };
}

/** Waits, checking every animation frame, until the list shows rows; answers performance.now() of that frame. */
function rowsShown(page: Page): Promise<number> {
  return page
    .waitForFunction(() => (document.querySelector('main tbody tr:not(.spacer)') ? performance.now() : 0), null, {
      polling: 'raf',
      timeout: 30_000,
    })
    .then((h) => h.jsonValue());
}

async function coldLoad(page: Page, origin: string): Promise<{ shown: number; dcl: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  await page.goto(`${origin}/mailboxes`, { waitUntil: 'commit' });
  const shown = await rowsShown(page);
  const dcl = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return n?.domContentLoadedEventEnd ?? Number.NaN;
  });
  return { shown, dcl };
}

/**
 * Types `word` into the search box a key at a time; for each key, the time from its event to the
 * frame whose rows are the answer to the text typed so far (the list says which search its rows
 * answer in `data-search`), then the same request fetched from the page.
 */
async function typeWord(page: Page, word: string): Promise<{ keys: number[]; fetches: number[] }> {
  const search = page.getByRole('searchbox');
  await search.fill('');
  await page.waitForSelector('[data-search=""][aria-busy="false"]');
  await page.evaluate(() => {
    const box = document.querySelector('input[type=search]')!;
    box.addEventListener('keydown', (e) => ((window as unknown as { keyAt: number }).keyAt = e.timeStamp), {
      capture: true,
    });
  });
  const keys: number[] = [];
  const fetches: number[] = [];
  let lastList = '';
  const onRequest = (r: { url(): string }) => {
    if (/\/api\/v1\/(um-mailboxes|recipients)\?/.test(r.url())) lastList = r.url();
  };
  page.on('request', onRequest);
  try {
    for (let i = 1; i <= word.length; i++) {
      const typed = word.slice(0, i);
      await page.keyboard.press(word[i - 1]!);
      const at = await page
        .waitForFunction(
          (q) => {
            const list = document.querySelector(`[data-search="${q}"][aria-busy="false"]`);
            return list?.querySelector('tbody tr:not(.spacer)') ? performance.now() : 0;
          },
          typed,
          { polling: 'raf', timeout: 30_000 },
        )
        .then((h) => h.jsonValue());
      const keyAt = await page.evaluate(() => (window as unknown as { keyAt: number }).keyAt);
      keys.push(at - keyAt);
      fetches.push(
        await page.evaluate(async (u) => {
          const t0 = performance.now();
          const r = await fetch(u, { headers: { accept: 'application/json' } });
          await r.json();
          return performance.now() - t0;
        }, lastList),
      );
      // a person types about five keys a second
      await page.waitForTimeout(200);
    }
  } finally {
    page.off('request', onRequest);
  }
  return { keys, fetches };
}

export async function benchWeb(o: WebBenchOptions): Promise<WebFigures> {
  ensureDebianPackages({ [CHROMIUM]: 'chromium' });
  const dataDir = mkdtempSync(join(tmpdir(), 'umpin-web-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    UMPIN_DATA_DIR: dataDir,
    UMPIN_SECRET_KEY: randomBytes(32).toString('base64'),
    UMPIN_LOG_LEVEL: 'warn',
  };
  delete env.UMPIN_DATABASE_URL;
  delete env.UMPIN_KDF;
  try {
    log(`[web] umpin init --demo --mailboxes ${o.mailboxes}…`);
    const initSeconds = await initDemo(env, o.mailboxes);
    const added = await umpin(
      { ...env, UMPIN_ADMIN_PASSWORD: PASSWORD },
      'admin',
      'add',
      'bench',
      '--role',
      'HelpDesk',
    );
    if (added.code !== 0) throw new Error(`umpin admin add: ${added.stderr}`);
    const server = await startServe(env);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const js = await firstPageScripts(server.url);
      const context = await browser.newContext({ locale: 'en' });
      const page = await context.newPage();
      await page.goto(`${server.url}/sign-in?next=/mailboxes`);
      await page.locator('input[name=name]').fill('bench');
      await page.locator('input[name=password]').fill(PASSWORD);
      await page.locator('form button[type=submit]').click();
      await rowsShown(page);

      const cold: number[] = [];
      const dcl: number[] = [];
      const keystrokes: number[] = [];
      const fetches: number[] = [];
      // words people search for: the start of a display name or an alias, 3–6 letters, from all over the list
      const words = Array.from({ length: o.words }, (_, i) => {
        const p = syntheticPerson(Math.floor(((i + 0.5) / o.words) * (o.mailboxes - 100)));
        const source = i % 2 ? p.alias : p.displayName;
        return source.slice(0, 3 + (i % 4)).toLowerCase();
      });
      // cold loads and typing alternate, so a noisy moment touches both
      for (let i = 0; i < Math.max(o.loads, o.words); i++) {
        if (i < o.loads) {
          const c = await coldLoad(page, server.url);
          cold.push(c.shown);
          dcl.push(c.dcl);
          log(`[web] cold load ${i + 1}: rows shown at ${c.shown.toFixed(0)} ms`);
        }
        if (i < o.words) {
          const w = await typeWord(page, words[i]!);
          keystrokes.push(...w.keys);
          fetches.push(...w.fetches);
          log(`[web] typed "${words[i]}": ${w.keys.map((k) => k.toFixed(0)).join(', ')} ms`);
        }
      }
      await context.close();
      return {
        mailboxes: o.mailboxes,
        initSeconds,
        cold,
        domContentLoaded: dcl,
        keystrokes,
        words: o.words,
        fetches,
        js,
        load: loadavg()[0]!,
      };
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function webSection(x: WebFigures): string {
  const f = (n: number, d = 0) => n.toFixed(d);
  const ratios = x.keystrokes.map((k, i) => k / x.fetches[i]!);
  const ok = (v: number, goal: number) => (v < goal ? 'met' : '**not met**');
  const p95 = percentile(x.keystrokes, 0.95);
  return `## Web admin center at 1,000,000 mailboxes

The admin center in Debian's chromium (headless) against \`umpin serve\` of the built CLI, on an SQLite organisation built by
\`umpin init --demo --mailboxes ${x.mailboxes}\` (${f(x.initSeconds / 60, 1)} min), signed in as a Help Desk administrator. Times are
taken in the page (performance.now), each to the animation frame that shows the result: what the administrator sees.

- **Cold load**: the browser's HTTP cache emptied, then \`/mailboxes\` loaded until its first rows are on the screen
  (${x.cold.length} loads, alternating with the typing below). The page is usable then: its search box and rows take input.
- **Search keystroke**: a key pressed in the search box until the rows shown are the answer to the text typed so far
  (${x.keystrokes.length} keystrokes of ${x.words} words, each 3–6 letters of a name or alias from all over the list, typed at five keys a
  second). Baseline: the same API request fetched from the page right after each keystroke; the ratio is keystroke ÷ fetch.
- **JavaScript**: the scripts the first page's HTML loads, as served, and gzipped (zlib's default level).

| figure | p50 | p95 | max | goal | |
|---|---|---|---|---|---|
| cold load → first rows | ${f(median(x.cold))} ms | ${f(percentile(x.cold, 0.95))} ms | ${f(Math.max(...x.cold))} ms | < 1,000 ms | ${ok(Math.max(...x.cold), 1000)} |
| (DOMContentLoaded) | ${f(median(x.domContentLoaded))} ms | ${f(percentile(x.domContentLoaded, 0.95))} ms | ${f(Math.max(...x.domContentLoaded))} ms | | |
| **search keystroke → its rows** | ${f(median(x.keystrokes))} ms | **${f(p95)} ms** | ${f(Math.max(...x.keystrokes))} ms | p95 < 150 ms | ${ok(p95, 150)} |
| the same request by fetch (baseline) | ${f(median(x.fetches), 1)} ms | ${f(percentile(x.fetches, 0.95), 1)} ms | ${f(Math.max(...x.fetches), 1)} ms | | |
| ratio keystroke ÷ fetch | ${f(median(ratios), 1)} | ${f(percentile(ratios, 0.95), 1)} | | | |

| JavaScript of the first page | files | as served | **gzipped** | goal | |
|---|---|---|---|---|---|
| entry and preloads | ${x.js.files} | ${f(x.js.bytes / 1024, 1)} kB | **${f(x.js.gzip / 1024, 1)} kB** | < 100 kB | ${ok(x.js.gzip / 1024, 100)} |

Load average (1 minute, 2 cores) at the end: ${f(x.load, 1)}.
`;
}
