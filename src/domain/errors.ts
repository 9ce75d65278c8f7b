/**
 * The one registry of umpin's stable error codes. The REST API, the shell, the web UI
 * and the telephone all show these codes; messages are rendered from the params, and
 * a param never carries a PIN (checks report rules and limits, never the input).
 */

export type ErrorCategory =
  | 'invalid' // bad input: 400/422, exit 1
  | 'not-found'
  | 'conflict'
  | 'denied'
  | 'unauthenticated'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

type Params = Record<string, string | number | boolean | null | undefined>;

interface CodeSpec {
  category: ErrorCategory;
  message: (p: Params) => string;
}

const spec = (category: ErrorCategory, message: (p: Params) => string): CodeSpec => ({ category, message });

export const ERROR_CODES = {
  // PIN rules
  UMPIN_PIN_NOT_DIGITS: spec('invalid', () => 'The PIN must contain only the digits 0-9.'),
  UMPIN_PIN_TOO_SHORT: spec('invalid', (p) => `The PIN must be at least ${p.min} digits long (MinPINLength of the UM mailbox policy).`),
  UMPIN_PIN_TOO_LONG: spec('invalid', (p) => `The PIN must be at most ${p.max} digits long.`),
  UMPIN_PIN_COMMON_PATTERN: spec('invalid', (p) => `The PIN must not be ${p.pattern === 'repeated' ? 'one digit repeated' : 'one run of consecutive digits, ascending or descending'} (AllowCommonPatterns is $false in the UM mailbox policy).`),
  UMPIN_PIN_CONTAINS_EXTENSION: spec('invalid', (p) => p.part === 'suffix' ? 'The PIN must not contain the last 4 digits of the user\'s extension.' : 'The PIN must not contain the user\'s extension.'),
  UMPIN_PIN_IN_HISTORY: spec('invalid', (p) => `The PIN must differ from the last ${p.count} PINs (PINHistoryCount of the UM mailbox policy).`),
  UMPIN_PIN_MISMATCH: spec('invalid', () => 'The two entries of the new PIN do not match.'),
  UMPIN_PIN_WRONG: spec('unauthenticated', () => 'The PIN is not correct.'),
  // Policy and dial plan settings
  UMPIN_VALUE_OUT_OF_RANGE: spec('invalid', (p) => `${p.field} must be ${p.unlimited ? `between ${p.min} and ${p.max}, or Unlimited` : `between ${p.min} and ${p.max}`}.`),
  UMPIN_VALUE_REQUIRED: spec('invalid', (p) => `${p.field} is required.`),
  UMPIN_VALUE_TOO_LONG: spec('invalid', (p) => `${p.field} must be at most ${p.max} characters long.`),
  UMPIN_VALUE_INVALID: spec('invalid', (p) => `${p.field} is not valid: ${p.rule}.`),
  UMPIN_POLICY_RESET_NOT_BELOW_MAX: spec('invalid', (p) => `LogonFailuresBeforePINReset (${p.reset}) must be less than MaxLogonAttempts (${p.max}), or Unlimited.`),
  UMPIN_EXTENSION_INVALID: spec('invalid', (p) => `The extension must be exactly ${p.digits} digits (NumberOfDigitsInExtension of dial plan ${p.dialPlan}).`),
  UMPIN_EXTENSION_IN_USE: spec('conflict', (p) => `Extension ${p.extension} is already assigned in dial plan ${p.dialPlan}.`),
  UMPIN_EXTENSION_REQUIRED: spec('invalid', (p) => `An extension is required: the recipient has no number that fits dial plan ${p.dialPlan}.`),
  // Objects
  UMPIN_IDENTITY_NOT_FOUND: spec('not-found', (p) => `The ${p.kind ?? 'object'} "${p.identity}" was not found.`),
  UMPIN_IDENTITY_AMBIGUOUS: spec('conflict', (p) => `The identity "${p.identity}" matches ${p.count} ${p.kind ?? 'object'}s; use a unique value such as the e-mail address or GUID.`),
  UMPIN_NAME_IN_USE: spec('conflict', (p) => `A ${p.kind} named "${p.name}" already exists.`),
  UMPIN_RECIPIENT_ADDRESS_IN_USE: spec('conflict', (p) => `${p.field} "${p.value}" is already used by another recipient.`),
  UMPIN_MAILBOX_NOT_UM_ENABLED: spec('conflict', (p) => `The mailbox "${p.identity}" is not enabled for Unified Messaging.`),
  UMPIN_MAILBOX_ALREADY_UM_ENABLED: spec('conflict', (p) => `The mailbox "${p.identity}" is already enabled for Unified Messaging.`),
  UMPIN_MAILBOX_LOCKED_OUT: spec('denied', () => 'The mailbox is locked out; an administrator must unlock it or reset its PIN.'),
  UMPIN_POLICY_IN_USE: spec('conflict', (p) => `The UM mailbox policy "${p.name}" is assigned to ${p.count} mailboxes.`),
  UMPIN_DIAL_PLAN_IN_USE: spec('conflict', (p) => `The UM dial plan "${p.name}" still has ${p.count} UM mailbox policies.`),
  UMPIN_CALLER_NOT_RECOGNIZED: spec('not-found', () => 'No UM mailbox has that extension or calling number.'),
  // Access
  UMPIN_ACCESS_DENIED: spec('denied', (p) => `${p.actor} may not run ${p.action}${p.target ? ` on ${p.target}` : ''}.`),
  UMPIN_SIGN_IN_FAILED: spec('unauthenticated', (p) => (p.method === 'code' ? 'The sign-in code is not correct, or it has expired or been used; ask for a new one.' : 'The name or password is not correct.')),
  UMPIN_AUTH_REQUIRED: spec('unauthenticated', () => 'Sign in or present an API token to use this.'),
  UMPIN_CSRF_INVALID: spec('denied', () => 'The request lacks a valid X-CSRF-Token header for this session.'),
  UMPIN_RATE_LIMITED: spec('rate-limited', (p) => `Too many attempts; try again in ${p.retryAfter} seconds.`),
  UMPIN_SETUP_TOKEN_INVALID: spec('unauthenticated', () => 'The setup token is not valid: it has expired or was already used. Restart umpin serve for a new one.'),
  UMPIN_SETUP_DONE: spec('conflict', () => 'umpin is already set up: sign in with an administrator account.'),
  // CSV import
  UMPIN_CSV_INVALID: spec('invalid', (p) => `CSV line ${p.line}: ${p.rule}.`),
  // Management shell
  UMPIN_SHELL_PARSE_ERROR: spec('invalid', (p) => `${p.rule} (line ${p.line}, column ${p.column}).`),
  UMPIN_SHELL_UNKNOWN_COMMAND: spec('not-found', (p) => `The term '${p.name}' is not recognized as a cmdlet${p.suggestion ? `; did you mean ${p.suggestion}?` : '.'}`),
  UMPIN_SHELL_UNKNOWN_PARAMETER: spec('invalid', (p) => `${p.cmdlet} has no parameter named '${p.name}'${p.suggestion ? `; did you mean -${p.suggestion}?` : '.'}`),
  UMPIN_SHELL_AMBIGUOUS_PARAMETER: spec('invalid', (p) => `Parameter '${p.name}' of ${p.cmdlet} is ambiguous: it could be ${p.candidates}.`),
  UMPIN_SHELL_PARAMETER_REPEATED: spec('invalid', (p) => `Parameter -${p.field} of ${p.cmdlet} is given more than once.`),
  UMPIN_SHELL_ARGUMENT_MISSING: spec('invalid', (p) => `Parameter -${p.field} of ${p.cmdlet} needs a value of type ${p.type}.`),
  UMPIN_SHELL_ARGUMENT_INVALID: spec('invalid', (p) => `Cannot bind parameter -${p.field} of ${p.cmdlet}: ${p.rule}.`),
  UMPIN_SHELL_POSITIONAL_UNEXPECTED: spec('invalid', (p) => `${p.cmdlet} takes no positional argument ${p.value ? `'${p.value}' ` : ''}at position ${p.position}.`),
  UMPIN_SHELL_PARAMETER_MISSING: spec('invalid', (p) => `${p.cmdlet} needs -${p.field}.`),
  UMPIN_SHELL_CONFIRMATION_REQUIRED: spec('invalid', (p) => `${p.cmdlet} asks for confirmation, and none can be given here; add -Confirm:$false to go ahead.`),
  UMPIN_SHELL_CANCELLED: spec('invalid', (p) => `Stopped by the user after ${p.done} of ${p.total ?? 'the'} objects.`),
  UMPIN_SHELL_FILE_ERROR: spec('invalid', (p) => `Cannot ${p.operation} the file ${p.path}: ${p.rule}.`),
  UMPIN_SHELL_RUNTIME_ERROR: spec('invalid', (p) => `${p.rule}.`),
  // Infrastructure
  UMPIN_SECRET_INSECURE: spec('unavailable', (p) => `The secret key file ${p.path} must be readable by its owner only (chmod 600).`),
  UMPIN_SECRET_INVALID: spec('unavailable', (p) => `The server secret from ${p.source} is not valid: ${p.rule}.`),
  UMPIN_STORE_UNAVAILABLE: spec('unavailable', () => 'The database cannot be reached.'),
  UMPIN_CONCURRENT_CHANGE: spec('conflict', () => 'The object was changed by another request at the same time; try again.'),
  // HTTP API requests
  UMPIN_NOT_FOUND: spec('not-found', (p) => `No API operation answers ${p.method} ${p.path}.`),
  UMPIN_REQUEST_MALFORMED: spec('invalid', (p) => `The request cannot be read: ${p.rule}.`),
  UMPIN_REQUEST_TOO_LARGE: spec('invalid', (p) => `The request body is larger than ${p.max} bytes.`),
  UMPIN_SERVER_UNREACHABLE: spec('unavailable', (p) => `The umpin server at ${p.url} cannot be used: ${p.rule}.`),
  UMPIN_INTERNAL: spec('internal', () => 'An internal error occurred.'),
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A failure as data (domain checks return these; services throw them as UmpinError). */
export interface Issue {
  code: ErrorCode;
  /** The Exchange parameter name the issue is about, e.g. "Pin", "MinPINLength". */
  field?: string;
  params?: Params;
}

export function messageFor(issue: Issue): string {
  return ERROR_CODES[issue.code].message({ field: issue.field, ...issue.params });
}

export class UmpinError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly params: Params;
  readonly category: ErrorCategory;
  readonly issues: readonly Issue[];

  /** `message` replaces the code's template: the remote shell shows the server's own text. */
  constructor(issueOrIssues: Issue | readonly Issue[], options?: { cause?: unknown; message?: string }) {
    const issues = Array.isArray(issueOrIssues) ? (issueOrIssues as readonly Issue[]) : [issueOrIssues as Issue];
    const first = issues[0] ?? { code: 'UMPIN_INTERNAL' as const };
    super(options?.message ?? messageFor(first), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UmpinError';
    this.code = first.code;
    this.field = first.field;
    this.params = first.params ?? {};
    this.category = ERROR_CODES[first.code].category;
    this.issues = issues;
  }

  toJSON(): { code: ErrorCode; message: string; field?: string } {
    return this.field ? { code: this.code, message: this.message, field: this.field } : { code: this.code, message: this.message };
  }
}

/** Throws the issues found, if any: the edge between "failures are data" and exceptions. */
export function throwIfAny(issues: readonly Issue[]): void {
  if (issues.length > 0) throw new UmpinError(issues);
}
