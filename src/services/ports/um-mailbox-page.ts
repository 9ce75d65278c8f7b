/** The narrow read behind the list pages: one page of recipients with what a list row shows. */
import type { PinState } from '../../domain/logon.js';
import type { Page } from '../../domain/page.js';
import type { Recipient } from '../../domain/recipient.js';
import type { UmMailbox } from '../../domain/um-mailbox.js';
import type { RecipientQuery } from './recipients.js';

/** A recipient of a list page, with its UM mailbox and, when asked for, its PIN state. */
export interface MailboxPageItem {
  recipient: Recipient;
  /** null when the recipient is not UM-enabled */
  mailbox: UmMailbox | null;
  /** the PIN state without the hash (null: none); undefined when the page was read without PIN states */
  pin?: PinState | null;
}

export interface MailboxPageReads {
  /**
   * One page of a RecipientQuery (the same rows, order and cursors as listRecipients), each
   * recipient with its UM mailbox, its extensions in order, and with `pins` its PIN state: one
   * statement with every row's mailbox and PIN state joined by key, and one read of the page's
   * extensions. Policies and dial plans are the caller's to look up (the store caches them).
   */
  umMailboxPage(q: RecipientQuery, read: { pins: boolean }): Promise<Page<MailboxPageItem>>;
}
