/**
 * The registry of umpin's stable error codes: for each code its HTTP status and the type
 * of its params. The words live apart, in one catalog per language (error-messages.ts).
 * A param never carries a PIN: checks report rules and limits, never the input.
 */

/** What a refusal is about, as the shell's CategoryInfo and the audit log tell it. */
export type ErrorCategory =
  | 'invalid' // bad input: 400, 413, 415, 422; exit 1
  | 'not-found'
  | 'conflict'
  | 'denied'
  | 'unauthenticated'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** The category follows from the status, so the two cannot disagree. */
export const CATEGORY_OF_STATUS: Readonly<Record<ErrorStatus, ErrorCategory>> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'denied',
  404: 'not-found',
  409: 'conflict',
  413: 'invalid',
  415: 'invalid',
  422: 'invalid',
  429: 'rate-limited',
  500: 'internal',
  503: 'unavailable',
};

/** The objects an identity or a name can point at; each catalog has a word for each. */
export type ObjectKind =
  | 'recipient'
  | 'mailbox'
  | 'UM mailbox'
  | 'UM dial plan'
  | 'UM mailbox policy'
  | 'API token'
  | 'administrator account'
  | 'dead letter'
  | 'object';

/** Why a request could not be read (UMPIN_REQUEST_MALFORMED). */
export type MalformedReason =
  | 'invalid-json'
  | 'empty-json'
  | 'content-length'
  | 'not-http'
  | 'url'
  | 'headers-too-large';

/** A code whose message needs nothing more. */
export type NoParams = Record<string, never>;

/**
 * The params of each code. `field?` in a params type: the message names the field, taken
 * from the params or else from the issue's own field (e.g. "MinPINLength").
 */
