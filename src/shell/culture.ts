/**
 * The shell session's culture, from the POSIX locale variables as every command-line tool
 * reads them: LC_ALL, else LC_MESSAGES, else LANG (zh_TW.UTF-8 → zh-TW). A locale with no
 * catalog, C or POSIX included, is English.
 */
import { errorLanguageOf, type ErrorLanguage } from '../domain/errors.js';

export function languageFromLocaleEnv(env: NodeJS.ProcessEnv): ErrorLanguage {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return errorLanguageOf(locale) ?? 'en';
}
