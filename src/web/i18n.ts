/**
 * The page's language: from the browser (Traditional Chinese for zh-TW, zh-Hant and zh-HK,
 * else English), switchable in the header and remembered. localStorage holds the language
 * and nothing else. Messages come from the per-locale catalogs; error messages from the
 * same catalogs the API renders (src/domain).
 */
import { computed, signal } from '@preact/signals';
import { IntlMessageFormat } from 'intl-messageformat';
import type { ErrorLanguage } from '../domain/errors.js';
import { languageOfBrowser } from './browser-language.js';
import { en, type MessageKey } from './messages/en.js';
import { zhTW } from './messages/zh-TW.js';

export type Language = ErrorLanguage;
export const LANGUAGES: readonly { tag: Language; name: string }[] = [
  { tag: 'en', name: 'English' },
  { tag: 'zh-TW', name: '中文 (台灣)' },
];

const CATALOGS: Record<Language, Record<MessageKey, string>> = { en, 'zh-TW': zhTW };
const STORAGE_KEY = 'umpin.language';

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-TW') return stored;
  return languageOfBrowser(navigator.languages);
}

export const language = signal<Language>(initialLanguage());
document.documentElement.lang = language.value;

export function setLanguage(l: Language): void {
  language.value = l;
  localStorage.setItem(STORAGE_KEY, l);
  document.documentElement.lang = l;
}

const compiled = new Map<string, IntlMessageFormat>();

/** A message of the current language, with its ICU arguments filled in. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  const l = language.value;
  const id = `${l}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(CATALOGS[l][key], l);
    compiled.set(id, format);
  }
  return String(format.format(values));
}

/** The document title follows the language. */
export const appTitle = computed(() => t('app.title'));
