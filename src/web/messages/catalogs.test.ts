/** The admin center's catalogs: the same keys in every language, and every message a valid ICU message. */
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { zhTW } from './zh-TW.js';

const CATALOGS = { en, 'zh-TW': zhTW } as const;

describe('web message catalogs', () => {
  it('English and Traditional Chinese have the same keys', () => {
    expect(Object.keys(zhTW).sort()).toEqual(Object.keys(en).sort());
  });

  it('every message compiles, with the same arguments in each language', () => {
    const argumentsOf = (text: string) => [...text.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();
    for (const [tag, catalog] of Object.entries(CATALOGS)) {
      for (const [key, text] of Object.entries(catalog)) {
        expect(() => new IntlMessageFormat(text, tag), `${tag} ${key}`).not.toThrow();
        expect(argumentsOf(text), `${tag} ${key}`).toEqual(argumentsOf(en[key as keyof typeof en]));
      }
    }
  });

  it('the Traditional Chinese catalog has no untranslated English message', () => {
    // Latin words allowed in zh-TW: product and parameter names, and the terms Exchange keeps (PIN, UM, CSV)
    const kept = /\b(umpin|serve|PIN|UM|CSV|Organization Management)\b/g;
    for (const [key, text] of Object.entries(zhTW)) {
      const words = text.replace(/\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, '').replace(kept, '');
      expect(/[A-Za-z]{2,}/.test(words), `zh-TW ${key}: ${text}`).toBe(false);
    }
  });
});
