/**
 * Error messages by language: one catalog per language, keyed by code, each entry a pure
 * function of the code's params. The REST API, the shell and the web UI render the same
 * entries; logs keep the English one (UmpinError.message).
 */
import type { ErrorCode, ErrorParams, Issue, ObjectKind } from './error-codes.js';
import { en } from './error-messages-en.js';
import { zhTW } from './error-messages-zh-tw.js';

export const ERROR_LANGUAGES = ['en', 'zh-TW'] as const;
export type ErrorLanguage = (typeof ERROR_LANGUAGES)[number];

/** What an entry is given: the code's params, with the issue's field when the params name none. */
export type MessageInput<C extends ErrorCode> = ErrorParams[C] & { field?: string | undefined };

export type ErrorCatalog = { readonly [C in ErrorCode]: (p: MessageInput<C>) => string };

/** Each catalog's word for each kind of object. */
export type KindWords = Readonly<Record<ObjectKind, string>>;

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
