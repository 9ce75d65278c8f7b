/**
 * Get-UMMailboxPIN and Set-UMMailboxPIN as Exchange documents them. A PIN goes from the
 * command line to the service and nowhere else: these cmdlets never emit, warn or echo it.
 */
import type { UMMailboxPINView } from '../../../services/get-um-mailbox-pin.js';
import type { SetUMMailboxPINInput } from '../../../services/set-um-mailbox-pin.js';
import { issueFromWire, renderError, UmpinError } from '../../../domain/errors.js';
import type { CmdletDefinition } from '../../cmdlet.js';
import { psObject, type PSObject } from '../../ps-object.js';
import { flag, text } from './bound-values.js';
import {
  CREDENTIAL,
  DOMAIN_CONTROLLER,
  IGNORE_DEFAULT_SCOPE,
  READ_FROM_DOMAIN_CONTROLLER,
} from './directory-only-parameters.js';
import { identityParameter, UM_MAILBOX_IDENTITY_HELP } from './identity-parameter.js';
import { resultSizeOf, warnTruncated } from './result-size.js';

export const UM_MAILBOX_PIN_TYPE = 'UMMailboxPin';

/** Exchange's UMMailboxPin object, with umpin's extra facts after Exchange's own. */
export function umMailboxPinObject(v: UMMailboxPINView): PSObject {
  return psObject(UM_MAILBOX_PIN_TYPE, {
    UserID: v.userId,
    PinExpired: v.pinExpired,
    FirstTimeUser: v.firstTimeUser,
    LockedOut: v.lockedOut,
    // umpin: wrong PINs in a row, when a timed lock lifts, when the PIN was set and its age in
    // days, when the last wrong PIN was counted and the calling number it came from
    FailedLogonAttempts: v.failedAttempts,
    LockedUntil: v.lockedUntil === null ? null : new Date(v.lockedUntil),
    // umpin: locks in a row within a day of each other (ProgressiveLockout doubles the next)
    LockCount: v.lockCount,
    PinSetTime: new Date(v.pinSetAt),
    PinAge: v.pinAgeDays,
    LastFailureTime: v.lastFailureAt === null ? null : new Date(v.lastFailureAt),
    LastFailureCallerId: v.lastFailureCaller,
    // umpin: whether the user may change the PIN (Set-UMMailbox -PinChangeAllowed)
    PinChangeAllowed: v.pinChangeAllowed,
    Identity: v.identity,
    IsValid: true,
    ObjectState: 'Unchanged',
  });
}

