/**
 * PINs: Get-UMMailboxPIN and Set-UMMailboxPIN. POST .../pin (and enabling a UM mailbox
 * with a chosen PIN) are the only requests that carry a PIN; no response ever does
 * (generated PINs go by mail only).
 */
import { z } from 'zod';
import { getUMMailboxPIN, pageUMMailboxPINs } from '../../services/get-um-mailbox-pin.js';
import { errorBody, UmpinError } from '../../domain/errors.js';
import { setUMMailboxPIN, type SetUMMailboxPINInput } from '../../services/set-um-mailbox-pin.js';
import { MAX_BULK_IDENTITIES, setUMMailboxPINs } from '../../services/set-um-mailbox-pins.js';
import { languageFromAcceptLanguage } from '../accept-language.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { ErrorBody, IdentityParams, PageQuery, Timestamp } from '../schemas/common.js';

export const UMMailboxPIN = z
  .object({
    userId: z.string().describe('the primary SMTP address'),
    identity: z.string().describe('the recipient GUID'),
    pinExpired: z.boolean(),
    firstTimeUser: z.boolean(),
    lockedOut: z.boolean(),
    lockedUntil: Timestamp.nullable().describe(
      'when a LockoutDuration lock lifts by itself; null = until an administrator unlocks',
    ),
    failedAttempts: z.number().int(),
    pinSetAt: Timestamp,
    pinAgeDays: z.number(),
    lastFailureAt: Timestamp.nullable().describe('when the last failed logon was counted; null when none was'),
    lastFailureCaller: z
      .string()
      .nullable()
      .describe('the calling number of the last failed logon, where the voice gateway gave one'),
    lockCount: z
      .number()
      .int()
      .describe(
        'locks in a row, each within a day of the one before (ProgressiveLockout doubles the next); 0 once a day has passed',
      ),
    pinChangeAllowed: z
      .boolean()
      .describe("PinChangeAllowed (Set-UMMailbox): false, the user can't change or reset the PIN and isn't made to"),
  })
  .meta({ id: 'UMMailboxPIN' });

export const SetPinResult = z
  .object({
    userId: z.string(),
    pinChanged: z.boolean(),
    lockedOut: z.boolean(),
    pinExpired: z.boolean(),
    mailTo: z.string().nullable().describe('where the PIN mail goes; null when none is sent'),
    whatIf: z.string().nullable().describe('with whatIf: what would have been done'),
  })
  .meta({ id: 'SetUMMailboxPINResult' });

/** `?ignoreErrors=true|false` */
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Set-UMMailboxPIN's input as the service takes it, less the identity (in the path): the
 * same object the shell and the web send, whichever parameter set it is (LockedOut alone,
 * a typed Pin, or neither for a generated PIN). Which permission that set needs is the
 * service's decision.
 */
export const SetUMMailboxPINBody = z
  .strictObject({
    pin: z
      .string()
      .max(64)
      .optional()
      .describe('Pin: digits only, checked against the UM mailbox policy; left out, a PIN is generated and mailed')
      .meta({ format: 'password', writeOnly: true }),
    pinExpired: z
      .boolean()
      .optional()
      .describe('PINExpired: the user must change the PIN at next logon (default true for a new PIN)'),
    lockedOut: z
      .boolean()
      .optional()
      .describe(
        'LockedOut: without pin, true locks and false unlocks, keeping the PIN (no mail); with a new PIN, true keeps the mailbox locked (default: a new PIN unlocks)',
      ),
    notifyEmail: z.string().optional().describe('NotifyEmail: send the PIN mail here instead of to the user'),
    sendEmail: z.boolean().optional().describe('SendEmail: mail the new PIN (default true)'),
    whatIf: z.boolean().optional().describe('WhatIf: describe, change nothing'),
  })
  .meta({ id: 'SetUMMailboxPINInput' });

/** The body and the service input cannot drift apart: this fails to compile unless they are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const bodyIsTheServiceInput: Same<z.infer<typeof SetUMMailboxPINBody>, Omit<SetUMMailboxPINInput, 'identity'>> = true;
void bodyIsTheServiceInput;

/** Set-UMMailboxPIN for many mailboxes: a reset to generated PINs, or (lockedOut false) an unlock of each. */
export const SetUMMailboxPINsBody = z
  .strictObject({
    identities: z
      .array(z.string().min(1).max(320))
      .min(1)
      .max(MAX_BULK_IDENTITIES)
      .describe(`Identity of each UM mailbox (address, alias or GUID), at most ${MAX_BULK_IDENTITIES}`),
    lockedOut: z.literal(false).optional().describe('LockedOut $false: unlock each, keeping its PIN (no mail)'),
    pinExpired: z
      .boolean()
      .optional()
      .describe('PINExpired, with a reset: change the PIN at next logon (default true)'),
    sendEmail: z.boolean().optional().describe('SendEmail, with a reset: mail each new PIN (default true)'),
  })
  .meta({ id: 'SetUMMailboxPINsInput' });

