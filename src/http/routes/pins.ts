/**
 * PINs: Get-UMMailboxPIN and Set-UMMailboxPIN. PUT .../pin (and enabling a UM mailbox
 * with a chosen PIN) are the only requests that carry a PIN; no response ever does
 * (generated PINs go by mail only).
 */
import { z } from 'zod';
import { getUMMailboxPIN, pageUMMailboxPINs } from '../../services/get-um-mailbox-pin.js';
import { setUMMailboxPIN } from '../../services/set-um-mailbox-pin.js';
import { apiRoute, type ApiRoute } from '../api-route.js';
import { IdentityParams, PageQuery, Timestamp } from '../schemas/common.js';

export const UMMailboxPIN = z
  .object({
    userId: z.string().describe('the primary SMTP address'),
    identity: z.string().describe('the recipient GUID'),
    pinExpired: z.boolean(),
    firstTimeUser: z.boolean(),
    lockedOut: z.boolean(),
    lockedUntil: Timestamp.nullable().describe('when a LockoutDuration lock lifts by itself; null = until an administrator unlocks'),
    failedAttempts: z.number().int(),
    pinSetAt: Timestamp,
    pinAgeDays: z.number(),
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

const mailOptions = {
  pinExpired: z.boolean().optional().describe('PINExpired: the user must change the PIN at next logon (default true)'),
  notifyEmail: z.string().optional().describe('NotifyEmail: send the PIN mail here instead of to the user'),
  sendEmail: z.boolean().optional().describe('SendEmail: mail the PIN (default true)'),
  whatIf: z.boolean().optional().describe('WhatIf: describe, change nothing'),
};

/** `?ignoreErrors=true|false` */
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Lock and unlock take Set-UMMailboxPIN's other parameters too, so that every parameter
 * set of the cmdlet (the remote shell's) has a request: PINExpired applies, and
 * NotifyEmail is checked and audited although no mail goes out without a new PIN.
 */
const LockOptions = z.strictObject(mailOptions).nullish();

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
    query: PageQuery.extend({ ignoreErrors: Flag.default(true).describe('IgnoreErrors: leave out (true, the default) or fail on (false) a mailbox whose PIN data cannot be read') }),
    response: z.object({
      items: z.array(UMMailboxPIN),
      next: z.string().nullable(),
      skipped: z.array(z.object({ userId: z.string(), code: z.string(), message: z.string() })).describe('mailboxes whose PIN data could not be read'),
    }),
    handler: async ({ deps, actor, query }) => pageUMMailboxPINs(deps, actor, { cursor: query.cursor ?? null, limit: query.limit, ignoreErrors: query.ignoreErrors }),
  }),
  apiRoute({
    method: 'POST',
    url: `${pinUrl}/reset`,
    operationId: 'resetUMMailboxPIN',
    summary: 'Reset the PIN to a generated one, mailed to the user; unlocks (Set-UMMailboxPIN)',
    tags,
    permission: 'pin:reset',
    operation: 'Set-UMMailboxPIN',
    params: IdentityParams,
    // the body may be left out: Fastify gives null for none
    body: z.strictObject(mailOptions).nullish(),
    response: SetPinResult,
    rateLimit: 'pin-change',
    handler: async ({ deps, actor, params, body }) => setUMMailboxPIN(deps, actor, { identity: params.identity, ...(body ?? {}) }),
  }),
  apiRoute({
    method: 'PUT',
    url: pinUrl,
    operationId: 'setUMMailboxPIN',
    summary: 'Set a chosen PIN, checked against the policy, and mail it; unlocks (Set-UMMailboxPIN -Pin)',
    tags,
    permission: 'pin:reset',
    operation: 'Set-UMMailboxPIN',
    params: IdentityParams,
    body: z.strictObject({
      pin: z.string().max(64).describe('Pin: digits only, checked against the UM mailbox policy').meta({ format: 'password', writeOnly: true }),
      ...mailOptions,
      lockedOut: z.boolean().optional().describe('LockedOut: true sets the PIN and keeps the mailbox locked (default false: setting a PIN unlocks)'),
    }),
    response: SetPinResult,
    rateLimit: 'pin-change',
    handler: async ({ deps, actor, params, body }) => setUMMailboxPIN(deps, actor, { identity: params.identity, ...body }),
  }),
  apiRoute({
    method: 'POST',
    url: `${pinUrl}/lock`,
    operationId: 'lockUMMailboxPIN',
    summary: 'Lock the mailbox out of voice access (Set-UMMailboxPIN -LockedOut $true)',
    tags,
    permission: 'pin:lock',
    operation: 'Set-UMMailboxPIN',
    params: IdentityParams,
    body: LockOptions,
    response: SetPinResult,
    handler: async ({ deps, actor, params, body }) => setUMMailboxPIN(deps, actor, { identity: params.identity, ...(body ?? {}), lockedOut: true }),
  }),
  apiRoute({
    method: 'POST',
    url: `${pinUrl}/unlock`,
    operationId: 'unlockUMMailboxPIN',
    summary: 'Unlock a locked-out mailbox, keeping its PIN (Set-UMMailboxPIN -LockedOut $false)',
    tags,
    permission: 'pin:lock',
    operation: 'Set-UMMailboxPIN',
    params: IdentityParams,
    body: LockOptions,
    response: SetPinResult,
    handler: async ({ deps, actor, params, body }) => setUMMailboxPIN(deps, actor, { identity: params.identity, ...(body ?? {}), lockedOut: false }),
  }),
];
