import { checkExtension, type DialPlan } from '../domain/dial-plan.js';
import { throwIfAny, UmpinError, type Issue } from '../domain/errors.js';
import { keptPropertiesOf, restoreUmProperties } from '../domain/kept-um-properties.js';
import { isLockedOut, isPinExpired } from '../domain/logon.js';
import { applyMultiValuedEdit, mapMultiValuedEdit, type MultiValuedEdit } from '../domain/multi-valued.js';
import type { MailboxPolicy, PinDelivery } from '../domain/policy.js';
import type { Page } from '../domain/page.js';
import type { RecipientCondition } from './ports/recipients.js';
import type { StoreReads, StoreTx } from './ports/store.js';
import {
  isOperatorNumber,
  OPERATOR_NUMBER_MAX_DIGITS,
  UM_MAILBOX_VOICE_DEFAULTS,
  type UmMailbox,
} from '../domain/um-mailbox.js';
import type { Actor } from './actor.js';
import { auditRefusal, mutate } from './audit.js';
import { mailLanguage, outboxMessage, payloadFor } from './outbox.js';
import { pinForMail } from './pin-links.js';
import { authorize, mayUse } from './permissions.js';
import { checkChosenPin, newRandomPin } from './pin-secrets.js';
import type { Deps } from './ports/deps.js';
import { recipientFilter, recipientSort, UM_MAILBOX_CATALOG } from './recipient-properties.js';
import {
  notFound,
  pagePoliciesAndDialPlans,
  resolveMailbox,
  resolvePolicy,
  resolveRecipient,
  type ResolvedMailbox,
} from './resolve.js';
import { inScope, isScoped, scopeCondition } from './scope.js';
import { checkNotifyEmail } from './set-um-mailbox-pin.js';

/** What Get-UMMailbox shows. */
export interface UMMailboxView {
  identity: string;
  displayName: string;
  alias: string;
  primarySmtpAddress: string;
  extensions: string[];
  umMailboxPolicy: string;
  umDialPlan: string;
  sipResourceIdentifier: string | null;
  umEnabled: true;
  enabledAt: number;
  subscriberAccessEnabled: boolean;
  pinlessAccessToVoiceMailEnabled: boolean;
  operatorNumber: string | null;
  /** PinChangeAllowed (a umpin addition): $false, only an administrator sets the PIN */
  pinChangeAllowed: boolean;
}

export function mailboxView(m: ResolvedMailbox): UMMailboxView {
  return {
    identity: m.recipient.id,
    displayName: m.recipient.displayName,
    alias: m.recipient.alias,
    primarySmtpAddress: m.recipient.primarySmtpAddress,
    extensions: m.mailbox.extensions,
    umMailboxPolicy: m.policy.name,
    umDialPlan: m.dialPlan.name,
    sipResourceIdentifier: m.mailbox.sipResourceIdentifier,
    umEnabled: true,
    enabledAt: m.mailbox.enabledAt,
    subscriberAccessEnabled: m.mailbox.subscriberAccessEnabled,
    pinlessAccessToVoiceMailEnabled: m.mailbox.pinlessAccessEnabled,
    operatorNumber: m.mailbox.operatorNumber,
    pinChangeAllowed: m.mailbox.pinChangeAllowed,
  };
}

async function checkExtensions(
  reads: StoreReads,
  dp: DialPlan,
  extensions: string[],
  recipientId: string,
): Promise<void> {
  if (extensions.length === 0)
    throw new UmpinError({ code: 'UMPIN_EXTENSION_REQUIRED', field: 'Extensions', params: { dialPlan: dp.name } });
  const issues: Issue[] = extensions.flatMap((e) => checkExtension(e, dp.numberOfDigitsInExtension, dp.name));
  if (new Set(extensions).size !== extensions.length)
    issues.push({
      code: 'UMPIN_VALUE_INVALID',
      field: 'Extensions',
      params: { field: 'Extensions', rule: 'an extension is listed twice' },
    });
  throwIfAny(issues.slice(0, 1));
  for (const e of extensions) {
    const owners = await reads.recipientsWithExtension(e, dp.id);
    if (owners.some((o) => o !== recipientId))
      throw new UmpinError({
        code: 'UMPIN_EXTENSION_IN_USE',
        field: 'Extensions',
        params: { extension: e, dialPlan: dp.name },
      });
  }
}