const getUMMailboxPIN: CmdletDefinition = {
  name: 'Get-UMMailboxPIN',
  synopsis: 'Shows the PIN status of UM-enabled mailboxes: expired, first-time user, locked out.',
  description:
    "Get-UMMailboxPIN reports what is known about each UM-enabled mailbox's PIN, computed from the protected PIN data: whether the PIN has expired, whether the user has yet to log on for the first time, and whether the mailbox is locked out. The PIN itself is never shown; umpin stores only a salted hash of it. Without -Identity it lists every UM-enabled mailbox, up to -ResultSize. umpin adds FailedLogonAttempts, LockedUntil, LockCount (locks in a row, each within a day of the one before), PinSetTime, PinAge (days), LastFailureTime, LastFailureCallerId (the calling number of the last wrong PIN, where the gateway gave one) and PinChangeAllowed (Set-UMMailbox) to each object; Format-List shows them.",
  parameters: [
    identityParameter(false, `${UM_MAILBOX_IDENTITY_HELP} Omit it to list every UM-enabled mailbox.`),
    {
      name: 'ResultSize',
      type: 'unlimited',
      help: 'The most mailboxes to list when -Identity is not given: a number, or Unlimited for all. The default is 1000.',
    },
    {
      name: 'IgnoreErrors',
      type: 'switch',
      help: 'Turns errors into warnings: a mailbox whose PIN data cannot be read is named in a warning and left out, and the listing goes on.',
    },
  ],
  ignoredParameters: [CREDENTIAL, DOMAIN_CONTROLLER, IGNORE_DEFAULT_SCOPE, READ_FROM_DOMAIN_CONTROLLER],
  examples: [
    { code: 'Get-UMMailboxPIN', description: 'Lists the PIN status of every UM-enabled mailbox.', source: 'microsoft' },
    {
      code: 'Get-UMMailboxPIN -Identity tonysmith@contoso.com',
      description: "Shows the PIN status of Tony Smith's mailbox.",
      source: 'microsoft',
    },
    {
      code: 'Get-UMMailboxPIN | Where-Object LockedOut -eq $true',
      description: 'Lists the mailboxes that are locked out, for example after too many wrong PINs.',
      source: 'umpin',
      setup: 'Set-UMMailboxPIN -Identity kimakers -LockedOut $true',
    },
    {
      code: 'Get-UMMailboxPIN -Identity tonysmith | Format-List',
      description:
        'Shows every PIN fact umpin has for Tony Smith, including failed logon attempts and the age of the PIN in days.',
      source: 'umpin',
    },
    {
      code: 'Get-UMMailboxPIN -ResultSize Unlimited | Where-Object PinExpired -eq $true | Select-Object UserID,PinAge',
      description: 'Lists, across the whole organisation, the users who must choose a new PIN at their next logon.',
      source: 'umpin',
    },
  ],
  outputs: [
    {
      typeName: UM_MAILBOX_PIN_TYPE,
      view: { kind: 'table', properties: ['UserID', 'PinExpired', 'FirstTimeUser', 'LockedOut'] },
    },
  ],
  async process(ctx, params) {
    const ignoreErrors = flag(params, 'IgnoreErrors') === true;
    const identity = text(params, 'Identity');
    if (identity !== undefined) {
      try {
        ctx.emit(umMailboxPinObject(await ctx.ops.getUMMailboxPIN(identity)));
      } catch (err) {
        if (!ignoreErrors || !(err instanceof UmpinError)) throw err;
        ctx.warn(`${identity}: ${renderError(err, ctx.language)} (${err.code})`);
      }
      return;
    }
    const size = resultSizeOf(params);
    let emitted = 0;
    let cursor: string | null = null;
    do {
      if (ctx.signal.aborted) return;
      const page = await ctx.ops.pageUMMailboxPINs({ cursor, limit: Math.min(500, size - emitted), ignoreErrors });
      for (const s of page.skipped)
        ctx.warn(`${s.userId}: ${renderError(issueFromWire(s.code, s.field, s.params), ctx.language)} (${s.code})`);
      for (const v of page.items) {
        if (emitted >= size) break;
        ctx.emit(umMailboxPinObject(v));
        emitted++;
      }
      cursor = page.next;
    } while (cursor && emitted < size);
    if (cursor && emitted >= size) warnTruncated(ctx, params, size);
  },
};

