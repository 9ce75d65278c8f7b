/**
 * Error messages by language: one catalog per language, keyed by code, each entry a pure
 * function of the code's params. The REST API, the shell and the web UI render the same
 * entries; logs keep the English one (UmpinError.message).
 */
import type { ErrorCatalog, MessageInput } from './error-catalog.js';
import type { ErrorCode, Issue } from './error-codes.js';
import { en } from './error-messages-en.js';
import { zhTW } from './error-messages-zh-tw.js';

export const ERROR_LANGUAGES = ['en', 'zh-TW'] as const;
export type ErrorLanguage = (typeof ERROR_LANGUAGES)[number];

const CATALOGS: Readonly<Record<ErrorLanguage, ErrorCatalog>> = { en, 'zh-TW': zhTW };

/**
 * The catalog language for a language tag (BCP 47, or a POSIX locale such as
 * zh_TW.UTF-8): Traditional Chinese for Taiwan, Hong Kong and any zh-Hant; else English.
 */
export function errorLanguageOf(tag: string | null | undefined): ErrorLanguage | null {
  if (!tag) return null;
  const parts = tag.split('.')[0]!.split('@')[0]!.replace(/_/g, '-').toLowerCase().split('-');
  if (parts[0] === 'en') return 'en';
  if (parts[0] !== 'zh') return null;
  const rest = parts.slice(1);
  if (rest.includes('hans')) return null;
  if (rest.includes('hant') || rest.includes('tw') || rest.includes('hk') || rest.includes('mo')) return 'zh-TW';
  return null;
}

export function renderIssue(issue: Issue, language: ErrorLanguage): string {
  const render = CATALOGS[language][issue.code] as (p: MessageInput<ErrorCode>) => string;
  return render({ field: issue.field, ...(issue.params ?? {}) } as MessageInput<ErrorCode>);
}