export interface EnableUMMailboxInput {
  identity: string;
  umMailboxPolicy: string;
  extensions?: string[];
  pin?: string;
  /** default $true: the user must change the PIN at first logon */
  pinExpired?: boolean;
  notifyEmail?: string;
  sipResourceIdentifier?: string;
  /** check everything, change nothing */
  validateOnly?: boolean;
}

export interface EnableUMMailboxResult extends UMMailboxView {
  validateOnly: boolean;
  mailTo: string | null;
}

export async function enableUMMailbox(
  deps: Deps,
  actor: Actor,
  input: EnableUMMailboxInput,
): Promise<EnableUMMailboxResult> {
  const parameters = {
    Identity: input.identity,
    UMMailboxPolicy: input.umMailboxPolicy,
    Extensions: input.extensions,
    Pin: input.pin,
    PINExpired: input.pinExpired,
    NotifyEmail: input.notifyEmail,
    SIPResourceIdentifier: input.sipResourceIdentifier,
    ValidateOnly: input.validateOnly,
  };
  // the properties taken from those a Disable-UMMailbox -KeepProperties kept, for the audit entry
  let restored: string[] = [];
  const rec = () => ({
    action: 'Enable-UMMailbox',
    target: input.identity ?? null,
    parameters: restored.length > 0 ? { ...parameters, RestoredProperties: restored } : parameters,
  });
  // Checks and hashing happen before the transaction: the KDF never holds a database lock.
  const prepared = await auditRefusal(deps, actor, rec(), async () => {
    const recipient = await resolveRecipient(deps.store, input.identity, 'Identity', { actor, orNotUmEnabled: true });
    const policy = await resolvePolicy(deps.store, input.umMailboxPolicy, 'UMMailboxPolicy', { actor });
    const dialPlan = (await deps.store.getDialPlan(policy.dialPlanId))!;
    authorize(actor, 'mailbox:write', 'Enable-UMMailbox', {
      dialPlanId: dialPlan.id,
      label: recipient.primarySmtpAddress,
    });
    if (await deps.store.getUmMailbox(recipient.id))
      throw new UmpinError({
        code: 'UMPIN_MAILBOX_ALREADY_UM_ENABLED',
        field: 'Identity',
        params: { identity: recipient.primarySmtpAddress },
      });
    // explicit parameters win; what was kept at Disable-UMMailbox fills the rest
    const props = restoreUmProperties(
      await deps.store.getKeptUmProperties(recipient.id),
      {
        extensions: (input.extensions ?? []).map((e) => String(e).trim()),
        sipResourceIdentifier: input.sipResourceIdentifier,
        dialPlanId: dialPlan.id,
      },
      UM_MAILBOX_VOICE_DEFAULTS,
    );
    restored = props.restored;
    await checkExtensions(deps.store, dialPlan, props.extensions, recipient.id);
    if (input.notifyEmail !== undefined) checkNotifyEmail(input.notifyEmail);
    const mailbox: UmMailbox = {
      recipientId: recipient.id,
      policyId: policy.id,
      dialPlanId: dialPlan.id,
      extensions: props.extensions,
      sipResourceIdentifier: props.sipResourceIdentifier,
      enabledAt: deps.clock.now(),
      subscriberAccessEnabled: props.subscriberAccessEnabled,
      pinlessAccessEnabled: props.pinlessAccessEnabled,
      operatorNumber: props.operatorNumber,
      pinChangeAllowed: props.pinChangeAllowed,
    };
    const m: ResolvedMailbox = { recipient, mailbox, policy, dialPlan };
    if (input.pin !== undefined) await checkChosenPin(deps, m, String(input.pin), null);
    return m;
  });
  const m = prepared;
  const to = input.notifyEmail ?? m.recipient.primarySmtpAddress;
  if (input.validateOnly) return { ...mailboxView(m), validateOnly: true, mailTo: null };
  const pin = input.pin !== undefined ? String(input.pin) : newRandomPin(deps, m);
  const pinHash = await deps.hasher.hash(pin);
  const org = await deps.store.getOrganization();
  await mutate(deps, actor, rec, async (tx) => {
    if (await tx.getUmMailbox(m.recipient.id))
      throw new UmpinError({
        code: 'UMPIN_MAILBOX_ALREADY_UM_ENABLED',
        field: 'Identity',
        params: { identity: m.recipient.primarySmtpAddress },
      });
    await checkExtensions(tx, m.dialPlan, m.mailbox.extensions, m.recipient.id);
    // the kept properties are the mailbox's own again: nothing is left to restore later
    await tx.deleteKeptUmProperties(m.recipient.id);
    await tx.insertUmMailbox(m.mailbox);
    await tx.insertPin({
      recipientId: m.recipient.id,
      pinHash,
      pinSetAt: deps.clock.now(),
      pinExpired: input.pinExpired ?? true,
      firstTimeUser: true,
      lockedOut: false,
      keepHistory: 0,
    });
    await tx.enqueueOutbox([
      outboxMessage(
        deps,
        m,
        'welcome',
        payloadFor(m, 'welcome', { ...(await pinForMail(deps, tx, m, pin)), pinExpired: input.pinExpired ?? true }),
        { to, language: mailLanguage(m, org) },
      ),
    ]);
  });
  return { ...mailboxView(m), validateOnly: false, mailTo: to };
}

