/**
 * Errors as PowerShell prints them: the message (in the session's language), where it happened (with the command line
 * underlined), a category and the stable error code. Values bound to secret parameters
 * and every run of four or more digits are masked in the echoed line, so a mistyped PIN
 * is not written to a terminal log.
 */
import { renderError, UmpinError, type ErrorCategory, type ErrorLanguage } from '../domain/errors.js';
import type { Span } from './ast.js';

export const CATEGORY: Record<ErrorCategory, string> = {
  invalid: 'InvalidArgument',
  'not-found': 'ObjectNotFound',
  conflict: 'InvalidOperation',
  denied: 'PermissionDenied',
  unauthenticated: 'AuthenticationError',
  'rate-limited': 'LimitsExceeded',
  unavailable: 'ResourceUnavailable',
  internal: 'NotSpecified',
};

export const MASK = '********';

/** Line and column (1-based) of an offset. */
export function position(
  source: string,
  offset: number,
): { line: number; column: number; lineStart: number; lineEnd: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  let lineEnd = source.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = source.length;
  return { line, column: offset - lineStart + 1, lineStart, lineEnd };
}

/** The source line of `span` with secrets masked, and the underline under the span. */
function echo(source: string, span: Span, secrets: readonly Span[]): [string, string] {
  const pos = position(source, span.start);
  let text = '';
  let start = -1;
  let end = -1;
  const last = Math.min(pos.lineEnd, Math.max(span.end, span.start + 1));
  for (let i = pos.lineStart; i < pos.lineEnd; ) {
    if (i === span.start) start = text.length;
    const secret = secrets.find((s) => s.start === i && s.end > s.start);
    if (secret) {
      text += MASK;
      i = secret.end;
    } else {
      text += source[i] === '\t' ? ' ' : source[i];
      i++;
    }
    if (end < 0 && i >= last) end = text.length;
  }
  if (start < 0) start = text.length;
  if (end < start) end = text.length;
  // A PIN can also reach a line through a variable or another statement: every run of
  // four or more digits is hidden (same length, so the underline still fits).
  text = text.replace(/\d{4,}/g, (d) => '#'.repeat(d.length));
  return [text.trimEnd(), ' '.repeat(start) + '~'.repeat(Math.max(1, end - start))];
}

export interface ErrorContext {
  source: string;
  /** the failing command's span; null when the failure has no place (e.g. Ctrl-C) */
  span: Span | null;
  /** the cmdlet that failed, or null for a parse error */
  command: string | null;
  secrets: readonly Span[];
  /** where the script came from, e.g. a file name */
  origin?: string;
  /** the session's culture: the message's language (the record's labels stay PowerShell's) */
  language?: ErrorLanguage;
}

export function renderErrorRecord(err: UmpinError, where: ErrorContext): string {
  const message = renderError(err, where.language ?? 'en');
  const lines = [where.command ? `${where.command} : ${message}` : message];
  if (where.span) {
    const pos = position(where.source, where.span.start);
    const [text, underline] = echo(where.source, where.span, where.secrets);
    lines.push(
      `At ${where.origin ? `${where.origin}:` : ''}line:${pos.line} char:${pos.column}`,
      `+ ${text}`,
      `+ ${underline}`,
    );
  }
  const target = err.field ? `(${err.field})` : '(:)';
  lines.push(
    `    + CategoryInfo          : ${CATEGORY[err.category]}: ${target} [${where.command ?? 'Parser'}], UmpinError`,
  );
  lines.push(`    + FullyQualifiedErrorId : ${err.code}${where.command ? `,${where.command}` : ''}`);
  return lines.join('\n');
}

/** Anything thrown that is not a UmpinError is a bug: shown as UMPIN_INTERNAL, never as a stack. */
export function asUmpinError(err: unknown): UmpinError {
  if (err instanceof UmpinError) return err;
  return new UmpinError({ code: 'UMPIN_INTERNAL' }, { cause: err });
}
