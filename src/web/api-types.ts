/**
 * What the API's answers and inputs look like, inferred from the server's own zod schemas:
 * type-only imports, so no server code reaches the bundle and the two cannot drift apart.
 */
import type { z } from 'zod';
import type { RoleGroup as RoleGroupSchema } from '../http/routes/actor-view.js';
import type { AdminAccount } from '../http/routes/admin-accounts.js';
import type { DialPlan, DialPlanChanges, NewDialPlanBody, NewDialPlanResult } from '../http/routes/dial-plans.js';
import type { MailboxPolicy, MailboxPolicyChanges, NewMailboxPolicyBody } from '../http/routes/mailbox-policies.js';
import type { ApiToken } from '../http/routes/api-tokens.js';
import type { AuditEntry } from '../http/routes/audit.js';
import type { DeadLetter } from '../http/routes/dead-letters.js';
import type { MailQueue } from '../http/routes/mail-queue.js';
import type {
  SetPinResult,
  SetPinsResult,
  SetUMMailboxPINBody,
  SetUMMailboxPINsBody,
  UMMailboxPIN,
} from '../http/routes/pins.js';
import type { PinLinkStatus, ShownPin } from '../http/routes/pin-links.js';
import type { RecipientListItem } from '../http/routes/recipients.js';
import type { MyUMMailbox } from '../http/routes/self-service.js';
import type { SignInResult } from '../http/routes/session.js';
import type { Recipient } from '../http/routes/recipients.js';
import type {
  EnableResult,
  EnableUMMailboxBody,
  KeptUMProperties,
  SetUMMailboxBody,
  UMMailbox,
  UMMailboxListItem,
} from '../http/routes/um-mailboxes.js';

export type PinStatus = z.output<typeof UMMailboxPIN>;
export type PinLinkStatusView = z.output<typeof PinLinkStatus>;
export type ShownPinView = z.output<typeof ShownPin>;
export type SetPinInput = z.input<typeof SetUMMailboxPINBody>;
export type SetPinOutcome = z.output<typeof SetPinResult>;
export type SetPinsInput = z.input<typeof SetUMMailboxPINsBody>;
export type SetPinsOutcome = z.output<typeof SetPinsResult>;
export type RecipientRow = z.output<typeof RecipientListItem>;
export type UmMailboxView = z.output<typeof UMMailbox>;
export type UmMailboxRow = z.output<typeof UMMailboxListItem>;
export type SignedIn = z.output<typeof SignInResult>;
export type Permission = SignedIn['actor']['permissions'][number];
export type MyUmMailboxView = z.output<typeof MyUMMailbox>;
export type AdminAccountView = z.output<typeof AdminAccount>;
export type DialPlanView = z.output<typeof DialPlan>;
export type DialPlanEdit = z.input<typeof DialPlanChanges>;
export type NewDialPlanInput = z.input<typeof NewDialPlanBody>;
export type NewDialPlanOutcome = z.output<typeof NewDialPlanResult>;
export type MailboxPolicyView = z.output<typeof MailboxPolicy>;
export type MailboxPolicyEdit = z.input<typeof MailboxPolicyChanges>;
export type NewMailboxPolicyInput = z.input<typeof NewMailboxPolicyBody>;
// the UM mailbox page and the Enable UM wizard
export type RecipientView = z.output<typeof Recipient>;
export type EnableUmInput = z.input<typeof EnableUMMailboxBody>;
export type EnableUmOutcome = z.output<typeof EnableResult>;
export type KeptUmProperties = z.output<typeof KeptUMProperties>;
export type SetUmMailboxInput = z.input<typeof SetUMMailboxBody>;
export type RoleGroupName = z.output<typeof RoleGroupSchema>;
export type AuditEntryView = z.output<typeof AuditEntry>;
export type DeadLetterView = z.output<typeof DeadLetter>;
export type MailQueueView = z.output<typeof MailQueue>;
export type ApiTokenView = z.output<typeof ApiToken>;
/** New-ApiToken's answer: the secret, in this answer only, and the token's view. */
export interface NewApiTokenOutcome {
  token: string;
  view: ApiTokenView;
}
export interface Page<T> {
  items: T[];
  next: string | null;
}