export interface DisableUMMailboxOptions {
  /**
   * KeepProperties (default $true, as in Exchange): keep the policy, extensions, SIP address
   * and voice settings for Enable-UMMailbox to bring back; $false keeps nothing. The PIN, its
   * history, failures, lockout and queued PIN mails go either way.
   */
  keepProperties?: boolean;
}

export async function disableUMMailbox(
  deps: Deps,
  actor: Actor,
  identity: string,
  options: DisableUMMailboxOptions = {},
): Promise<void> {
  const keepProperties = options.keepProperties ?? true;
  await mutate(
    deps,
    actor,
    {
      action: 'Disable-UMMailbox',
      target: identity,
      parameters: { Identity: identity, KeepProperties: keepProperties },
    },
    async (tx) => {
      const m = await resolveMailbox(tx, identity, { actor });
      authorize(actor, 'mailbox:write', 'Disable-UMMailbox', {
        dialPlanId: m.dialPlan.id,
        label: m.recipient.primarySmtpAddress,
      });
      if (keepProperties) await tx.keepUmProperties(keptPropertiesOf(m.mailbox, deps.clock.now()));
      else await tx.deleteKeptUmProperties(m.recipient.id);
      await tx.deleteUmMailbox(m.recipient.id);
    },
  );
}

export interface SetUMMailboxInput {
  umMailboxPolicy?: string;
  /** a list replaces the extensions; `{ add, remove }` edits the ones the mailbox has when the change is written */
  extensions?: MultiValuedEdit;
  sipResourceIdentifier?: string | null;
  /** SubscriberAccessEnabled: $false refuses telephone logon to this mailbox */
  subscriberAccessEnabled?: boolean;
  /** PinlessAccessToVoiceMailEnabled: a call from the mailbox's own extension may skip the PIN */
  pinlessAccessToVoiceMailEnabled?: boolean;
  /** OperatorNumber: digits; null (or empty) removes it, so 0 reaches the dial plan's operator */
  operatorNumber?: string | null;
  /** PinChangeAllowed (a umpin addition): $false keeps the user from changing or resetting their own PIN */
  pinChangeAllowed?: boolean;
}

/** OperatorNumber as given: trimmed digits, or null to remove it; anything else is refused naming the field. */
function checkOperatorNumber(n: string | null): string | null {
  const v = n === null ? '' : String(n).trim();
  if (v === '') return null;
  if (!isOperatorNumber(v))
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'OperatorNumber',
      params: { field: 'OperatorNumber', rule: `1 to ${OPERATOR_NUMBER_MAX_DIGITS} digits, nothing else` },
    });
  return v;
}

const trimmed = (e: string) => e.trim();

/**
 * Set-UMMailbox, in one transaction that holds the mailbox's row first: an extension edit
 * applies to the extensions as they are then, so edits made at once are all kept.
 */
