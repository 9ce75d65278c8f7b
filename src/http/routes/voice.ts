/**
 * The PBX endpoints: a site's own IVR (Asterisk, FreeSWITCH) asks umpin whether the PIN a
 * caller keyed is right, and lets an expired PIN be changed on the call. Every outcome of
 * a logon is a 200 — a wrong PIN is a normal answer for an IVR, not an HTTP error; a
 * calling number that is backing off gets 429 with Retry-After. Both go through the
 * toll-fraud guard the SIP endpoint shares. No response carries a PIN.
 */
import { z } from 'zod';
import { UmpinError } from '../../domain/errors.js';
import type { ChangePinResult, LogonResult } from '../../domain/logon.js';
import { changePin, verifyLogon } from '../../services/voice-logon.js';
import { apiRoute, type ApiRoute } from '../api-route.js';

const tags = ['Voice gateway'];

/** Keyed on a telephone: digits; the services check them against the policy (stable UMPIN_PIN_* codes, 422). */
const pin = (what: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .describe(`${what}: the DTMF digits the caller keyed, without the closing #`)
    .meta({ format: 'password', writeOnly: true });

const locator = {
  extension: z
    .string()
    .regex(/^[0-9]{1,20}$/)
    .optional()
    .describe('the extension the caller keyed (NumberOfDigitsInExtension digits)'),
  callerId: z
    .string()
    .regex(/^\+?[0-9]{1,32}$/)
    .optional()
    .describe(
      'the calling number (digits, optionally with a leading +). Without an extension it names the mailbox (its last N digits are an extension of an N-digit dial plan); with one, it names the caller for the toll-fraud guard',
    ),
  dialPlan: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'the UM dial plan the extension belongs to, when extensions repeat across dial plans; one umpin does not have is 404 UMPIN_IDENTITY_NOT_FOUND',
    ),
};

const oneOf = { message: 'give extension or callerId', path: ['extension'] };
const named = (b: { extension?: string | undefined; callerId?: string | undefined }) =>
  b.extension !== undefined || b.callerId !== undefined;

const Attempts = {
  failedAttempts: z
    .number()
    .int()
    .optional()
    .describe('consecutive failures counted so far (wrong, auto-reset; and on the attempt that locked the mailbox)'),
  attemptsLeft: z
    .number()
    .int()
    .nullable()
    .optional()
    .describe('failures still allowed before the mailbox locks; null when MaxLogonAttempts is Unlimited'),
};

export const VoiceLogonResult = z
  .object({
    outcome: z
      .enum(['ok', 'must-change', 'wrong', 'auto-reset', 'locked-out'])
      .describe(
        'ok: logged on. must-change: logged on, and a new PIN must be chosen now (POST /api/v1/voice/pin-changes). wrong: wrong PIN, try again. auto-reset: wrong PIN, and a new one was generated and mailed to the user. locked-out: the mailbox is locked; hang up',
      ),
    reason: z.enum(['first-time', 'expired', 'too-short']).optional().describe('with must-change: why'),
    userId: z.string().optional().describe('with ok and must-change: the primary SMTP address'),
    pinChangeAllowed: z
      .literal(false)
      .optional()
      .describe(
        "with ok, only when false: the mailbox's PinChangeAllowed (a umpin addition) is $false, so offer no PIN change (POST /api/v1/voice/pin-changes would be refused with 403 UMPIN_PIN_CHANGE_NOT_ALLOWED)",
      ),
    ...Attempts,
  })
  .meta({ id: 'VoiceLogonResult' });

export const VoicePinChangeResult = z
  .object({
    outcome: z
      .enum(['changed', 'wrong', 'auto-reset', 'locked-out'])
      .describe(
        'changed: the new PIN is in force. wrong / auto-reset / locked-out: the old PIN was wrong, counted as a failed logon',
      ),
    userId: z.string().optional(),
    ...Attempts,
  })
  .meta({ id: 'VoicePinChangeResult' });

/** The outcome without internal ids; only what an IVR needs to pick its prompt. */
function logonView(r: LogonResult): z.output<typeof VoiceLogonResult> {
  switch (r.outcome) {
    case 'ok':
      // said only when false, so the answer of every other mailbox stays as it was
      return r.pinChangeAllowed === false
        ? { outcome: r.outcome, userId: r.userId, pinChangeAllowed: false }
        : { outcome: r.outcome, userId: r.userId };
    case 'must-change':
      return { outcome: r.outcome, reason: r.reason, userId: r.userId };
    case 'wrong':
    case 'auto-reset':
      return { outcome: r.outcome, failedAttempts: r.failedAttempts, attemptsLeft: r.attemptsLeft };
    case 'locked-out':
      return r.failedAttempts === undefined
        ? { outcome: r.outcome }
        : { outcome: r.outcome, failedAttempts: r.failedAttempts };
  }
}

function changeView(r: ChangePinResult): z.output<typeof VoicePinChangeResult> {
  if (r.outcome === 'changed') return { outcome: r.outcome, userId: r.userId };
  const v = logonView(r);
  return { outcome: r.outcome, failedAttempts: v.failedAttempts, attemptsLeft: v.attemptsLeft };
}

/** A calling number backing off: 429 with Retry-After (seconds), as RFC 9110 has it. */
async function withRetryAfter<T>(
  reply: { header(name: string, value: string): unknown },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UmpinError && err.code === 'UMPIN_RATE_LIMITED')
      reply.header('retry-after', String(err.params.retryAfter ?? 60));
    throw err;
  }
}

export const VOICE_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'POST',
    url: '/api/v1/voice/logons',
    operationId: 'verifyVoiceLogon',
    summary: 'Check the PIN a caller keyed (for a PBX or IVR holding a Voice Gateway token)',
    description:
      'Every outcome is a 200: wrong PINs count towards LogonFailuresBeforePINReset (automatic reset, mailed) and MaxLogonAttempts (lock), atomically. A calling number that failed too often gets 429 with Retry-After; the gateway itself is never throttled.',
    tags,
    permission: 'voice:logon',
    operation: 'VerifyLogon',
    body: z.strictObject({ ...locator, pin: pin('Pin') }).refine(named, oneOf),
    response: VoiceLogonResult,
    handler: async ({ deps, actor, body, reply }) =>
      logonView(await withRetryAfter(reply, () => verifyLogon(deps, actor, body))),
  }),
  apiRoute({
    method: 'POST',
    url: '/api/v1/voice/pin-changes',
    operationId: 'changeVoicePin',
    summary: 'Change the PIN on the call, after a logon that said must-change (or whenever the caller chooses to)',
    description:
      "The old PIN is checked like a logon (a wrong one counts); the new one against the UM mailbox policy and the PIN history: a refused new PIN is a 422 with the rule's UMPIN_PIN_* code (field NewPin), and nothing is counted.",
    tags,
    permission: 'voice:logon',
    operation: 'ChangePIN',
    body: z
      .strictObject({
        ...locator,
        oldPin: pin('OldPin'),
        newPin: pin('NewPin'),
        confirmPin: pin('ConfirmPin: the new PIN keyed a second time').optional(),
      })
      .refine(named, oneOf),
    response: VoicePinChangeResult,
    handler: async ({ deps, actor, body, reply }) =>
      changeView(await withRetryAfter(reply, () => changePin(deps, actor, body))),
  }),
];
