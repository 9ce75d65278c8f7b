/**
 * The registry keeps itself whole: every code has a status, a message in each language and
 * an entry in docs/errors.md, and every message renders from sample params without a hole.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORY_OF_STATUS, ERROR_CODES, ERROR_STATUS, type ErrorParams, type Issue } from './error-codes.js';
import { ERROR_LANGUAGES, errorLanguageOf } from './error-messages.js';
import { en } from './error-messages-en.js';
import { zhTW } from './error-messages-zh-tw.js';
import { renderError, UmpinError } from './errors.js';

/** Params for every code, each optional param present: a code added without a sample fails to compile. */
const SAMPLES: { [C in keyof ErrorParams]-?: Required<ErrorParams[C]> } = {
  UMPIN_PIN_NOT_DIGITS: {},
  UMPIN_PIN_TOO_SHORT: { min: 6 },
  UMPIN_PIN_TOO_LONG: { max: 24 },
  UMPIN_PIN_COMMON_PATTERN: { pattern: 'ascending' },
  UMPIN_PIN_CONTAINS_EXTENSION: { part: 'suffix' },
  UMPIN_PIN_IN_HISTORY: { count: 5 },
  UMPIN_PIN_MISMATCH: {},
  UMPIN_PIN_KEYPAD_LINE: {},
  UMPIN_PIN_REPEATED_GROUP: {},
  UMPIN_PIN_FEW_DIGITS: { min: 3 },
  UMPIN_PIN_DIGIT_RUN: { max: 2 },
  UMPIN_PIN_EXTENSION_REVERSED: { part: 'whole' },
  UMPIN_PIN_DATE: { kind: 'date' },
  UMPIN_PIN_COMMON: {},
  UMPIN_PIN_NEAR_PREVIOUS: {},
  UMPIN_PIN_CHANGE_NOT_ALLOWED: {},
  UMPIN_PIN_LINK_NOT_FOUND: {},
  UMPIN_PIN_LINK_USED: {},
  UMPIN_PIN_LINK_EXPIRED: {},
  UMPIN_PIN_LINK_REPLACED: {},
  UMPIN_PIN_LINK_SIGN_IN_REQUIRED: {},
  UMPIN_PIN_LINK_WRONG_USER: {},
  UMPIN_VALUE_OUT_OF_RANGE: { field: 'PINLifetime', min: 1, max: 999, unlimited: true },
  UMPIN_VALUE_REQUIRED: { field: 'Name' },
  UMPIN_VALUE_TOO_LONG: { field: 'Name', max: 64 },
  UMPIN_VALUE_INVALID: { field: 'Language', rule: 'it must be a language tag such as en-US or zh-TW' },
  UMPIN_VALUE_UNSAFE_CHARACTER: { field: 'DisplayName', character: 'U+001B', kind: 'control' },
  UMPIN_POLICY_RESET_NOT_BELOW_MAX: { reset: 15, max: 15 },
  UMPIN_EXTENSION_INVALID: { digits: 5, dialPlan: 'Contoso' },
  UMPIN_EXTENSION_IN_USE: { extension: '10231', dialPlan: 'Contoso' },
  UMPIN_EXTENSION_REQUIRED: { dialPlan: 'Contoso' },
  UMPIN_VOICE_MAIL_URI_INVALID: { field: 'VoiceMailUri', rule: 'placeholder', max: 256 },
  UMPIN_IDENTITY_NOT_FOUND: { identity: 'nobody@contoso.com', kind: 'UM dial plan' },
  UMPIN_IDENTITY_AMBIGUOUS: { identity: 'Tony', kind: 'recipient', count: 2 },
  UMPIN_NAME_IN_USE: { kind: 'UM mailbox policy', name: 'Contoso Default Policy' },
  UMPIN_RECIPIENT_ADDRESS_IN_USE: { field: 'PrimarySmtpAddress', value: 'tonysmith@contoso.com' },
  UMPIN_MAILBOX_NOT_UM_ENABLED: { identity: 'kim@contoso.com' },
  UMPIN_MAILBOX_ALREADY_UM_ENABLED: { identity: 'tonysmith@contoso.com' },
  UMPIN_POLICY_IN_USE: { name: 'Contoso Default Policy', count: 3 },
  UMPIN_DIAL_PLAN_IN_USE: { name: 'Contoso', count: 1 },
  UMPIN_CALLER_NOT_RECOGNIZED: {},
  UMPIN_ACCESS_DENIED: { actor: 'token:helpdesk', action: 'Set-UMMailboxPolicy', target: 'Contoso Default Policy' },
  UMPIN_TARGET_IS_ADMINISTRATOR: { actor: 'token:helpdesk', target: 'tonysmith@contoso.com' },
  UMPIN_SIGN_IN_FAILED: { method: 'code' },
  UMPIN_AUTH_REQUIRED: { server: 'https://umpin.contoso.com' },
  UMPIN_CSRF_INVALID: {},
  UMPIN_RATE_LIMITED: { retryAfter: 30 },
  UMPIN_SETUP_TOKEN_INVALID: {},
  UMPIN_SETUP_DONE: {},
  UMPIN_CSV_INVALID: { line: 3, rule: 'the file is not valid CSV' },
  UMPIN_SHELL_PARSE_ERROR: { rule: "Unexpected token ')'", line: 1, column: 6, offset: 5, incomplete: false },
  UMPIN_SHELL_UNKNOWN_COMMAND: { name: 'Get-UMMailboxPn', suggestion: 'Get-UMMailboxPIN' },
  UMPIN_SHELL_UNKNOWN_PARAMETER: { cmdlet: 'Set-UMMailboxPIN', name: 'Pn', suggestion: 'Pin' },
  UMPIN_SHELL_AMBIGUOUS_PARAMETER: { cmdlet: 'Set-UMMailboxPIN', name: 'P', candidates: '-Pin, -PinExpired' },
  UMPIN_SHELL_PARAMETER_REPEATED: { cmdlet: 'Get-UMMailbox', field: 'Identity' },
  UMPIN_SHELL_ARGUMENT_MISSING: { cmdlet: 'Get-UMMailbox', field: 'Identity', type: 'String' },
  UMPIN_SHELL_ARGUMENT_INVALID: { cmdlet: 'Import-Csv', field: 'Delimiter', rule: 'it must be one character' },
  UMPIN_SHELL_POSITIONAL_UNEXPECTED: { cmdlet: 'Get-UMDialPlan', value: 'extra', position: 2 },
  UMPIN_SHELL_PARAMETER_MISSING: { cmdlet: 'Where-Object', field: 'FilterScript' },
  UMPIN_SHELL_CONFIRMATION_REQUIRED: { cmdlet: 'Remove-UMDialPlan' },
  UMPIN_SHELL_CANCELLED: { done: 3, total: 10 },
  UMPIN_SHELL_FILE_ERROR: { operation: 'read', path: 'users.csv', rule: 'it does not exist' },
  UMPIN_SHELL_RUNTIME_ERROR: { rule: 'Cannot add a string to a number' },
  UMPIN_SHELL_SCRIPT_ERROR: { message: 'tonysmith has no UM mailbox' },
  UMPIN_SHELL_VARIABLE_CONVERSION: { variable: 'count', type: 'int', value: 'abc' },
  UMPIN_SHELL_STEP_LIMIT: { limit: 20_000_000 },
  UMPIN_SHELL_VALIDATION_FAILED: {
    cmdlet: 'Reset-Pins',
    field: 'Mode',
    attribute: 'ValidateSet',
    value: 'all',
    allowed: 'Locked, Expired',
  },
  UMPIN_SECRET_INSECURE: { path: '/var/lib/umpin/secret.key' },
  UMPIN_SECRET_INVALID: { source: 'UMPIN_SECRET', rule: 'expected 32 bytes as base64 or hex' },
  UMPIN_STORE_UNAVAILABLE: {},
  UMPIN_CONCURRENT_CHANGE: {},
  UMPIN_NOT_FOUND: { method: 'GET', path: '/api/v1/nothing' },
  UMPIN_REQUEST_INVALID: { field: 'limit', rule: 'too big: expected number to be <=1000' },
  UMPIN_REQUEST_MALFORMED: { reason: 'empty-json' },
  UMPIN_REQUEST_NOT_JSON: {},
  UMPIN_REQUEST_TOO_LARGE: { max: 65536 },
  UMPIN_SERVER_UNREACHABLE: { url: 'https://umpin.contoso.com', rule: 'the connection was refused (ECONNREFUSED)' },
  UMPIN_INTERNAL: { serverCode: 'UMPIN_FROM_THE_FUTURE', serverMessage: 'Something newer.' },
};

