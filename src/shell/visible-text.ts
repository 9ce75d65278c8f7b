/**
 * Text the shell prints, made unable to drive the terminal: data (a display name, an audit
 * entry's parameters, a policy text) may hold ESC, BEL, C1 controls or bidi overrides that a
 * terminal would obey — change its title, clear the screen, reorder a line. Each is written
 * as PowerShell's own escape for it (`e, `a, `b, `f, `v, `r, `0), or as `u{…} for the rest,
 * so the administrator sees what is there. Newlines and tabs stay: they are the layout of
 * tables and lists. Lone surrogates, which would reach the terminal as U+FFFD, show as `u{…}.
 */

const NAMED: Readonly<Record<string, string>> = {
  '\u0000': '`0',
  '\u0007': '`a',
  '\u0008': '`b',
  '\u000b': '`v',
  '\u000c': '`f',
  '\u000d': '`r',
  '\u001b': '`e',
};

// C0 but tab and newline, DEL, C1; the bidi embeddings, overrides and isolates; zero-width
// characters and marks that hide or reorder text; the line and paragraph separators; lone surrogates
const UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function visibleText(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? `\`u{${c.charCodeAt(0).toString(16)}}`);
}
