/**
 * What every page has around its content: the skip link, the top bar with the product's name
 * and the language list, and whatever the page adds at the bar's end (who is signed in).
 * The admin center, the self-service page and the PIN link page share it.
 */
import type { ComponentChildren } from 'preact';
import { t } from './i18n.js';
import { LanguageSelect } from './language-select.js';

export function PageFrame(props: { title: string; barEnd?: ComponentChildren; children: ComponentChildren }) {
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header class="top">
        <span class="brand">{props.title}</span>
        <LanguageSelect />
        {props.barEnd}
      </header>
      {props.children}
    </div>
  );
}
