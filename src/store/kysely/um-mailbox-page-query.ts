/**
 * A list page in one read: the page of recipients (recipient-queries' page query, its order,
 * limit and cursors unchanged) with each row's UM mailbox and PIN state joined by primary key,
 * reading only the columns a list shows (not the PIN hash, not the search keys). The
 * extensions are a column of the UM mailbox's row (migration 0021); before, they were a second
 * statement of 101 seeks of their own index, about a quarter of the page's time at 1,000,000
 * mailboxes.
 */
import { AliasNode, IdentifierNode } from 'kysely';
import type { Page } from '../../domain/page.js';
import type { EngineAdapter } from './engine-adapter.js';
import type { RecipientQuery } from '../../services/ports/recipients.js';
import type { MailboxPageItem, MailboxPageReads } from '../../services/ports/um-mailbox-page.js';
import { PIN_STATE_JOIN, recipientListPage, type PageWidening, type RecipientPageRow } from './recipient-queries.js';
import { pinStateOf, pinViewColumns, type PinViewRow } from './pin-view-row.js';
import { mailboxOfRow, toRecipient } from './recipients.js';
import { Rows } from './rows.js';

type PageQuery = Parameters<PageWidening<unknown>['widen']>[0];

/**
 * Whether the page already joins each row's PIN state (recipient-queries' `ps`: the flag a
 * filter requires, LockedOut, FirstTimeUser, PinExpired), at its own level: the page then reads
 * that row's columns rather than seek the same row again, one seek a row fewer.
 */
function joinsPinState(page: PageQuery): boolean {
  return (page.toOperationNode().joins ?? []).some(
    (j) => AliasNode.is(j.table) && IdentifierNode.is(j.table.alias) && j.table.alias.name === PIN_STATE_JOIN,
  );
}

/** The page's own query, widened by the UM mailbox of each row (and its PIN state with `pins`). */
export function withMailboxes(page: PageQuery, pins: boolean, engine: EngineAdapter) {
  const q = page
    .leftJoin('um_mailbox as page_mailbox', 'page_mailbox.recipient_id', 'recipient.id')
    .select([
      engine.sql.guidColumn('page_mailbox.policy_id', 'mailbox_policy_id'),
      engine.sql.guidColumn('page_mailbox.dial_plan_id', 'mailbox_dial_plan_id'),
      'page_mailbox.extensions as mailbox_extensions',
      'page_mailbox.sip_resource_identifier as mailbox_sip_resource_identifier',
      'page_mailbox.enabled_at as mailbox_enabled_at',
      'page_mailbox.subscriber_access_enabled as mailbox_subscriber_access_enabled',
      'page_mailbox.pinless_access_enabled as mailbox_pinless_access_enabled',
      'page_mailbox.operator_number as mailbox_operator_number',
      'page_mailbox.pin_change_allowed as mailbox_pin_change_allowed',
    ]);
  if (!pins) return q;
  if (joinsPinState(page)) return q.select(pinViewColumns(PIN_STATE_JOIN));
  return q
    .leftJoin('pin_state as page_pin', 'page_pin.recipient_id', 'recipient.id')
    .select(pinViewColumns('page_pin'));
}

type Num = number | string | null;

/** A row of the widened page; the PIN columns are absent when the page was read without PIN states. */
export type MailboxPageRow = RecipientPageRow & {
  mailbox_policy_id: string | null;
  mailbox_dial_plan_id: string | null;
  mailbox_extensions: string | null;
  mailbox_sip_resource_identifier: string | null;
  mailbox_enabled_at: Num;
  mailbox_subscriber_access_enabled: Num;
  mailbox_pinless_access_enabled: Num;
  mailbox_operator_number: string | null;
  mailbox_pin_change_allowed: Num;
} & PinViewRow;

export function toItem(r: MailboxPageRow, pins: boolean): MailboxPageItem {
  const item: MailboxPageItem = {
    recipient: toRecipient(r),
    mailbox: mailboxOfRow(r),
  };
  if (pins) item.pin = pinStateOf(r);
  return item;
}

const widening = (pins: boolean): PageWidening<MailboxPageRow> => ({
  name: pins ? 'um-mailbox-page+pins' : 'um-mailbox-page',
  widen: (page, engine) =>
    withMailboxes(page, pins, engine) as unknown as ReturnType<PageWidening<MailboxPageRow>['widen']>,
});
const WITH_PINS = widening(true);
const WITHOUT_PINS = widening(false);

export class MailboxPageReadRows extends Rows implements MailboxPageReads {
  async umMailboxPage(q: RecipientQuery, read: { pins: boolean }): Promise<Page<MailboxPageItem>> {
    const { rows, next } = await recipientListPage<MailboxPageRow>(
      this.db,
      this.adapter,
      q,
      read.pins ? WITH_PINS : WITHOUT_PINS,
    );
    const items = new Array<MailboxPageItem>(rows.length);
    for (let i = 0; i < rows.length; i++) items[i] = toItem(rows[i]!, read.pins);
    return { items, next };
  }
}