export async function setUMMailbox(
  deps: Deps,
  actor: Actor,
  identity: string,
  changes: SetUMMailboxInput,
): Promise<UMMailboxView> {
  return mutate(
    deps,
    actor,
    {
      action: 'Set-UMMailbox',
      target: identity,
      parameters: {
        Identity: identity,
        UMMailboxPolicy: changes.umMailboxPolicy,
        Extensions: changes.extensions,
        SIPResourceIdentifier: changes.sipResourceIdentifier,
        SubscriberAccessEnabled: changes.subscriberAccessEnabled,
        PinlessAccessToVoiceMailEnabled: changes.pinlessAccessToVoiceMailEnabled,
        OperatorNumber: changes.operatorNumber,
        PinChangeAllowed: changes.pinChangeAllowed,
      },
    },
    async (tx) => {
      // bad input is refused before anything is read, naming the field
      const operatorNumber =
        changes.operatorNumber === undefined ? undefined : checkOperatorNumber(changes.operatorNumber);
      // read again once the row is held: what was read before may have changed since
      const id = (await resolveRecipient(tx, identity, 'Identity', { actor })).id;
      await tx.lockRecipient(id);
      const m = await resolveMailbox(tx, id, { actor });
      authorize(actor, 'mailbox:write', 'Set-UMMailbox', {
        dialPlanId: m.dialPlan.id,
        label: m.recipient.primarySmtpAddress,
      });
      let policy: MailboxPolicy = m.policy;
      let dialPlan: DialPlan = m.dialPlan;
      if (changes.umMailboxPolicy !== undefined) {
        policy = await resolvePolicy(tx, changes.umMailboxPolicy, 'UMMailboxPolicy', { actor });
        dialPlan = (await tx.getDialPlan(policy.dialPlanId))!;
        authorize(actor, 'mailbox:write', 'Set-UMMailbox', {
          dialPlanId: dialPlan.id,
          label: m.recipient.primarySmtpAddress,
        });
      }
      const extensions =
        changes.extensions === undefined
          ? m.mailbox.extensions
          : applyMultiValuedEdit(m.mailbox.extensions, mapMultiValuedEdit(changes.extensions, trimmed));
      return writeUmMailbox(tx, m, {
        policy,
        dialPlan,
        extensions,
        sipResourceIdentifier:
          changes.sipResourceIdentifier === undefined ? m.mailbox.sipResourceIdentifier : changes.sipResourceIdentifier,
        subscriberAccessEnabled: changes.subscriberAccessEnabled ?? m.mailbox.subscriberAccessEnabled,
        pinlessAccessEnabled: changes.pinlessAccessToVoiceMailEnabled ?? m.mailbox.pinlessAccessEnabled,
        operatorNumber: operatorNumber === undefined ? m.mailbox.operatorNumber : operatorNumber,
        pinChangeAllowed: changes.pinChangeAllowed ?? m.mailbox.pinChangeAllowed,
      });
    },
  );
}

/**
 * Writes a UM mailbox's new policy, extensions and SIP address, checking the extensions
 * when they or the dial plan change. The caller holds the recipient's row.
 */
export async function writeUmMailbox(
  tx: StoreTx,
  m: ResolvedMailbox,
  next: {
    policy: MailboxPolicy;
    dialPlan: DialPlan;
    extensions: string[];
    sipResourceIdentifier: string | null;
  } & Partial<
    Pick<UmMailbox, 'subscriberAccessEnabled' | 'pinlessAccessEnabled' | 'operatorNumber' | 'pinChangeAllowed'>
  >,
): Promise<UMMailboxView> {
  const { policy, dialPlan, extensions } = next;
  const same =
    extensions.length === m.mailbox.extensions.length && extensions.every((e, i) => e === m.mailbox.extensions[i]);
  if (!same || dialPlan.id !== m.dialPlan.id) await checkExtensions(tx, dialPlan, extensions, m.recipient.id);
  const mailbox: UmMailbox = {
    ...m.mailbox,
    policyId: policy.id,
    dialPlanId: dialPlan.id,
    extensions,
    sipResourceIdentifier: next.sipResourceIdentifier,
    subscriberAccessEnabled: next.subscriberAccessEnabled ?? m.mailbox.subscriberAccessEnabled,
    pinlessAccessEnabled: next.pinlessAccessEnabled ?? m.mailbox.pinlessAccessEnabled,
    operatorNumber: next.operatorNumber === undefined ? m.mailbox.operatorNumber : next.operatorNumber,
    pinChangeAllowed: next.pinChangeAllowed ?? m.mailbox.pinChangeAllowed,
  };
  await tx.updateUmMailbox(mailbox);
  return mailboxView({ recipient: m.recipient, mailbox, policy, dialPlan });
}

