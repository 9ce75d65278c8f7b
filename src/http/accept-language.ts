/**
 * The language of an answer, from Accept-Language (RFC 9110 §12.5.4): the tags in order
 * of their q-values, the first one a catalog exists for wins; English otherwise.
 */
import { errorLanguageOf, type ErrorLanguage } from '../domain/errors.js';

export function languageFromAcceptLanguage(header: string | string[] | undefined): ErrorLanguage {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranges = text
    .split(',')
    .map((part, index) => {
      const [tag = '', ...attrs] = part.trim().split(';');
      const q = attrs.map((a) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(a)).find((m) => m !== null);
      const weight = q ? Number(q[1]) : 1;
      return { tag: tag.trim(), q: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.tag !== '' && r.q > 0)
    // a stable sort: equal q-values keep the client's order
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranges) {
    if (r.tag === '*') return 'en';
    const language = errorLanguageOf(r.tag);
    if (language) return language;
  }
  return 'en';
}