export const SetPinsResult = z
  .object({
    items: z.array(
      z.union([
        z.object({
          identity: z.string(),
          ok: z.literal(true),
          userId: z.string(),
          mailTo: z.string().nullable().describe('where the PIN mail goes; null for an unlock'),
        }),
        z.object({
          identity: z.string(),
          ok: z.literal(false),
          code: z.string(),
          field: z.string().optional(),
          params: ErrorBody.shape.params,
          message: z.string(),
        }),
      ]),
    ),
  })
  .meta({ id: 'SetUMMailboxPINsResult' });

const tags = ['PINs'];
const pinUrl = '/api/v1/um-mailboxes/:identity/pin';

export const PIN_ROUTES: ApiRoute[] = [
  apiRoute({
    method: 'GET',
    url: pinUrl,
    operationId: 'getUMMailboxPIN',
    summary: "A UM mailbox's PIN status, never the PIN (Get-UMMailboxPIN -Identity)",
    tags,
    permission: 'pin:read',
    operation: 'Get-UMMailboxPIN',
    params: IdentityParams,
    response: UMMailboxPIN,
    handler: async ({ deps, actor, params }) => getUMMailboxPIN(deps, actor, params.identity),
  }),
  apiRoute({
    method: 'GET',
    url: '/api/v1/pins',
    operationId: 'listUMMailboxPINs',
    summary: 'PIN status of every UM mailbox, a page at a time (Get-UMMailboxPIN)',
    tags,
    permission: 'pin:read',
    operation: 'Get-UMMailboxPIN',
    query: PageQuery.extend({
      ignoreErrors: Flag.default(true).describe(
        'IgnoreErrors: leave out (true, the default) or fail on (false) a mailbox whose PIN data cannot be read',
      ),
    }),
    response: z.object({
      items: z.array(UMMailboxPIN),
      next: z.string().nullable(),
      skipped: z
        .array(
          z.object({
            userId: z.string(),
            code: z.string(),
            field: z.string().optional(),
            params: ErrorBody.shape.params,
            message: z.string(),
          }),
        )
        .describe('mailboxes whose PIN data could not be read'),
    }),
    handler: async ({ deps, actor, query }) =>
      pageUMMailboxPINs(deps, actor, {
        cursor: query.cursor ?? null,
        limit: query.limit,
        ignoreErrors: query.ignoreErrors,
      }),
  }),
  apiRoute({
    method: 'POST',
    url: pinUrl,
    operationId: 'setUMMailboxPIN',
    summary:
      'Set-UMMailboxPIN: lock or unlock (lockedOut alone), set a typed PIN (pin), or reset to a generated PIN (neither); a new PIN is mailed',
    tags,
    // whoever may see PIN state gets to the service, which decides between pin:reset and
    // pin:lock from the parameter set, as it does for the shell
    permission: 'pin:read',
    operation: 'Set-UMMailboxPIN',
    params: IdentityParams,
    // the body may be left out (a generated PIN with every default): Fastify gives null for none
    body: SetUMMailboxPINBody.nullish(),
    response: SetPinResult,
    rateLimit: 'pin-change',
    handler: async ({ deps, actor, params, body }) =>
      setUMMailboxPIN(deps, actor, { ...(body ?? {}), identity: params.identity }),
  }),
  apiRoute({
    method: 'POST',
    url: '/api/v1/pins',
    operationId: 'setUMMailboxPINs',
    summary:
      'Set-UMMailboxPIN for up to 100 mailboxes: each reset to a generated PIN and mailed, or (lockedOut false) unlocked; an outcome for each, in order',
    tags,
    permission: 'pin:read',
    operation: 'Set-UMMailboxPIN',
    body: SetUMMailboxPINsBody,
    response: SetPinsResult,
    // one request of a hundred costs the server what a hundred single resets do, but it is one
    // administrator's one action: counted once, as a shell pipeline is not counted at all
    rateLimit: 'pin-change',
    handler: async ({ deps, actor, body, request }) => {
      const language = languageFromAcceptLanguage(request.headers['accept-language']);
      const r = await setUMMailboxPINs(deps, actor, body);
      return {
        items: r.items.map((i) =>
          i.ok ? i : { identity: i.identity, ok: false as const, ...errorBody(new UmpinError(i.issue), language) },
        ),
      };
    },
  }),
];
