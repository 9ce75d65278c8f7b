/** Recipients and their UM mailboxes (with extensions): one aggregate, since a mailbox never outlives its recipient. */
import type { WildcardPart } from '../../domain/opath-filter.js';
import type { Page } from '../../domain/page.js';
import type { PinRecord } from '../../domain/pin-record.js';
import type { Recipient } from '../../domain/recipient.js';
import type { UmMailbox } from '../../domain/um-mailbox.js';
import type { PinWrite } from './pins.js';

/** A recipient an identity names, with its UM mailbox and PIN state when it has them. */
export interface MailboxMatch {
  recipient: Recipient;
  mailbox: UmMailbox | null;
  pin: PinRecord | null;
}

/**
 * What a list of recipients can filter and sort on: the recipient, its UM mailbox and its PIN
 * state. Each field holds one kind of value: text (compared case-insensitively), several texts
 * (a condition holds when any of them meets it), a time (epoch ms) or a flag.
 */
export const RECIPIENT_FIELDS = {
  id: 'text',
  displayName: 'text',
  alias: 'text',
  primarySmtpAddress: 'text',
  userPrincipalName: 'text',
  language: 'text',
  createdAt: 'time',
  updatedAt: 'time',
  umEnabled: 'flag',
  /** the UM mailbox policy's name */
  umMailboxPolicy: 'text',
  /** the UM dial plan's name, and its id */
  umDialPlan: 'text',
  umDialPlanId: 'text',
  extensions: 'texts',
  /** `smtp:<address>` and, per extension, `eum:<extension>;phone-context=<dial plan>.<domain>` */
  emailAddresses: 'texts',
  sipResourceIdentifier: 'text',
  umEnabledAt: 'time',
  /** the PIN state as Get-UMMailboxPIN shows it: locked (a timed lock until its time), expired (by the flag or PINLifetime) */
  lockedOut: 'flag',
  pinExpired: 'flag',
  firstTimeUser: 'flag',
} as const;
export type RecipientField = keyof typeof RECIPIENT_FIELDS;

/** The fields a list can be sorted by (a multi-valued one by its first value). */
export const RECIPIENT_SORT_FIELDS = [
  'displayName',
  'alias',
  'primarySmtpAddress',
  'userPrincipalName',
  'id',
  'createdAt',
  'updatedAt',
  'umMailboxPolicy',
  'umDialPlan',
  'extensions',
  'sipResourceIdentifier',
  'umEnabledAt',
] as const;
export type RecipientSortField = (typeof RECIPIENT_SORT_FIELDS)[number];

/**
 * A condition on recipients, evaluated by the store in its query. Every node is true or false
 * (a missing value meets no comparison; `empty` asks for it), so `not` is plain negation.
 */
export type RecipientCondition =
  | { kind: 'and' | 'or'; operands: RecipientCondition[] }
  | { kind: 'not'; operand: RecipientCondition }
  | { kind: 'constant'; value: boolean }
  /** no value: null, or no values of a multi-valued field */
  | { kind: 'empty'; field: RecipientField }
  /** text: string; time: number; flag: boolean (flags compare with eq only) */
  | {
      kind: 'compare';
      field: RecipientField;
      operator: 'eq' | 'lt' | 'le' | 'gt' | 'ge';
      value: string | number | boolean;
    }
  | { kind: 'like'; field: RecipientField; pattern: WildcardPart[] };

export interface RecipientSort {
  field: RecipientSortField;
  descending: boolean;
}

export interface RecipientQuery {
  /** prefix of display name, alias or address */
  search?: string;
  umEnabled?: boolean;
  policyId?: string;
  filter?: RecipientCondition;
  /** the instant the filter judges states that lapse by time (a timed lock, a PIN past its PINLifetime) at, as Get-UMMailboxPIN does */
  now?: number;
  /** default: by display name */
  sort?: RecipientSort;
  cursor?: string | null;
  limit: number;
}

/** A recipient, its UM mailbox and its first PIN, written together. */
export interface NewMailbox {
  recipient: Recipient;
  mailbox: UmMailbox;
  pin: PinWrite;
}

export interface RecipientReads {
  /** Matches GUID, alias, primary SMTP address, UPN or display name, case-insensitively. */
  findRecipients(identity: string): Promise<Recipient[]>;
  /** findRecipients, each with its UM mailbox (extensions included) and PIN state, in one query. */
  findMailboxes(identity: string): Promise<MailboxMatch[]>;
  getRecipient(id: string): Promise<Recipient | null>;
  listRecipients(q: RecipientQuery): Promise<Page<Recipient>>;

  getUmMailbox(recipientId: string): Promise<UmMailbox | null>;
  /** The UM mailboxes of these recipients (those that have one), in two queries however many: a page's worth at once. */
  getUmMailboxes(recipientIds: readonly string[]): Promise<UmMailbox[]>;
  /** Recipient ids holding this extension in a dial plan: a seek of the extension's key. */
  recipientsWithExtension(extension: string, dialPlanId: string): Promise<string[]>;
}

export interface RecipientRepository extends RecipientReads {
  /**
   * Holds the row until the transaction ends, before reading it for a read-modify-write
   * (multi-valued edits): one write that changes nothing, so on PostgreSQL it takes the row
   * lock (as SELECT ... FOR UPDATE would) and on SQLite the database's write lock. A
   * concurrent edit of the same row waits, then reads this one's result; neither is lost.
   */
  lockRecipient(recipientId: string): Promise<void>;
  insertRecipient(r: Recipient): Promise<void>;
  updateRecipient(r: Recipient): Promise<void>;
  deleteRecipient(id: string): Promise<void>;

  insertUmMailbox(m: UmMailbox): Promise<void>;
  updateUmMailbox(m: UmMailbox): Promise<void>;
  /** Removes the UM mailbox, its extensions, PIN and PIN history, its queued mails, and its user's sessions and sign-in code. */
  deleteUmMailbox(recipientId: string): Promise<void>;
  /** Many new UM-enabled recipients at once, in multi-row statements (the synthetic demo's bulk load). */
  insertMailboxes(rows: readonly NewMailbox[]): Promise<void>;
}
