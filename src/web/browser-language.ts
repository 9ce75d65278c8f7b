/** The page's language from the browser's list (navigator.languages), by the rule the API applies to Accept-Language. */
import { errorLanguageOf, type ErrorLanguage } from '../domain/errors.js';

/** The first of the browser's languages a catalog exists for (zh-TW, zh-Hant, zh-HK → zh-TW); English otherwise. */
export function languageOfBrowser(tags: readonly string[]): ErrorLanguage {
  for (const tag of tags) {
    const language = errorLanguageOf(tag);
    if (language) return language;
  }
  return 'en';
}