const CATALOGS = { en, 'zh-TW': zhTW } as const;
const issue = (code: keyof ErrorParams, params: object): Issue => ({ code, params }) as Issue;

describe('the error registry', () => {
  it('gives every code an HTTP status, and a category from it', () => {
    for (const code of ERROR_CODES) {
      expect(CATEGORY_OF_STATUS[ERROR_STATUS[code]], code).toBeDefined();
      expect(new UmpinError(issue(code, SAMPLES[code])).status, code).toBe(ERROR_STATUS[code]);
    }
  });

  it('has a message for every code in every language, and no message for a code it does not know', () => {
    expect(Object.keys(CATALOGS).sort()).toEqual([...ERROR_LANGUAGES].sort());
    for (const language of ERROR_LANGUAGES)
      expect(Object.keys(CATALOGS[language]).sort(), language).toEqual([...ERROR_CODES].sort());
  });

  it('documents every code in docs/errors.md with its status, and documents no other', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const headings = [...doc.matchAll(/^### (UMPIN_[A-Z_]+)\s*$/gm)].map((m) => m[1]);
    expect([...headings].sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      const section = doc.slice(doc.indexOf(`### ${code}\n`)).split(/\n### /)[0]!;
      expect(section, code).toMatch(new RegExp(`HTTP ${ERROR_STATUS[code]}\\b`));
    }
  });

  it('has no code that nothing raises', () => {
    const root = new URL('../', import.meta.url);
    const files = (readdirSync(root, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !/^domain[\\/]error/.test(f),
    );
    const text = files.map((f) => readFileSync(new URL(f, root), 'utf8')).join('\n');
    expect(ERROR_CODES.filter((code) => !new RegExp(`'${code}'`).test(text))).toEqual([]);
  });

  it('renders every code in every language from sample params, with no hole left', () => {
    for (const language of ERROR_LANGUAGES) {
      for (const code of ERROR_CODES) {
        // every optional param present, then only the required ones
        const required = Object.fromEntries(
          Object.entries(SAMPLES[code]).filter(([k]) => !OPTIONAL.has(`${code}.${k}`)),
        );
        for (const params of [SAMPLES[code], required]) {
          const text = renderError({ ...issue(code, params), field: 'Identity' } as Issue, language);
          expect(text, `${code} ${language}`).not.toMatch(/undefined|null|NaN|\$\{|\[object /);
          expect(text.trim(), `${code} ${language}`).not.toBe('');
        }
      }
    }
  });

  it('words Traditional Chinese as Exchange does in Taiwan, keeping parameter names as typed', () => {
    const zh = (code: keyof ErrorParams) => renderError(issue(code, SAMPLES[code]), 'zh-TW');
    expect(zh('UMPIN_PIN_IN_HISTORY')).toBe('PIN 碼必須與最近 5 個 PIN 碼都不同（UM 信箱原則的 PINHistoryCount）。');
    expect(zh('UMPIN_MAILBOX_NOT_UM_ENABLED')).toBe('信箱「kim@contoso.com」未啟用整合通訊。');
    expect(zh('UMPIN_EXTENSION_IN_USE')).toContain('UM 撥號對應表「Contoso」');
    expect(zh('UMPIN_NAME_IN_USE')).toBe('已有名為「Contoso Default Policy」的 UM 信箱原則。');
    expect(zh('UMPIN_IDENTITY_AMBIGUOUS')).toContain('2 個收件者');
  });

  it("checks each code's params at compile time", () => {
    const made = [
      new UmpinError({ code: 'UMPIN_PIN_TOO_SHORT', params: { min: 6 } }),
      // @ts-expect-error min is required
      new UmpinError({ code: 'UMPIN_PIN_TOO_SHORT', params: {} }),
      // @ts-expect-error min is a number
      new UmpinError({ code: 'UMPIN_PIN_TOO_SHORT', params: { min: '6' } }),
      // @ts-expect-error a code without params takes none
      new UmpinError({ code: 'UMPIN_PIN_NOT_DIGITS', params: { pin: '1234' } }),
    ];
    expect(made.map((e) => e.code)).toEqual([
      'UMPIN_PIN_TOO_SHORT',
      'UMPIN_PIN_TOO_SHORT',
      'UMPIN_PIN_TOO_SHORT',
      'UMPIN_PIN_NOT_DIGITS',
    ]);
  });

  it('keeps UmpinError.message English, for logs', () => {
    expect(new UmpinError({ code: 'UMPIN_PIN_TOO_SHORT', field: 'Pin', params: { min: 6 } }).message).toBe(
      'The PIN must be at least 6 digits long (MinPINLength of the UM mailbox policy).',
    );
  });

  it('maps language tags and POSIX locales to a catalog', () => {
    for (const tag of ['zh-TW', 'zh_TW.UTF-8', 'zh-Hant', 'zh-Hant-TW', 'zh-HK', 'zh_HK.Big5'])
      expect(errorLanguageOf(tag), tag).toBe('zh-TW');
    for (const tag of ['en', 'en-US', 'en_GB.UTF-8']) expect(errorLanguageOf(tag), tag).toBe('en');
    for (const tag of ['C', 'C.UTF-8', 'POSIX', 'fr-FR', 'zh-CN', 'zh-Hans-TW', 'zh', '', undefined])
      expect(errorLanguageOf(tag), String(tag)).toBeNull();
  });
});

/** The params a raise site may leave out (optional in ErrorParams). */
const OPTIONAL = new Set([
  'UMPIN_VALUE_OUT_OF_RANGE.unlimited',
  'UMPIN_IDENTITY_NOT_FOUND.kind',
  'UMPIN_IDENTITY_AMBIGUOUS.kind',
  'UMPIN_ACCESS_DENIED.target',
  'UMPIN_SIGN_IN_FAILED.method',
  'UMPIN_AUTH_REQUIRED.server',
  'UMPIN_RATE_LIMITED.retryAfter',
  'UMPIN_SHELL_PARSE_ERROR.offset',
  'UMPIN_SHELL_PARSE_ERROR.incomplete',
  'UMPIN_SHELL_UNKNOWN_COMMAND.suggestion',
  'UMPIN_SHELL_UNKNOWN_PARAMETER.suggestion',
  'UMPIN_SHELL_POSITIONAL_UNEXPECTED.value',
  'UMPIN_SHELL_CANCELLED.total',
  'UMPIN_REQUEST_TOO_LARGE.max',
  'UMPIN_INTERNAL.serverCode',
  'UMPIN_INTERNAL.serverMessage',
]);