export async function getUMMailbox(deps: Deps, actor: Actor, identity: string): Promise<UMMailboxView> {
  const m = await resolveMailbox(deps.store, identity, { actor });
  authorize(actor, 'mailbox:read', 'Get-UMMailbox', {
    recipientId: m.recipient.id,
    dialPlanId: m.dialPlan.id,
    label: m.recipient.primarySmtpAddress,
  });
  return mailboxView(m);
}

/** What Disable-UMMailbox -KeepProperties kept of a mailbox that is not UM-enabled now: what Enable-UMMailbox would restore. */
export interface KeptUMPropertiesView {
  identity: string;
  /** the kept policy (id and name), null once it was removed: Enable-UMMailbox still names a policy */
  umMailboxPolicyId: string | null;
  umMailboxPolicy: string | null;
  /** the kept extensions' dial plan (id and name), null once it was removed: they come back only into it */
  umDialPlanId: string | null;
  umDialPlan: string | null;
  extensions: string[];
  sipResourceIdentifier: string | null;
  subscriberAccessEnabled: boolean;
  pinlessAccessToVoiceMailEnabled: boolean;
  operatorNumber: string | null;
  pinChangeAllowed: boolean;
  keptAt: number;
}

/** The kept UM properties of a recipient, or null when nothing is kept (it is UM-enabled, or was disabled keeping none). */
export async function getKeptUMProperties(
  deps: Deps,
  actor: Actor,
  identity: string,
): Promise<KeptUMPropertiesView | null> {
  const recipient = await resolveRecipient(deps.store, identity, 'Identity', { actor, orNotUmEnabled: true });
  const kept = await deps.store.getKeptUmProperties(recipient.id);
  // a scoped caller sees a recipient without a UM mailbox only through a kept row of its dial plans
  if (isScoped(actor) && !kept && !(await deps.store.getUmMailbox(recipient.id)))
    throw notFound(identity, 'recipient', 'Identity');
  if (kept && !inScope(actor, kept.dialPlanId)) throw notFound(identity, 'recipient', 'Identity');
  authorize(actor, 'mailbox:read', 'Get-UMMailbox', {
    recipientId: recipient.id,
    // a kept row whose dial plan is gone is outside every scope
    ...(kept ? { dialPlanId: kept.dialPlanId ?? '' } : {}),
    label: recipient.primarySmtpAddress,
  });
  if (!kept) return null;
  const policy = kept.policyId ? await deps.store.getPolicy(kept.policyId) : null;
  const dialPlan = kept.dialPlanId ? await deps.store.getDialPlan(kept.dialPlanId) : null;
  return {
    identity: recipient.id,
    umMailboxPolicyId: policy?.id ?? null,
    umMailboxPolicy: policy?.name ?? null,
    umDialPlanId: dialPlan?.id ?? null,
    umDialPlan: dialPlan?.name ?? null,
    extensions: kept.extensions,
    sipResourceIdentifier: kept.sipResourceIdentifier,
    subscriberAccessEnabled: kept.subscriberAccessEnabled,
    pinlessAccessToVoiceMailEnabled: kept.pinlessAccessEnabled,
    operatorNumber: kept.operatorNumber,
    pinChangeAllowed: kept.pinChangeAllowed,
    keptAt: kept.keptAt,
  };
}

/** What a signed-in user sees of their own UM mailbox: Get-UMMailbox, the numbers to call, and how a new PIN reaches them. */
export interface MyUMMailboxView extends UMMailboxView {
  voiceAccessNumbers: string[];
  /** the policy's PINDelivery: whether a reset mails the PIN or a one-time link to it */
  pinDelivery: PinDelivery;
}

/** The signed-in end user's own UM mailbox (the self-service page). */
export async function getMyUMMailbox(deps: Deps, actor: Actor): Promise<MyUMMailboxView> {
  if (actor.kind !== 'user' || actor.recipientId === undefined)
    throw new UmpinError({
      code: 'UMPIN_ACCESS_DENIED',
      params: { actor: actor.name, action: 'Get-UMMailbox for the signed-in user' },
    });
  const m = await resolveMailbox(deps.store, actor.recipientId);
  authorize(actor, 'mailbox:read', 'Get-UMMailbox', {
    recipientId: m.recipient.id,
    dialPlanId: m.dialPlan.id,
    label: m.recipient.primarySmtpAddress,
  });
  return { ...mailboxView(m), voiceAccessNumbers: m.dialPlan.voiceAccessNumbers, pinDelivery: m.policy.pinDelivery };
}