const setUMMailboxPIN: CmdletDefinition = {
  name: 'Set-UMMailboxPIN',
  synopsis: 'Resets, sets, locks or unlocks the voice-mail PIN of a UM-enabled mailbox.',
  description:
    "Set-UMMailboxPIN gives a UM-enabled mailbox a new PIN, typed with -Pin or, without it, generated at random to fit the user's UM mailbox policy, and e-mails it to the user (or to -NotifyEmail). A typed PIN must satisfy the policy: length, common patterns, history, and never the user's extension. By default the user must change the new PIN at the next logon and the mailbox is unlocked. -LockedOut without -Pin only locks or unlocks: no new PIN, no e-mail. Like Exchange, it writes nothing to the pipeline.",
  parameters: [
    identityParameter(true, UM_MAILBOX_IDENTITY_HELP),
    {
      name: 'Pin',
      type: 'string',
      help: "The new PIN, digits only, checked against the user's UM mailbox policy. Omit it to have umpin generate one that fits the policy and e-mail it.",
    },
    {
      name: 'PINExpired',
      type: 'bool',
      help: '$true (the default) makes the user choose a new PIN at the next logon; $false lets the new PIN stand.',
    },
    {
      name: 'LockedOut',
      type: 'bool',
      help: '$true locks the mailbox out of voice access; $false unlocks it. A PIN reset unlocks unless this is $true. Given without -Pin, only the lock changes.',
    },
    {
      name: 'NotifyEmail',
      type: 'string',
      help: "Sends the PIN e-mail to this address instead of the user's own, for example to the help desk.",
    },
    {
      name: 'SendEmail',
      type: 'bool',
      help: '$false sends no PIN e-mail. The default is $true. Without -Pin, nobody then learns the generated PIN.',
    },
  ],
  ignoredParameters: [DOMAIN_CONTROLLER, IGNORE_DEFAULT_SCOPE],
  examples: [
    {
      code: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com',
      description:
        "Resets Tony Smith's PIN to a generated one, e-mails it to him, and unlocks his mailbox; he must change the PIN at his next logon.",
      source: 'microsoft',
    },
    {
      code: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -PIN 1985848 -PinExpired $true',
      description:
        "Sets Tony Smith's PIN to 1985848 and marks it expired, so he must choose his own at the next logon.",
      source: 'microsoft',
    },
    {
      code: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -LockedOut $true',
      description: "Locks Tony Smith's mailbox so nobody can log on to his voice mail; his PIN is unchanged.",
      source: 'microsoft',
    },
    {
      code: 'Set-UMMailboxPIN -Identity tonysmith@contoso.com -LockedOut $false',
      description: "Unlocks Tony Smith's mailbox and lets him log on again with his current PIN.",
      source: 'microsoft',
    },
    {
      code: 'Get-UMMailboxPIN | Where-Object LockedOut -eq $true | Set-UMMailboxPIN -LockedOut $false',
      description: "Unlocks every locked-out mailbox at once, keeping each user's PIN.",
      source: 'umpin',
      setup: 'Set-UMMailboxPIN -Identity kimakers -LockedOut $true\nSet-UMMailboxPIN -Identity junliu -LockedOut $true',
    },
    {
      code: 'Set-UMMailboxPIN -Identity tonysmith -NotifyEmail helpdesk@contoso.com',
      description:
        "Resets Tony Smith's PIN and sends the e-mail with the new PIN to the help desk, which passes it on.",
      source: 'umpin',
    },
    {
      code: 'Get-UMMailbox -Filter "UMMailboxPolicy -eq \'Contoso Default Policy\'" | Set-UMMailboxPIN',
      description:
        'Resets the PIN of every mailbox under the Contoso Default Policy, for example after a suspected leak; each user gets a new PIN by e-mail.',
      source: 'umpin',
    },
  ],
  confirmImpact: 'medium',
  async process(ctx, params) {
    const identity = String(params.Identity ?? '');
    if (!(await ctx.shouldProcess(identity, 'Set-UMMailboxPIN'))) return;
    const input: SetUMMailboxPINInput = { identity };
    const pin = text(params, 'Pin');
    if (pin !== undefined) input.pin = pin;
    const pinExpired = flag(params, 'PINExpired');
    if (pinExpired !== undefined) input.pinExpired = pinExpired;
    const lockedOut = flag(params, 'LockedOut');
    if (lockedOut !== undefined) input.lockedOut = lockedOut;
    const notifyEmail = text(params, 'NotifyEmail');
    if (notifyEmail !== undefined) input.notifyEmail = notifyEmail;
    const sendEmail = flag(params, 'SendEmail');
    if (sendEmail !== undefined) input.sendEmail = sendEmail;

    const result = await ctx.ops.setUMMailboxPIN(input);
    if (!result.pinChanged && (notifyEmail !== undefined || sendEmail !== undefined)) {
      ctx.warn(
        `Only the lock of ${result.userId} changed: without -Pin, -LockedOut sets no new PIN, so no PIN e-mail was sent.`,
      );
    }
    if (result.pinChanged && pin === undefined && result.mailTo === null) {
      ctx.warn(
        `The PIN of ${result.userId} was reset to a generated PIN that was e-mailed to nobody (SendEmail $false). Reset it again with -Pin, or with e-mail, before the user can log on.`,
      );
    }
  },
};

export const UM_MAILBOX_PIN_CMDLETS: readonly CmdletDefinition[] = [getUMMailboxPIN, setUMMailboxPIN];
