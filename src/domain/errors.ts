/**
 * UmpinError and the rendering of errors. The codes, their HTTP statuses and their params
 * are registered in error-codes.ts; the words in one catalog per language
 * (error-messages.ts). `UmpinError.message` is always the English rendering, for logs;
 * renderError gives any other language. A param never carries a PIN.
 */
import {
  CATEGORY_OF_STATUS,
  ERROR_STATUS,
  type AnyParams,
  type ErrorCategory,
  type ErrorCode,
  type ErrorStatus,
  type Issue,
  type ParamValue,
} from './error-codes.js';
import { renderIssue, type ErrorLanguage } from './error-messages.js';

export {
  ERROR_CODES,
  ERROR_STATUS,
  isErrorCode,
  type AnyParams,
  type ErrorCategory,
  type ErrorCode,
  type ErrorParams,
  type ErrorStatus,
  type Issue,
  type ObjectKind,
} from './error-codes.js';
export { ERROR_LANGUAGES, errorLanguageOf, type ErrorLanguage } from './error-messages.js';

/** What every client is sent, and what the remote shell rebuilds the error from. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
  /** the params that are set (an absent one is left out, as JSON would leave it) */
  params: Readonly<Record<string, Exclude<ParamValue, undefined>>>;
}

export function statusOf(code: ErrorCode): ErrorStatus {
  return ERROR_STATUS[code];
}

export function categoryOf(code: ErrorCode): ErrorCategory {
  return CATEGORY_OF_STATUS[ERROR_STATUS[code]];
}

/** The English message of an issue (what logs and UmpinError.message say). */
export function messageFor(issue: Issue): string {
  return renderIssue(issue, 'en');
}

export class UmpinError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  /** the first issue's params, as any reader sees them (their type per code is in ErrorParams) */
  readonly params: AnyParams;
  readonly status: ErrorStatus;
  readonly category: ErrorCategory;
  readonly issues: readonly Issue[];

  constructor(issueOrIssues: Issue | readonly Issue[], options?: { cause?: unknown }) {
    const issues = Array.isArray(issueOrIssues) ? (issueOrIssues as readonly Issue[]) : [issueOrIssues as Issue];
    const first: Issue = issues[0] ?? { code: 'UMPIN_INTERNAL' };
    super(messageFor(first), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UmpinError';
    this.code = first.code;
    this.field = first.field;
    this.params = (first.params ?? {}) as AnyParams;
    this.status = statusOf(first.code);
    this.category = categoryOf(first.code);
    this.issues = issues;
  }

  /** The first issue, e.g. to raise it again about another field. */
  get issue(): Issue {
    return this.issues[0] ?? { code: 'UMPIN_INTERNAL' };
  }

  /** The body in English; renderBody gives it in another language. */
  toJSON(): ErrorBody {
    return errorBody(this, 'en');
  }
}

/** An error or an issue in a catalog's language. */
export function renderError(error: UmpinError | Issue, language: ErrorLanguage): string {
  return renderIssue(error instanceof UmpinError ? error.issue : error, language);
}

export function errorBody(error: UmpinError, language: ErrorLanguage): ErrorBody {
  // absent params are left out, as JSON would leave them
  const params = Object.fromEntries(
    Object.entries(error.params).filter(([, v]) => v !== undefined),
  ) as ErrorBody['params'];
  const body: ErrorBody = { code: error.code, message: renderError(error, language), params };
  if (error.field !== undefined) body.field = error.field;
  return body;
}

/**
 * An issue from outside the process (the server's answer to the remote shell): the code is
 * known, the params are taken as they came, primitives only, so the local catalog can say it.
 */
export function issueFromWire(code: ErrorCode, field: unknown, params: unknown): Issue {
  const clean: Record<string, string | number | boolean> = {};
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    for (const [k, v] of Object.entries(params))
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') clean[k] = v;
  }
  return { code, params: clean, ...(typeof field === 'string' ? { field } : {}) } as Issue;
}

/** Throws the issues found, if any: the edge between "failures are data" and exceptions. */
export function throwIfAny(issues: readonly Issue[]): void {
  if (issues.length > 0) throw new UmpinError(issues);
}