/** What Get-UMMailbox and GET /um-mailboxes list by: a search, a policy, an OPATH filter and a sort. */
export interface ListUMMailboxesQuery {
  /** only the mailbox this identity names (-Identity with -Filter): refused as Get-UMMailbox -Identity refuses it */
  identity?: string;
  /** prefix of the display name, alias or address (-Anr) */
  search?: string;
  /** only this policy's mailboxes, by name or GUID (an unknown one is refused) */
  umMailboxPolicy?: string;
  /** only the mailboxes of the policy of this id (an unknown id matches nothing) */
  policyId?: string;
  /** an OPATH filter on UMMailbox properties (-Filter), evaluated by the store */
  filter?: string;
  /** a UMMailbox property, `-Name` for descending (-SortBy); default: by display name */
  sortBy?: string;
  cursor?: string | null;
  limit: number;
}

/** The PIN state a list shows beside each UM mailbox, judged as Get-UMMailboxPIN judges it. */
export interface UMMailboxPinFlags {
  lockedOut: boolean;
  pinExpired: boolean;
  firstTimeUser: boolean;
}

/** A UM mailbox in a list: with its PIN state when the caller may read PIN status (null otherwise). */
export interface UMMailboxListItem extends UMMailboxView {
  pinStatus: UMMailboxPinFlags | null;
}

/**
 * One page of UM mailboxes, filtered and sorted in one store query: a filter on the PIN
 * state, a policy or a name prefix is an indexed read however many mailboxes there are. A
 * scoped caller sees the mailboxes of its dial plans only, in full pages. Each carries its
 * PIN state (read in the same statement as the page) if the caller may read PIN status, so a
 * list of mailboxes shows lockouts without a request per row.
 */
export async function listUMMailboxes(
  deps: Deps,
  actor: Actor,
  q: ListUMMailboxesQuery,
): Promise<Page<UMMailboxListItem>> {
  authorize(actor, 'mailbox:read', 'Get-UMMailbox');
  const conditions: RecipientCondition[] = [];
  if (q.filter !== undefined) conditions.push(recipientFilter(q.filter, UM_MAILBOX_CATALOG));
  if (q.identity !== undefined) {
    const m = await resolveMailbox(deps.store, q.identity, { actor });
    authorize(actor, 'mailbox:read', 'Get-UMMailbox', {
      recipientId: m.recipient.id,
      dialPlanId: m.dialPlan.id,
      label: m.recipient.primarySmtpAddress,
    });
    conditions.push({ kind: 'compare', field: 'id', operator: 'eq', value: m.recipient.id });
  }
  const scope = scopeCondition(actor);
  if (scope) conditions.push(scope);
  const sort = q.sortBy !== undefined ? recipientSort(q.sortBy, UM_MAILBOX_CATALOG) : undefined;
  const policyId = q.umMailboxPolicy
    ? (await resolvePolicy(deps.store, q.umMailboxPolicy, 'UMMailboxPolicy', { actor })).id
    : q.policyId;
  const now = deps.clock.now();
  const pins = mayUse(actor, 'pin:read');
  const page = await deps.store.umMailboxPage(
    {
      search: q.search,
      policyId,
      umEnabled: true,
      filter:
        conditions.length === 0
          ? undefined
          : conditions.length === 1
            ? conditions[0]
            : { kind: 'and', operands: conditions },
      now,
      sort,
      cursor: q.cursor,
      limit: Math.min(Math.max(1, q.limit), 1000),
    },
    { pins },
  );
  const { policies, dialPlans } = await pagePoliciesAndDialPlans(deps.store, page.items);
  const items = new Array<UMMailboxListItem>(page.items.length);
  for (let i = 0; i < items.length; i++) {
    const { recipient, mailbox, pin } = page.items[i]!;
    const policy = policies.get(mailbox!.policyId)!;
    const m = { recipient, mailbox: mailbox!, policy, dialPlan: dialPlans.get(mailbox!.dialPlanId)! };
    // the PIN state judged at the instant the filter was
    const view = mailboxView(m) as UMMailboxListItem;
    view.pinStatus = pin
      ? {
          lockedOut: isLockedOut(pin, now),
          pinExpired: isPinExpired(pin, policy, now),
          firstTimeUser: pin.firstTimeUser,
        }
      : null;
    items[i] = view;
  }
  return { items, next: page.next };
}
