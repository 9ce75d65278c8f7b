/**
 * What may be in the names and texts people type into umpin — display names, dial plan and
 * policy names, the texts a policy adds to its mails. They are printed in terminals, mails
 * and audit entries, so none may hold a character that drives a terminal (NUL, C0 and C1
 * controls, DEL), a lone UTF-16 surrogate (stored, it reads back as U+FFFD), or, in a name,
 * one that reorders or hides text (bidi embeddings, overrides and isolates, zero-width space,
 * word joiner, invisible operators, BOM): such names make look-alikes of other names.
 * A text keeps its line breaks and tabs; a name has none. Zero-width joiner and non-joiner,
 * and the left-to-right and right-to-left marks, stay allowed: Persian, Indic and mixed-script
 * names are spelled with them.
 */
import type { Issue } from './errors.js';

export type UnsafeCharacterKind = 'control' | 'surrogate' | 'invisible';

const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const NAME_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const INVISIBLE = /[\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** The first character `value` may not hold, as U+XXXX, and why; null when it is clean. */
export function unsafeCharacter(
  value: string,
  use: 'name' | 'text',
): { readonly character: string; readonly kind: UnsafeCharacterKind } | null {
  const found = (m: RegExpExecArray | null, kind: UnsafeCharacterKind) =>
    m === null ? null : { character: `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`, kind };
  return (
    found((use === 'name' ? NAME_CONTROL : TEXT_CONTROL).exec(value), 'control') ??
    found(LONE_SURROGATE.exec(value), 'surrogate') ??
    (use === 'name' ? found(INVISIBLE.exec(value), 'invisible') : null)
  );
}

/** The refusal for `field`, or null. */
export function checkSafeText(field: string, value: string, use: 'name' | 'text'): Issue | null {
  const bad = unsafeCharacter(value, use);
  return bad === null ? null : { code: 'UMPIN_VALUE_UNSAFE_CHARACTER', field, params: { field, ...bad } };
}
