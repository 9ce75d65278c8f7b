/**
 * axe-core in the page under test: the rules of WCAG 2.1 A and AA and axe's best practices.
 * The script is evaluated through the browser's debugging protocol, which the page's
 * Content-Security-Policy does not govern, so the page is checked as it is served.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '../src/services/demo.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** The violations axe finds in the page as it is now (an empty list when there are none). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(`${AXE_SOURCE}\n;undefined`);
  return page.evaluate(async () => {
    interface Result {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[]; failureSummary: string }[];
      }[];
    }
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Result> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
}

/**
 * English words on a Traditional Chinese page that are not names: the visible text outside the
 * rows of data tables (records such as the audit log's cmdlets and actors are data, not the
 * page's words), less e-mail addresses, language tags, the people and objects the data names
 * (`names`), and the terms zh-TW Exchange keeps in Latin letters (PIN, UM, CSV) or that are
 * names themselves (umpin, the language menu's "English").
 */
export async function untranslatedWords(page: Page, names: readonly string[] = []): Promise<string[]> {
  // what is on the screen, as a reader sees it: hidden text and markup do not count
  const text = await page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    for (const rows of copy.querySelectorAll('tbody')) rows.remove();
    document.body.append(copy);
    copy.hidden = false;
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
    const seen = copy.innerText;
    copy.remove();
    return seen;
  });
  // addresses, and language tags (en-US, zh-TW) shown as the codes they are
  let rest = text.replace(/[\w.+-]+@[\w.-]+/g, ' ').replace(/\b[a-z]{2,3}-[A-Z]{2}\b/g, ' ');
  for (const n of [...names].sort((a, b) => b.length - a.length)) rest = rest.split(n).join(' ');
  rest = rest.replace(/\b(umpin|PIN|UM|CSV|English|Organization Management|Help Desk|View-Only)\b/g, ' ');
  return [...new Set(rest.match(/[A-Za-z]{2,}/g) ?? [])];
}

/** What the demo organisation names: its people (names and aliases), dial plan and policy. */
export const DEMO_NAMES: readonly string[] = [
  ...DEMO_USERS.flatMap((u) => [u.displayName, u.alias]),
  'Contoso Default Policy',
  'Contoso',
];
