/** English error messages: the words of logs, and of every client that asks for no other language. */
import type { ErrorCatalog, KindWords } from './error-catalog.js';

const KIND: KindWords = {
  recipient: 'recipient',
  mailbox: 'mailbox',
  'UM mailbox': 'UM mailbox',
  'UM dial plan': 'UM dial plan',
  'UM mailbox policy': 'UM mailbox policy',
  'API token': 'API token',
  'administrator account': 'administrator account',
  'dead letter': 'dead letter',
  object: 'object',
};

const MALFORMED = {
  'invalid-json': 'the body is not valid JSON',
  'empty-json': 'the body is empty, yet Content-Type says JSON',
  'content-length': 'Content-Length does not match the body',
  'not-http': 'the request is not well-formed HTTP for this operation',
  url: 'the URL is not valid (a % not followed by two hexadecimal digits, or an invalid character)',
  'headers-too-large': 'its headers are too large',
} as const;

export const en: ErrorCatalog = {
  // PIN rules
  UMPIN_PIN_NOT_DIGITS: () => 'The PIN must contain only the digits 0-9.',
  UMPIN_PIN_TOO_SHORT: (p) => `The PIN must be at least ${p.min} digits long (MinPINLength of the UM mailbox policy).`,
  UMPIN_PIN_TOO_LONG: (p) => `The PIN must be at most ${p.max} digits long.`,
  UMPIN_PIN_COMMON_PATTERN: (p) =>
    `The PIN must not be ${p.pattern === 'repeated' ? 'one digit repeated' : 'one run of consecutive digits, ascending or descending'} (AllowCommonPatterns is $false in the UM mailbox policy).`,
  UMPIN_PIN_CONTAINS_EXTENSION: (p) =>
    p.part === 'suffix'
      ? "The PIN must not contain the last 4 digits of the user's extension."
      : "The PIN must not contain the user's extension.",
  UMPIN_PIN_IN_HISTORY: (p) =>
    `The PIN must differ from the last ${p.count} PINs (PINHistoryCount of the UM mailbox policy).`,
  UMPIN_PIN_MISMATCH: () => 'The two entries of the new PIN do not match.',
  UMPIN_PIN_KEYPAD_LINE: () =>
    'The PIN must not be keys in one straight line on the telephone keypad: a row, a column or a diagonal, in either direction (PINComplexity is Strict in the UM mailbox policy).',
  UMPIN_PIN_REPEATED_GROUP: () =>
    'The PIN must not be a group of digits repeated (PINComplexity is Strict in the UM mailbox policy).',
  UMPIN_PIN_FEW_DIGITS: (p) =>
    `The PIN must use at least ${p.min} different digits (PINComplexity is Strict in the UM mailbox policy).`,
  UMPIN_PIN_DIGIT_RUN: (p) =>
    `The PIN must not have the same digit more than ${p.max} times in a row (PINComplexity is Strict in the UM mailbox policy).`,
  UMPIN_PIN_EXTENSION_REVERSED: (p) =>
    p.part === 'suffix'
      ? "The PIN must not contain the last 4 digits of the user's extension reversed (PINComplexity is Strict in the UM mailbox policy)."
      : "The PIN must not contain the user's extension reversed (PINComplexity is Strict in the UM mailbox policy).",
  UMPIN_PIN_DATE: (p) =>
    `The PIN must not be ${p.kind === 'year' ? 'a year (19xx or 20xx)' : 'a date (day and month, with or without the year)'} (PINComplexity is Strict in the UM mailbox policy).`,
  UMPIN_PIN_COMMON: () =>
    'The PIN is one of the most commonly chosen PINs (PINComplexity is Strict in the UM mailbox policy).',
  UMPIN_PIN_NEAR_PREVIOUS: () =>
    'The new PIN must not be the previous PIN plus or minus one (PINComplexity is Strict in the UM mailbox policy).',
  UMPIN_PIN_CHANGE_NOT_ALLOWED: () =>
    'The PIN of this mailbox cannot be changed by its user (PinChangeAllowed is $false); ask an administrator to reset it.',
  UMPIN_PIN_LINK_NOT_FOUND: () =>
    'This PIN link is not valid: check that the whole link was opened, or ask for a new PIN on the self-service page.',
  UMPIN_PIN_LINK_USED: () =>
    'This PIN link has already been used: it shows the PIN only once. If you did not see the PIN, ask for a new one on the self-service page.',
  UMPIN_PIN_LINK_EXPIRED: () =>
    'This PIN link has expired without being used. Ask for a new PIN on the self-service page.',
  UMPIN_PIN_LINK_REPLACED: () =>
    'This PIN link no longer works: the PIN was reset again, and only the newest link shows it. Use the link in the newest mail, or ask for a new PIN on the self-service page.',
  UMPIN_PIN_LINK_SIGN_IN_REQUIRED: () =>
    'Sign in to the self-service page first (PINLinkRequiresSignIn is $true in the UM mailbox policy), then open the link again.',
  UMPIN_PIN_LINK_WRONG_USER: () =>
    'This PIN link belongs to another mailbox than the one signed in: sign out, and sign in as the user the mail was sent to.',
  // Policy and dial plan settings
  UMPIN_VALUE_OUT_OF_RANGE: (p) =>
    `${p.field} must be between ${p.min} and ${p.max}${p.unlimited ? ', or Unlimited' : ''}.`,
  UMPIN_VALUE_REQUIRED: (p) => `${p.field} is required.`,
  UMPIN_VALUE_TOO_LONG: (p) => `${p.field} must be at most ${p.max} characters long.`,
  UMPIN_VALUE_INVALID: (p) => `${p.field} is not valid: ${p.rule}.`,
  UMPIN_VALUE_UNSAFE_CHARACTER: (p) =>
    `${p.field} must not contain ${
      p.kind === 'control'
        ? 'control characters'
        : p.kind === 'surrogate'
          ? 'a lone UTF-16 surrogate (half of a character)'
          : 'characters that reorder or hide text, such as bidi overrides and zero-width spaces'
    } (${p.character} found).`,
  UMPIN_POLICY_RESET_NOT_BELOW_MAX: (p) =>
    `LogonFailuresBeforePINReset (${p.reset}) must be less than MaxLogonAttempts (${p.max}), or Unlimited.`,
  UMPIN_EXTENSION_INVALID: (p) =>
    `The extension must be exactly ${p.digits} digits (NumberOfDigitsInExtension of dial plan ${p.dialPlan}).`,
  UMPIN_EXTENSION_IN_USE: (p) => `Extension ${p.extension} is already assigned in dial plan ${p.dialPlan}.`,
  UMPIN_EXTENSION_REQUIRED: (p) =>
    `An extension is required: the recipient has no number that fits dial plan ${p.dialPlan}.`,
  UMPIN_VOICE_MAIL_URI_INVALID: (p) =>
    `${p.field} is not valid: ${
      {
        scheme: 'it must begin with sip: or sips:',
        placeholder: 'it must contain {extension} exactly once, in the part before @, and no other braces',
        syntax: 'it must be a SIP URI such as sip:{extension}@pbx.contoso.com or sip:*97{extension}@10.0.0.5:5060',
        length: `it must be at most ${p.max} characters long`,
      }[p.rule]
    }.`,
  // Objects
  UMPIN_IDENTITY_NOT_FOUND: (p) => `The ${KIND[p.kind ?? 'object']} "${p.identity}" was not found.`,
  UMPIN_IDENTITY_AMBIGUOUS: (p) =>
    `The identity "${p.identity}" matches ${p.count} ${KIND[p.kind ?? 'object']}s; use a unique value such as the e-mail address or GUID.`,
  UMPIN_NAME_IN_USE: (p) => `A ${KIND[p.kind]} named "${p.name}" already exists.`,
  UMPIN_RECIPIENT_ADDRESS_IN_USE: (p) => `${p.field} "${p.value}" is already used by another recipient.`,
  UMPIN_MAILBOX_NOT_UM_ENABLED: (p) => `The mailbox "${p.identity}" is not enabled for Unified Messaging.`,
  UMPIN_MAILBOX_ALREADY_UM_ENABLED: (p) => `The mailbox "${p.identity}" is already enabled for Unified Messaging.`,
  UMPIN_POLICY_IN_USE: (p) => `The UM mailbox policy "${p.name}" is assigned to ${p.count} mailboxes.`,
  UMPIN_DIAL_PLAN_IN_USE: (p) => `The UM dial plan "${p.name}" still has ${p.count} UM mailbox policies.`,
  UMPIN_CALLER_NOT_RECOGNIZED: () => 'No UM mailbox has that extension or calling number.',
  // Access
  UMPIN_ACCESS_DENIED: (p) => `${p.actor} may not run ${p.action}${p.target ? ` on ${p.target}` : ''}.`,
  UMPIN_TARGET_IS_ADMINISTRATOR: (p) =>
    `${p.actor} may not reset or unlock the PIN of ${p.target}: it belongs to an administrator. Ask Organization Management or UM Management.`,
  UMPIN_SIGN_IN_FAILED: (p) =>
    p.method === 'code'
      ? 'The sign-in code is not correct, or it has expired or been used; ask for a new one.'
      : 'The name or password is not correct.',
  UMPIN_AUTH_REQUIRED: (p) =>
    p.server
      ? `The umpin server at ${p.server} does not accept the API token (UMPIN_TOKEN): it is unknown or was revoked.`
      : 'Sign in or present an API token to use this.',
  UMPIN_CSRF_INVALID: () => 'The request lacks a valid X-CSRF-Token header for this session.',
  UMPIN_RATE_LIMITED: (p) =>
    `Too many attempts; try again ${p.retryAfter === undefined ? 'later' : `in ${p.retryAfter} seconds`}.`,
  UMPIN_SETUP_TOKEN_INVALID: () =>
    'The setup token is not valid: it has expired or was already used. Restart umpin serve for a new one.',
  UMPIN_SETUP_DONE: () => 'umpin is already set up: sign in with an administrator account.',
  // CSV import
  UMPIN_CSV_INVALID: (p) => `CSV line ${p.line}: ${p.rule}.`,
  // Management shell
  UMPIN_SHELL_PARSE_ERROR: (p) => `${p.rule} (line ${p.line}, column ${p.column}).`,
  UMPIN_SHELL_UNKNOWN_COMMAND: (p) =>
    `The term '${p.name}' is not recognized as a cmdlet${p.suggestion ? `; did you mean ${p.suggestion}?` : '.'}`,
  UMPIN_SHELL_UNKNOWN_PARAMETER: (p) =>
    `${p.cmdlet} has no parameter named '${p.name}'${p.suggestion ? `; did you mean -${p.suggestion}?` : '.'}`,
  UMPIN_SHELL_AMBIGUOUS_PARAMETER: (p) =>
    `Parameter '${p.name}' of ${p.cmdlet} is ambiguous: it could be ${p.candidates}.`,
  UMPIN_SHELL_PARAMETER_REPEATED: (p) => `Parameter -${p.field} of ${p.cmdlet} is given more than once.`,
  UMPIN_SHELL_ARGUMENT_MISSING: (p) => `Parameter -${p.field} of ${p.cmdlet} needs a value of type ${p.type}.`,
  UMPIN_SHELL_ARGUMENT_INVALID: (p) => `Cannot bind parameter -${p.field} of ${p.cmdlet}: ${p.rule}.`,
  UMPIN_SHELL_POSITIONAL_UNEXPECTED: (p) =>
    `${p.cmdlet} takes no positional argument ${p.value ? `'${p.value}' ` : ''}at position ${p.position}.`,
  UMPIN_SHELL_PARAMETER_MISSING: (p) => `${p.cmdlet} needs -${p.field}.`,
  UMPIN_SHELL_CONFIRMATION_REQUIRED: (p) =>
    `${p.cmdlet} asks for confirmation, and none can be given here; add -Confirm:$false to go ahead.`,
  UMPIN_SHELL_CANCELLED: (p) => `Stopped by the user after ${p.done} of ${p.total ?? 'the'} objects.`,
  UMPIN_SHELL_FILE_ERROR: (p) => `Cannot ${p.operation} the file ${p.path}: ${p.rule}.`,
  UMPIN_SHELL_RUNTIME_ERROR: (p) => `${p.rule}.`,
  UMPIN_SHELL_SCRIPT_ERROR: (p) => p.message,
  UMPIN_SHELL_VARIABLE_CONVERSION: (p) =>
    `Cannot convert value "${p.value}" to type [${p.type}] of the variable $${p.variable}.`,
  UMPIN_SHELL_STEP_LIMIT: (p) =>
    `The script was stopped after ${p.limit} steps (statements and loop passes): a loop that never ends, such as while ($true) { }, is the usual cause.`,
  UMPIN_SHELL_VALIDATION_FAILED: (p) => {
    const head = `Cannot validate argument on parameter '${p.field}' of ${p.cmdlet}.`;
    switch (p.attribute) {
      case 'ValidateSet':
        return `${head} The argument "${p.value}" does not belong to the set "${p.allowed}" specified by the ValidateSet attribute.`;
      case 'ValidatePattern':
        return `${head} The argument "${p.value}" does not match the "${p.allowed}" pattern.`;
      case 'ValidateRange':
        return `${head} The argument "${p.value}" is outside the range ${p.allowed}.`;
      default:
        return `${head} The argument is null or empty.`;
    }
  },
  // Infrastructure
  UMPIN_SECRET_INSECURE: (p) => `The secret key file ${p.path} must be readable by its owner only (chmod 600).`,
  UMPIN_SECRET_INVALID: (p) => `The server secret from ${p.source} is not valid: ${p.rule}.`,
  UMPIN_STORE_UNAVAILABLE: () => 'The database cannot be reached.',
  UMPIN_CONCURRENT_CHANGE: () => 'The object was changed by another request at the same time; try again.',
  // HTTP API requests
  UMPIN_NOT_FOUND: (p) => `No API operation answers ${p.method} ${p.path}.`,
  UMPIN_REQUEST_INVALID: (p) => `${p.field} is not valid: ${p.rule}.`,
  UMPIN_REQUEST_MALFORMED: (p) => `The request cannot be read: ${MALFORMED[p.reason]}.`,
  UMPIN_REQUEST_NOT_JSON: () => 'The request cannot be read: the body must be JSON (Content-Type: application/json).',
  UMPIN_REQUEST_TOO_LARGE: (p) => `The request body is larger than ${p.max ?? 'the allowed number of'} bytes.`,
  UMPIN_SERVER_UNREACHABLE: (p) => `The umpin server at ${p.url} cannot be used: ${p.rule}.`,
  UMPIN_INTERNAL: (p) =>
    p.serverCode ? `${p.serverMessage ?? 'The server failed'} (${p.serverCode})` : 'An internal error occurred.',
};