export interface ErrorParams {
  // PIN rules
  UMPIN_PIN_NOT_DIGITS: NoParams;
  UMPIN_PIN_TOO_SHORT: { min: number };
  UMPIN_PIN_TOO_LONG: { max: number };
  UMPIN_PIN_COMMON_PATTERN: { pattern: 'repeated' | 'ascending' | 'descending' };
  UMPIN_PIN_CONTAINS_EXTENSION: { part: 'whole' | 'suffix' };
  UMPIN_PIN_IN_HISTORY: { count: number };
  UMPIN_PIN_MISMATCH: NoParams;
  // PINComplexity Strict (a umpin addition): one code per rule, none naming any digit of the PIN
  UMPIN_PIN_KEYPAD_LINE: NoParams;
  UMPIN_PIN_REPEATED_GROUP: NoParams;
  UMPIN_PIN_FEW_DIGITS: { min: number };
  UMPIN_PIN_DIGIT_RUN: { max: number };
  UMPIN_PIN_EXTENSION_REVERSED: { part: 'whole' | 'suffix' };
  UMPIN_PIN_DATE: { kind: 'date' | 'year' };
  UMPIN_PIN_COMMON: NoParams;
  UMPIN_PIN_NEAR_PREVIOUS: NoParams;
  // PinChangeAllowed $false (a umpin addition)
  UMPIN_PIN_CHANGE_NOT_ALLOWED: NoParams;
  // PINDelivery Link (a umpin addition): the one-time link that shows a PIN
  UMPIN_PIN_LINK_NOT_FOUND: NoParams;
  UMPIN_PIN_LINK_USED: NoParams;
  UMPIN_PIN_LINK_EXPIRED: NoParams;
  UMPIN_PIN_LINK_REPLACED: NoParams;
  UMPIN_PIN_LINK_SIGN_IN_REQUIRED: NoParams;
  UMPIN_PIN_LINK_WRONG_USER: NoParams;
  // Policy and dial plan settings, and every other value a service checks
  UMPIN_VALUE_OUT_OF_RANGE: { field?: string; min: number; max: number; unlimited?: boolean };
  UMPIN_VALUE_REQUIRED: { field?: string };
  UMPIN_VALUE_TOO_LONG: { field?: string; max: number };
  UMPIN_VALUE_INVALID: { field?: string; rule: string };
  UMPIN_VALUE_UNSAFE_CHARACTER: { field?: string; character: string; kind: 'control' | 'surrogate' | 'invisible' };
  UMPIN_POLICY_RESET_NOT_BELOW_MAX: { reset: number; max: number };
  UMPIN_EXTENSION_INVALID: { digits: number; dialPlan: string };
  UMPIN_EXTENSION_IN_USE: { extension: string; dialPlan: string };
  UMPIN_EXTENSION_REQUIRED: { dialPlan: string };
  /** a dial plan's VoiceMailUri (a umpin addition); `max`: its length limit */
  UMPIN_VOICE_MAIL_URI_INVALID: { field: string; rule: 'scheme' | 'placeholder' | 'syntax' | 'length'; max: number };
  // Objects
  UMPIN_IDENTITY_NOT_FOUND: { identity: string; kind?: ObjectKind };
  UMPIN_IDENTITY_AMBIGUOUS: { identity: string; kind?: ObjectKind; count: number };
  UMPIN_NAME_IN_USE: { kind: ObjectKind; name: string };
  UMPIN_RECIPIENT_ADDRESS_IN_USE: { field: string; value: string };
  UMPIN_MAILBOX_NOT_UM_ENABLED: { identity: string };
  UMPIN_MAILBOX_ALREADY_UM_ENABLED: { identity: string };
  UMPIN_POLICY_IN_USE: { name: string; count: number };
  UMPIN_DIAL_PLAN_IN_USE: { name: string; count: number };
  UMPIN_CALLER_NOT_RECOGNIZED: NoParams;
  // Access
  UMPIN_ACCESS_DENIED: { actor: string; action: string; target?: string };
  /** Help Desk resetting or unlocking the PIN of a mailbox that belongs to an administrator (`target`: its address) */
  UMPIN_TARGET_IS_ADMINISTRATOR: { actor: string; target: string };
  UMPIN_SIGN_IN_FAILED: { method?: 'code' | 'password' };
  /** `server`: the remote shell's server that refused its token (the API itself never sets it) */
  UMPIN_AUTH_REQUIRED: { server?: string };
  UMPIN_CSRF_INVALID: NoParams;
  /** `retryAfter` in seconds; absent when the server did not say */
  UMPIN_RATE_LIMITED: { retryAfter?: number };
  UMPIN_SETUP_TOKEN_INVALID: NoParams;
  UMPIN_SETUP_DONE: NoParams;
  // CSV import
  UMPIN_CSV_INVALID: { line: number; rule: string };
  // Management shell
  UMPIN_SHELL_PARSE_ERROR: { rule: string; line: number; column: number; offset?: number; incomplete?: boolean };
  UMPIN_SHELL_UNKNOWN_COMMAND: { name: string; suggestion?: string | undefined };
  UMPIN_SHELL_UNKNOWN_PARAMETER: { cmdlet: string; name: string; suggestion?: string | undefined };
  UMPIN_SHELL_AMBIGUOUS_PARAMETER: { cmdlet: string; name: string; candidates: string };
  UMPIN_SHELL_PARAMETER_REPEATED: { cmdlet: string; field: string };
  UMPIN_SHELL_ARGUMENT_MISSING: { cmdlet: string; field: string; type: string };
  UMPIN_SHELL_ARGUMENT_INVALID: { cmdlet: string; field: string; rule: string };
  UMPIN_SHELL_POSITIONAL_UNEXPECTED: { cmdlet: string; value?: string | undefined; position: number };
  UMPIN_SHELL_PARAMETER_MISSING: { cmdlet: string; field: string };
  UMPIN_SHELL_CONFIRMATION_REQUIRED: { cmdlet: string };
  UMPIN_SHELL_CANCELLED: { done: number; total?: number };
  UMPIN_SHELL_FILE_ERROR: { operation: 'read' | 'write'; path: string; rule: string };
  UMPIN_SHELL_RUNTIME_ERROR: { rule: string };
  UMPIN_SHELL_SCRIPT_ERROR: { message: string };
  UMPIN_SHELL_VARIABLE_CONVERSION: { variable: string; type: string; value: string };
  UMPIN_SHELL_STEP_LIMIT: { limit: number };
  UMPIN_SHELL_VALIDATION_FAILED: {
    cmdlet: string;
    field: string;
    attribute: 'ValidateSet' | 'ValidatePattern' | 'ValidateRange' | 'ValidateNotNullOrEmpty';
    value?: string | undefined;
    allowed?: string | undefined;
  };
  // Infrastructure
  UMPIN_SECRET_INSECURE: { path: string };
  UMPIN_SECRET_INVALID: { source: string; rule: string };
  UMPIN_STORE_UNAVAILABLE: NoParams;
  UMPIN_CONCURRENT_CHANGE: NoParams;
  // HTTP API requests
  UMPIN_NOT_FOUND: { method: string; path: string };
  /** a request the operation's schema refuses (shape, type, unknown key): the field is its JSON path */
  UMPIN_REQUEST_INVALID: { field: string; rule: string };
  UMPIN_REQUEST_MALFORMED: { reason: MalformedReason };
  UMPIN_REQUEST_NOT_JSON: NoParams;
  UMPIN_REQUEST_TOO_LARGE: { max?: number };
  UMPIN_SERVER_UNREACHABLE: { url: string; rule: string };
  /** `serverCode`, `serverMessage`: a newer server's code that this client does not know, shown as it came */
  UMPIN_INTERNAL: { serverCode?: string; serverMessage?: string };
}

