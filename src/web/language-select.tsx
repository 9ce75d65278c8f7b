/** The header's Language menu: switches the page's language and remembers it. */
import { LANGUAGES, language, setLanguage, t, type Language } from './i18n.js';

export function LanguageSelect() {
  return (
    <label class="language">
      {t('header.language')}
      <select
        value={language.value}
        onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value as Language)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.tag} value={l.tag} lang={l.tag}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
