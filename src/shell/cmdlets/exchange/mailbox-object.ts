/**
 * A recipient as Exchange's Get-Mailbox shows it: names, addresses (the primary SMTP
 * address and, for a UM-enabled mailbox, an EUM address per extension), UMEnabled and
 * the language. umpin keeps one name per mailbox, so Name and DisplayName are the same.
 */
import { UmpinError } from '../../../domain/errors.js';
import type { UMMailboxView } from '../../../services/um-mailboxes.js';
import type { Recipient } from '../../../domain/recipient.js';
import type { CmdletContext } from '../../cmdlet.js';
import { psObject, type PSObject } from '../../ps-object.js';
import { eumAddresses } from '../../../domain/proxy-addresses.js';

export const MAILBOX_TYPE_NAME = 'Mailbox';

/** um: the recipient's UM mailbox (a list item's umMailbox, or Get-UMMailbox's view), null when not UM-enabled. */
export function mailboxObject(r: Recipient, um: Pick<UMMailboxView, 'extensions' | 'umDialPlan'> | null): PSObject {
  const eum = um ? eumAddresses(um.extensions, um.umDialPlan, r.primarySmtpAddress) : [];
  return psObject(MAILBOX_TYPE_NAME, {
    Name: r.displayName,
    Alias: r.alias,
    DisplayName: r.displayName,
    PrimarySmtpAddress: r.primarySmtpAddress,
    UserPrincipalName: r.userPrincipalName,
    EmailAddresses: [`SMTP:${r.primarySmtpAddress}`, ...eum],
    UMEnabled: um !== null,
    Languages: r.language ? [r.language] : [],
    RecipientTypeDetails: 'UserMailbox',
    // the address, not the GUID: readable in -WhatIf and in the audit log, and unique
    Identity: r.primarySmtpAddress,
    Guid: r.id,
    WhenCreated: new Date(r.createdAt),
    WhenChanged: new Date(r.updatedAt),
  });
}

/** The recipient's UM mailbox, or null when it is not UM-enabled (or outside the caller's dial plans). */
export async function umMailboxOf(ctx: CmdletContext, recipientId: string): Promise<UMMailboxView | null> {
  try {
    return await ctx.ops.getUMMailbox(recipientId);
  } catch (err) {
    if (
      err instanceof UmpinError &&
      (err.code === 'UMPIN_MAILBOX_NOT_UM_ENABLED' || err.code === 'UMPIN_ACCESS_DENIED')
    )
      return null;
    throw err;
  }
}
