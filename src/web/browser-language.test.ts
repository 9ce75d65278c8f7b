import { describe, expect, it } from 'vitest';
import { languageOfBrowser } from './browser-language.js';

describe("the admin center's language from the browser", () => {
  it('Traditional Chinese for Taiwan, Hong Kong and any zh-Hant; English otherwise', () => {
    expect(languageOfBrowser(['zh-TW'])).toBe('zh-TW');
    expect(languageOfBrowser(['zh-Hant'])).toBe('zh-TW');
    expect(languageOfBrowser(['zh-HK', 'en-US'])).toBe('zh-TW');
    expect(languageOfBrowser(['zh-CN'])).toBe('en');
    expect(languageOfBrowser(['zh-Hans-TW'])).toBe('en');
    expect(languageOfBrowser(['fr-FR', 'de'])).toBe('en');
    expect(languageOfBrowser([])).toBe('en');
  });

  it('the first language umpin has wins', () => {
    expect(languageOfBrowser(['fr-FR', 'zh-TW', 'en'])).toBe('zh-TW');
    expect(languageOfBrowser(['ja', 'en-GB', 'zh-TW'])).toBe('en');
  });
});