export type ErrorCode = keyof ErrorParams;

/**
 * One HTTP status per code. 400: the request does not have the operation's shape; 422: a
 * well-formed request that a rule refuses. Codes only the shell or the command line raise
 * have one too, so that every code means the same wherever it travels.
 */
export const ERROR_STATUS = {
  UMPIN_PIN_NOT_DIGITS: 422,
  UMPIN_PIN_TOO_SHORT: 422,
  UMPIN_PIN_TOO_LONG: 422,
  UMPIN_PIN_COMMON_PATTERN: 422,
  UMPIN_PIN_CONTAINS_EXTENSION: 422,
  UMPIN_PIN_IN_HISTORY: 422,
  UMPIN_PIN_MISMATCH: 422,
  UMPIN_PIN_KEYPAD_LINE: 422,
  UMPIN_PIN_REPEATED_GROUP: 422,
  UMPIN_PIN_FEW_DIGITS: 422,
  UMPIN_PIN_DIGIT_RUN: 422,
  UMPIN_PIN_EXTENSION_REVERSED: 422,
  UMPIN_PIN_DATE: 422,
  UMPIN_PIN_COMMON: 422,
  UMPIN_PIN_NEAR_PREVIOUS: 422,
  UMPIN_PIN_CHANGE_NOT_ALLOWED: 403,
  UMPIN_PIN_LINK_NOT_FOUND: 404,
  UMPIN_PIN_LINK_USED: 409,
  UMPIN_PIN_LINK_EXPIRED: 404,
  UMPIN_PIN_LINK_REPLACED: 404,
  UMPIN_PIN_LINK_SIGN_IN_REQUIRED: 403,
  UMPIN_PIN_LINK_WRONG_USER: 403,
  UMPIN_VALUE_OUT_OF_RANGE: 422,
  UMPIN_VALUE_REQUIRED: 422,
  UMPIN_VALUE_TOO_LONG: 422,
  UMPIN_VALUE_INVALID: 422,
  UMPIN_VALUE_UNSAFE_CHARACTER: 422,
  UMPIN_POLICY_RESET_NOT_BELOW_MAX: 422,
  UMPIN_EXTENSION_INVALID: 422,
  UMPIN_EXTENSION_IN_USE: 409,
  UMPIN_EXTENSION_REQUIRED: 422,
  UMPIN_VOICE_MAIL_URI_INVALID: 422,
  UMPIN_IDENTITY_NOT_FOUND: 404,
  UMPIN_IDENTITY_AMBIGUOUS: 409,
  UMPIN_NAME_IN_USE: 409,
  UMPIN_RECIPIENT_ADDRESS_IN_USE: 409,
  UMPIN_MAILBOX_NOT_UM_ENABLED: 409,
  UMPIN_MAILBOX_ALREADY_UM_ENABLED: 409,
  UMPIN_POLICY_IN_USE: 409,
  UMPIN_DIAL_PLAN_IN_USE: 409,
  UMPIN_CALLER_NOT_RECOGNIZED: 404,
  UMPIN_ACCESS_DENIED: 403,
  UMPIN_TARGET_IS_ADMINISTRATOR: 403,
  UMPIN_SIGN_IN_FAILED: 401,
  UMPIN_AUTH_REQUIRED: 401,
  UMPIN_CSRF_INVALID: 403,
  UMPIN_RATE_LIMITED: 429,
  UMPIN_SETUP_TOKEN_INVALID: 401,
  UMPIN_SETUP_DONE: 409,
  UMPIN_CSV_INVALID: 422,
  UMPIN_SHELL_PARSE_ERROR: 400,
  UMPIN_SHELL_UNKNOWN_COMMAND: 404,
  UMPIN_SHELL_UNKNOWN_PARAMETER: 400,
  UMPIN_SHELL_AMBIGUOUS_PARAMETER: 400,
  UMPIN_SHELL_PARAMETER_REPEATED: 400,
  UMPIN_SHELL_ARGUMENT_MISSING: 400,
  UMPIN_SHELL_ARGUMENT_INVALID: 400,
  UMPIN_SHELL_POSITIONAL_UNEXPECTED: 400,
  UMPIN_SHELL_PARAMETER_MISSING: 400,
  UMPIN_SHELL_CONFIRMATION_REQUIRED: 400,
  UMPIN_SHELL_CANCELLED: 400,
  UMPIN_SHELL_FILE_ERROR: 400,
  UMPIN_SHELL_RUNTIME_ERROR: 400,
  UMPIN_SHELL_SCRIPT_ERROR: 400,
  UMPIN_SHELL_VARIABLE_CONVERSION: 400,
  UMPIN_SHELL_STEP_LIMIT: 400,
  UMPIN_SHELL_VALIDATION_FAILED: 400,
  UMPIN_SECRET_INSECURE: 503,
  UMPIN_SECRET_INVALID: 503,
  UMPIN_STORE_UNAVAILABLE: 503,
  UMPIN_CONCURRENT_CHANGE: 409,
  UMPIN_NOT_FOUND: 404,
  UMPIN_REQUEST_INVALID: 400,
  UMPIN_REQUEST_MALFORMED: 400,
  UMPIN_REQUEST_NOT_JSON: 415,
  UMPIN_REQUEST_TOO_LARGE: 413,
  UMPIN_SERVER_UNREACHABLE: 503,
  UMPIN_INTERNAL: 500,
} as const satisfies Record<ErrorCode, ErrorStatus>;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as readonly ErrorCode[];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}

/** Any param value, as a reader who does not know the code sees it. */
export type ParamValue = string | number | boolean | null | undefined;
export type AnyParams = Readonly<Record<string, ParamValue>>;

type IssueOf<C extends ErrorCode> = { code: C; field?: string | undefined } & (NoParams extends ErrorParams[C]
  ? { params?: ErrorParams[C] }
  : { params: ErrorParams[C] });

/**
 * A failure as data (domain checks return these; services throw them as UmpinError).
 * The params are checked against the code by the compiler. `field` is the Exchange
 * parameter name the issue is about, e.g. "Pin", "MinPINLength".
 */
export type Issue = { [C in ErrorCode]: IssueOf<C> }[ErrorCode];
